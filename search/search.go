package search

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
)

// rerankWindow is how many top hits are checked against the article text
// for the exact phrase and reordered: exact phrase in the title, then in
// the body, then the rest; within each, by score, then newer first. The
// window is the same for every page, so pages never overlap.
const rerankWindow = 30

// Search runs one search.
func (e *Engine) Search(ctx context.Context, req Request) (*Response, error) {
	start := time.Now()
	if err := req.Normalize(); err != nil {
		return nil, err
	}
	defer e.searchRunning()()
	g, err := e.acquire()
	if err != nil {
		return nil, err
	}
	defer g.release()

	f := filters{districts: req.Districts, topics: req.Topics, years: req.Years, from: req.DateFrom, to: req.DateTo}
	resp := &Response{Query: req.Query, Page: req.Page, Size: req.Size, Hits: []Hit{}}
	aq := e.analyse(g.seg, req.Query)
	res, exactTotal, err := e.runText(ctx, g, aq, f, req, resp)
	if err != nil {
		return nil, err
	}
	if len(aq.words) > 0 && exactTotal < minGoodResults {
		// A pinyin query finds what its characters find; a probable typo
		// gets a did_you_mean, and its results when it found nothing.
		alt := ""
		if isPinyinQuery(req.Query) {
			alt = g.vocabOf().fromPinyin(req.Query)
		} else if dym, _ := e.didYouMean(ctx, g, aq, exactTotal, f); dym != "" {
			resp.DidYouMean = dym
			if res.Total == 0 {
				alt = dym
			}
		}
		if alt != "" && res.Total == 0 {
			aq = e.analyse(g.seg, alt)
			resp.Relaxed = false
			if res, _, err = e.runText(ctx, g, aq, f, req, resp); err != nil {
				return nil, err
			}
		}
	}
	resp.Total = res.Total
	if res.Total > 0 && req.Page == 1 && len(aq.words) > 0 && resp.DidYouMean == "" && !isPinyinQuery(req.Query) {
		e.queries.record(req.Query)
	}

	resp.Facets = res.facets

	arts := res.arts // read already when reranked
	if arts == nil {
		if arts, err = g.GetMany(res.ids); err != nil {
			return nil, &Error{Kind: Internal, Code: "internal", Message: "reading articles failed", Err: err}
		}
	}
	marks := highlightTerms(aq)
	for i, a := range arts {
		if a == nil {
			continue
		}
		resp.Hits = append(resp.Hits, Hit{
			ID: a.ID, Title: a.Title, Date: a.Date, Year: a.Year,
			Districts: nonNil(a.Districts), Topics: nonNil(a.Topics), Source: a.Source, URL: a.URL,
			Snippet: Snippet(a.Body, marks, snippetRunes), Score: round(res.scores[i]),
		})
	}
	resp.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return resp, nil
}

// runText runs the text query: all words required, else relaxed to any
// word. It returns the result and the number of hits that match all words.
func (e *Engine) runText(ctx context.Context, g *generation, aq analysedQuery, f filters, req Request, resp *Response) (*result, uint64, error) {
	var base query.Query // nil: every document
	if len(aq.words) > 0 {
		base = e.textQuery(aq, false)
	}
	res, err := e.run(ctx, g, base, f, req, aq)
	if err != nil {
		return nil, 0, err
	}
	exact := res.Total
	if len(aq.words) > 0 && res.Total == 0 && len(aq.units) > 1 {
		base = e.textQuery(aq, true)
		if res, err = e.run(ctx, g, base, f, req, aq); err != nil {
			return nil, 0, err
		}
		resp.Relaxed = res.Total > 0
	}
	return res, exact, nil
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
func (e *Engine) run(ctx context.Context, g *generation, base query.Query, f filters, req Request, aq analysedQuery) (*result, error) {
	from := (req.Page - 1) * req.Size
	k := from + req.Size
	rerank := req.Sort == "relevance" && len(aq.words) > 0 && !aq.singleTerm() && k <= rerankWindow
	if rerank {
		k = rerankWindow
	}
	cacheKey := ""
	var cached filterCounts
	var isCached bool
	if base == nil {
		cacheKey = f.key()
		cached, isCached = g.cache.get(cacheKey)
	}
	col, err := g.collect(ctx, base, f, k, req.Sort == "date" || base == nil, !isCached, !isCached)
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
		out.arts = out.arts[lo:hi]
	}
	return out, nil
}

// count returns how many documents match q under the filters.
func (e *Engine) count(ctx context.Context, g *generation, q query.Query, f filters) (uint64, error) {
	col, err := g.collect(ctx, q, f, 0, false, false, true)
	if err != nil {
		return 0, searchErr(ctx, err)
	}
	return col.total, nil
}

// rerankPhrase moves hits that hold the exact phrase to the front: those
// with it in the title first, then in the body; order is kept otherwise.
func rerankPhrase(st articleGetter, phrase string, r *result) error {
	arts, err := st.GetMany(r.ids)
	if err != nil {
		return &Error{Kind: Internal, Code: "internal", Message: "reading articles failed", Err: err}
	}
	tier := make([]int, len(arts))
	when := make([]string, len(arts))
	for i, a := range arts {
		if a == nil {
			continue
		}
		when[i] = a.Date
		if when[i] == "" && a.Year > 0 {
			when[i] = fmt.Sprintf("%04d-00-00", a.Year)
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
	sort.SliceStable(idx, func(a, b int) bool {
		x, y := idx[a], idx[b]
		if tier[x] != tier[y] {
			return tier[x] > tier[y]
		}
		if r.scores[x] != r.scores[y] {
			return r.scores[x] > r.scores[y]
		}
		return when[x] > when[y]
	})
	ids := make([]string, len(idx))
	scores := make([]float64, len(idx))
	sorted := make([]*schema.Article, len(idx))
	for k, i := range idx {
		ids[k], scores[k], sorted[k] = r.ids[i], r.scores[i], arts[i]
	}
	r.ids, r.scores, r.arts = ids, scores, sorted
	return nil
}

// searchErr maps a bleve error, distinguishing an expired deadline.
func searchErr(ctx context.Context, err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &Error{Kind: Unavailable, Code: "timeout", Message: "the search took too long", Err: err}
	}
	if errors.Is(err, context.Canceled) {
		return &Error{Kind: Unavailable, Code: "canceled", Message: "the search was canceled", Err: err}
	}
	return &Error{Kind: Internal, Code: "internal", Message: "the search failed", Err: err}
}
