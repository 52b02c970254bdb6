package embedded

import (
	"context"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

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
	out := &docSet{}
	for n := 0; ; n++ {
		if n&1023 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		dm, err := sr.Next(sctx)
		if err != nil {
			return nil, err
		}
		if dm == nil {
			break
		}
		if d := docNum(dm.IndexInternalID); s.has(d) {
			out.add(d)
		}
		sctx.DocumentMatchPool.Put(dm)
	}
	if out.n == 0 {
		return nil, nil
	}
	return out, nil
}
