package opensearch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/store"
	"github.com/govbulletin/bulletin/internal/errs"
	"github.com/govbulletin/bulletin/internal/osconn"
	"github.com/govbulletin/bulletin/search"
)

// Options configure an Engine. The zero value is valid.
type Options struct {
	Logger *slog.Logger
	// Poll is how often the alias is checked for a new index; 0 means
	// 2 s, negative disables watching.
	Poll time.Duration
	// SynonymsFile replaces the embedded query-time synonyms.
	SynonymsFile string
}

// Engine answers the same API as the embedded engine from an OpenSearch
// cluster: the index that the alias names, written by
// indexer.BuildOpenSearch.
//
// Concurrency: all methods are safe for concurrent use. The alias is checked
// every Poll; when it names a new index, the next searches use it. The
// vocabulary's changes (written articles' words) are read every vocabEvery.
type Engine struct {
	c       *osconn.Client
	log     *slog.Logger
	planner *search.Planner

	stop chan struct{}
	done chan struct{}

	mu    sync.Mutex
	index string // the index the alias names
	meta  schema.Meta
	docs  int
	seg   *analysis.Segmenter // the index's dictionary: queries are cut as its articles were
	vocab *osVocab            // of index
	pairs bool                // index has the pair field (schema.FieldPairs)
}

// Open connects to the cluster and reads the index the alias names;
// opts.Poll says how often the alias is checked again.
func Open(ctx context.Context, c *osconn.Client, opts Options) (*Engine, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	pl, err := search.NewPlanner(opts.SynonymsFile)
	if err != nil {
		return nil, err
	}
	e := &Engine{c: c, log: log, planner: pl, stop: make(chan struct{}), done: make(chan struct{})}
	if err := e.Reload(ctx); err != nil {
		return nil, err
	}
	search.StartPolling(opts.Poll, e.watch, e.done)
	return e, nil
}

func (e *Engine) watch(every time.Duration) {
	defer close(e.done)
	t := time.NewTicker(every)
	defer t.Stop()
	vt := time.NewTicker(vocabEvery)
	defer vt.Stop()
	for {
		select {
		case <-e.stop:
			return
		case <-vt.C:
			e.mu.Lock()
			ov := e.vocab
			e.mu.Unlock()
			if ov != nil {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				if err := ov.update(ctx, e); err != nil {
					e.log.Debug("reading the vocabulary's changes failed", "err", err)
				}
				cancel()
			}
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			if err := e.Reload(ctx); err != nil {
				e.log.Warn("checking the OpenSearch alias failed; still serving the index known", "err", err)
			}
			cancel()
		}
	}
}

