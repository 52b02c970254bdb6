package opensearch

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/search/query"
)

// maxCoordClauses caps the disjunctions whose coord factor is reproduced
// (with n(n-1)/2 pair clauses); a larger one is summed without it.
const maxCoordClauses = 6

// translate turns the planner's compiled query (bleve query values) into
// the OpenSearch query DSL, clause for clause, so that both engines match
// the same documents with the same weights (terms and joins, title bigrams,
// synonyms, phrase and all-in-title boosts). Only the query types the
// planner makes are handled; any other is an error, not a silent change.
// The text fields score with bleve's tf-idf (indexer.OSSimilarity). bleve
// applies boosts of term queries only (a conjunction's, disjunction's or
// boolean's boost is not used), so only term boosts are sent; bleve's coord
// factor of disjunctions is rebuilt from pairs of clauses.
func translate(q query.Query) (map[string]any, error) {
	boost := func(q query.Query) float64 {
		if b, ok := q.(query.BoostableQuery); ok {
			return b.Boost()
		}
		return 1
	}
	list := func(qs []query.Query) ([]any, error) {
		out := make([]any, 0, len(qs))
		for _, c := range qs {
			t, err := translate(c)
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
		return map[string]any{"bool": map[string]any{"must": cs}}, nil
	case *query.DisjunctionQuery:
		ds, err := list(q.Disjuncts)
		if err != nil {
			return nil, err
		}
		// A disjunction matches a document that matches at least one
		// clause (or Min of them); as an optional clause of a boolean query
		// it is optional as a whole.
		msm := max(1, int(q.Min))
		n := len(ds)
		if n < 2 || n > maxCoordClauses {
			return map[string]any{"bool": map[string]any{"should": ds, "minimum_should_match": msm}}, nil
		}
		// bleve's coord: a document matching k of the n clauses scores
		// k/n · Σ s_i. Each clause at weight 1/n, plus each pair of
		// clauses (both required) at weight 1/n, gives exactly that: s_i
		// is counted 1/n + (k-1)/n = k/n.
		w := 1 / float64(n)
		var should []any
		for _, d := range ds {
			should = append(should, map[string]any{"bool": map[string]any{"must": []any{d}, "boost": w}})
		}
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				should = append(should, map[string]any{"bool": map[string]any{"must": []any{ds[i], ds[j]}, "boost": w}})
			}
		}
		if msm > 1 {
			// at least msm distinct clauses: the pairs would count twice
			only := map[string]any{"bool": map[string]any{"should": ds, "minimum_should_match": msm}}
			return map[string]any{"bool": map[string]any{"filter": []any{only}, "should": should, "minimum_should_match": 1}}, nil
		}
		return map[string]any{"bool": map[string]any{"should": should, "minimum_should_match": 1}}, nil
	case *query.BooleanQuery:
		b := map[string]any{}
		if q.Must != nil {
			t, err := translate(q.Must)
			if err != nil {
				return nil, err
			}
			b["must"] = []any{t}
		}
		if q.Should != nil {
			t, err := translate(q.Should)
			if err != nil {
				return nil, err
			}
			b["should"] = []any{t}
			if q.Must != nil {
				b["minimum_should_match"] = 0
			}
		}
		if q.MustNot != nil {
			t, err := translate(q.MustNot)
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
