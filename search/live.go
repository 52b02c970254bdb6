package search

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/mozillazg/go-pinyin"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/store"
	"github.com/govbulletin/bulletin/internal/errs"
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
	baseVocab *Vocab
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

// overlay holds the articles written since the generation was built and
// the ids deleted. Safe for concurrent use.
//
// Two locks, so that a search reading articles (get) never waits for the
// pair sets of a bulk piece being added: mu guards the articles, pmu the
// pairs (see apply).
type overlay struct {
	mu      sync.RWMutex
	arts    map[string]*schema.Article
	deleted map[string]bool
	titles  map[string]string // normalised title → title, of written articles
	pmu     sync.RWMutex
	pairs   writtenPairs // the Han pairs of the written articles (livepairs.go)
}

func newOverlay() *overlay {
	return &overlay{arts: map[string]*schema.Article{}, deleted: map[string]bool{}, titles: map[string]string{}, pairs: newWrittenPairs()}
}

func (o *overlay) apply(arts []*schema.Article, deletes []string) {
	// The pairs, new and old, are worked out before the locks: searches
	// read the overlay meanwhile. Applies are serialised (the engine's live
	// lock), so the articles they replace do not change in between.
	keys := make([][]analysis.PairKey, len(arts))
	for i, a := range arts {
		keys[i] = articlePairs(a)
	}
	o.mu.RLock()
	var olds []*schema.Article
	for _, a := range arts {
		if old := o.arts[a.ID]; old != nil {
			olds = append(olds, old)
		}
	}
	for _, id := range deletes {
		if old := o.arts[id]; old != nil {
			olds = append(olds, old)
		}
	}
	o.mu.RUnlock()
	oldKeys := make(map[string][]analysis.PairKey, len(olds))
	for _, old := range olds {
		oldKeys[old.ID] = articlePairs(old)
	}

	// The pair sets are updated an article at a time, each under its own
	// short hold of pmu: a bulk piece adds hundreds of thousands of pairs,
	// and the searches of the view before (holding) must not wait for all
	// of them. Such a search sees part of the piece meanwhile, as it sees
	// all of it once applied: its view's numbering decides (a slot written
	// after the view is not numbered), and the page's check against the
	// text drops a candidate that does not hold the query.
	for i, a := range arts {
		o.pmu.Lock()
		if ks, ok := oldKeys[a.ID]; ok {
			o.pairs.remove(a.ID, ks)
		}
		o.pairs.add(a.ID, keys[i])
		o.pmu.Unlock()
		oldKeys[a.ID] = keys[i] // the same id again in this apply replaces this one
	}
	for _, id := range deletes {
		if ks, ok := oldKeys[id]; ok {
			o.pmu.Lock()
			o.pairs.remove(id, ks)
			o.pmu.Unlock()
			delete(oldKeys, id)
		}
	}

	o.mu.Lock()
	defer o.mu.Unlock()
	for _, a := range arts {
		if old := o.arts[a.ID]; old != nil {
			delete(o.titles, analysis.Normalize(old.Title))
		}
		o.arts[a.ID] = a
		delete(o.deleted, a.ID)
		if t := strings.Join(strings.Fields(a.Title), " "); t != "" {
			o.titles[analysis.Normalize(t)] = t
		}
	}
	for _, id := range deletes {
		if old := o.arts[id]; old != nil {
			delete(o.titles, analysis.Normalize(old.Title))
		}
		delete(o.arts, id)
		o.deleted[id] = true
	}
}

// get returns the overlay's article, or known=false when the store decides.
func (o *overlay) get(id string) (a *schema.Article, known bool) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	if o.deleted[id] {
		return nil, true
	}
	if a, ok := o.arts[id]; ok {
		return a, true
	}
	return nil, false
}

