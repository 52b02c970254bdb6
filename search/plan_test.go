package search

import (
	"context"
	"testing"
)

// newPlan starts the plan of req on e's current generation, as Search does.
func newPlan(t *testing.T, e *Engine, req Request) *plan {
	t.Helper()
	if err := req.Normalize(); err != nil {
		t.Fatal(err)
	}
	g, err := e.acquire()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.release)
	return e.planner.newPlan(g, req)
}

// Each pass on its own.
func TestPlanPasses(t *testing.T) {
	e := buildCorpus(t, phraseCorpus)
	ctx := context.Background()

	p := newPlan(t, e, Request{Query: "首钢园 长江大桥"})
	all, err := p.allWords(ctx, p.typed)
	if err != nil || all.res.Total != 0 || all.relaxed {
		t.Fatalf("all words: %+v %v, want nothing (no article holds both)", all, err)
	}
	anyw, err := p.anyWord(ctx, p.typed)
	if err != nil || anyw.res.Total != 2 || !anyw.relaxed {
		t.Fatalf("any word: %+v %v, want 2 relaxed", anyw, err)
	}

	p = newPlan(t, e, Request{Query: "首钢园"})
	if a, err := p.anyWord(ctx, p.typed); a != nil || err != nil {
		t.Errorf("any word of a one-word query: %+v %v, want no attempt", a, err)
	}

	p = newPlan(t, e, Request{Query: ""})
	if a, err := p.allWords(ctx, p.typed); err != nil || a.res.Total != 5 {
		t.Errorf("empty query: %+v %v, want every article", a, err)
	}
}

// The plan stops at the first good strategy and runs the alternative only
// when the typed query found nothing.
func TestPlanOrder(t *testing.T) {
	e := buildCorpus(t, phraseCorpus)
	ctx := context.Background()

	p := newPlan(t, e, Request{Query: "首钢园"})
	won, err := p.search(ctx)
	if err != nil || won.relaxed || won.res.Total != 1 || p.exactTotal != 1 {
		t.Fatalf("首钢园: %+v exact %d %v", won, p.exactTotal, err)
	}

	p = newPlan(t, e, Request{Query: "shougangyuan"})
	if !p.typed.pinyin {
		t.Fatal("shougangyuan is not recognised as pinyin")
	}
	won, err = p.search(ctx)
	if err != nil || won.res.Total != 1 || won.aq.norm != "首钢园" {
		t.Fatalf("shougangyuan: %+v %v, want the hits of 首钢园", won, err)
	}
	if adv, _ := p.advise(ctx); adv.alt != "首钢园" || adv.didYouMean != "" {
		t.Errorf("advice %+v, want the characters and no did_you_mean", adv)
	}
}
