package wal

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The records of an index's write log. A record is one JSON object a line:
// an article put (as given, in JSON Lines fields) or an id deleted. Every
// record carries a sequence number (Record.Seq), given in log order when it
// is appended and kept for good; a generation records the last one its
// build read (schema.Meta.LogSeq), and a server opening it replays the
// records with higher numbers. Records written before sequence numbers
// existed have none: their number is their offset in the log plus one,
// which makes the byte offsets older generations recorded
// (schema.Meta.LogOffset) mean the same.
//
// The same records, without sequence numbers, are the write records an
// OpenSearch cluster keeps of its write API (schema.OSWritesIndex).

// FileName names the write log in an index directory.
const FileName = "api.log"

// Op is what a record does to its id.
type Op string

// The ops of a record.
const (
	OpPut    Op = "put"    // the article Doc replaces any with the id
	OpDelete Op = "delete" // the id is removed
)

// Record is one entry of the write log.
type Record struct {
	Seq    int64           `json:"seq,omitempty"` // its number in the log
	Op     Op              `json:"op"`
	ID     string          `json:"id"`
	Doc    json.RawMessage `json:"doc,omitempty"`    // put: the article as given (JSON Lines fields)
	Origin string          `json:"origin,omitempty"` // "api", or the watched file it came from (OriginOf)
	Sig    string          `json:"sig,omitempty"`    // the version of that file (size:mtime)
	Time   int64           `json:"t"`                // Unix milliseconds of the write
}

// SourceName is the source name of the articles of a record's origin
// ("api", or a watched file) that are given none.
func SourceName(origin string) string {
	if origin == "" || origin == "api" {
		return "api"
	}
	return filepath.Base(PathOf(origin))
}

// BytesOrigin starts the origin of a file whose path is not valid UTF-8
// (OriginOf); a path of a watched file is absolute, and never starts so.
const BytesOrigin = "bytes:"

// OriginOf is the origin of a record written from the file at path: the
// path itself, or, for a path that is not valid UTF-8 (a GB18030 file
// name on a Linux disk), BytesOrigin and the path's bytes in base64. A
// record is JSON, which would replace such bytes with U+FFFD: the file
// would no longer be known by its name.
func OriginOf(path string) string {
	if utf8.ValidString(path) {
		return path
	}
	return BytesOrigin + base64.RawURLEncoding.EncodeToString([]byte(path))
}

// PathOf is the path of the file of an origin (see OriginOf).
func PathOf(origin string) string {
	if rest, ok := strings.CutPrefix(origin, BytesOrigin); ok {
		if b, err := base64.RawURLEncoding.DecodeString(rest); err == nil {
			return string(b)
		}
	}
	return origin
}

// seqPrefix starts every record with a sequence number (see Stamp).
var seqPrefix = []byte(`{"seq":`)

// Stamp gives a record (a JSON object as marshalled from Record, without
// its seq) its sequence number, as its first field.
func Stamp(rec []byte, seq int64) []byte {
	out := make([]byte, 0, len(rec)+24)
	out = append(out, seqPrefix...)
	out = strconv.AppendInt(out, seq, 10)
	if len(rec) > 2 {
		out = append(out, ',')
	}
	return append(out, rec[1:]...)
}

// Stamped reports whether a record carries its sequence number.
func Stamped(raw []byte) bool { return bytes.HasPrefix(raw, seqPrefix) }

// Seq is the sequence number of the record raw at offset off: its seq,
// else (a record written before seqs) off+1.
func Seq(off int64, raw []byte) int64 {
	if !Stamped(raw) {
		return off + 1
	}
	rest := raw[len(seqPrefix):]
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	n, err := strconv.ParseInt(string(rest[:i]), 10, 64)
	if err != nil || n <= 0 {
		return off + 1
	}
	return n
}

// RecordID is the id of a record, "" when it has none or is unreadable.
func RecordID(raw []byte) string {
	var r struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(raw, &r) != nil {
		return ""
	}
	return r.ID
}

// Scanned is what one pass over a log tells: the next sequence number to
// give, the bytes of the last record of each id (the log's live size) and
// where its last whole record ends.
type Scanned struct {
	Next int64
	Live int64
	End  int64
}

// Scan reads the log at path once (see Scanned).
func Scan(path string) (*Scanned, error) {
	r, err := OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	s := &Scanned{Next: 1}
	lens := map[string]int64{}
	s.End, err = r.Read(0, -1, func(off int64, raw []byte) error {
		n := Seq(off, raw)
		if !Stamped(raw) {
			// A record without seq: the next number must pass the end of
			// the log, which older generations' offsets may name.
			n = off + int64(len(raw)) + 1
		}
		s.Next = max(s.Next, n+1)
		if id := RecordID(raw); id != "" {
			lens[id] = int64(len(raw)) + 1
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, n := range lens {
		s.Live += n
	}
	return s, nil
}

// State is a log's final state: for each id, its last put (the article as
// given) or its deletion.
type State struct {
	Held    int64           // the number of the last record read (0: none)
	Puts    []Record        // last put of each id still there, in log order
	Deleted map[string]bool // ids whose last record is a deletion
}

// ReadState reads the final state of the log at path.
//
// Both passes read one version of the file: a server folding the log
// meanwhile renames a new file over it, which this reader does not see.
func ReadState(path string) (*State, error) {
	r, err := OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	last := map[string]int64{}
	st := &State{Deleted: map[string]bool{}}
	end, err := r.Read(0, -1, func(off int64, raw []byte) error {
		st.Held = Seq(off, raw)
		var rec Record
		if json.Unmarshal(raw, &rec) == nil && rec.ID != "" {
			last[rec.ID] = off
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(last) == 0 {
		return st, nil
	}
	_, err = r.Read(0, end, func(off int64, raw []byte) error {
		if off >= end {
			return io.EOF
		}
		var rec Record
		if json.Unmarshal(raw, &rec) != nil || rec.ID == "" || last[rec.ID] != off {
			return nil
		}
		if rec.Op == OpDelete {
			st.Deleted[rec.ID] = true
		} else {
			st.Puts = append(st.Puts, rec)
		}
		return nil
	})
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return st, nil
}
