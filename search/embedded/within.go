package embedded

import (
	"context"
	"encoding/binary"
	"errors"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/govbulletin/bulletin/search"
)

// pairGroup returns the documents of q's pair group: those that may hold
// q.Pairs (holding) and, when q.Within is set, match it too (the other
// requirements and the exclusions of a query with syntax). nil: no group.
// only reports that the group is the whole match set (q.PairsOnly, on a
// generation with pair sets).
func (g *generation) pairGroup(ctx context.Context, q search.Query) (group *docSet, only bool, err error) {
	only = q.PairsOnly && g.pairs != nil && len(q.Pairs) > 0
	s := g.holding(q.Pairs)
	if s == nil || q.Within == nil {
		return s, only, nil
	}
	s, err = g.within(ctx, s, q.Within)
	return s, only, err
}

// errDone ends the walk of within when q has no match left.
var errDone = errors.New("no match left")

// within returns the documents of s that q matches, nil when none.
func (g *generation) within(ctx context.Context, s *docSet, q query.Query) (*docSet, error) {
	r, done, err := g.reader()
	if err != nil {
		return nil, err
	}
	defer done()
	sr, err := q.Searcher(ctx, r, g.index.Mapping(), bsearch.SearcherOptions{})
	if err != nil {
		return nil, err
	}
	defer sr.Close()
	sctx := &bsearch.SearchContext{
		DocumentMatchPool: bsearch.NewDocumentMatchPool(sr.DocumentMatchPoolSize(), 0),
		IndexReader:       r,
	}
	// Leap from one document of s to the next (Advance): the cost is
	// that of s, not of every match of q (an exclusion alone matches
	// nearly every article).
	out := &docSet{}
	id := make(index.IndexInternalID, 8)
	var at *bsearch.DocumentMatch
	n := 0
	s.each(func(d uint64) {
		if err != nil {
			return
		}
		if n++; n&1023 == 0 && ctx.Err() != nil {
			err = ctx.Err()
			return
		}
		if at == nil || docNum(at.IndexInternalID) < d {
			if at != nil {
				sctx.DocumentMatchPool.Put(at)
			}
			binary.BigEndian.PutUint64(id, d)
			if at, err = sr.Advance(sctx, id); err != nil {
				return
			}
			if at == nil {
				err = errDone
				return
			}
		}
		if docNum(at.IndexInternalID) == d {
			out.add(d)
		}
	})
	if err != nil && !errors.Is(err, errDone) {
		return nil, err
	}
	if out.n == 0 {
		return nil, nil
	}
	return out, nil
}
