package search

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/internal/errs"
)

// rerankWindow is how many top hits are checked against the article text
// for the exact phrase and reordered: exact phrase in the title, then in
// the body, then the rest; within each, by score, then newer first, then
// by id. The window is the same for every page: the order of the hits is
// the top rerankWindow reranked, then the rest as collected (see
// windowed), and a page, whatever its size, is a slice of that one order,
// so that pages never overlap nor skip a hit.
const rerankWindow = 30

// windowed says how a page from..from+size of a relevance search reads
// the order of the hits: k, how many of the best to collect, and rerank,
// whether the first rerankWindow of them are reranked. A page that reaches
// into the window collects at least the window (its order depends on the
// whole window) and, when it reaches past it, the hits up to its end; a
// page entirely past the window reads the collected order, which the
// rerank leaves as it is there.
func windowed(from, size int, reorder bool) (k int, rerank bool) {
	k = from + size
	if !reorder || from >= rerankWindow {
		return k, false
	}
	return max(k, rerankWindow), true
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func round(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }

// result is the page of hits of one run, with its facet counts.
type result struct {
	Total  uint64
	ids    []string
	scores []float64
	arts   []*schema.Article // the articles of ids when the run read them (rerank), else nil
	facets map[string][]Facet
}

// run walks the matches of base once (see collect): the page of hits, the
// total and the disjunctive facet counts; then it reranks the first
// rerankWindow hits by exact phrase. Facet counts of filter-only requests
// (empty q) change only with the index and are cached per generation.
func (e *Engine) run(ctx context.Context, g *generation, base query.Query, exact *docSet, f filters, req Request, aq analysedQuery) (*result, error) {
	from := (req.Page - 1) * req.Size
	k, rerank := windowed(from, req.Size, req.Sort == "relevance" && len(aq.words) > 0 && !aq.singleTerm())
	cacheKey := ""
	var cached filterCounts
	var isCached bool
	if base == nil {
		cacheKey = f.key()
		cached, isCached = g.cache.get(cacheKey)
	}
	col, err := g.collect(ctx, base, exact, f, k, req.Sort == "date" || base == nil, !isCached, !isCached)
	if err != nil {
		return nil, searchErr(ctx, err)
	}
	out := &result{Total: col.total, ids: col.ids, scores: col.scores, facets: cached.facets}
	if isCached {
		out.Total = cached.total
	} else {
		out.facets = col.facets.result(g.cols)
		if base == nil {
			g.cache.put(cacheKey, filterCounts{out.facets, col.total})
		}
	}
	if rerank {
		if err := rerankPhrase(g, aq.phrase, out); err != nil {
			return nil, err
		}
	}
	lo, hi := min(from, len(out.ids)), min(from+req.Size, len(out.ids))
	out.ids, out.scores = out.ids[lo:hi], out.scores[lo:hi]
	if out.arts != nil {
		if hi > len(out.arts) {
			out.arts = nil // the page reaches past the window: read by ids
		} else {
			out.arts = out.arts[lo:hi]
		}
	}
	return out, nil
}

// count returns how many documents match q or are in exact, under the
// filters.
func (e *Engine) count(ctx context.Context, g *generation, q query.Query, exact *docSet, f filters) (uint64, error) {
	col, err := g.collect(ctx, q, exact, f, 0, false, false, true)
	if err != nil {
		return 0, searchErr(ctx, err)
	}
	return col.total, nil
}

// rerankPhrase moves, among the first rerankWindow hits, those that hold
// the exact phrase to the front: those with it in the title first, then in
// the body; order is kept otherwise, and past the window. r.arts becomes
// the articles of the window.
func rerankPhrase(st articleGetter, phrase string, r *result) error {
	n := min(len(r.ids), rerankWindow)
	arts, err := st.GetMany(r.ids[:n])
	if err != nil {
		return &errs.Error{Kind: errs.Internal, Code: "internal", Message: "reading articles failed", Err: err}
	}
	idx := phraseOrder(phrase, arts)
	ids := slices.Clone(r.ids)
	scores := slices.Clone(r.scores)
	sorted := make([]*schema.Article, n)
	for k, i := range idx {
		ids[k], scores[k], sorted[k] = r.ids[i], r.scores[i], arts[i]
	}
	r.ids, r.scores, r.arts = ids, scores, sorted
	return nil
}

// phraseOrder is the order of the phrase rerank, as indexes into arts:
// hits holding the exact phrase in the title first, then in the body, then
// the others; within each, the order given (as collected: the pair group
// first, then by score, then newer first, then by id), so that the rerank
// never puts an article holding the words apart before one of the pair
// group. A nil article holds nothing.
func phraseOrder(phrase string, arts []*schema.Article) []int {
	tier := make([]int, len(arts))
	for i, a := range arts {
		if a == nil {
			continue
		}
		switch {
		case strings.Contains(analysis.Normalize(a.Title), phrase):
			tier[i] = 2
		case strings.Contains(analysis.Normalize(a.Body), phrase):
			tier[i] = 1
		}
	}
	idx := make([]int, len(arts))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return tier[idx[a]] > tier[idx[b]] })
	return idx
}

// searchErr maps a bleve error, distinguishing an expired deadline.
func searchErr(ctx context.Context, err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &errs.Error{Kind: errs.Unavailable, Code: "timeout", Message: "the search took too long", Err: err}
	}
	if errors.Is(err, context.Canceled) {
		return &errs.Error{Kind: errs.Unavailable, Code: "canceled", Message: "the search was canceled", Err: err}
	}
	return &errs.Error{Kind: errs.Internal, Code: "internal", Message: "the search failed", Err: err}
}
