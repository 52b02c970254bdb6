package eval

import (
	"context"
	"os"
	"strings"
	"testing"
)

// Floors set from the first honest measurement after the search-quality
// work (overall nDCG@10 0.932, MRR 0.911, zero-result rate 0.00; the
// weakest type, phrase, at 0.838), less a small margin. Relevance must not
// fall below them.
const (
	floorNDCG     = 0.90
	floorMRR      = 0.88
	ceilZeroRate  = 0.02
	floorTypeNDCG = 0.80
)

func TestRelevanceFloors(t *testing.T) {
	judged, err := Load("../../testdata/eval/judgments.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if len(judged) < 40 {
		t.Fatalf("only %d judged queries", len(judged))
	}
	eng, done, err := Open(context.Background(), "../..")
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	rep, err := Run(context.Background(), eng, judged)
	if err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		rep.Print(os.Stdout)
	}
	o := rep.Overall
	if o.NDCG10 < floorNDCG || o.MRR < floorMRR || o.ZeroRate > ceilZeroRate {
		rep.Print(os.Stderr)
		t.Errorf("overall nDCG@10 %.3f (floor %.2f), MRR %.3f (floor %.2f), zero-result rate %.2f (ceiling %.2f)",
			o.NDCG10, floorNDCG, o.MRR, floorMRR, o.ZeroRate, ceilZeroRate)
	}
	for typ, m := range rep.ByType {
		if m.NDCG10 < floorTypeNDCG {
			t.Errorf("%s: nDCG@10 %.3f below %.2f", typ, m.NDCG10, floorTypeNDCG)
		}
	}
}

func TestNDCG(t *testing.T) {
	grades := map[string]int{"a": 3, "b": 1}
	if got := ndcg([]int{3, 1}, grades, 10); got != 1 {
		t.Errorf("ideal order: %v", got)
	}
	if got := ndcg([]int{1, 3}, grades, 10); got >= 1 || got <= 0.5 {
		t.Errorf("swapped order: %v", got)
	}
	if got := ndcg(nil, grades, 10); got != 0 {
		t.Errorf("no hits: %v", got)
	}
}

// Floors of the real-text recall run (the targets; measured: recall
// and complete recall 1.000, no zero-result query, R-precision 0.996
// overall and 0.990 for the weakest kind, spans across word boundaries).
const (
	recallPerKind       = 150
	floorTextRecall     = 0.999
	floorTextComplete   = 0.995
	floorTextRPrecision = 0.95
	ceilTextZeroResult  = 0.0
)

func TestRecallFloors(t *testing.T) {
	rep, err := RunRecall(context.Background(), "../..", recallPerKind)
	if err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		rep.Print(os.Stdout)
	}
	if rep.Overall.Queries < 3*recallPerKind {
		t.Fatalf("only %d queries with a relevant article", rep.Overall.Queries)
	}
	check := func(name string, m RecallMetrics) {
		if m.Recall < floorTextRecall || m.CompleteRecall < floorTextComplete || m.ZeroResult > ceilTextZeroResult || m.RPrecision < floorTextRPrecision {
			t.Errorf("%s: recall %.4f (floor %.3f), complete %.4f (floor %.3f), zero-result %.4f (ceiling %.1f), R-precision %.4f (floor %.2f)",
				name, m.Recall, floorTextRecall, m.CompleteRecall, floorTextComplete, m.ZeroResult, ceilTextZeroResult, m.RPrecision, floorTextRPrecision)
		}
	}
	check("overall", rep.Overall)
	for k, m := range rep.ByKind {
		check(k, m)
	}
	if t.Failed() {
		rep.Print(os.Stderr)
	}
}

// The government-document set: every case right, every number query
// finds its document first, no hit lacks the number, and every hostile
// query is answered.
func TestGovdocFloors(t *testing.T) {
	rep, err := RunGovdocs(context.Background(), "../..")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	rep.Print(&b)
	t.Log(b.String())
	if rep.CasesRight != rep.Cases || rep.FirstRight != rep.NumberQueries || rep.Foreign != 0 || rep.HostileAnswered != rep.Hostile || rep.NumberQueries == 0 {
		t.Error("below the floors")
	}
}
