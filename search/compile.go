package search

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/govdoc"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/search/syntax"
)

// A query with syntax (search/syntax: phrases, exclusions, alternatives,
// scopes, document numbers) is compiled here; a query without any is
// searched as free text (textQuery), exactly as if no syntax existed.
//
// Each required clause matches when one of its terms does; every clause
// is required, and no article matching an excluded term is found. A term
// matches:
//
//   - a document number (a term that is one, in any bracket form and
//     script, or a 文号: term): the article bearing it (doc_no, weighed
//     far over the rest), then the articles citing it (cites); nothing
//     else;
//   - a word: as a free-text word, its synonyms included (excluded words
//     without synonyms);
//   - a phrase alone in its clause (unscoped or 正文:) of two Han
//     characters or more: the articles holding it as typed, however jieba
//     cut it: every Han pair of it (the pair sets, exact for two
//     characters, the Ctrl-F promise); the first hits are checked against
//     the text, those holding the phrase itself first (the exact-phrase
//     rerank); its words score the matches;
//   - another phrase: its words, all required;
//   - scoped 标题: the title only (its words, or its run of characters);
//     正文: the text field, which holds the title's words as well as the
//     body's; 发文机关: the issuers' words (issuer_text); a 文号: term
//     that is no document number is read as words.
//
// A query of only exclusions lists every article but those, newest first.

// boostDocNo weighs the article bearing a number over the articles citing it.
const boostDocNo = 20.0

// syntaxQuery is a query with syntax, as its plan uses it.
type syntaxQuery struct {
	q       syntax.Query
	numbers []govdoc.Number // the document numbers among its required terms
	marks   []string        // what snippets mark: phrases and words (normalised)
	// pairs are the Han pairs of the phrases alone in their clause
	// (pairClauses), all of which an article must hold (the pair group is
	// the match set, Query.PairsOnly); phrase is the first of them, which
	// the first hits are checked for (rerank); "" when none.
	phrase      string
	pairs       []analysis.PairKey
	pairClauses map[int]bool
}

// parseSyntax reads q; ok is false when q is to be searched as free text:
// it has no syntax and is not a document number.
func parseSyntax(q string) (syntax.Query, bool) {
	sq := syntax.Parse(q)
	if !sq.Plain() {
		return sq, true
	}
	if _, ok := govdoc.Parse(q); ok {
		// a number typed with spaces inside is still one term
		return syntax.Query{Must: []syntax.Clause{{Any: []syntax.Term{{Text: strings.TrimSpace(q), Field: syntax.DocNo}}}}}, true
	}
	for _, c := range sq.Must {
		if _, ok := govdoc.Parse(c.Any[0].Text); ok {
			return sq, true
		}
	}
	return sq, false
}

// numberOf reports a term that names a document number.
func numberOf(t syntax.Term) (govdoc.Number, bool) {
	if t.Field != syntax.Anywhere && t.Field != syntax.DocNo {
		return govdoc.Number{}, false
	}
	return govdoc.Parse(t.Text)
}

// queryKeys are the keys a typed number is looked up by: its normal form
// and, when an issuer's name is glued to the abbreviation
// (北京市人民政府京政发〔2015〕17号), the number after the name. Shorter
// tails are not keys of a query: 政办发〔2016〕26号 is every province's.
func queryKeys(n govdoc.Number) []string {
	keys := []string{n.String()}
	p := n.Prefix
	for _, w := range issuerEnds {
		if i := strings.LastIndex(p, w); i >= 0 && utf8.RuneCountInString(p[i+len(w):]) >= 2 {
			keys = append(keys, govdoc.Number{Prefix: p[i+len(w):], Year: n.Year, Serial: n.Serial}.String())
			break
		}
	}
	return keys
}

// issuerEnds end the names of issuers that people glue to a number.
var issuerEnds = []string{"人民政府", "政府", "办公厅", "办公室", "委员会", "国务院"}

// numberClause matches the article bearing n first, then those citing it.
func numberClause(n govdoc.Number) query.Query {
	keys := queryKeys(n)
	qs := make([]query.Query, 0, 2*len(keys))
	for _, k := range keys {
		qs = append(qs, term(schema.FieldDocNo, k, boostDocNo))
	}
	for _, k := range keys {
		qs = append(qs, term(schema.FieldCites, k, 1))
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// newSyntaxQuery prepares sq for its plan.
func (pl *Planner) newSyntaxQuery(seg *analysis.Segmenter, sq syntax.Query) *syntaxQuery {
	s := &syntaxQuery{q: sq, pairClauses: map[int]bool{}}
	seen := map[analysis.PairKey]bool{}
	for ci, c := range sq.Must {
		for _, t := range c.Any {
			if n, ok := numberOf(t); ok {
				s.numbers = append(s.numbers, n)
				continue
			}
			aq := pl.analyse(seg, t.Text)
			if t.Phrase {
				s.marks = append(s.marks, aq.phrase)
				if len(c.Any) == 1 && (t.Field == syntax.Anywhere || t.Field == syntax.Body) {
					if keys, ok := analysis.QueryPairs(aq.phrase); ok && len(keys) > 0 {
						if s.phrase == "" {
							s.phrase = aq.phrase
						}
						s.pairClauses[ci] = true
						for _, k := range keys {
							if !seen[k] {
								seen[k] = true
								s.pairs = append(s.pairs, k)
							}
						}
					}
				}
			}
			s.marks = append(s.marks, highlightTerms(aq)...)
		}
	}
	s.marks = longestFirst(s.marks)
	return s
}

// longestFirst returns the distinct non-empty strings of xs, longest first.
func longestFirst(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return utf8.RuneCountInString(out[i]) > utf8.RuneCountInString(out[j])
	})
	return out
}

