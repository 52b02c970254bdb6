package search

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
)

// Boosts. Title matches weigh over body matches; an article that holds the
// whole query as one phrase weighs far over one that has its words apart.
const (
	boostTitle        = 3.0
	boostPhraseTitle  = 12.0
	boostAllInTitle   = 4.0
	maxQueryWords     = 32
	maxBigramsPerTerm = 24
)

// analysed is a query after analysis.
type analysedQuery struct {
	raw      string              // the query as typed (trimmed)
	pinyin   bool                // raw is made of pinyin letters (see isPinyinQuery)
	norm     string              // normalised query text
	words    []string            // default-mode words, in order, duplicates removed
	required []string            // words every hit must match (stop words dropped)
	units    []unit              // required words grouped with their synonyms
	chunked  map[string][]string // words made of lone characters (see chunks) → their pieces
	phrase   string              // the query as one phrase (spaces removed between Han)
	pairs    []analysis.PairKey  // the Han pairs of phrase when it is all Han (2+ characters), else nil
}

// analyse normalises and segments the query in jieba's default mode, with
// the segmenter of the generation it runs on.
func (pl *Planner) analyse(seg *analysis.Segmenter, q string) analysedQuery {
	norm := strings.TrimSpace(analysis.Normalize(analysis.CleanText(q)))
	aq := analysedQuery{raw: q, pinyin: isPinyinQuery(q), norm: norm, phrase: phraseOf(norm), chunked: map[string][]string{}}
	seen := map[string]bool{}
	for _, t := range pl.chunks(seg.Words(norm), aq.chunked) {
		if seen[t.Term] || len(aq.words) >= maxQueryWords {
			continue
		}
		seen[t.Term] = true
		aq.words = append(aq.words, t.Term)
	}
	for _, w := range aq.words {
		if !analysis.IsStopWord(w) {
			aq.required = append(aq.required, w)
		}
	}
	if len(aq.required) == 0 {
		aq.required = aq.words
	}
	aq.units = pl.synonyms.units(aq.required)
	aq.pairs, _ = analysis.QueryPairs(aq.phrase)
	return aq
}

// chunks joins each lone character that jieba left on its own (a piece of
// a word no dictionary has: 首钢园 → 首钢 园) to the word it touches, so
// that the unknown word is matched as a whole (its known pieces as words
// and the join bigrams of its lone characters, see analysis/joins.go) rather
// than as a single character. It follows the index's rule: a lone character
// is one Han character that is not a stop word, joined to a neighbour that
// is not a stop word and has a Han edge. chunked maps each joined word to its
// pieces.
func (pl *Planner) chunks(words []analysis.Token, chunked map[string][]string) []analysis.Token {
	var out []analysis.Token
	var pieces [][]string // pieces of out[i], when joined
	for i := 0; i < len(words); i++ {
		t := words[i]
		if !analysis.IsLone(t.Term) {
			out = append(out, t)
			pieces = append(pieces, nil)
			continue
		}
		if n := len(out); n > 0 && out[n-1].End == t.Start && analysis.Joinable(out[n-1].Term, true) {
			if pieces[n-1] == nil {
				pieces[n-1] = []string{out[n-1].Term}
			}
			pieces[n-1] = append(pieces[n-1], t.Term)
			out[n-1].Term += t.Term
			out[n-1].End = t.End
			continue
		}
		if i+1 < len(words) && words[i+1].Start == t.End && analysis.Joinable(words[i+1].Term, false) {
			next := words[i+1]
			out = append(out, analysis.Token{Term: t.Term + next.Term, Start: t.Start, End: next.End, Pos: t.Pos})
			pieces = append(pieces, []string{t.Term, next.Term})
			i++
			continue
		}
		out = append(out, t)
		pieces = append(pieces, nil)
	}
	for i, p := range pieces {
		if p != nil {
			chunked[out[i].Term] = p
		}
	}
	return out
}

