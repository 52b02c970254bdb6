package opensearch

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/search"
)

// view is the search.View of the index the alias names when a request
// starts: the planner's compiled queries are translated clause for clause
// (translate) and run by the cluster; facets are aggregations, each with
// the filters of the other facets.
type view struct {
	e     *Engine
	index string
	seg   *analysis.Segmenter
	pairs bool // the index has the pair field
	// do sends one request to the cluster (osconn.Client.Do): the body is
	// encoded as JSON, the answer decoded into out.
	do func(ctx context.Context, method, path string, body, out any) error
}

func (v *view) Segmenter() *analysis.Segmenter { return v.seg }

func (v *view) Vocabulary() *search.Vocab { return v.e.vocabFor(v.index).get(v.e).v }

// WordsWithPrefix returns the words starting with p as the embedded
// engine's suggestions list them: the first maxPrefixWords in word order,
// the most frequent first.
func (v *view) WordsWithPrefix(_ context.Context, p string) ([]string, error) {
	return v.e.vocabFor(v.index).withPrefix(v.e, p), nil
}

// TitlesWithPrefix returns up to n titles starting with p, in title order.
func (v *view) TitlesWithPrefix(ctx context.Context, p string, n int) ([]string, error) {
	var ans struct {
		Hits struct {
			Hits []osHit `json:"hits"`
		} `json:"hits"`
	}
	if err := v.do(ctx, http.MethodPost, "/"+url.PathEscape(v.index)+"/_search", titlesBody(p, n), &ans); err != nil {
		return nil, clusterErr(err)
	}
	var out []string
	for _, h := range ans.Hits.Hits {
		var s struct {
			Title string `json:"title_text"`
		}
		if json.Unmarshal(h.Source, &s) == nil {
			out = append(out, strings.Join(strings.Fields(s.Title), " "))
		}
	}
	return out, nil
}

// titlesBody is the search for titles starting with p.
func titlesBody(p string, n int) map[string]any {
	return map[string]any{
		"query":   map[string]any{"prefix": map[string]any{schema.SrcTitleNorm: p}},
		"size":    n,
		"sort":    []any{map[string]any{schema.SrcTitleNorm: "asc"}},
		"_source": []string{schema.SrcTitle},
	}
}