// compileSyntax returns the query of s: every clause required (relaxed:
// any clause of words, a number's clause still required) and no excluded
// term matching; and within, the condition the pair group must meet
// besides the pairs (nil when s has no pair group or nothing else).
func (pl *Planner) compileSyntax(seg *analysis.Segmenter, s *syntaxQuery, relaxed bool) (text, within query.Query) {
	var required, optional, others []query.Query
	for ci, c := range s.q.Must {
		var alts []query.Query
		numbered := false
		for _, t := range c.Any {
			if n, ok := numberOf(t); ok {
				numbered = true
				alts = append(alts, numberClause(n))
			} else if q := pl.termQuery(seg, t, true); q != nil {
				alts = append(alts, q)
			}
		}
		if len(alts) == 0 {
			continue
		}
		cq := alts[0]
		if len(alts) > 1 {
			cq = bleve.NewDisjunctionQuery(alts...)
		}
		switch {
		case numbered || !relaxed:
			required = append(required, cq)
			if !s.pairClauses[ci] {
				others = append(others, cq)
			}
		default:
			optional = append(optional, cq)
		}
	}
	if len(optional) > 0 {
		d := bleve.NewDisjunctionQuery(optional...)
		d.SetMin(1)
		required = append(required, d)
		others = append(others, d)
	}
	var nots []query.Query
	for _, t := range s.q.Not {
		if q := pl.termQuery(seg, t, false); q != nil {
			nots = append(nots, q)
		} else if n, ok := numberOf(t); ok {
			nots = append(nots, numberClause(n))
		}
	}
	text = withNot(conjunction(required), nots)
	if len(s.pairs) > 0 && (len(others) > 0 || len(nots) > 0) {
		within = withNot(conjunction(others), nots)
	}
	return text, within
}

// conjunction requires every query of qs; nil when qs is empty.
func conjunction(qs []query.Query) query.Query {
	switch len(qs) {
	case 0:
		return nil
	case 1:
		return qs[0]
	}
	return bleve.NewConjunctionQuery(qs...)
}

// withNot excludes the matches of nots from must (nil: every article); nil
// when there is nothing to require nor to exclude.
func withNot(must query.Query, nots []query.Query) query.Query {
	if len(nots) == 0 {
		return must
	}
	if must == nil {
		must = bleve.NewMatchAllQuery()
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(must)
	b.AddMustNot(nots...)
	return b
}

// termQuery compiles one term that is not a document number (see the
// comment at the top of the file); nil when it has no words.
// withSynonyms adds the synonyms of free-text words.
func (pl *Planner) termQuery(seg *analysis.Segmenter, t syntax.Term, withSynonyms bool) query.Query {
	if _, ok := numberOf(t); ok {
		return nil
	}
	aq := pl.analyse(seg, t.Text)
	if len(aq.words) == 0 {
		return nil
	}
	switch t.Field {
	case syntax.Title:
		return titleQuery(aq, t.Phrase)
	case syntax.Issuer:
		qs := make([]query.Query, len(aq.words))
		for i, w := range aq.words {
			qs[i] = term(schema.FieldIssuerText, w, 1)
		}
		return conjunction(qs)
	}
	if t.Phrase || !withSynonyms {
		qs := make([]query.Query, len(aq.words))
		for i, w := range aq.words {
			qs[i] = wordClause(w, aq.chunked[w])
		}
		return conjunction(qs)
	}
	qs := make([]query.Query, len(aq.units))
	for i, u := range aq.units {
		qs[i] = unitClause(u, aq.chunked)
	}
	return conjunction(qs)
}

// titleQuery matches aq in the title: a phrase as its run of characters
// (every bigram of it, title2), a word as a title word or its run of
// characters; a single character as a title word.
func titleQuery(aq analysedQuery, phrase bool) query.Query {
	one := func(s string) query.Query {
		var qs []query.Query
		if !phrase || !isMultiRune(s) {
			qs = append(qs, term(schema.FieldTitle, s, boostTitle))
		}
		if isMultiRune(s) {
			if q := bigramsAll(schema.FieldTitleBigrams, s, boostTitle*0.5); q != nil {
				qs = append(qs, q)
			}
		}
		if len(qs) == 1 {
			return qs[0]
		}
		return bleve.NewDisjunctionQuery(qs...)
	}
	if phrase && !strings.Contains(aq.phrase, " ") {
		return one(aq.phrase)
	}
	qs := make([]query.Query, len(aq.words))
	for i, w := range aq.words {
		qs[i] = one(w)
	}
	return conjunction(qs)
}
