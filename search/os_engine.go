package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/internal/errs"
	"github.com/govbulletin/bulletin/internal/osconn"
)

// OSEngine answers the same API as Engine from an OpenSearch cluster (SPEC
// §10): the index that the alias names, written by indexer.BuildOpenSearch.
// The query is analysed and built here exactly as for the embedded engine
// (analyse, textQuery) and translated clause for clause (osQuery); facets
// are aggregations, each with the filters of the other facets; snippets are
// cut from the stored text with the same Snippet. A cluster that cannot be
// reached, or a search past its deadline, is errs.Unavailable (503).
//
// Concurrency: all methods are safe for concurrent use. The alias is checked
// every Poll; when it names a new index, the next searches use it. The
// vocabulary's changes (written articles' words) are read every vocabEvery.
type OSEngine struct {
	c   *osconn.Client
	log *slog.Logger
	q   *Engine // the query building only (synonyms, confusables): no index

	queries *queryLog
	stop    chan struct{}
	done    chan struct{}

	mu    sync.Mutex
	index string // the index the alias names
	meta  schema.Meta
	docs  int
	seg   *analysis.Segmenter // the index's dictionary: queries are cut as its articles were
	vocab *osVocab            // of index
	pairs bool                // index has the pair field (schema.FieldPairs)
}

// OpenSearch connects to the cluster and reads the generation the alias
// names; opts.Poll says how often the alias is checked again.
func OpenSearch(ctx context.Context, c *osconn.Client, opts Options) (*OSEngine, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	syn, err := LoadSynonyms(opts.SynonymsFile)
	if err != nil {
		return nil, err
	}
	e := &OSEngine{c: c, log: log, q: &Engine{synonyms: syn, confusables: loadConfusables()},
		queries: newQueryLog(), stop: make(chan struct{}), done: make(chan struct{})}
	if err := e.Reload(ctx); err != nil {
		return nil, err
	}
	startPolling(opts.Poll, e.watch, e.done)
	return e, nil
}

func (e *OSEngine) watch(every time.Duration) {
	defer close(e.done)
	t := time.NewTicker(every)
	defer t.Stop()
	vt := time.NewTicker(vocabEvery)
	defer vt.Stop()
	for {
		select {
		case <-e.stop:
			return
		case <-vt.C:
			e.mu.Lock()
			ov := e.vocab
			e.mu.Unlock()
			if ov != nil {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				if err := ov.update(ctx, e); err != nil {
					e.log.Debug("reading the vocabulary's changes failed", "err", err)
				}
				cancel()
			}
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			if err := e.Reload(ctx); err != nil {
				e.log.Warn("checking the OpenSearch alias failed; still serving the index known", "err", err)
			}
			cancel()
		}
	}
}

// Reload reads which index the alias names, its meta and its size.
func (e *OSEngine) Reload(ctx context.Context) error {
	sv, err := e.c.Served(ctx)
	if err != nil {
		return err
	}
	name, meta := sv.Index, sv.Meta
	_, pairs := sv.Fields[schema.FieldPairs]
	if meta.Schema != schema.Version {
		return fmt.Errorf("OpenSearch index %s has schema %d, this bulletin reads %d: index again", name, meta.Schema, schema.Version)
	}
	var cnt struct {
		Count int `json:"count"`
	}
	if err := e.c.Do(ctx, http.MethodGet, "/"+url.PathEscape(name)+"/_count", nil, &cnt); err != nil {
		return fmt.Errorf("OpenSearch index %s: %w", name, err)
	}
	e.mu.Lock()
	same := name == e.index
	e.mu.Unlock()
	var seg *analysis.Segmenter
	if !same {
		dict, err := analysis.GenerationDictionary(meta.UserWords, meta.UserDict)
		if err != nil {
			return fmt.Errorf("OpenSearch index %s: dictionary: %w", name, err)
		}
		if seg, err = analysis.For(dict); err != nil {
			return err
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if seg != nil {
		e.seg = seg
		ov := &osVocab{index: name}
		e.vocab = ov
		go ov.get(e) // takes a moment on a large index: now rather than on the first pinyin query
		if e.index != "" {
			e.log.Info("switched OpenSearch index", "index", name, "documents", cnt.Count)
		}
	}
	if !pairs && (seg != nil) {
		e.log.Warn("the OpenSearch index has no pair field: a query is found by its words alone until `bulletin index --opensearch` runs again", "index", name)
	}
	e.index, e.meta, e.docs, e.pairs = name, meta, cnt.Count, pairs
	return nil
}

// current returns the index served and its segmenter.
func (e *OSEngine) current() (string, *analysis.Segmenter) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.index, e.seg
}

// withPairs reports whether the index served has the pair field.
func (e *OSEngine) withPairs() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.pairs
}

