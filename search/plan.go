package search

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/internal/errs"
)

// A search is one plan:
//
//  1. the query is analysed once (analyse: normalised, segmented, stop
//     words and synonyms resolved, pinyin recognised);
//  2. strategies are tried in order, each on its own, until one is good
//     enough (it found something): every word, or the query as typed
//     however jieba cut it (the pair sets), those first; any word
//     (relaxed, only when no article holds all the words); an alternative
//     query (the characters of a pinyin query, or the correction of a
//     probable typo), which runs the same strategies;
//  3. the answer is assembled from the attempt that won, with the advice
//     (did_you_mean) computed on the way.
//
// Each strategy compiles its query (textQuery) and runs it on the View of
// the engine; the ranking (the compiled query's weights, the pair group,
// the phrase rerank of the first hits) is decided here, for every engine.
//
// A plan belongs to one request; its passes only read the view.

// Planner answers searches and suggestions on the views of an engine. It
// holds what does not depend on the index: the synonyms, the characters of
// similar shape, and the log of past queries (suggestions).
//
// Concurrency: all methods are safe for concurrent use.
type Planner struct {
	synonyms    liveSynonyms           // replaced whole by SetSynonyms (synonyms.go)
	pins        atomic.Pointer[pinSet] // replaced whole by SetPins (pins.go)
	confusables map[rune][]rune
	queries     *queryLog
}

// NewPlanner returns a planner with the synonyms of synonymsFile (""
// means the embedded ones).
func NewPlanner(synonymsFile string) (*Planner, error) {
	syn, err := LoadSynonyms(synonymsFile)
	if err != nil {
		return nil, err
	}
	pl := &Planner{confusables: loadConfusables(), queries: newQueryLog()}
	pl.synonyms.Store(syn)
	return pl, nil
}

// attempt is what one strategy found.
type attempt struct {
	aq      analysedQuery // the query whose hits these are: the typed one or an alternative
	res     *result
	relaxed bool         // the hits match some of the words, not all
	syn     *syntaxQuery // the query with syntax whose hits these are; nil: free text
}

// good reports an attempt that ends the plan.
func (a *attempt) good() bool { return a != nil && a.res.Total > 0 }

// strategy is one pass of a plan. It returns nil when it does not apply.
type strategy struct {
	name string
	run  func(p *plan, ctx context.Context, aq analysedQuery) (*attempt, error)
}

// textStrategies are tried in order on the typed query and on an
// alternative one.
var textStrategies = []strategy{
	{"all words", (*plan).allWords},
	{"any word", (*plan).anyWord},
}

// plan is the state of one search: what it searches and what the passes
// learnt so far.
type plan struct {
	pl  *Planner
	v   View
	req Request
	f   Filters

	typed      analysedQuery
	syn        *syntaxQuery // the query's syntax; nil: free text (see compile.go)
	exactTotal uint64       // matches of all typed words (allWords on the typed query)
	advised    bool
	advice     advice
}

// advice is what the plan says about the typed query: a probably mistyped
// query gets did_you_mean; alt is the query to search instead when the
// typed one finds nothing (the correction, or a pinyin query's characters).
type advice struct {
	didYouMean string
	alt        string
}

