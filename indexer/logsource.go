package indexer

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/indexer/wal"
)

// The write log is a source like the input files: a full build of an index
// directory reads it last (its articles replace file articles with their
// ids, its deletions remove them) and records in meta.json how much of it
// the new generation holds; a server opening that generation replays the
// rest. A build into OpenSearch reads the cluster's write records the same
// way (RecordsInputs).

// apiSource is the write log's articles as a JSON Lines file, written into
// each generation by the build that read them.
const apiSource = "api.jsonl"

// logInput writes the articles of puts as a JSON Lines file in dir
// (apiSource) and returns it as an input read after the files.
func logInput(puts []wal.Record, dir string) (Input, error) {
	p := filepath.Join(dir, apiSource)
	var buf bytes.Buffer
	for _, r := range puts {
		var m map[string]json.RawMessage
		if json.Unmarshal(r.Doc, &m) != nil {
			continue
		}
		id, _ := json.Marshal(r.ID)
		m["id"] = id
		if _, ok := m["source"]; !ok {
			src, _ := json.Marshal(wal.SourceName(r.Origin))
			m["source"] = src
		}
		line, err := json.Marshal(m)
		if err != nil {
			continue
		}
		buf.Write(line)
		buf.WriteByte('\n')
	}
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		return Input{}, err
	}
	return Input{rel: apiSource, show: wal.FileName, stream: func() (io.ReadCloser, error) { return os.Open(p) }}, nil
}

// logWins makes every article of the log's input (see logInput) the winner
// of its id.
func logWins(in Input, fm source.FieldMap, winners map[string]srcPos) error {
	rc, err := in.stream()
	if err != nil {
		return err
	}
	defer rc.Close()
	return source.ScanJSONLIDs(rc, fm, func(line int, id string) {
		winners[id] = srcPos{in.n, line}
	})
}

// RecordsInputs writes the articles of write records (each id's last put)
// as JSON Lines files under dir, each under the size a file may have, and
// returns them as inputs of a build (FromWrites reports them).
func RecordsInputs(puts []wal.Record, dir string) ([]Input, error) {
	const chunk = 16 << 20
	var ins []Input
	for start := 0; start < len(puts); {
		end, size := start, 0
		for end < len(puts) && (end == start || size+len(puts[end].Doc) <= chunk) {
			size += len(puts[end].Doc)
			end++
		}
		sub := filepath.Join(dir, strconv.Itoa(len(ins)))
		if err := os.Mkdir(sub, 0o755); err != nil {
			return nil, err
		}
		in, err := logInput(puts[start:end], sub)
		if err != nil {
			return nil, err
		}
		p := filepath.Join(sub, apiSource)
		in.open = func() ([]byte, error) { return os.ReadFile(p) }
		ins = append(ins, in)
		start = end
	}
	return ins, nil
}

// FromWrites reports whether the input is the articles of the write log or
// of write records (logInput).
func (in Input) FromWrites() bool { return in.show == wal.FileName && in.rel == apiSource }

// Show is the name of the input in reports and logs.
func (in Input) Show() string { return in.show }
