package embedded

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/search"
)

// A live engine takes writes between full builds. The generation is opened
// for writing (bleve's scorch: a batch becomes a new in-memory segment at
// once, is persisted and merged with the others in the background) and
// the article store gets an overlay of the articles written since the
// build (and of the ids deleted). Searches read a view: a snapshot of the
// index with the facet columns of that snapshot. After a write a new view
// is made (within refreshDelay plus the time to read the columns) and
// swapped in like a generation; requests in flight finish on the old one.
//
// Durability is the write log's (indexer.Live): a write is logged and
// synced before Apply; when a generation opens, Options.Live.Replay applies
// the log from where the generation's build stopped reading it.

// refreshDelay and maxRefreshDelay bound how long a new view waits for
// more writes to gather (see refresher).
const (
	refreshDelay    = 50 * time.Millisecond
	maxRefreshDelay = 600 * time.Millisecond
	// yieldViews is the longest a view waits for running searches.
	yieldViews = 50 * time.Millisecond
)

// LiveOptions make an engine take writes.
type LiveOptions struct {
	// Replay applies the write log's records numbered after held
	// (schema.Meta.LogHeld) through a. It is called while a generation
	// opens, before searches see it.
	Replay func(held int64, a LiveApplier) error
}

// LiveApplier applies written articles (see indexer.Applier).
type LiveApplier interface {
	Apply(docs []*document.Document, arts []*schema.Article, deletes []string) error
	Has(id string) bool
	Segmenter() *analysis.Segmenter
}

// liveEngine is the write side of an Engine.
type liveEngine struct {
	opts    *LiveOptions
	mu      sync.Mutex // serialises applying and swapping views
	dirty   chan struct{}
	touched map[string]struct{} // vocabulary words of the articles written, replaced or deleted since the view
	since   time.Time           // the first write the current view does not show
	lag     atomic.Int64        // nanoseconds from a write being applied to a view showing it, last one
	cost    atomic.Int64        // nanoseconds the last view took to make
	running atomic.Int64        // searches running now (see YieldToSearches)
	started sync.Once
}

// searchRunning counts a search until the function it returns is called.
func (e *Engine) searchRunning() func() {
	e.live.running.Add(1)
	return func() { e.live.running.Add(-1) }
}

// YieldToSearches waits, at most max, until no search is running: the
// analysis of written articles gives the cores to searches first, so that
// queries keep their speed while a bulk load streams in.
func (e *Engine) YieldToSearches(max time.Duration) {
	if e.live.running.Load() == 0 {
		return
	}
	deadline := time.Now().Add(max)
	for e.live.running.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Microsecond)
	}
}

// ViewCost is how long the last view took to make.
func (e *Engine) ViewCost() time.Duration { return time.Duration(e.live.cost.Load()) }

// VisibilityLag is how long the last write applied waited for a view that
// shows it (0 before the first write).
func (e *Engine) VisibilityLag() time.Duration { return time.Duration(e.live.lag.Load()) }

// liveGen is what a generation that takes writes has beyond a read-only one.
type liveGen struct {
	snap    index.IndexReader // the snapshot this view searches; nil when read-only
	shared  *sharedIndex      // the writable index, shared by the views of the generation
	overlay *overlay
	// The pinyin vocabulary of a view is its parent view's with the words
	// that writes since touched counted anew in the view (built on first
	// use, see vocabOf and liveVocab).
	baseVocab *search.Vocab
	touched   map[string]struct{}
	// The Ctrl-F guarantee of a live generation: basePairs are the pair
	// sets of its build, not numbered (each view's pairs are basePairs
	// remapped to its snapshot); written numbers the written articles of
	// the overlay in this view's snapshot (see overlay.pairs).
	basePairs *pairIndex
	baseNums  map[string]uint32 // basePairs' article numbers by id
	written   []uint64          // written article slot (writtenPairs) → document (noDoc: none)
}

// sharedIndex closes the generation's index and store with its last view.
type sharedIndex struct {
	refs  atomic.Int64
	close func()
}

func (s *sharedIndex) release() {
	if s.refs.Add(-1) == 0 {
		s.close()
	}
}

// openConfig is how a generation's bleve index is opened: read-only, or
// for writing when the engine is live. A write's durability comes from the
// write log, so batches do not wait for bleve to persist them.
func (e *Engine) openConfig() map[string]interface{} {
	if e.live.opts != nil {
		return map[string]interface{}{"bolt_timeout": "2s", "unsafe_batch": true}
	}
	return map[string]interface{}{"read_only": true, "bolt_timeout": "2s"}
}

// openLive finishes opening a generation for writing: it replays the write
// log from where the generation's build stopped, then makes its first view.
func (e *Engine) openLive(g *generation) (*generation, error) {
	idx, st, pairs := g.index, g.store, g.basePairs
	g.shared = &sharedIndex{close: func() { idx.Close(); st.Close(); pairs.close() }}
	g.shared.refs.Add(1)
	g.overlay = newOverlay()
	e.live.started.Do(func() {
		e.live.dirty = make(chan struct{}, 1)
		go e.refresher()
	})
	if e.live.opts.Replay != nil {
		if err := e.live.opts.Replay(g.meta.LogHeld(), genApplier{e, g}); err != nil {
			g.shared.release()
			return nil, fmt.Errorf("replay the write log: %w", err)
		}
	}
	v, err := g.view(nil)
	if err != nil {
		g.shared.release()
		return nil, err
	}
	g.shared.release() // the view holds the index now
	e.vocabLater(v)
	return v, nil
}

