package opensearch

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestOSQueryTranslation checks the translation of the query types that
// textQuery builds; what it sends is checked against a real cluster by
// TestOpenSearchParity.
func TestTranslate(t *testing.T) {
	a, b, c := term("body", "养老", 2), term("body", "驿站", 1), term("title2", "驿站", 1)
	disj := func(min float64, qs ...query.Query) query.Query {
		d := bleve.NewDisjunctionQuery(qs...)
		d.SetMin(min)
		return d
	}
	conj := bleve.NewConjunctionQuery(a, b)
	conj.SetBoost(7) // bleve does not apply a conjunction's boost: neither do we
	boolean := bleve.NewBooleanQuery()
	boolean.AddMust(a)
	boolean.AddShould(b)
	for _, tc := range []struct {
		name string
		q    query.Query
		want string
	}{
		{"term", a, `{"term":{"body":{"boost":2,"value":"养老"}}}`},
		{"conjunction", conj, `{"bool":{"must":[{"term":{"body":{"boost":2,"value":"养老"}}},{"term":{"body":{"boost":1,"value":"驿站"}}}]}}`},
		{"one-clause disjunction", disj(0, a), `{"bool":{"minimum_should_match":1,"should":[{"term":{"body":{"boost":2,"value":"养老"}}}]}}`},
		// coord: each clause at 1/2 and the pair at 1/2
		{"coord", disj(0, a, b), `{"bool":{"minimum_should_match":1,"should":[` +
			`{"bool":{"boost":0.5,"must":[{"term":{"body":{"boost":2,"value":"养老"}}}]}},` +
			`{"bool":{"boost":0.5,"must":[{"term":{"body":{"boost":1,"value":"驿站"}}}]}},` +
			`{"bool":{"boost":0.5,"must":[{"term":{"body":{"boost":2,"value":"养老"}}},{"term":{"body":{"boost":1,"value":"驿站"}}}]}}]}}`},
		{"boolean", boolean, `{"bool":{"minimum_should_match":0,"must":[{"bool":{"must":[{"term":{"body":{"boost":2,"value":"养老"}}}]}}],` +
			`"should":[{"bool":{"minimum_should_match":1,"should":[{"term":{"body":{"boost":1,"value":"驿站"}}}]}}]}}`},
	} {
		got, err := translate(tc.q)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		raw, _ := json.Marshal(got)
		if string(raw) != tc.want {
			t.Errorf("%s:\n got  %s\n want %s", tc.name, raw, tc.want)
		}
	}
	// Three clauses: three singles and three pairs, each at 1/3; with
	// Min 2, a filter requires two distinct clauses.
	got, _ := translate(disj(2, a, b, c))
	raw, _ := json.Marshal(got)
	if n := strings.Count(string(raw), `"boost":0.3333333333333333`); n != 6 {
		t.Errorf("three-clause coord: %d clauses at 1/3, want 6: %s", n, raw)
	}
	if !strings.Contains(string(raw), `"filter":[{"bool":{"minimum_should_match":2`) {
		t.Errorf("min 2 not a filter: %s", raw)
	}
	if _, err := translate(bleve.NewMatchPhraseQuery("养老")); err == nil {
		t.Error("an untranslated query type gave no error")
	}
}

// term is a term query of field with a boost, as the planner makes them.
func term(field, t string, boost float64) query.Query {
	q := bleve.NewTermQuery(t)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}
