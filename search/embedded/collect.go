package embedded

import (
	"container/heap"
	"context"
	"encoding/binary"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/govbulletin/bulletin/search"
)

// collected is what one pass over the matches of a query gives.
type collected struct {
	total  uint64
	ids    []string  // the best k, in order
	scores []float64 // their scores
	facets *facetCounter
}

// match is one kept hit.
type match struct {
	doc   uint64
	score float64
	rank  uint32 // the place in the listing order: by date, then id (columns.rank)
	exact bool   // the document may hold the query as typed (pair sets)
}

// topK keeps the best k matches; the root of the heap is the worst kept.
type topK struct {
	k      int
	byDate bool
	ms     []match
}

// better orders matches: by date, newest first; or those that may hold the
// query as typed first, then by score, then newer first. Ties go to the
// lower article id (rank is by date, then id), so the order is total and
// the same in every view of the index and in both engines.
func (t *topK) better(a, b match) bool {
	if !t.byDate {
		if a.exact != b.exact {
			return a.exact
		}
		if a.score != b.score {
			return a.score > b.score
		}
	}
	return a.rank < b.rank
}

func (t *topK) Len() int           { return len(t.ms) }
func (t *topK) Less(i, j int) bool { return t.better(t.ms[j], t.ms[i]) }
func (t *topK) Swap(i, j int)      { t.ms[i], t.ms[j] = t.ms[j], t.ms[i] }
func (t *topK) Push(x any)         { t.ms = append(t.ms, x.(match)) }
func (t *topK) Pop() any {
	m := t.ms[len(t.ms)-1]
	t.ms = t.ms[:len(t.ms)-1]
	return m
}

func (t *topK) offer(m match) {
	switch {
	case t.k <= 0:
	case len(t.ms) < t.k:
		heap.Push(t, m)
	case t.better(m, t.ms[0]):
		t.ms[0] = m
		heap.Fix(t, 0)
	}
}

// sorted returns the kept matches, best first.
func (t *topK) sorted() []match {
	out := make([]match, len(t.ms))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(t).(match)
	}
	return out
}

// collect walks every match of q (nil: every document) once, and every
// document of exact that q did not match: it applies the filters, counts
// the disjunctive facets (when facets is true) and keeps the best k
// matches, those of exact first (by relevance). byDate orders newest
// first, then by id. With q nil, the documents are walked in that order, so that
// without facets and total (total false: the caller knows it) the walk
// stops at the k-th hit. With onlyExact, the match set is exact alone: q
// only scores its documents.
func (g *generation) collect(ctx context.Context, q query.Query, exact *docSet, onlyExact bool, f search.Filters, k int, byDate, facets, total bool) (*collected, error) {
	c := g.cols
	fs := c.resolve(f)
	out := &collected{}
	if facets {
		out.facets = newFacetCounter(c)
	}
	top := &topK{k: k, byDate: byDate}
	var seen docSet // documents of exact already visited
	if exact != nil {
		seen.words = make([]uint64, len(exact.words))
	}
	visit := func(doc uint64, score float64) {
		isExact := exact.has(doc)
		if onlyExact && !isExact {
			return
		}
		if isExact {
			seen.add(doc)
		}
		bad := c.failing(&fs, doc)
		if facets {
			out.facets.add(c, doc, bad)
		}
		if bad != 0 {
			return
		}
		out.total++
		top.offer(match{doc, score, c.rankOf(doc), isExact})
	}

	r, done, err := g.reader()
	if err != nil {
		return nil, err
	}
	defer done()

	switch {
	case q == nil && !facets && !total && byDate:
		// In listing order: the first k are the hits.
		for i, doc := range c.docs {
			if i&4095 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			visit(doc, 0)
			if len(top.ms) >= k {
				break
			}
		}
	case q == nil:
		// Every document: in number order, which reads the columns in
		// order (listing order jumps about among articles of one date).
		for doc, rank := range c.rank {
			if doc&4095 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if rank != noRank {
				visit(uint64(doc), 0)
			}
		}
	default:
		s, err := q.Searcher(ctx, r, g.index.Mapping(), bsearch.SearcherOptions{})
		if err != nil {
			return nil, err
		}
		defer s.Close()
		sctx := &bsearch.SearchContext{
			DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0),
			IndexReader:       r,
		}
		for n := 0; ; n++ {
			if n&1023 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			dm, err := s.Next(sctx)
			if err != nil {
				return nil, err
			}
			if dm == nil {
				break
			}
			visit(docNum(dm.IndexInternalID), dm.Score)
			sctx.DocumentMatchPool.Put(dm)
		}
		if exact != nil && seen.n < exact.n {
			exact.each(func(d uint64) {
				if !seen.has(d) {
					visit(d, 0)
				}
			})
		}
	}

	id := make(index.IndexInternalID, 8)
	for _, m := range top.sorted() {
		binary.BigEndian.PutUint64(id, m.doc)
		ext, err := r.ExternalID(id)
		if err != nil {
			return nil, err
		}
		out.ids = append(out.ids, ext)
		out.scores = append(out.scores, m.score)
	}
	return out, nil
}
