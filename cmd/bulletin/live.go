package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/govbulletin/bulletin/cmd/bulletin/internal/proc"
	"github.com/govbulletin/bulletin/indexer/live"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/writes"
	"github.com/govbulletin/bulletin/search/embedded"
	"github.com/govbulletin/bulletin/search/server"
)

// readKeys reads a write-keys file: one key a line, `#` starts a comment.
func readKeys(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--write-keys: %w", err)
	}
	defer f.Close()
	var keys []string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.ContainsAny(line, " \t") {
			return nil, fmt.Errorf("--write-keys %s:%d: a key has no spaces", path, n)
		}
		keys = append(keys, line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--write-keys: %w", err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("--write-keys %s: no key in the file", path)
	}
	return keys, nil
}

// liveWriter adapts a write side (live.Live, opensearch.Writer) to the
// server. The write side's errors already carry the kinds the server maps
// to statuses (package writes); a bulk's line errors become the answer's.
type liveWriter struct{ writeSide }

// writeSide is what the server's writes need of live.Live or
// opensearch.Writer.
type writeSide interface {
	PutJSON(ctx context.Context, id string, body []byte) (*schema.Article, error)
	Bulk(ctx context.Context, body io.Reader) (int, []writes.LineError, error)
	DeleteID(ctx context.Context, id string) error
}

func (w liveWriter) Put(ctx context.Context, id string, body []byte) (*schema.Article, error) {
	return w.PutJSON(ctx, id, body)
}

func (w liveWriter) Bulk(ctx context.Context, body io.Reader) (*server.BulkResult, error) {
	n, bad, err := w.writeSide.Bulk(ctx, body)
	if err != nil {
		return nil, err
	}
	res := &server.BulkResult{Indexed: n, Errors: []server.BulkError{}}
	for _, b := range bad {
		res.Errors = append(res.Errors, server.BulkError{Line: b.Line, Message: b.Message})
	}
	return res, nil
}

func (w liveWriter) Delete(ctx context.Context, id string) error {
	return w.DeleteID(ctx, id)
}

// liveStats are the write side's figures for /metrics.
type liveStats struct {
	l *live.Live
	e *embedded.Engine
}

func (s liveStats) Written() int64               { return s.l.Written.Load() }
func (s liveStats) Deleted() int64               { return s.l.Deleted.Load() }
func (s liveStats) LogSize() int64               { return s.l.LogSize() }
func (s liveStats) LogFolds() int64              { return s.l.Folds() }
func (s liveStats) VisibilityLag() time.Duration { return s.e.VisibilityLag() }
func (s liveStats) ViewCost() time.Duration      { return s.e.ViewCost() }

// foldBytes is the size under which the write log is not folded:
// BULLETIN_LOG_FOLD_BYTES, else live.DefaultFoldBytes (64 MiB).
func foldBytes() (int64, error) {
	v := os.Getenv("BULLETIN_LOG_FOLD_BYTES")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("BULLETIN_LOG_FOLD_BYTES=%q: want a number of bytes above 0", v)
	}
	return n, nil
}

// openLive opens the write side of dir: the write log, and an engine whose
// generations replay it.
func openLive(dir, taxonomy, synonyms string, log *slog.Logger) (*live.Live, *embedded.Engine, error) {
	_, meta, err := schema.Current(dir)
	if err != nil {
		return nil, nil, err
	}
	fold, err := foldBytes()
	if err != nil {
		return nil, nil, err
	}
	lv, err := live.Open(dir, live.Config{Region: meta.Region, TaxonomyFile: taxonomy, Logger: log, FoldBytes: fold, Process: writeProcess()})
	if err != nil {
		return nil, nil, err
	}
	eng, err := embedded.Open(dir, embedded.Options{Logger: log, SynonymsFile: synonyms, Live: &embedded.LiveOptions{
		Replay: func(held int64, a embedded.LiveApplier) error { return lv.Replay(held, a) },
	}})
	if err != nil {
		lv.Close()
		return nil, nil, err
	}
	lv.SetApplier(eng)
	return lv, eng, nil
}

// processGC keeps the process's GC setting for every writer of the
// process (one setting, one keeper).
var processGC = sync.OnceValue(proc.NewGCRoom)

// writeProcess is what a writer may ask of this process: more room for
// the garbage collector while writes stream in, and writing work run on
// threads of lower priority than searches.
func writeProcess() live.Process {
	gc := processGC()
	return live.Process{Load: gc.Enter, Loading: gc.Adjust, Background: proc.Niced}
}
