package search

import (
	"context"
	"strings"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/govdoc"
	"github.com/govbulletin/bulletin/search/syntax"
)

// The plan of a query with syntax (see compile.go): every clause, then,
// when nothing matches them all, any clause of words (numbers and
// exclusions, and every term's scope, kept); then, for a query whose
// required terms are only words, the advice on those words (a pinyin
// query's characters, a typo's correction), searched with the same
// exclusions.

// searchSyntax runs the plan of p.syn.
func (p *plan) searchSyntax(ctx context.Context) (*attempt, error) {
	won, exact, err := p.trySyntax(ctx, p.syn)
	if err != nil {
		return nil, err
	}
	p.exactTotal = exact
	if !p.syn.onlyWords() || exact >= minGoodResults {
		return won, nil
	}
	adv, err := p.advise(ctx)
	if err != nil {
		return nil, err
	}
	p.advice.didYouMean = p.syn.withWords(adv.didYouMean)
	if won.good() || adv.alt == "" {
		return won, nil
	}
	alt := p.pl.newSyntaxQuery(p.v.Segmenter(), syntax.Parse(p.syn.withWords(adv.alt)))
	a, _, err := p.trySyntax(ctx, alt)
	if err != nil {
		return nil, err
	}
	return a, nil
}

// trySyntax runs every clause of s, then, when nothing matches and s has
// two clauses of words or more, any of them; it returns the attempt that
// won and how many articles match every clause.
func (p *plan) trySyntax(ctx context.Context, s *syntaxQuery) (*attempt, uint64, error) {
	seg := p.v.Segmenter()
	text, within := p.pl.compileSyntax(seg, s, false)
	q := Query{Text: text}
	if text != nil {
		q.Pairs, q.Within, q.PairsOnly = s.pairs, within, len(s.pairs) > 0
	}
	res, err := p.runQuery(ctx, q, s.phrase, s.phrase != "")
	if err != nil {
		return nil, 0, err
	}
	a := &attempt{aq: p.typed, res: res, syn: s}
	if a.good() || s.wordClauses() < 2 {
		return a, res.Total, nil
	}
	text, _ = p.pl.compileSyntax(seg, s, true)
	relaxed, err := p.runQuery(ctx, Query{Text: text}, "", false)
	if err != nil {
		return nil, 0, err
	}
	return &attempt{aq: p.typed, res: relaxed, relaxed: relaxed.Total > 0, syn: s}, res.Total, nil
}

// onlyWords reports a query whose required terms are all unscoped,
// unquoted words (its syntax is its exclusions): advice on its words
// makes a query of the same kind.
func (s *syntaxQuery) onlyWords() bool {
	if len(s.q.Must) == 0 {
		return false
	}
	for _, c := range s.q.Must {
		if len(c.Any) != 1 {
			return false
		}
		t := c.Any[0]
		if _, ok := numberOf(t); ok || t.Phrase || t.Field != syntax.Anywhere {
			return false
		}
	}
	return true
}

// withWords is the query of words (space-separated) with s's exclusions,
// in the syntax; "" for no words.
func (s *syntaxQuery) withWords(words string) string {
	fs := strings.Fields(words)
	if len(fs) == 0 {
		return ""
	}
	q := syntax.Query{Not: s.q.Not}
	for _, w := range fs {
		q.Must = append(q.Must, syntax.Clause{Any: []syntax.Term{{Text: w}}})
	}
	return q.String()
}

// wordClauses counts the required clauses that name no document number.
func (s *syntaxQuery) wordClauses() int {
	n := 0
	for _, c := range s.q.Must {
		numbered := false
		for _, t := range c.Any {
			if _, ok := numberOf(t); ok {
				numbered = true
			}
		}
		if !numbered {
			n++
		}
	}
	return n
}

// numberMarks adds to marks the forms in which body writes the numbers,
// longest first (what a snippet marks).
func numberMarks(body string, numbers []govdoc.Number, marks []string) []string {
	norm := analysis.Normalize(strings.Join(strings.Fields(body), " "))
	out := append([]string(nil), marks...)
	for _, n := range numbers {
		out = append(out, govdoc.Written(norm, n)...)
	}
	return longestFirst(out)
}