// Info returns what is being served.
func (e *OSEngine) Info() Info {
	e.mu.Lock()
	defer e.mu.Unlock()
	return Info{Generation: e.index, Documents: e.docs, Districts: e.meta.Districts, Topics: e.meta.Topics}
}

// Analyze analyses text as the index and the query parser do.
func (e *OSEngine) Analyze(text string) (*Analysis, error) {
	if utf8.RuneCountInString(text) > MaxAnalyzeRunes {
		return nil, errs.Errorf(errs.Invalid, "text_too_long", "text is longer than %d characters", MaxAnalyzeRunes)
	}
	_, seg := e.current()
	return analyzeWith(seg, text), nil
}

// Close stops watching the alias.
func (e *OSEngine) Close() error {
	select {
	case <-e.stop:
	default:
		close(e.stop)
	}
	<-e.done
	return nil
}

// osErr maps a cluster error to our kinds: no answer, a deadline, or a
// cluster too busy to answer are errs.Unavailable (503); the rest errs.Internal.
func osErr(ctx context.Context, err error) error {
	var se *osconn.StatusError
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return &errs.Error{Kind: errs.Unavailable, Code: "timeout", Message: "the search took too long", Err: err}
	case errors.Is(err, context.Canceled):
		return &errs.Error{Kind: errs.Unavailable, Code: "canceled", Message: "the search was canceled", Err: err}
	case errors.Is(err, osconn.ErrUnavailable):
		return &errs.Error{Kind: errs.Unavailable, Code: "cluster_unavailable", Message: "the search cluster cannot be reached", Err: err}
	case errors.As(err, &se) && (se.Status == http.StatusTooManyRequests || se.Status >= 500):
		return &errs.Error{Kind: errs.Unavailable, Code: "cluster_unavailable", Message: "the search cluster cannot answer now", Err: err}
	case errors.As(err, &se) && se.Type == "index_not_found_exception":
		// The index served was deleted (another run, an operator): the
		// alias check picks up the new one within a poll.
		return &errs.Error{Kind: errs.Unavailable, Code: "no_index", Message: "the index is being switched", Err: err}
	}
	return &errs.Error{Kind: errs.Internal, Code: "internal", Message: "the search failed", Err: err}
}

// Article returns one article by id.
func (e *OSEngine) Article(ctx context.Context, id string) (*schema.Article, error) {
	if id == "" || len(id) > 64 {
		return nil, errs.Errorf(errs.NotFound, "not_found", "no article with this id")
	}
	index, _ := e.current()
	var doc struct {
		Found  bool            `json:"found"`
		Source json.RawMessage `json:"_source"`
	}
	err := e.c.Do(ctx, http.MethodGet, "/"+url.PathEscape(index)+"/_doc/"+url.PathEscape(id), nil, &doc)
	if osconn.IsStatus(err, http.StatusNotFound) || err == nil && !doc.Found {
		return nil, errs.Errorf(errs.NotFound, "not_found", "no article with this id")
	}
	if err != nil {
		return nil, osErr(ctx, err)
	}
	a, err := schema.ArticleFromSource(doc.Source)
	if err != nil {
		return nil, &errs.Error{Kind: errs.Internal, Code: "internal", Message: "reading the article failed", Err: err}
	}
	return a, nil
}

