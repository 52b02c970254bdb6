package embedded

import (
	"errors"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2/document"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/store"
	"github.com/govbulletin/bulletin/internal/errs"
	"github.com/govbulletin/bulletin/search"
)

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
				if search.IsVocabWord(term) {
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