// Search runs one search on v.
func (pl *Planner) Search(ctx context.Context, v View, req Request) (*Response, error) {
	start := time.Now()
	if err := req.Normalize(); err != nil {
		return nil, err
	}
	p := pl.newPlan(v, req)
	won, err := p.search(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := p.assemble(ctx, won)
	if err != nil {
		return nil, err
	}
	resp.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return resp, nil
}

// Compile returns the query of every word of text as the plan's first
// strategy runs it, without filters or paging (Text nil when text has no
// words): the compiled form that an engine runs, for its tests and tools.
func (pl *Planner) Compile(seg *analysis.Segmenter, text string) Query {
	aq := pl.analyse(seg, text)
	return Query{Text: pl.baseQuery(aq), Pairs: aq.pairs}
}

// newPlan starts the plan of a normalised request.
func (pl *Planner) newPlan(v View, req Request) *plan {
	p := &plan{pl: pl, v: v, req: req,
		f: Filters{Districts: req.Districts, Topics: req.Topics, Years: req.Years, From: req.DateFrom, To: req.DateTo}}
	sq, ok := parseSyntax(req.Query)
	if !ok {
		p.typed = pl.analyse(v.Segmenter(), req.Query)
		return p
	}
	// Advice looks at the required words.
	p.syn = pl.newSyntaxQuery(v.Segmenter(), sq)
	p.typed = pl.analyse(v.Segmenter(), sq.Words())
	return p
}

// search tries the strategies on the typed query, then, when nothing was
// found, on the alternative query that the advice names.
func (p *plan) search(ctx context.Context) (*attempt, error) {
	if p.syn != nil {
		return p.searchSyntax(ctx)
	}
	won, exact, err := p.try(ctx, p.typed)
	if err != nil {
		return nil, err
	}
	p.exactTotal = exact
	if len(p.typed.words) == 0 || p.exactTotal >= minGoodResults {
		return won, nil
	}
	adv, err := p.advise(ctx)
	if err != nil {
		return nil, err
	}
	if won.good() || adv.alt == "" {
		return won, nil
	}
	alt, _, err := p.try(ctx, p.pl.analyse(p.v.Segmenter(), adv.alt))
	if err != nil {
		return nil, err
	}
	return alt, nil
}

// try runs the text strategies on aq in order until one is good enough;
// it returns the last attempt when none is, and how many articles match
// all the words (the first strategy's total).
func (p *plan) try(ctx context.Context, aq analysedQuery) (*attempt, uint64, error) {
	var last *attempt
	var exact uint64
	for i, s := range textStrategies {
		a, err := s.run(p, ctx, aq)
		if err != nil {
			return nil, 0, err
		}
		if a == nil {
			continue
		}
		if i == 0 {
			exact = a.res.Total
		}
		last = a
		if a.good() {
			break
		}
	}
	return last, exact, nil
}

// allWords: every word (or one of its synonyms) must match, or the article
// holds the query as typed, however jieba cut it (the pair sets); those
// come first. An empty query matches every article.
func (p *plan) allWords(ctx context.Context, aq analysedQuery) (*attempt, error) {
	res, err := p.run(ctx, aq, p.pl.baseQuery(aq), aq.pairs)
	if err != nil {
		return nil, err
	}
	return &attempt{aq: aq, res: res}, nil
}

// anyWord relaxes a query of several words to any of them.
func (p *plan) anyWord(ctx context.Context, aq analysedQuery) (*attempt, error) {
	if len(aq.words) == 0 || len(aq.units) < 2 {
		return nil, nil
	}
	res, err := p.run(ctx, aq, p.pl.textQuery(aq, true), nil)
	if err != nil {
		return nil, err
	}
	return &attempt{aq: aq, res: res, relaxed: res.Total > 0}, nil
}

// advise computes the advice on the typed query once: a pinyin query's
// characters, or a probable typo's correction (counting the candidates).
func (p *plan) advise(ctx context.Context) (advice, error) {
	if p.advised {
		return p.advice, nil
	}
	p.advised = true
	if p.typed.pinyin {
		p.advice.alt = p.v.Vocabulary().FromPinyin(p.typed.raw)
		return p.advice, nil
	}
	// A failed count leaves no advice; it does not fail the search.
	dym, _ := p.pl.didYouMean(ctx, p.v, p.typed, p.exactTotal, p.f)
	p.advice = advice{didYouMean: dym, alt: dym}
	return p.advice, nil
}

// result is the page of hits of one run, with its facet counts.
type result struct {
	Total  uint64
	hits   []Found
	facets map[string][]Facet
}

// run asks the view for the page of q (text, and the pair group pairs):
// the hits, the total and the facet counts; a relevance search of several
// words reads the first RerankWindow hits and reranks them by exact phrase
// (see windowed, phraseOrder).
func (p *plan) run(ctx context.Context, aq analysedQuery, text query.Query, pairs []analysis.PairKey) (*result, error) {
	return p.runQuery(ctx, Query{Text: text, Pairs: pairs}, aq.phrase, len(aq.words) > 0 && !aq.singleTerm())
}

// runQuery runs q (its text, pairs and Within) with the plan's filters and
// paging; reorder asks for the phrase rerank of the first hits by phrase.
func (p *plan) runQuery(ctx context.Context, q Query, phrase string, reorder bool) (*result, error) {
	req, text := p.req, q.Text
	from := (req.Page - 1) * req.Size
	k, rerank := windowed(from, req.Size, req.Sort == "relevance" && reorder)
	q.Filters, q.From, q.Size = p.f, from, req.Size
	q.ByDate, q.Facets = req.Sort == "date" || text == nil, true
	if rerank {
		q.From, q.Size = 0, k
	}
	res, err := p.v.Run(ctx, q)
	if err != nil {
		return nil, MapError(ctx, err)
	}
	out := &result{Total: res.Total, hits: res.Hits, facets: res.Facets}
	if !rerank {
		return out, nil
	}
	n := min(len(out.hits), RerankWindow) // the window; past it, the order as found
	window := out.hits[:n]
	if err := p.read(ctx, window); err != nil {
		return nil, err
	}
	arts := make([]*schema.Article, n)
	for i, h := range window {
		arts[i] = h.Article
	}
	hits := make([]Found, len(out.hits))
	copy(hits, out.hits)
	for k, i := range phraseOrder(phrase, arts) {
		hits[k] = window[i]
	}
	lo, hi := min(from, len(hits)), min(from+req.Size, len(hits))
	out.hits = hits[lo:hi]
	return out, nil
}

// read fills in the articles of hits that the view did not read with them.
func (p *plan) read(ctx context.Context, hits []Found) error {
	var ids []string
	var at []int
	for i, h := range hits {
		if h.Article == nil {
			ids, at = append(ids, h.ID), append(at, i)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	arts, err := p.v.Articles(ctx, ids)
	if err != nil {
		return &errs.Error{Kind: errs.Internal, Code: "internal", Message: "reading articles failed", Err: err}
	}
	for k, a := range arts {
		hits[at[k]].Article = a
	}
	return nil
}

// assemble makes the answer from the attempt that won: total, facets, and
// the page of hits with snippets.
func (p *plan) assemble(ctx context.Context, won *attempt) (*Response, error) {
	req, res := p.req, won.res
	resp := &Response{Query: req.Query, Page: req.Page, Size: req.Size, Hits: []Hit{},
		Total: res.Total, Facets: res.facets, Relaxed: won.relaxed, DidYouMean: p.advice.didYouMean}
	if res.Total > 0 && req.Page == 1 && len(p.typed.words) > 0 && resp.DidYouMean == "" && !p.typed.pinyin {
		p.pl.queries.record(req.Query)
	}
	if err := p.read(ctx, res.hits); err != nil {
		return nil, err
	}
	marks := highlightTerms(won.aq)
	if won.syn != nil {
		marks = won.syn.marks
	}
	for _, h := range res.hits {
		a := h.Article
		if a == nil {
			continue
		}
		marks := marks
		if won.syn != nil && len(won.syn.numbers) > 0 {
			marks = numberMarks(a.Body, won.syn.numbers, marks)
		}
		resp.Hits = append(resp.Hits, Hit{
			ID: a.ID, Title: a.Title, Date: a.Date, Year: a.Year,
			Districts: nonNil(a.Districts), Topics: nonNil(a.Topics), Source: a.Source, URL: a.URL,
			Snippet: Snippet(a.Body, marks, snippetRunes), Score: round(h.Score),
		})
	}
	if err := p.pin(ctx, resp, marks); err != nil {
		return nil, err
	}
	return resp, nil
}
