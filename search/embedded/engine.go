package embedded

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/store"
	"github.com/govbulletin/bulletin/internal/errs"
	"github.com/govbulletin/bulletin/search"
)

// Options configure an Engine. The zero value is valid.
type Options struct {
	Logger *slog.Logger
	// Poll is how often the index directory is checked for a new
	// generation; 0 means 2 s, negative disables watching.
	Poll time.Duration
	// SynonymsFile replaces the embedded query-time synonyms.
	SynonymsFile string
	// Live, when set, opens generations for writing: Apply makes written
	// articles visible (see writes.go).
	Live *LiveOptions
}

// Engine answers searches over the current generation of an index
// directory, and switches to a newer generation when one is published.
//
// Concurrency: all methods are safe for concurrent use. A search holds a
// reference to the generation it started on, so a switch never fails or
// changes a request in flight; the old generation is closed when its last
// request ends.
type Engine struct {
	dir  string
	log  *slog.Logger
	stop chan struct{}
	done chan struct{}
	// vocabs counts the vocabulary builds running in the background (see
	// vocabLater): Close waits for them, so that the index, which a build
	// holds open, is closed when Close returns.
	vocabs sync.WaitGroup

	mu  sync.Mutex // guards cur replacement
	cur atomic.Pointer[generation]

	planner *search.Planner // the query side: analysis, strategy, answer

	live liveEngine // the write side, when Options.Live is set (live.go, writes.go)
}

// generation is one open index generation, reference-counted.
type generation struct {
	name  string
	log   *slog.Logger
	meta  *schema.Meta
	seg   *analysis.Segmenter // the generation's dictionary: queries are cut as its articles were
	index bleve.Index
	store *store.Reader
	cache *facetCache
	cols  *columns
	pairs *pairIndex // nil for a generation without pair sets
	vocabState
	titles  *titleIndex
	liveGen // what a generation that takes writes adds (live.go)

	mu      sync.Mutex
	refs    int
	retired bool
	closed  bool
}

func (g *generation) acquire() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return false
	}
	g.refs++
	return true
}

func (g *generation) release() {
	g.mu.Lock()
	g.refs--
	closeNow := g.retired && g.refs == 0 && !g.closed
	if closeNow {
		g.closed = true
	}
	g.mu.Unlock()
	if closeNow {
		g.close()
	}
}

func (g *generation) retire() {
	g.mu.Lock()
	g.retired = true
	closeNow := g.refs == 0 && !g.closed
	if closeNow {
		g.closed = true
	}
	g.mu.Unlock()
	if closeNow {
		g.close()
	}
}

func (g *generation) close() {
	if g.snap != nil {
		g.snap.Close()
	}
	if g.shared != nil { // a live generation: the index goes with the last view of it
		g.shared.release()
		return
	}
	g.index.Close()
	g.store.Close()
	g.pairs.close()
}

// reader returns the snapshot the generation searches: its own for a live
// generation (the one its columns describe), else a new one of the
// read-only index. done releases it.
func (g *generation) reader() (index.IndexReader, func(), error) {
	if g.snap != nil {
		return g.snap, func() {}, nil
	}
	r, err := openReader(g.index)
	if err != nil {
		return nil, nil, err
	}
	return r, func() { r.Close() }, nil
}

// Open opens the current generation of the index in dir and, unless
// disabled, watches dir for newer ones.
func Open(dir string, opts Options) (*Engine, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	pl, err := search.NewPlanner(opts.SynonymsFile)
	if err != nil {
		return nil, err
	}
	e := &Engine{dir: dir, log: log, stop: make(chan struct{}), done: make(chan struct{}), planner: pl}
	e.live.opts = opts.Live
	g, err := e.openCurrent()
	if err != nil {
		return nil, err
	}
	e.cur.Store(g)
	search.StartPolling(opts.Poll, e.watch, e.done)
	return e, nil
}