// osFilters returns the filter clauses of each dimension (district, topic,
// year, date range), nil where there is no filter.
func osFilters(f filters) [nDims + 1]any {
	var out [nDims + 1]any
	if len(f.districts) > 0 {
		out[0] = map[string]any{"terms": map[string]any{schema.FieldDistricts: f.districts}}
	}
	if len(f.topics) > 0 {
		out[1] = map[string]any{"terms": map[string]any{schema.FieldTopics: f.topics}}
	}
	if len(f.years) > 0 {
		ys := make([]string, len(f.years))
		for i, y := range f.years {
			ys[i] = strconv.Itoa(y)
		}
		out[2] = map[string]any{"terms": map[string]any{schema.FieldYear: ys}}
	}
	if f.from != "" || f.to != "" {
		r := map[string]any{}
		if f.from != "" {
			r["gte"] = f.from
		}
		if f.to != "" {
			r["lte"] = f.to
		}
		out[3] = map[string]any{"range": map[string]any{schema.SrcDate: r}}
	}
	return out
}

// scopeTotalAgg names the aggregation that counts the whole match set.
const scopeTotalAgg = "total"

var osFacetFields = [nDims]string{schema.FieldDistricts, schema.FieldTopics, schema.FieldYear}

// osResult is one page of hits with its facet counts.
type osResult struct {
	total     uint64 // of the whole match set
	hitsTotal uint64 // of the query whose hits these are (see osRun's scope)
	arts      []*schema.Article
	scores    []float64
	facets    map[string][]Facet
}

type osHit struct {
	ID     string          `json:"_id"`
	Score  *float64        `json:"_score"`
	Source json.RawMessage `json:"_source"`
}

