package search

import (
	"context"
	"time"

	"github.com/govbulletin/bulletin/internal/errs"
)

// A search is one plan:
//
//  1. the query is analysed once (analyse: normalised, segmented, stop
//     words and synonyms resolved, pinyin recognised);
//  2. strategies are tried in order, each on its own, until one is good
//     enough (it found something): every word, or the query as typed
//     however jieba cut it (the pair sets, see pairs.go), those first; any
//     word (relaxed, only when no article holds all the words); an
//     alternative query (the characters of a pinyin query, or the
//     correction of a probable typo), which runs the same strategies;
//  3. the answer is assembled from the attempt that won, with the advice
//     (did_you_mean) computed on the way.
//
// A plan belongs to one request; its passes only read the generation.

// attempt is what one strategy found.
type attempt struct {
	aq      analysedQuery // the query whose hits these are: the typed one or an alternative
	res     *result
	relaxed bool // the hits match some of the words, not all
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
	e   *Engine
	g   *generation
	req Request
	f   filters

	typed      analysedQuery
	exactTotal uint64 // matches of all typed words (allWords on the typed query)
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

	p := &plan{e: e, g: g, req: req,
		f:     filters{districts: req.Districts, topics: req.Topics, years: req.Years, from: req.DateFrom, to: req.DateTo},
		typed: e.analyse(g.seg, req.Query)}
	won, err := p.search(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := p.assemble(won)
	if err != nil {
		return nil, err
	}
	resp.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return resp, nil
}

// search tries the strategies on the typed query, then, when nothing was
// found, on the alternative query that the advice names.
func (p *plan) search(ctx context.Context) (*attempt, error) {
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
	alt, _, err := p.try(ctx, p.e.analyse(p.g.seg, adv.alt))
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
	res, err := p.e.run(ctx, p.g, p.e.baseQuery(aq), p.g.holding(aq.pairs), p.f, p.req, aq)
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
	res, err := p.e.run(ctx, p.g, p.e.textQuery(aq, true), nil, p.f, p.req, aq)
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
		p.advice.alt = p.g.vocabOf().fromPinyin(p.typed.raw)
		return p.advice, nil
	}
	// A failed count leaves no advice; it does not fail the search.
	dym, _ := p.e.didYouMean(ctx, p.g, p.typed, p.exactTotal, p.f)
	p.advice = advice{didYouMean: dym, alt: dym}
	return p.advice, nil
}

// assemble makes the answer from the attempt that won: total, facets, and
// the page of hits with snippets.
func (p *plan) assemble(won *attempt) (*Response, error) {
	req, res := p.req, won.res
	resp := &Response{Query: req.Query, Page: req.Page, Size: req.Size, Hits: []Hit{},
		Total: res.Total, Facets: res.facets, Relaxed: won.relaxed, DidYouMean: p.advice.didYouMean}
	if res.Total > 0 && req.Page == 1 && len(p.typed.words) > 0 && resp.DidYouMean == "" && !p.typed.pinyin {
		p.e.queries.record(req.Query)
	}
	arts := res.arts // read already when reranked
	if arts == nil {
		var err error
		if arts, err = p.g.GetMany(res.ids); err != nil {
			return nil, &errs.Error{Kind: errs.Internal, Code: "internal", Message: "reading articles failed", Err: err}
		}
	}
	marks := highlightTerms(won.aq)
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
	return resp, nil
}