// view makes a new view of a live generation: a snapshot, its columns, and
// the vocabulary of the parent view plus the terms written since.
func (g *generation) view(touched map[string]struct{}) (*generation, error) {
	adv, err := g.index.Advanced()
	if err != nil {
		return nil, err
	}
	snap, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	cols, err := loadColumnsFrom(snap)
	if err != nil {
		snap.Close()
		return nil, err
	}
	// The pair sets numbered as this snapshot numbers the articles. The
	// overlay matches the snapshot: writes are applied, and views made,
	// under the engine's live lock.
	pairs, written, err := liveNumbering(snap, g.basePairs, g.baseNums, g.overlay)
	if err != nil {
		snap.Close()
		return nil, err
	}
	g.overlay.pmu.Lock()
	g.overlay.pairs.reuse()
	g.overlay.pmu.Unlock()
	v := &generation{name: g.name, log: g.log, meta: g.meta, seg: g.seg, index: g.index, store: g.store, cache: newFacetCache(), cols: cols, titles: g.titles, pairs: pairs}
	v.snap, v.shared, v.overlay = snap, g.shared, g.overlay
	v.basePairs, v.baseNums, v.written = g.basePairs, g.baseNums, written
	g.shared.refs.Add(1)
	// The new view's vocabulary: the parent's (built, or its base) plus
	// what was written since.
	if pv := g.builtVocab(); pv != nil {
		v.baseVocab, v.touched = pv, touched
	} else if g.baseVocab != nil {
		v.baseVocab, v.touched = g.baseVocab, mergeTerms(g.touched, touched)
	}
	return v, nil
}

func mergeTerms(a, b map[string]struct{}) map[string]struct{} {
	if len(a) == 0 {
		return b
	}
	out := make(map[string]struct{}, len(a)+len(b))
	for k := range a {
		out[k] = struct{}{}
	}
	for k := range b {
		out[k] = struct{}{}
	}
	return out
}

// refresher swaps in a new view after writes.
func (e *Engine) refresher() {
	for {
		select {
		case <-e.stop:
			return
		case <-e.live.dirty:
		}
		// Writes gather while the view waits: at least refreshDelay, and
		// four times what the last view took to make (its columns are read
		// from the whole index), so that a stream of writes takes at most a
		// fifth of a core from the searches; at most maxRefreshDelay, so
		// that a write is visible within a second.
		wait := min(max(refreshDelay, 4*time.Duration(e.live.cost.Load())), maxRefreshDelay)
		select {
		case <-e.stop:
			return
		case <-time.After(wait):
		}
		e.YieldToSearches(yieldViews) // a view takes a core for a moment too
		t := time.Now()
		err := e.refresh()
		e.live.cost.Store(int64(time.Since(t)))
		if err != nil {
			e.log.Error("making a new view of the index failed; retrying", "err", err)
			time.Sleep(time.Second)
			select {
			case e.live.dirty <- struct{}{}:
			default:
			}
		}
	}
}

func (e *Engine) refresh() error {
	e.live.mu.Lock()
	defer e.live.mu.Unlock()
	old := e.cur.Load()
	if old == nil || old.shared == nil {
		return nil
	}
	v, err := old.view(e.live.touched)
	if err != nil {
		return err
	}
	if !e.live.since.IsZero() {
		e.live.lag.Store(int64(time.Since(e.live.since)))
	}
	e.live.touched, e.live.since = nil, time.Time{}
	e.cur.Store(v)
	old.retire()
	// The new view's pinyin and typo vocabulary is begun at once, by the
	// writing side, rather than by the first search that needs it.
	e.vocabLater(v)
	return nil
}

// builtVocab is the generation's vocabulary if it has been built.
func (g *generation) builtVocab() *search.Vocab {
	if g.vocabBuilt.Load() {
		return g.vocab
	}
	return nil
}

// articleIDs are the ids of arts.
func articleIDs(arts []*schema.Article) []string {
	ids := make([]string, len(arts))
	for i, a := range arts {
		ids[i] = a.ID
	}
	return ids
}

// liveVocab is the vocabulary of a live view: its parent's, with the
// words that writes since touched counted in the view's snapshot.
func (g *generation) liveVocab() (*search.Vocab, error) {
	if len(g.touched) == 0 {
		return g.baseVocab, nil
	}
	r, done, err := g.reader()
	if err != nil {
		return g.baseVocab, err
	}
	defer done()
	words := make([]string, 0, len(g.touched))
	for w := range g.touched {
		words = append(words, w)
	}
	df, err := docFreqsOf(context.Background(), r, words)
	return g.baseVocab.Update(df), err
}
