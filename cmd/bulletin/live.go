package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/internal/errs"
	"github.com/govbulletin/bulletin/internal/osconn"
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

// liveWriter adapts a write side (indexer.Live, indexer.OSLive) to the
// server: its errors get the kinds the server maps to statuses.
type liveWriter struct{ l writeSide }

// writeSide is what the server's writes need of indexer.Live or
// indexer.OSLive.
type writeSide interface {
	PutJSON(ctx context.Context, id string, body []byte) (*schema.Article, error)
	Bulk(ctx context.Context, body io.Reader) (int, []indexer.BulkLineError, error)
	DeleteID(ctx context.Context, id string) error
}

func (w liveWriter) Put(ctx context.Context, id string, body []byte) (*schema.Article, error) {
	a, err := w.l.PutJSON(ctx, id, body)
	return a, writeErr(err)
}

func (w liveWriter) Bulk(ctx context.Context, body io.Reader) (*server.BulkResult, error) {
	n, bad, err := w.l.Bulk(ctx, body)
	if err != nil {
		return nil, writeErr(err)
	}
	res := &server.BulkResult{Indexed: n, Errors: []server.BulkError{}}
	for _, b := range bad {
		res.Errors = append(res.Errors, server.BulkError{Line: b.Line, Message: b.Message})
	}
	return res, nil
}

func (w liveWriter) Delete(ctx context.Context, id string) error {
	return writeErr(w.l.DeleteID(ctx, id))
}

func writeErr(err error) error {
	var bad *indexer.BadArticleError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &bad):
		return errs.Errorf(errs.Invalid, "bad_article", "%s", bad.Reason)
	case errors.Is(err, indexer.ErrNotFound):
		return errs.Errorf(errs.NotFound, "not_found", "no article with this id")
	case errors.Is(err, osconn.ErrUnavailable):
		return &errs.Error{Kind: errs.Unavailable, Code: "cluster_unavailable", Message: "the OpenSearch cluster did not take the write; nothing of it is acknowledged, try again", Err: err}
	}
	var se *errs.Error
	if errors.As(err, &se) {
		return err
	}
	return &errs.Error{Kind: errs.Internal, Code: "write_failed", Message: "the write failed", Err: err}
}

// liveStats are the write side's figures for /metrics.
type liveStats struct {
	l *indexer.Live
	e *embedded.Engine
}

func (s liveStats) Written() int64               { return s.l.Written.Load() }
func (s liveStats) Deleted() int64               { return s.l.Deleted.Load() }
func (s liveStats) LogSize() int64               { return s.l.LogSize() }
func (s liveStats) LogFolds() int64              { return s.l.Folds() }
func (s liveStats) VisibilityLag() time.Duration { return s.e.VisibilityLag() }
func (s liveStats) ViewCost() time.Duration      { return s.e.ViewCost() }

// foldBytes is the size under which the write log is not folded:
// BULLETIN_LOG_FOLD_BYTES, else indexer.DefaultFoldBytes (64 MiB).
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
func openLive(dir, taxonomy, synonyms string, log *slog.Logger) (*indexer.Live, *embedded.Engine, error) {
	_, meta, err := schema.Current(dir)
	if err != nil {
		return nil, nil, err
	}
	fold, err := foldBytes()
	if err != nil {
		return nil, nil, err
	}
	live, err := indexer.OpenLive(dir, indexer.LiveConfig{Region: meta.Region, TaxonomyFile: taxonomy, Logger: log, FoldBytes: fold})
	if err != nil {
		return nil, nil, err
	}
	eng, err := embedded.Open(dir, embedded.Options{Logger: log, SynonymsFile: synonyms, Live: &embedded.LiveOptions{
		Replay: func(held int64, a embedded.LiveApplier) error { return live.Replay(held, a) },
	}})
	if err != nil {
		live.Close()
		return nil, nil, err
	}
	live.SetApplier(eng)
	return live, eng, nil
}