// Reload reads which index the alias names, its meta and its size.
func (e *Engine) Reload(ctx context.Context) error {
	sv, err := e.c.Served(ctx)
	if err != nil {
		return err
	}
	name, meta := sv.Index, sv.Meta
	_, pairs := sv.Fields[schema.FieldPairs]
	if meta.Schema != schema.Version {
		return fmt.Errorf("OpenSearch index %s has schema %d, this bulletin reads %d: index again", name, meta.Schema, schema.Version)
	}
	var cnt struct {
		Count int `json:"count"`
	}
	if err := e.c.Do(ctx, http.MethodGet, "/"+url.PathEscape(name)+"/_count", nil, &cnt); err != nil {
		return fmt.Errorf("OpenSearch index %s: %w", name, err)
	}
	e.mu.Lock()
	same := name == e.index
	e.mu.Unlock()
	var seg *analysis.Segmenter
	if !same {
		dict, err := analysis.GenerationDictionary(meta.UserWords, meta.UserDict)
		if err != nil {
			return fmt.Errorf("OpenSearch index %s: dictionary: %w", name, err)
		}
		if seg, err = analysis.For(dict); err != nil {
			return err
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if seg != nil {
		e.seg = seg
		ov := &osVocab{index: name}
		e.vocab = ov
		go ov.get(e) // takes a moment on a large index: now rather than on the first pinyin query
		if e.index != "" {
			e.log.Info("switched OpenSearch index", "index", name, "documents", cnt.Count)
		}
	}
	if !pairs && (seg != nil) {
		e.log.Warn("the OpenSearch index has no pair field: a query is found by its words alone until `bulletin index --opensearch` runs again", "index", name)
	}
	e.index, e.meta, e.docs, e.pairs = name, meta, cnt.Count, pairs
	return nil
}

// current returns the view of the index served.
func (e *Engine) current() *view {
	e.mu.Lock()
	defer e.mu.Unlock()
	return &view{e: e, index: e.index, seg: e.seg, pairs: e.pairs, do: e.c.Do}
}

// Info returns what is being served.
func (e *Engine) Info() search.Info {
	e.mu.Lock()
	defer e.mu.Unlock()
	return search.Info{Generation: e.index, Documents: e.docs, Districts: e.meta.Districts, Topics: e.meta.Topics}
}

// Search runs one search on the index served (see search.Planner).
func (e *Engine) Search(ctx context.Context, req search.Request) (*search.Response, error) {
	return e.planner.Search(ctx, e.current(), req)
}

// Suggest returns up to n completions of prefix (see search.Planner).
func (e *Engine) Suggest(ctx context.Context, prefix string, n int) ([]string, error) {
	return e.planner.Suggest(ctx, e.current(), prefix, n)
}

// Analyze analyses text as the index and the query parser do.
func (e *Engine) Analyze(text string) (*search.Analysis, error) {
	return search.AnalyzeWith(e.current().seg, text)
}

// Close stops watching the alias.
func (e *Engine) Close() error {
	select {
	case <-e.stop:
	default:
		close(e.stop)
	}
	<-e.done
	return nil
}

// clusterErr gives the cluster's own failures their kind: no answer, or a
// cluster too busy to answer, is errs.Unavailable (503), as is an index
// deleted under the alias; any other error is left to search.MapError.
func clusterErr(err error) error {
	var se *osconn.StatusError
	switch {
	case errors.Is(err, osconn.ErrUnavailable):
		return &errs.Error{Kind: errs.Unavailable, Code: "cluster_unavailable", Message: "the search cluster cannot be reached", Err: err}
	case errors.As(err, &se) && (se.Status == http.StatusTooManyRequests || se.Status >= 500):
		return &errs.Error{Kind: errs.Unavailable, Code: "cluster_unavailable", Message: "the search cluster cannot answer now", Err: err}
	case errors.As(err, &se) && se.Type == "index_not_found_exception":
		// The index served was deleted (another run, an operator): the
		// alias check picks up the new one within a poll.
		return &errs.Error{Kind: errs.Unavailable, Code: "no_index", Message: "the index is being switched", Err: err}
	}
	return err
}

// Article returns one article by id: any id an article can have (up to
// store.MaxIDLen bytes, as the embedded engine).
func (e *Engine) Article(ctx context.Context, id string) (*schema.Article, error) {
	if id == "" || len(id) > store.MaxIDLen {
		return nil, errs.Errorf(errs.NotFound, "not_found", "no article with this id")
	}
	v := e.current()
	var doc struct {
		Found  bool            `json:"found"`
		Source json.RawMessage `json:"_source"`
	}
	err := e.c.Do(ctx, http.MethodGet, "/"+url.PathEscape(v.index)+"/_doc/"+url.PathEscape(id), nil, &doc)
	if osconn.IsStatus(err, http.StatusNotFound) || err == nil && !doc.Found {
		return nil, errs.Errorf(errs.NotFound, "not_found", "no article with this id")
	}
	if err != nil {
		return nil, search.MapError(ctx, clusterErr(err))
	}
	a, err := schema.ArticleFromSource(doc.Source)
	if err != nil {
		return nil, &errs.Error{Kind: errs.Internal, Code: "internal", Message: "reading the article failed", Err: err}
	}
	return a, nil
}
