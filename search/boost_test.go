package search

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/govbulletin/bulletin/indexer/schema"
)

// ratio runs q on idx and returns the score of document b over that of a.
func ratio(t *testing.T, idx bleve.Index, q query.Query, a, b string) float64 {
	t.Helper()
	res, err := idx.Search(bleve.NewSearchRequest(q))
	if err != nil {
		t.Fatal(err)
	}
	score := map[string]float64{}
	for _, h := range res.Hits {
		score[h.ID] = h.Score
	}
	if score[a] == 0 || score[b] == 0 {
		t.Fatalf("%s or %s not found: %v", a, b, score)
	}
	return score[b] / score[a]
}

// bleve (v2.6.3) uses the boost of term queries only: a boost set on a
// conjunction, a disjunction or a boolean query changes no score. So the
// query plan weighs a clause by boosting its leaves (boosted). Should
// bleve start using compound boosts, this test fails: boosted would then
// weigh such clauses twice in the embedded engine and once in OpenSearch.
func TestCompoundBoostsIgnored(t *testing.T) {
	idx, err := bleve.New(filepath.Join(t.TempDir(), "b.bleve"), bleve.NewIndexMapping())
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	for id, text := range map[string]string{"a": "alpha filler words", "bc": "beta gamma filler", "x": "unrelated text"} {
		if err := idx.Index(id, map[string]string{"f": text}); err != nil {
			t.Fatal(err)
		}
	}
	tq := func(t string) query.Query { q := bleve.NewTermQuery(t); q.SetField("f"); return q }
	// a matches alpha, bc matches the conjunction beta+gamma.
	plan := func(boost func(query.Query) query.Query) query.Query {
		return bleve.NewDisjunctionQuery(tq("alpha"), boost(bleve.NewConjunctionQuery(tq("beta"), tq("gamma"))))
	}
	base := ratio(t, idx, plan(func(q query.Query) query.Query { return q }), "a", "bc")
	compound := ratio(t, idx, plan(func(q query.Query) query.Query {
		q.(*query.ConjunctionQuery).SetBoost(10)
		return q
	}), "a", "bc")
	if math.Abs(compound/base-1) > 1e-9 {
		t.Errorf("a conjunction's boost of 10 changed the score ratio %.4f → %.4f: bleve uses compound boosts now; drop boosted", base, compound)
	}
	leaves := ratio(t, idx, plan(func(q query.Query) query.Query { return boosted(q, 10) }), "a", "bc")
	if math.Abs(leaves/base-10) > 1e-6 {
		t.Errorf("boosting the leaves by 10: ratio %.4f → %.4f, want ×10", base, leaves)
	}
	d := bleve.NewDisjunctionQuery(tq("alpha"), bleve.NewConjunctionQuery(tq("beta"), tq("gamma")))
	boosted(d, 2)
	boosted(d.Disjuncts[1], 3)
	if b := d.Disjuncts[1].(*query.ConjunctionQuery).Conjuncts[1].(*query.TermQuery).Boost(); b != 6 {
		t.Errorf("a leaf boosted twice (2, 3): boost %v, want 6", b)
	}
}

// The query plan sets no boost on a compound query (bleve would ignore
// it): every weight is on term queries, for every kind of query the plan
// builds (one word, several, unknown words, synonyms, relaxed).
func TestPlanBoostsOnLeavesOnly(t *testing.T) {
	seg := seedSegmenter(t)
	pl, err := NewPlanner("")
	if err != nil {
		t.Fatal(err)
	}
	var walk func(q query.Query, path string)
	leaves := map[string]float64{}
	walk = func(q query.Query, path string) {
		switch q := q.(type) {
		case *query.TermQuery:
			leaves[q.FieldVal+":"+q.Term] = max(leaves[q.FieldVal+":"+q.Term], q.Boost())
		case *query.ConjunctionQuery:
			if q.BoostVal != nil {
				t.Errorf("%s: a conjunction with boost %v", path, *q.BoostVal)
			}
			for _, c := range q.Conjuncts {
				walk(c, path+"/and")
			}
		case *query.DisjunctionQuery:
			if q.BoostVal != nil {
				t.Errorf("%s: a disjunction with boost %v", path, *q.BoostVal)
			}
			for _, c := range q.Disjuncts {
				walk(c, path+"/or")
			}
		case *query.BooleanQuery:
			if q.BoostVal != nil {
				t.Errorf("%s: a boolean query with boost %v", path, *q.BoostVal)
			}
			for _, c := range []query.Query{q.Must, q.Should, q.MustNot} {
				if c != nil {
					walk(c, path+"/bool")
				}
			}
		default:
			t.Errorf("%s: query type %T", path, q)
		}
	}
	for _, q := range []string{"养老驿站", "昌平 养老 驿站", "首钢园冰雪", "卫健委", "卫健委 医保", "接诉即办 12345热线"} {
		for _, relaxed := range []bool{false, true} {
			clear(leaves)
			walk(pl.textQuery(pl.analyse(seg, q), relaxed), q)
			if q == "昌平 养老 驿站" && leaves[schema.FieldTitleBigrams+":"+"养老"] != boostPhraseTitle {
				t.Errorf("%s: the phrase's title bigrams weigh %v, want %v", q, leaves[schema.FieldTitleBigrams+":养老"], boostPhraseTitle)
			}
			if q == "卫健委" && (leaves[schema.FieldBody+":卫健委"] != 1 || leaves[schema.FieldBody+":卫生健康委"] != boostSynonym) {
				t.Errorf("%s: %v, want the word at 1 and its synonym 卫生健康委 at %v", q, leaves, boostSynonym)
			}
		}
	}
}
