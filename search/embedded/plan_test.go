package embedded

import (
	"context"
	"testing"

	"github.com/govbulletin/bulletin/search"
)

// The plan's passes, as the answer shows them: all words, else any word
// (relaxed) for a query of several words only; an empty query lists every
// article.
func TestPlanPasses(t *testing.T) {
	e := buildCorpus(t, phraseCorpus)
	ctx := context.Background()
	for _, c := range []struct {
		q       string
		total   uint64
		relaxed bool
	}{
		{"首钢园 长江大桥", 2, true}, // no article holds both: any word
		{"首钢园", 1, false},
		{"", 5, false},
	} {
		r, err := e.Search(ctx, search.Request{Query: c.q})
		if err != nil || r.Total != c.total || r.Relaxed != c.relaxed {
			t.Errorf("%q: %+v %v, want total %d relaxed %v", c.q, r, err, c.total, c.relaxed)
		}
	}
}

// The plan stops at the first good strategy and runs the alternative only
// when the typed query found nothing: a pinyin query's characters, without
// did_you_mean.
func TestPlanOrder(t *testing.T) {
	e := buildCorpus(t, phraseCorpus)
	ctx := context.Background()
	want, err := e.Search(ctx, search.Request{Query: "首钢园"})
	if err != nil || want.Total != 1 || want.Relaxed || want.DidYouMean != "" {
		t.Fatalf("首钢园: %+v %v", want, err)
	}
	got, err := e.Search(ctx, search.Request{Query: "shougangyuan"})
	if err != nil || got.Total != 1 || got.DidYouMean != "" || len(got.Hits) != 1 || got.Hits[0].ID != want.Hits[0].ID {
		t.Fatalf("shougangyuan: %+v %v, want the hit of 首钢园 and no did_you_mean", got, err)
	}
}
