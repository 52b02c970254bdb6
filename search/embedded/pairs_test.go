package embedded

import (
	"context"
	"fmt"
	"testing"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/search"
)

// The Ctrl-F guarantee: a query of two or more Han characters finds every
// article that holds it, however jieba cut it in context.
func TestCtrlFGuarantee(t *testing.T) {
	e := buildCorpus(t, map[string]string{
		"a.txt": "条例修订\n\n依照条例第四十九条的规定处理。\n",
		"b.txt": "银行人事\n\n国家开发银行行长出席会议。\n",
		"c.txt": "老人照护\n\n社区供养老人二十名。\n",
		"d.txt": "報告全文\n\n政府工作報告提出穩就業。\n",
		"e.txt": "无关文章\n\n开发区银行网点增加，行长会议召开。\n",
	})
	for q, want := range map[string]string{
		"第四十九":   "条例修订", // jieba: 第四十九条, whose search-mode pieces are 第四 四十 十九 …
		"开发银行行长": "银行人事", // query 开发 / 银行行长, text 国家开发银行 / 行长
		"养老":     "老人照护", // 供养 / 老人
		"工作报告":   "報告全文", // traditional text, simplified query
		"供養老人":   "老人照护", // and the other way round
		"条的规":    "条例修订", // a span across three words
	} {
		resp, err := e.Search(context.Background(), search.Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Hits) == 0 || resp.Hits[0].Title != want || resp.Relaxed {
			t.Errorf("%s → %d hits (relaxed %v), first %q; want %q first, not relaxed", q, len(resp.Hits), resp.Relaxed, firstTitle(resp), want)
		}
	}
}

// Articles that hold the query as typed come first across the whole match
// set, not only within the window of hits checked against the text.
func TestExactFirstAcrossTheMatchSet(t *testing.T) {
	files := map[string]string{}
	// 60 articles with the words apart, each many times and in the title
	// (high scores), and one with the phrase once, in the body only.
	for i := range 60 {
		files[fmt.Sprintf("apart%02d.txt", i)] = fmt.Sprintf("养老与培训第%d期\n\n养老设施齐全。培训群众。养老机构扩建。培训热线开通。养老人员到岗。培训中心开放。\n", i)
	}
	files["exact.txt"] = "社区简讯\n\n街道开展养老培训。\n"
	e := buildCorpus(t, files)
	resp, err := e.Search(context.Background(), search.Request{Query: "养老培训", Size: 5})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Total != 61 || firstTitle(resp) != "社区简讯" {
		t.Errorf("养老培训: total %d, first %q; want 61 with 社区简讯 first", resp.Total, firstTitle(resp))
	}
	// Sorting by date is unchanged: newest first, exact or not.
	resp, err = e.Search(context.Background(), search.Request{Query: "养老培训", Sort: "date", Size: 50, Page: 2})
	if err != nil || len(resp.Hits) != 11 {
		t.Fatalf("by date, page 2: %v, %d hits", err, len(resp.Hits))
	}
}

// Relaxing happens only when no article holds all the words.
func TestRelaxOnlyWhenNothingHoldsAllWords(t *testing.T) {
	e := buildCorpus(t, phraseCorpus)
	for q, relaxed := range map[string]bool{"养老驿站": false, "驿站 大桥": true, "北京长江": false} {
		resp, err := e.Search(context.Background(), search.Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Relaxed != relaxed || resp.Total == 0 {
			t.Errorf("%s: relaxed %v total %d, want relaxed %v", q, resp.Relaxed, resp.Total, relaxed)
		}
	}
}

func TestPairIndexHolding(t *testing.T) {
	e := buildCorpus(t, phraseCorpus)
	g, err := e.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer g.release()
	if g.pairs == nil {
		t.Fatal("the generation has no pair sets")
	}
	count := func(q string) int {
		keys, ok := analysis.QueryPairs(analysis.Normalize(q))
		if !ok {
			t.Fatalf("%s: not a Han query", q)
		}
		return g.pairs.holding(keys).len()
	}
	for q, want := range map[string]int{"驿站": 2, "养老": 2, "长江大桥": 1, "钢园": 1, "园钢": 0, "驿站三处": 1} {
		if got := count(q); got != want {
			t.Errorf("%s: %d articles hold its pairs, want %d", q, got, want)
		}
	}
	if _, ok := analysis.QueryPairs("养"); ok {
		t.Error("one character has no pairs")
	}
	if _, ok := analysis.QueryPairs("12345热线"); ok {
		t.Error("a query with digits is not a Han query")
	}
}