// osRun runs one text query (nil: every document) with the filters: the
// hits of the page (or of the rerank window), the total and, when facets
// is true, the disjunctive facet counts. When scope is not nil, the total
// and the facets are those of scope (a wider query than text: the whole
// match set of which text is one group, see runGroups), and hitsTotal says
// how many documents text matches under the filters.
func (e *OSEngine) osRun(ctx context.Context, index string, text, scope map[string]any, f filters, from, size int, byDate, facets bool) (*osResult, error) {
	matchAll := text == nil // a listing: no score (as the embedded engine)
	if matchAll {
		text = map[string]any{"match_all": map[string]any{}}
	}
	fs := osFilters(f)
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
	// Ties go to the lower id, as in the embedded engine (columns.rank).
	if byDate {
		body["sort"] = []any{map[string]any{schema.FieldWhen: "desc"}, map[string]any{schema.SrcID: "asc"}}
		body["track_scores"] = true
	} else {
		body["sort"] = []any{"_score", map[string]any{schema.FieldWhen: "desc"}, map[string]any{schema.SrcID: "asc"}}
	}
	aggs := map[string]any{}
	if facets {
		for i, name := range dimNames {
			terms := map[string]any{"terms": map[string]any{"field": osFacetFields[i], "size": 2 * facetSize}}
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
	path := "/" + url.PathEscape(index) + "/_search?search_type=dfs_query_then_fetch"
	if dl, ok := ctx.Deadline(); ok {
		ms := time.Until(dl).Milliseconds()
		if ms < 1 {
			return nil, osErr(ctx, context.DeadlineExceeded)
		}
		path += "&timeout=" + strconv.FormatInt(ms, 10) + "ms"
	}
	if err := e.c.Do(ctx, http.MethodPost, path, body, &ans); err != nil {
		return nil, osErr(ctx, err)
	}
	if ans.TimedOut {
		return nil, &errs.Error{Kind: errs.Unavailable, Code: "timeout", Message: "the search took too long"}
	}
	aggsOf := ans.Aggs
	if scope != nil {
		var g map[string]json.RawMessage
		if err := json.Unmarshal(ans.Aggs["g"], &g); err != nil {
			return nil, &errs.Error{Kind: errs.Internal, Code: "internal", Message: "the search failed", Err: fmt.Errorf("aggregations: %w", err)}
		}
		aggsOf = g
	}
	agg := func(name string) (osAgg, error) {
		var a osAgg
		if raw, ok := aggsOf[name]; ok {
			if err := json.Unmarshal(raw, &a); err != nil {
				return a, &errs.Error{Kind: errs.Internal, Code: "internal", Message: "the search failed", Err: fmt.Errorf("aggregation %s: %w", name, err)}
			}
		}
		return a, nil
	}
	out := &osResult{total: ans.Hits.Total.Value, hitsTotal: ans.Hits.Total.Value}
	if scope != nil {
		t, err := agg(scopeTotalAgg)
		if err != nil {
			return nil, err
		}
		out.total = uint64(t.Count)
	}
	for _, h := range ans.Hits.Hits {
		a, err := schema.ArticleFromSource(h.Source)
		if err != nil {
			return nil, &errs.Error{Kind: errs.Internal, Code: "internal", Message: "reading articles failed", Err: err}
		}
		out.arts = append(out.arts, a)
		s := 0.0
		if h.Score != nil && !matchAll {
			s = *h.Score
		}
		out.scores = append(out.scores, s)
	}
	if facets {
		out.facets = map[string][]Facet{}
		for _, name := range dimNames {
			a, err := agg(name)
			if err != nil {
				return nil, err
			}
			fl := []Facet{}
			for _, b := range a.V.Buckets {
				fl = append(fl, Facet{Value: b.Key, Count: b.Count})
			}
			sortFacets(fl)
			if len(fl) > facetSize {
				fl = fl[:facetSize]
			}
			out.facets[name] = fl
		}
	}
	return out, nil
}

// run is Engine.run on the cluster: the page of hits, with the first
// rerankWindow hits reordered by exact phrase (title, then body).
//
// As in the embedded engine (plan.allWords, generation.collect), a query of
// two or more Han characters, unless relaxed, matches the articles that
// hold all its words or all its Han pairs (the pair field, see
// osPairClause): those holding the pairs rank first across the whole match
// set, each group by score (an article found by its pairs alone scores 0),
// then newer first, then by id; the total and the facets count both.
func (e *OSEngine) run(ctx context.Context, index string, aq analysedQuery, relaxed bool, f filters, req Request) (*osResult, error) {
	var text, pairs map[string]any
	if len(aq.words) > 0 {
		var err error
		if text, err = osQuery(e.q.textQuery(aq, relaxed)); err != nil {
			return nil, &errs.Error{Kind: errs.Internal, Code: "internal", Message: "the search failed", Err: err}
		}
		if !relaxed {
			pairs = e.pairClause(aq)
		}
	}
	from := (req.Page - 1) * req.Size
	k, rerank := windowed(from, req.Size, req.Sort == "relevance" && len(aq.words) > 0 && !aq.singleTerm())
	if !rerank {
		if pairs != nil && req.Sort != "date" {
			return e.runGroups(ctx, index, text, pairs, f, from, req.Size)
		}
		if pairs != nil {
			// Sorting by date ignores the groups: the whole match set.
			text = osEither(text, pairs)
		}
		return e.osRun(ctx, index, text, nil, f, from, req.Size, req.Sort == "date" || text == nil, true)
	}
	var res *osResult
	var err error
	if pairs != nil {
		res, err = e.runGroups(ctx, index, text, pairs, f, 0, k)
	} else {
		res, err = e.osRun(ctx, index, text, nil, f, 0, k, false, true)
	}
	if err != nil {
		return nil, err
	}
	n := min(len(res.arts), rerankWindow) // the window; past it, the order as found
	orderByPhrase(aq.phrase, res.arts[:n], res.scores[:n])
	lo, hi := min(from, len(res.arts)), min(from+req.Size, len(res.arts))
	res.arts, res.scores = res.arts[lo:hi], res.scores[lo:hi]
	return res, nil
}

// pairClause is the condition "holds every Han pair of the query" (the
// embedded engine's pairIndex.holding), as a filter that scores 0; nil when
// the query gets no pair set (analysis.QueryPairs) or the index served has
// no pair field (built before it existed).
func (e *OSEngine) pairClause(aq analysedQuery) map[string]any {
	if len(aq.pairs) == 0 || !e.withPairs() {
		return nil
	}
	terms := make([]any, len(aq.pairs))
	for i, k := range aq.pairs {
		terms[i] = map[string]any{"term": map[string]any{schema.FieldPairs: k.String()}}
	}
	return map[string]any{"bool": map[string]any{"filter": terms}}
}

// osEither matches what text or pairs matches, scored by text (pairs
// scores 0).
func osEither(text, pairs map[string]any) map[string]any {
	return map[string]any{"bool": map[string]any{"should": []any{text, pairs}, "minimum_should_match": 1}}
}

// runGroups returns hits from..from+size of the match set of text or
// pairs, those matching pairs first, each group by score, then newer
// first; the total and the facets are those of the whole set. The first
// group is one search (with the set's total and facets as aggregations),
// the second only when the page reaches past the first.
func (e *OSEngine) runGroups(ctx context.Context, index string, text, pairs map[string]any, f filters, from, size int) (*osResult, error) {
	first := map[string]any{"bool": map[string]any{"filter": []any{pairs}, "should": []any{text}}}
	res, err := e.osRun(ctx, index, first, osEither(text, pairs), f, from, size, false, true)
	if err != nil {
		return nil, err
	}
	inFirst := int(res.hitsTotal)
	if len(res.arts) >= size || from+size <= inFirst || res.total <= res.hitsTotal {
		return res, nil
	}
	rest := map[string]any{"bool": map[string]any{"must": []any{text}, "must_not": []any{pairs}}}
	more, err := e.osRun(ctx, index, rest, nil, f, max(0, from-inFirst), size-len(res.arts), false, false)
	if err != nil {
		return nil, err
	}
	res.arts = append(res.arts, more.arts...)
	res.scores = append(res.scores, more.scores...)
	return res, nil
}

// orderByPhrase is rerankPhrase on articles already read (phraseOrder).
func orderByPhrase(phrase string, arts []*schema.Article, scores []float64) {
	idx := phraseOrder(phrase, arts)
	a2 := make([]*schema.Article, len(idx))
	s2 := make([]float64, len(idx))
	for k, i := range idx {
		a2[k], s2[k] = arts[i], scores[i]
	}
	copy(arts, a2)
	copy(scores, s2)
}

// Search runs one search, as Engine.Search does.
func (e *OSEngine) Search(ctx context.Context, req Request) (*Response, error) {
	start := time.Now()
	if err := req.Normalize(); err != nil {
		return nil, err
	}
	index, seg := e.current()
	f := filters{districts: req.Districts, topics: req.Topics, years: req.Years, from: req.DateFrom, to: req.DateTo}
	resp := &Response{Query: req.Query, Page: req.Page, Size: req.Size, Hits: []Hit{}}
	aq := e.q.analyse(seg, req.Query)
	res, exactTotal, err := e.runText(ctx, index, aq, f, req, resp)
	if err != nil {
		return nil, err
	}
	if len(aq.words) > 0 && exactTotal < minGoodResults {
		alt := ""
		if isPinyinQuery(req.Query) {
			alt = e.fromPinyin(ctx, index, req.Query)
		} else if dym := e.didYouMean(ctx, index, seg, aq, exactTotal, f); dym != "" {
			resp.DidYouMean = dym
			if res.total == 0 {
				alt = dym
			}
		}
		if alt != "" && res.total == 0 {
			aq = e.q.analyse(seg, alt)
			resp.Relaxed = false
			if res, _, err = e.runText(ctx, index, aq, f, req, resp); err != nil {
				return nil, err
			}
		}
	}
	resp.Total = res.total
	if res.total > 0 && req.Page == 1 && len(aq.words) > 0 && resp.DidYouMean == "" && !isPinyinQuery(req.Query) {
		e.queries.record(req.Query)
	}
	resp.Facets = res.facets
	marks := highlightTerms(aq)
	for i, a := range res.arts {
		resp.Hits = append(resp.Hits, Hit{
			ID: a.ID, Title: a.Title, Date: a.Date, Year: a.Year,
			Districts: nonNil(a.Districts), Topics: nonNil(a.Topics), Source: a.Source, URL: a.URL,
			Snippet: Snippet(a.Body, marks, snippetRunes), Score: round(res.scores[i]),
		})
	}
	resp.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return resp, nil
}

// runText: all words required, else relaxed to any word.
func (e *OSEngine) runText(ctx context.Context, index string, aq analysedQuery, f filters, req Request, resp *Response) (*osResult, uint64, error) {
	res, err := e.run(ctx, index, aq, false, f, req)
	if err != nil {
		return nil, 0, err
	}
	exact := res.total
	if len(aq.words) > 0 && res.total == 0 && len(aq.units) > 1 {
		if res, err = e.run(ctx, index, aq, true, f, req); err != nil {
			return nil, 0, err
		}
		resp.Relaxed = res.total > 0
	}
	return res, exact, nil
}

// count returns how many documents match the analysed query under f.
func (e *OSEngine) count(ctx context.Context, index string, aq analysedQuery, f filters) (uint64, error) {
	text, err := osQuery(e.q.textQuery(aq, false))
	if err != nil {
		return 0, err
	}
	if pairs := e.pairClause(aq); pairs != nil {
		text = osEither(text, pairs) // as the embedded count: the words or the pairs
	}
	fs := osFilters(f)
	must := []any{text}
	for _, c := range fs {
		if c != nil {
			must = append(must, c)
		}
	}
	var cnt struct {
		Count uint64 `json:"count"`
	}
	if err := e.c.Do(ctx, http.MethodPost, "/"+url.PathEscape(index)+"/_count", map[string]any{"query": map[string]any{"bool": map[string]any{"must": must}}}, &cnt); err != nil {
		return 0, osErr(ctx, err)
	}
	return cnt.Count, nil
}

// Suggest returns up to n completions of prefix, as Engine.Suggest does:
// frequent past queries, words of the index (most frequent first, from the
// vocabulary), then titles starting with it.
func (e *OSEngine) Suggest(ctx context.Context, prefix string, n int) ([]string, error) {
	p := strings.TrimSpace(analysis.Normalize(analysis.CleanText(prefix)))
	if p == "" || n <= 0 {
		return []string{}, nil
	}
	out := []string{}
	seen := map[string]bool{p: true}
	add := func(s string) {
		if len(out) < n && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, q := range e.queries.withPrefix(p, n) {
		add(q)
	}
	index, _ := e.current()
	for _, w := range e.vocabFor(index).withPrefix(e, p) {
		add(w)
	}
	if len(out) < n {
		var ans struct {
			Hits struct {
				Hits []osHit `json:"hits"`
			} `json:"hits"`
		}
		body := map[string]any{
			"query":   map[string]any{"prefix": map[string]any{schema.SrcTitleNorm: p}},
			"size":    n,
			"sort":    []any{map[string]any{schema.SrcTitleNorm: "asc"}},
			"_source": []string{schema.SrcTitle},
		}
		if err := e.c.Do(ctx, http.MethodPost, "/"+url.PathEscape(index)+"/_search", body, &ans); err != nil {
			return nil, osErr(ctx, err)
		}
		for _, h := range ans.Hits.Hits {
			var s struct {
				Title string `json:"title_text"`
			}
			if json.Unmarshal(h.Source, &s) == nil {
				add(strings.Join(strings.Fields(s.Title), " "))
			}
		}
	}
	return out, nil
}