// singleWord reports a query that is one word as typed (no synonyms): its
// word clause already weighs the whole phrase, so no phrase clause is added.
func (aq analysedQuery) singleWord() bool {
	return len(aq.units) == 1 && len(aq.units[0].words) == 1 && len(aq.units[0].alts) == 0 && aq.units[0].words[0] == aq.phrase
}

// singleTerm reports a query that is one dictionary word, matched as a term:
// every hit holds it as typed, so there is no phrase to boost or verify.
func (aq analysedQuery) singleTerm() bool {
	if !aq.singleWord() {
		return false
	}
	w := aq.units[0].words[0]
	n := len([]rune(w))
	return n >= 2 && n <= 3 && allHan(w) && aq.chunked[w] == nil
}

// phraseOf removes spaces between Han characters: 养老 驿站 is the phrase 养老驿站.
func phraseOf(norm string) string {
	rs := []rune(norm)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsSpace(r) {
			prevHan := i > 0 && analysis.IsHan(rs[i-1])
			nextHan := i+1 < len(rs) && analysis.IsHan(rs[i+1])
			if prevHan || nextHan {
				continue
			}
		}
		b.WriteRune(r)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// boosted multiplies the boost of every term query of q by b and returns
// q. bleve uses the boost of term queries only: a boost set on a
// conjunction, disjunction or boolean query has no effect on scores
// (TestCompoundBoostsIgnored), so a clause is weighed by boosting its
// leaves. The OpenSearch translation (search/opensearch) sends term boosts only, and
// so weighs the clause alike.
func boosted(q query.Query, b float64) query.Query {
	switch q := q.(type) {
	case *query.TermQuery:
		q.SetBoost(q.Boost() * b)
	case *query.ConjunctionQuery:
		for _, c := range q.Conjuncts {
			boosted(c, b)
		}
	case *query.DisjunctionQuery:
		for _, c := range q.Disjuncts {
			boosted(c, b)
		}
	case *query.BooleanQuery:
		for _, c := range []query.Query{q.Must, q.Should, q.MustNot} {
			if c != nil {
				boosted(c, b)
			}
		}
	default:
		panic(fmt.Sprintf("boosted: no leaves known for %T", q))
	}
	return q
}

func term(field, t string, boost float64) query.Query {
	q := bleve.NewTermQuery(t)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

// bigramsAll matches text that holds every bigram of s: the recall path for
// words no dictionary has, and a cheap superset of "s occurs as a phrase".
func bigramsAll(field, s string, boost float64) query.Query {
	terms := analysis.BigramTerms(s)
	if len(terms) == 0 {
		return nil
	}
	if len(terms) > maxBigramsPerTerm {
		terms = terms[:maxBigramsPerTerm]
	}
	seen := map[string]bool{}
	var qs []query.Query
	for _, t := range terms {
		if !seen[t] {
			seen[t] = true
			qs = append(qs, term(field, t, 1))
		}
	}
	if len(qs) == 1 {
		return boosted(qs[0], boost)
	}
	return boosted(bleve.NewConjunctionQuery(qs...), boost)
}

// wordClause matches a document that holds the word: as a jieba term in the
// title or body; in the title also as a character sequence (all its bigrams)
// when it has four characters or more, is not all Han, or is an unknown word
// joined from pieces; in the body, an unknown word also as its pieces
// (joinedClause). Words of two or three characters are matched as terms
// only: search mode indexes them inside every compound that contains them,
// and their bigrams would also match across word boundaries (养老 in 供养老人).
func wordClause(w string, pieces []string) query.Query {
	qs := []query.Query{term(schema.FieldBody, w, 1)} // body holds the title's words too, weighted
	if n := len([]rune(w)); n >= 4 || n >= 2 && (pieces != nil || !allHan(w)) {
		if q := bigramsAll(schema.FieldTitleBigrams, w, boostTitle*0.5); q != nil {
			qs = append(qs, q)
		}
	}
	if q := joinedClause(pieces); q != nil {
		qs = append(qs, q)
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// joinedClause matches an unknown word in the body by its pieces: the words
// among them as terms, the join bigrams of its lone characters in the join
// field (a lone character with no joinable neighbour as a term). Like
// bigramsAll, it is a superset of the word's occurrences; the top hits are
// checked against the text.
func joinedClause(pieces []string) query.Query {
	if len(pieces) < 2 {
		return nil
	}
	if len(pieces) > maxBigramsPerTerm {
		pieces = pieces[:maxBigramsPerTerm]
	}
	var qs []query.Query
	seen := map[string]bool{}
	add := func(field, t string) {
		if !seen[field+"\x00"+t] {
			seen[field+"\x00"+t] = true
			qs = append(qs, term(field, t, 1))
		}
	}
	joins, words := analysis.JoinsOf(pieces)
	for _, w := range words {
		add(schema.FieldBody, w)
	}
	for _, j := range joins {
		add(schema.FieldBodyJoins, j)
	}
	return boosted(bleve.NewConjunctionQuery(qs...), 0.5)
}

func isMultiRune(s string) bool {
	n := 0
	for range s {
		if n++; n > 1 {
			return true
		}
	}
	return false
}

// boostSynonym weighs a match of a synonym below a match of the typed words.
const boostSynonym = 0.5

// unitClause matches the typed words of a unit, or any of its synonyms
// (each synonym word required, at a lower weight).
func unitClause(u unit, chunked map[string][]string) query.Query {
	var exact query.Query
	if len(u.words) == 1 {
		exact = wordClause(u.words[0], chunked[u.words[0]])
	} else {
		var qs []query.Query
		for _, w := range u.words {
			qs = append(qs, wordClause(w, chunked[w]))
		}
		exact = bleve.NewConjunctionQuery(qs...)
	}
	if len(u.alts) == 0 {
		return exact
	}
	qs := []query.Query{exact}
	for _, form := range u.alts {
		parts := strings.Fields(form)
		var q query.Query
		if len(parts) == 1 {
			q = boosted(wordClause(parts[0], nil), boostSynonym)
		} else {
			var ps []query.Query
			for _, p := range parts {
				ps = append(ps, wordClause(p, nil))
			}
			q = boosted(bleve.NewConjunctionQuery(ps...), boostSynonym)
		}
		qs = append(qs, q)
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// baseQuery is the query of every word of aq; nil (every article) when aq
// has no words.
func (pl *Planner) baseQuery(aq analysedQuery) query.Query {
	if len(aq.words) == 0 {
		return nil
	}
	return pl.textQuery(aq, false)
}

// textQuery builds the query for the words: every required word (or one of
// its synonyms) must match (or, relaxed, at least one); the whole phrase and
// all words in the title add to the score.
func (pl *Planner) textQuery(aq analysedQuery, relaxed bool) query.Query {
	var clauses []query.Query
	for _, u := range aq.units {
		clauses = append(clauses, unitClause(u, aq.chunked))
	}
	var must query.Query
	switch {
	case len(clauses) == 1:
		must = clauses[0] // one layer less for every match
	case relaxed:
		d := bleve.NewDisjunctionQuery(clauses...)
		d.SetMin(1)
		must = d
	default:
		must = bleve.NewConjunctionQuery(clauses...)
	}
	var should []query.Query
	if !aq.singleWord() && isMultiRune(aq.phrase) {
		if q := bigramsAll(schema.FieldTitleBigrams, aq.phrase, boostPhraseTitle); q != nil {
			should = append(should, q)
		}
	}
	if len(aq.required) > 1 {
		var ts []query.Query
		for _, w := range aq.required {
			ts = append(ts, term(schema.FieldTitle, w, 1))
		}
		should = append(should, boosted(bleve.NewConjunctionQuery(ts...), boostAllInTitle))
	}
	if len(should) == 0 {
		return must
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(must)
	d := bleve.NewDisjunctionQuery(should...)
	d.SetMin(0)
	b.AddShould(d)
	return b
}