func (o *overlay) titlesWithPrefix(p string, n int) []string {
	o.mu.RLock()
	defer o.mu.RUnlock()
	var out []string
	for norm, t := range o.titles {
		if strings.HasPrefix(norm, p) {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// touched reports whether a write replaced or deleted id; o.mu is held.
func (o *overlay) touched(id string) bool {
	_, written := o.arts[id]
	return written || o.deleted[id]
}

// holding returns the documents of the generation that may hold the Han
// pairs keys (a query as typed, see pairIndex.holding): for a live view,
// the build's articles that no write touched and the written ones.
func (g *generation) holding(keys []analysis.PairKey) *docSet {
	s := g.pairs.holding(keys)
	if g.overlay == nil || len(keys) == 0 {
		return s
	}
	if s == nil {
		s = &docSet{}
	}
	g.overlay.pmu.RLock()
	g.overlay.pairs.addHolding(s, keys, g.written)
	g.overlay.pmu.RUnlock()
	if s.n == 0 {
		return nil
	}
	return s
}

// articleGetter reads articles by id.
type articleGetter interface {
	GetMany(ids []string) ([]*schema.Article, error)
}

// article returns one article of the generation: written, deleted, or
// from the store.
func (g *generation) article(id string) (*schema.Article, error) {
	if g.overlay != nil {
		if a, known := g.overlay.get(id); known {
			if a == nil {
				return nil, store.ErrNotFound
			}
			return a, nil
		}
	}
	return g.store.Get(id)
}

// GetMany returns the articles of ids in order (nil where unknown).
func (g *generation) GetMany(ids []string) ([]*schema.Article, error) {
	if g.overlay == nil {
		return g.store.GetMany(ids)
	}
	out := make([]*schema.Article, len(ids))
	var rest []string
	var at []int
	for i, id := range ids {
		if a, known := g.overlay.get(id); known {
			out[i] = a
			continue
		}
		rest, at = append(rest, id), append(at, i)
	}
	if len(rest) > 0 {
		arts, err := g.store.GetMany(rest)
		if err != nil {
			return nil, err
		}
		for k, a := range arts {
			out[at[k]] = a
		}
	}
	return out, nil
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

// genApplier applies writes to one generation (while it opens).
type genApplier struct {
	e *Engine
	g *generation
}

func (a genApplier) Apply(docs []*document.Document, arts []*schema.Article, deletes []string) error {
	return a.e.applyTo(a.g, docs, arts, deletes)
}

func (a genApplier) Has(id string) bool { return a.g.holds(id) }

func (a genApplier) Segmenter() *analysis.Segmenter { return a.g.seg }

// Segmenter is the segmenter of the generation being served (its
// dictionary): written articles are cut with it.
func (e *Engine) Segmenter() *analysis.Segmenter {
	if g := e.cur.Load(); g != nil {
		return g.seg
	}
	return nil
}

// Apply makes written articles and deletions visible to searches within a
// second: it indexes them in the generation being served and schedules a
// new view. The caller has made them durable (the write log).
func (e *Engine) Apply(docs []*document.Document, arts []*schema.Article, deletes []string) error {
	if e.live.opts == nil {
		return errs.Errorf(errs.Forbidden, "read_only", "this index does not take writes")
	}
	// The versions this write replaces or deletes are read and cut before
	// the live lock (writes wait for it); applyTo redoes only those that
	// another write changed meanwhile.
	prior, err := priorVersionsOf(e.cur.Load(), append(articleIDs(arts), deletes...))
	if err != nil {
		return err
	}
	e.live.mu.Lock()
	defer e.live.mu.Unlock()
	g := e.cur.Load()
	if g == nil || g.shared == nil {
		return errs.Errorf(errs.Unavailable, "no_index", "no index is open")
	}
	return e.applyWith(g, docs, arts, deletes, prior)
}

// priorVersions are the versions of articles that a write replaces or
// deletes, as a live generation's overlay had them when they were read,
// and their vocabulary words.
type priorVersions struct {
	overlay *overlay
	seen    map[string]overlaid
	words   map[string]struct{}
}

// overlaid is what an overlay says of an id: known (written or deleted
// since the build; a is nil when deleted), or not (the build's article).
type overlaid struct {
	a     *schema.Article
	known bool
}

// seenAs is what the overlay said of id when p read it.
func (p *priorVersions) seenAs(id string) (overlaid, bool) {
	if p == nil {
		return overlaid{}, false
	}
	o, ok := p.seen[id]
	return o, ok
}

// priorVersionsOf reads and cuts the versions of ids that g holds; nil
// when g is not a live generation. A store that cannot be read is an
// error: an article it holds is not taken for a new one.
func priorVersionsOf(g *generation, ids []string) (*priorVersions, error) {
	if g == nil || g.overlay == nil {
		return nil, nil
	}
	p := &priorVersions{overlay: g.overlay, seen: make(map[string]overlaid, len(ids)), words: map[string]struct{}{}}
	for _, id := range ids {
		a, known := g.overlay.get(id)
		p.seen[id] = overlaid{a, known}
		if !known {
			var err error
			if a, err = g.builtVersion(id); err != nil {
				return nil, err
			}
		}
		if a != nil {
			vocabWordsOf(g.seg, a, p.words)
		}
	}
	return p, nil
}

// builtVersion returns the build's version of id: nil when the build has
// no article with this id; an error when the store cannot be read.
func (g *generation) builtVersion(id string) (*schema.Article, error) {
	a, err := g.store.Get(id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading article %q from the store: %w", id, err)
	}
	return a, nil
}

// Has reports whether the index holds an article with this id. An article
// that cannot be read (the store fails) is reported held, and the failure
// logged: a deletion of it then goes ahead (deleting an article that is
// not there changes nothing), rather than being answered "not found".
func (e *Engine) Has(id string) bool {
	g, err := e.acquire()
	if err != nil {
		return false
	}
	defer g.release()
	return g.holds(id)
}

// holds is has for the Has of an applier (see Engine.Has).
func (g *generation) holds(id string) bool {
	ok, err := g.has(id)
	if err != nil {
		g.log.Error("reading an article failed; taking it as held", "err", err)
		return true
	}
	return ok
}

// has reports whether the generation holds an article with this id; an
// error reading the store is returned, not taken for "no such article".
func (g *generation) has(id string) (bool, error) {
	a, err := g.article(id)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return a != nil, nil
}

func (e *Engine) applyTo(g *generation, docs []*document.Document, arts []*schema.Article, deletes []string) error {
	return e.applyWith(g, docs, arts, deletes, nil)
}

// applyWith is applyTo with the versions replaced or deleted read already
// (prior, may be nil); e.live.mu is held.
func (e *Engine) applyWith(g *generation, docs []*document.Document, arts []*schema.Article, deletes []string, prior *priorVersions) error {
	if e.live.touched == nil {
		e.live.touched = map[string]struct{}{}
		e.live.since = time.Now()
	}
	// The words of the versions that this write replaces or deletes: their
	// counts fall (see liveVocab). Words of a version read before the lock
	// that another write replaced meanwhile are counted anew too: harmless.
	if prior != nil && prior.overlay == g.overlay {
		for w := range prior.words {
			e.live.touched[w] = struct{}{}
		}
	} else {
		prior = nil
	}
	for _, id := range append(articleIDs(arts), deletes...) {
		a, known := g.overlay.get(id)
		if seen, ok := prior.seenAs(id); ok && seen == (overlaid{a, known}) {
			continue // read before the lock, unchanged since
		}
		if !known {
			var err error
			if a, err = g.builtVersion(id); err != nil {
				return err
			}
		}
		if a != nil {
			vocabWordsOf(g.seg, a, e.live.touched)
		}
	}
	b := g.index.NewBatch()
	for _, d := range docs {
		if err := b.IndexAdvanced(d); err != nil {
			return err
		}
	}
	for _, id := range deletes {
		b.Delete(id)
	}
	if err := g.index.Batch(b); err != nil {
		return err
	}
	g.overlay.apply(arts, deletes)
	for _, d := range docs {
		for _, f := range d.Fields {
			if f.Name() != schema.FieldBody { // the body field holds the title's words too
				continue
			}
			for term := range f.AnalyzedTokenFrequencies() {
				if isVocabWord(term) {
					e.live.touched[term] = struct{}{}
				}
			}
		}
	}
	select {
	case e.live.dirty <- struct{}{}:
	default:
	}
	return nil
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
func (g *generation) builtVocab() *Vocab {
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
func (g *generation) liveVocab() (*Vocab, error) {
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

// Update returns the vocabulary with the document frequencies of df (a
// word at 0 leaves it); v is not changed.
func (v *Vocab) Update(df map[string]uint64) *Vocab {
	if len(df) == 0 {
		return v
	}
	nv := &Vocab{full: copyMap(v.full), fuzzy: copyMap(v.fuzzy), initials: copyMap(v.initials), df: make(map[string]uint64, len(v.df)+len(df)), maxKey: v.maxKey}
	for k, n := range v.df {
		nv.df[k] = n
	}
	args := pinyin.NewArgs()
	args.Heteronym = true
	for w, n := range df {
		if !isVocabWord(w) || nv.df[w] == n {
			continue
		}
		if n == 0 {
			delete(nv.df, w)
		} else {
			nv.df[w] = n
		}
		for _, r := range readings(w, args) {
			full := strings.Join(r, "")
			var ini strings.Builder
			for _, syl := range r {
				ini.WriteByte(syl[0])
			}
			for _, kv := range []struct {
				m map[string][]vterm
				k string
			}{{nv.full, full}, {nv.fuzzy, fuzzyKey(r)}, {nv.initials, ini.String()}} {
				ts := make([]vterm, 0, len(kv.m[kv.k])+1)
				for _, t := range kv.m[kv.k] {
					if t.word != w {
						ts = append(ts, t)
					}
				}
				if n > 0 {
					ts = append(ts, vterm{w, n})
				}
				sortTerms(ts)
				if len(ts) == 0 {
					delete(kv.m, kv.k)
				} else {
					kv.m[kv.k] = ts
				}
			}
			if len(full) > nv.maxKey {
				nv.maxKey = len(full)
			}
		}
	}
	return nv
}

func copyMap(m map[string][]vterm) map[string][]vterm {
	out := make(map[string][]vterm, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
