package embedded

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/search"
)

// vocabCorpus is n one-article pages: every article holds 北京 and 通知,
// a third hold 朝阳区, and each has words of its own (in one article only:
// bleve's merge writes such a term in its "1-hit" form, after which zapx's
// dictionary counts every term 1).
func vocabCorpus(n int) map[string]string {
	own := []string{"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"}
	files := map[string]string{}
	for i := range n {
		place := "海淀区"
		switch {
		case i == 1:
			place = "通州区" // words of one article, before 通知 in word order
		case i%3 == 0:
			place = "朝阳区"
		}
		files[fmt.Sprintf("p%04d.txt", i)] = fmt.Sprintf("北京第%d号通知\n\n北京市%s今日发布通知，涉及%s%s号地块。\n",
			i, place, own[i%10], own[(i/10)%10]+own[(i/100)%10])
	}
	return files
}

// wantVocab is the vocabulary counts of g's articles, worked out from
// their text: for each word, the articles whose title or body holds it.
func wantVocab(t *testing.T, g *generation) map[string]uint64 {
	t.Helper()
	// Every article of this view (pages of e.Search could come from
	// different views).
	col, err := g.collect(context.Background(), nil, nil, false, search.Filters{}, len(g.cols.docs), true, false, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(col.ids) == 0 {
		t.Fatal("no articles")
	}
	want := map[string]uint64{}
	for _, id := range col.ids {
		a, err := g.article(id)
		if err != nil {
			t.Fatal(err)
		}
		words := map[string]struct{}{}
		vocabWordsOf(g.seg, a, words)
		for w := range words {
			want[w]++
		}
	}
	return want
}

func checkVocab(t *testing.T, e *Engine, what string) {
	t.Helper()
	g, err := e.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer g.release()
	want := wantVocab(t, g)
	got := g.vocabOf().DocFreqs()
	if !maps.Equal(got, want) {
		n := 0
		for _, w := range slices.Sorted(maps.Keys(want)) {
			if got[w] != want[w] && n < 10 {
				t.Errorf("%s: %s counted %d, held by %d articles", what, w, got[w], want[w])
				n++
			}
		}
		for w, c := range got {
			if _, ok := want[w]; !ok && n < 20 {
				t.Errorf("%s: %s counted %d, held by none", what, w, c)
				n++
			}
		}
		t.Errorf("%s: %d words counted, %d held", what, len(got), len(want))
	}
	for _, w := range []string{"北京", "通知"} {
		if want[w] == 0 {
			t.Errorf("%s: %s held by no article", what, w)
		}
	}
}

// The vocabulary counts the articles holding each word, on an index of
// one segment and on one merged from several (the builder writes 500
// articles a segment), where bleve's dictionary counts are wrong.
func TestVocabCountsArticles(t *testing.T) {
	for _, n := range []int{60, 1200} {
		e := buildCorpus(t, vocabCorpus(n))
		checkVocab(t, e, fmt.Sprintf("%d articles", n))
		g, _ := e.acquire()
		if df := g.vocabOf().DocFreqs(); df["北京"] != uint64(n) || df["通知"] != uint64(n) {
			t.Errorf("%d articles: 北京 %d, 通知 %d; want %d", n, df["北京"], df["通知"], n)
		}
		g.release()
	}
}

// A live index: after writes, replacements and deletions, each view's
// vocabulary counts the articles it holds; a word no article holds any
// more leaves it (pinyin no longer finds it), a word only written ones
// hold comes in.
func TestLiveVocabFollowsWrites(t *testing.T) {
	e := openLiveCorpus(t, vocabCorpus(700))
	checkVocab(t, e, "built")
	step := func(what string, arts []*schema.Article, deletes ...string) {
		t.Helper()
		write(t, e, arts, deletes...)
		if err := e.refresh(); err != nil {
			t.Fatal(err)
		}
		checkVocab(t, e, what)
	}
	ids := func() []string {
		r, err := e.Search(context.Background(), search.Request{Query: "朝阳区", Size: 50, Sort: "date"})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range r.Hits {
			out = append(out, h.ID)
		}
		return out
	}
	chaoyang := ids()
	var arts []*schema.Article
	for i := range 5 {
		arts = append(arts, &schema.Article{ID: fmt.Sprintf("w%d", i), Title: "湿地公园开园", Body: "北京新建湿地公园，市民游览。"})
	}
	step("written", arts)
	// Replace ten built articles (one word out, another in), delete ten.
	var repl []*schema.Article
	for _, id := range chaoyang[:10] {
		repl = append(repl, &schema.Article{ID: id, Title: "通知", Body: "西城区发布通知。"})
	}
	step("replaced and deleted", repl, chaoyang[10:20]...)
	// The written ones replaced, then deleted: 湿地 leaves.
	step("written replaced", []*schema.Article{{ID: "w0", Title: "改版", Body: "北京改版。"}}, "w1", "w2")
	step("written deleted", nil, "w0", "w3", "w4")
	g, err := e.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer g.release()
	if v := g.vocabOf(); v.DocFreq("湿地") != 0 || v.FromPinyin("shidi") == "湿地" {
		t.Errorf("湿地 after its articles were deleted: counted %d, pinyin shidi → %q", v.DocFreq("湿地"), v.FromPinyin("shidi"))
	}
	if v := g.vocabOf(); v.DocFreq("西城区") != 10 || v.FromPinyin("xichengqu") != "西城区" {
		t.Errorf("西城区, written in 10 articles: counted %d, pinyin xichengqu → %q", v.DocFreq("西城区"), v.FromPinyin("xichengqu"))
	}
}

// Suggestions order the index's words by the articles holding them, also
// on a merged index: 通知 (every article) before 通州 and 通州区 (one
// article, whose 1-hit postings made the dictionary count 通知 1 too).
func TestSuggestCountsArticles(t *testing.T) {
	e := buildCorpus(t, vocabCorpus(1200))
	got, err := e.Suggest(context.Background(), "通", 3)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"通知", "通州", "通州区"}) {
		t.Errorf("suggest 通: %q, want 通知, then 通州 and 通州区", got)
	}
}