// Articles reads the articles of ids (nil where unknown).
func (v *view) Articles(ctx context.Context, ids []string) ([]*schema.Article, error) {
	var ans struct {
		Docs []struct {
			ID     string          `json:"_id"`
			Found  bool            `json:"found"`
			Source json.RawMessage `json:"_source"`
		} `json:"docs"`
	}
	body := map[string]any{"ids": ids}
	if err := v.do(ctx, http.MethodPost, "/"+url.PathEscape(v.index)+"/_mget", body, &ans); err != nil {
		return nil, clusterErr(err)
	}
	out := make([]*schema.Article, len(ids))
	for i, d := range ans.Docs {
		if i >= len(out) || !d.Found {
			continue
		}
		a, err := schema.ArticleFromSource(d.Source)
		if err != nil {
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

// compiled is a search.Query in the query DSL: text (nil: every
// document) and the pair condition (nil: none).
type compiled struct {
	text, pairs map[string]any
	only        bool // the pairs are the whole match set (search.Query.PairsOnly)
}

// compile translates q's text and pair condition; the pair condition only
// when the index has the pair field (an index built before it existed
// finds a query by its words alone).
func (v *view) compile(q search.Query) (compiled, error) {
	var c compiled
	if q.Text != nil {
		t, err := translate(q.Text)
		if err != nil {
			return c, err
		}
		c.text = t
		if v.pairs {
			c.pairs = pairClause(q.Pairs)
		}
		if c.pairs != nil && q.Within != nil {
			w, err := translate(q.Within)
			if err != nil {
				return c, err
			}
			c.pairs = map[string]any{"bool": map[string]any{"filter": []any{c.pairs, w}}}
		}
		c.only = c.pairs != nil && q.PairsOnly
	}
	return c, nil
}

// Run runs q: a query with a pair group, ordered by relevance, is the
// groups (runGroups); otherwise one search of the words (or the pairs) with
// the filters.
func (v *view) Run(ctx context.Context, q search.Query) (*search.Result, error) {
	c, err := v.compile(q)
	if err != nil {
		return nil, err
	}
	var res *osResult
	switch {
	case c.only:
		res, err = v.run(ctx, searchBody(groupsFirst(c.text, c.pairs), nil, q.Filters, q.From, q.Size, q.ByDate, q.Facets), q.Facets)
	case c.pairs != nil && !q.ByDate:
		res, err = v.runGroups(ctx, c.text, c.pairs, q.Filters, q.From, q.Size)
	case c.pairs != nil:
		// Sorting by date ignores the groups: the whole match set.
		res, err = v.run(ctx, searchBody(either(c.text, c.pairs), nil, q.Filters, q.From, q.Size, true, q.Facets), q.Facets)
	default:
		res, err = v.run(ctx, searchBody(c.text, nil, q.Filters, q.From, q.Size, q.ByDate || c.text == nil, q.Facets), q.Facets)
	}
	if err != nil {
		return nil, err
	}
	out := &search.Result{Total: res.total, Facets: res.facets, Hits: make([]search.Found, len(res.arts))}
	for i, a := range res.arts {
		out.Hits[i] = search.Found{ID: a.ID, Score: res.scores[i], Article: a}
	}
	return out, nil
}

// Count returns how many documents match q under its filters.
func (v *view) Count(ctx context.Context, q search.Query) (uint64, error) {
	c, err := v.compile(q)
	if err != nil {
		return 0, err
	}
	var cnt struct {
		Count uint64 `json:"count"`
	}
	if err := v.do(ctx, http.MethodPost, "/"+url.PathEscape(v.index)+"/_count", countBody(c, q.Filters), &cnt); err != nil {
		return 0, clusterErr(err)
	}
	return cnt.Count, nil
}

// countBody is the count of what the words or the pairs match under f.
func countBody(c compiled, f search.Filters) map[string]any {
	text := c.text
	if text == nil {
		text = map[string]any{"match_all": map[string]any{}}
	}
	switch {
	case c.only:
		text = c.pairs
	case c.pairs != nil:
		text = either(text, c.pairs) // as the embedded count: the words or the pairs
	}
	must := []any{text}
	for _, fc := range filterClauses(f) {
		if fc != nil {
			must = append(must, fc)
		}
	}
	return map[string]any{"query": map[string]any{"bool": map[string]any{"must": must}}}
}

// pairClause is the condition "holds every Han pair of the query" (the
// embedded engine's pair sets), as a filter that scores 0; nil without
// pairs.
func pairClause(keys []analysis.PairKey) map[string]any {
	if len(keys) == 0 {
		return nil
	}
	terms := make([]any, len(keys))
	for i, k := range keys {
		terms[i] = map[string]any{"term": map[string]any{schema.FieldPairs: k.String()}}
	}
	return map[string]any{"bool": map[string]any{"filter": terms}}
}

// either matches what text or pairs matches, scored by text (pairs scores
// 0).
func either(text, pairs map[string]any) map[string]any {
	return map[string]any{"bool": map[string]any{"should": []any{text, pairs}, "minimum_should_match": 1}}
}

// groupsFirst is the first group of runGroups: the pairs, scored by text.
func groupsFirst(text, pairs map[string]any) map[string]any {
	return map[string]any{"bool": map[string]any{"filter": []any{pairs}, "should": []any{text}}}
}

// groupsRest is the second group of runGroups: the words without the pairs.
func groupsRest(text, pairs map[string]any) map[string]any {
	return map[string]any{"bool": map[string]any{"must": []any{text}, "must_not": []any{pairs}}}
}

// runGroups returns hits from..from+size of the match set of text or
// pairs, those matching pairs first, each group by score, then newer
// first; the total and the facets are those of the whole set. The first
// group is one search (with the set's total and facets as aggregations),
// the second only when the page reaches past the first.
func (v *view) runGroups(ctx context.Context, text, pairs map[string]any, f search.Filters, from, size int) (*osResult, error) {
	res, err := v.run(ctx, searchBody(groupsFirst(text, pairs), either(text, pairs), f, from, size, false, true), true)
	if err != nil {
		return nil, err
	}
	inFirst := int(res.hitsTotal)
	if len(res.arts) >= size || from+size <= inFirst || res.total <= res.hitsTotal {
		return res, nil
	}
	more, err := v.run(ctx, searchBody(groupsRest(text, pairs), nil, f, max(0, from-inFirst), size-len(res.arts), false, false), false)
	if err != nil {
		return nil, err
	}
	res.arts = append(res.arts, more.arts...)
	res.scores = append(res.scores, more.scores...)
	return res, nil
}

// filterClauses returns the filter clauses of each dimension (district,
// topic, year) and of the date range, nil where there is no filter.
func filterClauses(f search.Filters) [4]any {
	var out [4]any
	if len(f.Districts) > 0 {
		out[0] = map[string]any{"terms": map[string]any{schema.FieldDistricts: f.Districts}}
	}
	if len(f.Topics) > 0 {
		out[1] = map[string]any{"terms": map[string]any{schema.FieldTopics: f.Topics}}
	}
	if len(f.Years) > 0 {
		ys := make([]string, len(f.Years))
		for i, y := range f.Years {
			ys[i] = strconv.Itoa(y)
		}
		out[2] = map[string]any{"terms": map[string]any{schema.FieldYear: ys}}
	}
	if f.From != "" || f.To != "" {
		r := map[string]any{}
		if f.From != "" {
			r["gte"] = f.From
		}
		if f.To != "" {
			r["lte"] = f.To
		}
		out[3] = map[string]any{"range": map[string]any{schema.SrcDate: r}}
	}
	return out
}

// facetFields are the fields of the facet dimensions, in the order of
// search.Dimensions.
var facetFields = [3]string{schema.FieldDistricts, schema.FieldTopics, schema.FieldYear}

// scopeTotalAgg names the aggregation that counts the whole match set.
const scopeTotalAgg = "total"

// searchBody is one search of text (nil: every document, unscored) with
// the filters: hits from..from+size and, when facets is true, the
// disjunctive facet counts. When scope is not nil, the total and the
// facets are those of scope (a wider query than text: the whole match set
// of which text is one group, see runGroups).
func searchBody(text, scope map[string]any, f search.Filters, from, size int, byDate, facets bool) map[string]any {
	if text == nil {
		text = map[string]any{"match_all": map[string]any{}}
	}
	fs := filterClauses(f)
	all := func(except int) []any {
		var out []any
		for i, c := range fs {
			if c != nil && i != except {
				out = append(out, c)
			}
		}
		return out
	}
	body := map[string]any{
		"query":            text,
		"from":             from,
		"size":             size,
		"track_total_hits": true,
		"_source":          map[string]any{"excludes": []string{schema.SrcTitleNorm}},
	}
	if pf := all(-1); len(pf) > 0 {
		body["post_filter"] = map[string]any{"bool": map[string]any{"filter": pf}}
	}
	// Ties go to the lower id, as in the embedded engine.
	if byDate {
		body["sort"] = []any{map[string]any{schema.FieldWhen: "desc"}, map[string]any{schema.SrcID: "asc"}}
		body["track_scores"] = true
	} else {
		body["sort"] = []any{"_score", map[string]any{schema.FieldWhen: "desc"}, map[string]any{schema.SrcID: "asc"}}
	}
	aggs := map[string]any{}
	if facets {
		for i, name := range search.Dimensions() {
			terms := map[string]any{"terms": map[string]any{"field": facetFields[i], "size": search.FacetBuckets}}
			others := all(i)
			if scope != nil {
				others = append(others, scope)
			}
			if len(others) == 0 {
				others = []any{map[string]any{"match_all": map[string]any{}}}
			}
			aggs[name] = map[string]any{
				"filter": map[string]any{"bool": map[string]any{"filter": others}},
				"aggs":   map[string]any{"v": terms},
			}
		}
	}
	if scope != nil {
		// The whole match set under every filter: its size is the total.
		aggs[scopeTotalAgg] = map[string]any{"filter": map[string]any{"bool": map[string]any{"filter": append(all(-1), scope)}}}
	}
	if len(aggs) > 0 {
		if scope != nil {
			// A global aggregation sees every document, not only the
			// query's: each of its filters names the scope itself.
			aggs = map[string]any{"g": map[string]any{"global": map[string]any{}, "aggs": aggs}}
		}
		body["aggs"] = aggs
	}
	return body
}

// osResult is one page of hits with its facet counts.
type osResult struct {
	total     uint64 // of the whole match set
	hitsTotal uint64 // of the query whose hits these are (see searchBody's scope)
	arts      []*schema.Article
	scores    []float64
	facets    map[string][]search.Facet
}

type osHit struct {
	ID     string          `json:"_id"`
	Score  *float64        `json:"_score"`
	Source json.RawMessage `json:"_source"`
}

// run sends one search (see searchBody) and reads its answer; facets says
// whether the body counts them.
func (v *view) run(ctx context.Context, body map[string]any, facets bool) (*osResult, error) {
	_, matchAll := body["query"].(map[string]any)["match_all"] // a listing: no score (as the embedded engine)
	aggs, _ := body["aggs"].(map[string]any)
	_, scoped := aggs["g"]
	type osAgg struct {
		Count int `json:"doc_count"`
		V     struct {
			Buckets []struct {
				Key   string `json:"key"`
				Count int    `json:"doc_count"`
			} `json:"buckets"`
		} `json:"v"`
	}
	var ans struct {
		TimedOut bool `json:"timed_out"`
		Hits     struct {
			Total struct {
				Value uint64 `json:"value"`
			} `json:"total"`
			Hits []osHit `json:"hits"`
		} `json:"hits"`
		Aggs map[string]json.RawMessage `json:"aggregations"`
	}
	// dfs_query_then_fetch: term statistics of the whole index, not of
	// each shard, so that scores do not depend on how documents fall into
	// shards (a single-shard index skips the extra round).
	path := "/" + url.PathEscape(v.index) + "/_search?search_type=dfs_query_then_fetch"
	if dl, ok := ctx.Deadline(); ok {
		ms := time.Until(dl).Milliseconds()
		if ms < 1 {
			return nil, context.DeadlineExceeded
		}
		path += "&timeout=" + strconv.FormatInt(ms, 10) + "ms"
	}
	if err := v.do(ctx, http.MethodPost, path, body, &ans); err != nil {
		return nil, clusterErr(err)
	}
	if ans.TimedOut {
		return nil, fmt.Errorf("the cluster's search timed out: %w", context.DeadlineExceeded)
	}
	aggsOf := ans.Aggs
	if scoped {
		var g map[string]json.RawMessage
		if raw, ok := ans.Aggs["g"]; ok {
			if err := json.Unmarshal(raw, &g); err != nil {
				return nil, fmt.Errorf("aggregations: %w", err)
			}
		}
		aggsOf = g
	}
	agg := func(name string) (osAgg, error) {
		var a osAgg
		if raw, ok := aggsOf[name]; ok {
			if err := json.Unmarshal(raw, &a); err != nil {
				return a, fmt.Errorf("aggregation %s: %w", name, err)
			}
		}
		return a, nil
	}
	out := &osResult{total: ans.Hits.Total.Value, hitsTotal: ans.Hits.Total.Value}
	if scoped {
		t, err := agg(scopeTotalAgg)
		if err != nil {
			return nil, err
		}
		out.total = uint64(t.Count)
	}
	for _, h := range ans.Hits.Hits {
		a, err := schema.ArticleFromSource(h.Source)
		if err != nil {
			return nil, fmt.Errorf("reading articles: %w", err)
		}
		out.arts = append(out.arts, a)
		s := 0.0
		if h.Score != nil && !matchAll {
			s = *h.Score
		}
		out.scores = append(out.scores, s)
	}
	if facets {
		out.facets = map[string][]search.Facet{}
		for _, name := range search.Dimensions() {
			a, err := agg(name)
			if err != nil {
				return nil, err
			}
			fl := []search.Facet{}
			for _, b := range a.V.Buckets {
				fl = append(fl, search.Facet{Value: b.Key, Count: b.Count})
			}
			out.facets[name] = search.TopFacets(fl)
		}
	}
	return out, nil
}
