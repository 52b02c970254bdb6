package embedded

import (
	"context"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/search"
)

// A generation is the View of the embedded engine: the planner runs its
// compiled queries by walking their matches once (collect).

// Planner returns the engine's query side, whose synonyms and pins the
// editors' tools replace at run time.
func (e *Engine) Planner() *search.Planner { return e.planner }

// Search runs one search on the current generation.
func (e *Engine) Search(ctx context.Context, req search.Request) (*search.Response, error) {
	defer e.searchRunning()()
	g, err := e.acquire()
	if err != nil {
		return nil, err
	}
	defer g.release()
	return e.planner.Search(ctx, g, req)
}

// Suggest returns up to n completions of prefix for search-as-you-type (see
// Planner.Suggest).
func (e *Engine) Suggest(ctx context.Context, prefix string, n int) ([]string, error) {
	g, err := e.acquire()
	if err != nil {
		return nil, err
	}
	defer g.release()
	return e.planner.Suggest(ctx, g, prefix, n)
}

// Analyze analyses text as the index and the query parser do, with the
// dictionary of the generation being served.
func (e *Engine) Analyze(text string) (*search.Analysis, error) {
	g, err := e.acquire()
	if err != nil {
		return nil, err
	}
	defer g.release()
	return search.AnalyzeWith(g.seg, text)
}

// Segmenter is the generation's dictionary.
func (g *generation) Segmenter() *analysis.Segmenter { return g.seg }

// Vocabulary is the generation's vocabulary, built on first use.
func (g *generation) Vocabulary() *search.Vocab { return g.vocabOf() }

// Run walks the matches of q once (see collect): the page of hits, the
// total and the disjunctive facet counts. Facet counts of filter-only
// queries (Text nil) change only with the index and are cached per
// generation.
func (g *generation) Run(ctx context.Context, q search.Query) (*search.Result, error) {
	cacheKey := ""
	var cached filterCounts
	var isCached bool
	if q.Text == nil && q.Facets {
		cacheKey = filterKey(q.Filters)
		cached, isCached = g.cache.get(cacheKey)
	}
	group, only, err := g.pairGroup(ctx, q)
	if err != nil {
		return nil, err
	}
	col, err := g.collect(ctx, q.Text, group, only, q.Filters, q.From+q.Size, q.ByDate || q.Text == nil, q.Facets && !isCached, !isCached)
	if err != nil {
		return nil, err
	}
	out := &search.Result{Total: col.total, Facets: cached.facets}
	if isCached {
		out.Total = cached.total
	} else if q.Facets {
		out.Facets = col.facets.result(g.cols)
		if cacheKey != "" {
			g.cache.put(cacheKey, filterCounts{out.Facets, col.total})
		}
	}
	lo, hi := min(q.From, len(col.ids)), min(q.From+q.Size, len(col.ids))
	out.Hits = make([]search.Found, hi-lo)
	for i := lo; i < hi; i++ {
		out.Hits[i-lo] = search.Found{ID: col.ids[i], Score: col.scores[i]}
	}
	return out, nil
}

// Count returns how many articles match q.Text or hold q.Pairs, under the
// filters.
func (g *generation) Count(ctx context.Context, q search.Query) (uint64, error) {
	group, only, err := g.pairGroup(ctx, q)
	if err != nil {
		return 0, err
	}
	col, err := g.collect(ctx, q.Text, group, only, q.Filters, 0, false, false, true)
	if err != nil {
		return 0, err
	}
	return col.total, nil
}

// Articles returns the articles of ids in order (nil where unknown).
func (g *generation) Articles(_ context.Context, ids []string) ([]*schema.Article, error) {
	return g.GetMany(ids)
}

// WordsWithPrefix returns words of the generation starting with p, the
// most frequent first (wordsWithPrefix).
func (g *generation) WordsWithPrefix(ctx context.Context, p string) ([]string, error) {
	return wordsWithPrefix(ctx, g, p)
}

// TitlesWithPrefix returns up to n titles starting with p: the build's,
// then those written since.
func (g *generation) TitlesWithPrefix(_ context.Context, p string, n int) ([]string, error) {
	out := g.titles.withPrefix(p, n)
	if g.overlay != nil {
		out = append(out, g.overlay.titlesWithPrefix(p, n)...)
	}
	return out, nil
}
