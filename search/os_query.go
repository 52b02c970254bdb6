package search

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/search/query"
)

// osQuery translates the bleve query that textQuery builds into the
// OpenSearch query DSL, clause for clause, so that both engines match the
// same documents with the same query building (terms and joins, title
// bigrams, synonyms, phrase and all-in-title boosts). Only the query types
// textQuery makes are handled; any other is an error, not a silent change.
// (Scores differ: bleve's tf-idf against Lucene's BM25; the phrase rerank,
// done by both on the text, decides the top of the list.)
func osQuery(q query.Query) (map[string]any, error) {
	boost := func(q query.Query) float64 {
		if b, ok := q.(query.BoostableQuery); ok {
			return b.Boost()
		}
		return 1
	}
	list := func(qs []query.Query) ([]any, error) {
		out := make([]any, 0, len(qs))
		for _, c := range qs {
			t, err := osQuery(c)
			if err != nil {
				return nil, err
			}
			out = append(out, t)
		}
		return out, nil
	}
	switch q := q.(type) {
	case *query.TermQuery:
		return map[string]any{"term": map[string]any{q.FieldVal: map[string]any{"value": q.Term, "boost": boost(q)}}}, nil
	case *query.ConjunctionQuery:
		cs, err := list(q.Conjuncts)
		if err != nil {
			return nil, err
		}
		return map[string]any{"bool": map[string]any{"must": cs, "boost": boost(q)}}, nil
	case *query.DisjunctionQuery:
		ds, err := list(q.Disjuncts)
		if err != nil {
			return nil, err
		}
		// A disjunction matches a document that matches at least one
		// clause (or Min of them); as an optional clause of a boolean query
		// it is optional as a whole.
		return map[string]any{"bool": map[string]any{"should": ds, "minimum_should_match": max(1, int(q.Min)), "boost": boost(q)}}, nil
	case *query.BooleanQuery:
		b := map[string]any{"boost": boost(q)}
		if q.Must != nil {
			t, err := osQuery(q.Must)
			if err != nil {
				return nil, err
			}
			b["must"] = []any{t}
		}
		if q.Should != nil {
			t, err := osQuery(q.Should)
			if err != nil {
				return nil, err
			}
			b["should"] = []any{t}
			if q.Must != nil {
				b["minimum_should_match"] = 0
			}
		}
		if q.MustNot != nil {
			t, err := osQuery(q.MustNot)
			if err != nil {
				return nil, err
			}
			b["must_not"] = []any{t}
		}
		return map[string]any{"bool": b}, nil
	case *query.MatchAllQuery:
		return map[string]any{"match_all": map[string]any{}}, nil
	}
	return nil, fmt.Errorf("opensearch: no translation for query type %T", q)
}
