package embedded

import (
	"sort"
	"strings"
	"sync"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/store"
)

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
	pairs   writtenPairs // the Han pairs of the written articles (writtenpairs.go)
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