func (e *Engine) openCurrent() (*generation, error) {
	path, meta, err := schema.Current(e.dir)
	if err != nil {
		return nil, err
	}
	// The segmenter first: it is the slow part (jieba loads in about 1.4 s
	// unless a generation with the same words is open), and a generation
	// whose dictionary does not parse is not opened at all.
	dict, err := analysis.GenerationDictionary(meta.UserWords, meta.UserDict)
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	seg, err := analysis.For(dict)
	if err != nil {
		return nil, err
	}
	idx, err := bleve.OpenUsing(filepath.Join(path, schema.BleveDir), e.openConfig())
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	st, err := store.Open(filepath.Join(path, schema.StoreFile))
	if err != nil {
		idx.Close()
		return nil, err
	}
	if e.live.opts != nil {
		// A live generation's document numbers change as writes are merged
		// and its articles change after the build: its pair sets are read
		// without numbering, and each view numbers them (live.go).
		pairs, err := openPairs(filepath.Join(path, schema.PairsFile), nil)
		if err != nil {
			idx.Close()
			st.Close()
			return nil, fmt.Errorf("open index %s: %w", path, err)
		}
		g := &generation{name: filepath.Base(path), log: e.log, meta: meta, seg: seg, index: idx, store: st, titles: loadTitles(path)}
		g.basePairs = pairs
		if pairs != nil {
			g.baseNums = make(map[string]uint32, len(pairs.ids))
			for i, id := range pairs.ids {
				g.baseNums[id] = uint32(i)
			}
		}
		return e.openLive(g)
	}
	cols, err := loadColumns(idx)
	if err != nil {
		idx.Close()
		st.Close()
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	pairs, err := loadPairs(idx, filepath.Join(path, schema.PairsFile))
	if err != nil {
		idx.Close()
		st.Close()
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	// The generation is named by its folder, as CURRENT names it (not by
	// meta.Name): Reload compares the two, and a generation folder whose
	// meta says otherwise (copied or renamed) would otherwise be reopened
	// on every poll.
	g := &generation{name: filepath.Base(path), log: e.log, meta: meta, seg: seg, index: idx, store: st, cache: newFacetCache(), cols: cols, pairs: pairs, titles: loadTitles(path)}
	// The pinyin vocabulary takes a moment on large indexes: build it now,
	// in the background, rather than on the first pinyin query.
	e.vocabLater(g)
	return g, nil
}

// watch polls CURRENT and switches to a newer generation.
func (e *Engine) watch(every time.Duration) {
	defer close(e.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-e.stop:
			return
		case <-t.C:
			if err := e.Reload(); err != nil {
				e.log.Warn("index reload failed; still serving the current generation", "err", err)
			}
		}
	}
}

// Reload switches to the generation named in CURRENT if it differs from the
// one being served.
func (e *Engine) Reload() error {
	raw, err := os.ReadFile(filepath.Join(e.dir, schema.CurrentFile))
	if err != nil {
		return err
	}
	name := strings.TrimSpace(string(raw))
	e.mu.Lock()
	defer e.mu.Unlock()
	// A live engine applies no write while it switches: the new
	// generation replays the write log up to its end, then takes the
	// writes that follow.
	e.live.mu.Lock()
	defer e.live.mu.Unlock()
	old := e.cur.Load()
	if old != nil && old.name == name {
		return nil
	}
	g, err := e.openCurrent()
	if err != nil {
		return err
	}
	e.cur.Store(g)
	if old != nil {
		old.retire()
	}
	e.log.Info("switched index generation", "generation", g.name, "documents", g.meta.Articles)
	return nil
}

// acquire returns the current generation with a reference held.
func (e *Engine) acquire() (*generation, error) {
	for i := 0; i < 100; i++ {
		g := e.cur.Load()
		if g == nil {
			return nil, errs.Errorf(errs.Unavailable, "no_index", "no index is open")
		}
		if g.acquire() {
			return g, nil
		}
	}
	return nil, errs.Errorf(errs.Unavailable, "no_index", "index is being switched")
}

// Info returns what is being served.
func (e *Engine) Info() search.Info {
	g := e.cur.Load()
	if g == nil {
		return search.Info{}
	}
	docs := g.meta.Articles
	if g.snap != nil {
		docs = len(g.cols.docs)
	}
	return search.Info{Generation: g.name, Documents: docs, Districts: g.meta.Districts, Topics: g.meta.Topics}
}

// Article returns one article by id.
func (e *Engine) Article(ctx context.Context, id string) (*schema.Article, error) {
	if id == "" || len(id) > store.MaxIDLen {
		return nil, errs.Errorf(errs.NotFound, "not_found", "no article with this id")
	}
	g, err := e.acquire()
	if err != nil {
		return nil, err
	}
	defer g.release()
	a, err := g.article(id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errs.Errorf(errs.NotFound, "not_found", "no article with this id")
	}
	if err != nil {
		return nil, &errs.Error{Kind: errs.Internal, Code: "internal", Message: "reading the article failed", Err: err}
	}
	return a, nil
}

// Close stops watching and closes the index.
func (e *Engine) Close() error {
	select {
	case <-e.stop:
	default:
		close(e.stop)
	}
	<-e.done
	func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.live.mu.Lock()
		defer e.live.mu.Unlock()
		if g := e.cur.Swap(nil); g != nil {
			g.retire()
		}
	}()
	// A vocabulary still being built holds its generation open: the index
	// is closed when it ends. (No build starts now: no generation is
	// current.)
	e.vocabs.Wait()
	return nil
}

// vocabLater builds g's vocabulary in the background (Close waits for it).
func (e *Engine) vocabLater(g *generation) {
	e.vocabs.Add(1)
	go func() {
		defer e.vocabs.Done()
		g.vocabOf()
	}()
}
