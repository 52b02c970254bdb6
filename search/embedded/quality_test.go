package embedded

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/search"
)

func search1(t *testing.T, e *Engine, q string) *search.Response {
	t.Helper()
	resp, err := e.Search(context.Background(), search.Request{Query: q})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return resp
}

func firstTitle(r *search.Response) string {
	if len(r.Hits) == 0 {
		return ""
	}
	return r.Hits[0].Title
}

func TestSynonyms(t *testing.T) {
	e := buildCorpus(t, map[string]string{
		"full.txt":  "会议召开\n\n区卫生健康委员会部署工作。\n",
		"short.txt": "卫健委部署工作\n\n区卫健委召开会议。\n",
		"other.txt": "其他新闻\n\n区教委召开会议。\n",
	})
	r := search1(t, e, "卫健委")
	if r.Total != 2 {
		t.Fatalf("卫健委: total %d, want both the short and the full form", r.Total)
	}
	if firstTitle(r) != "卫健委部署工作" {
		t.Errorf("the typed form must rank first, got %q", firstTitle(r))
	}
	if r := search1(t, e, "卫生健康委员会"); r.Total != 2 || firstTitle(r) != "会议召开" {
		t.Errorf("卫生健康委员会: total %d first %q", r.Total, firstTitle(r))
	}
	found := false
	for _, h := range search1(t, e, "卫健委").Hits {
		found = found || strings.Contains(h.Snippet, "<mark>卫生健康委员会</mark>")
	}
	if !found {
		t.Error("a synonym match is not marked in its snippet")
	}
}

func TestPinyinQueries(t *testing.T) {
	e := openSeeds(t)
	want := search1(t, e, "养老驿站")
	for _, q := range []string{"yanglaoyizhan", "yang lao yi zhan", "ylyz"} {
		r := search1(t, e, q)
		if r.Total != want.Total || firstTitle(r) != firstTitle(want) {
			t.Errorf("%s: total %d first %q, want what 养老驿站 finds (%d, %q)", q, r.Total, firstTitle(r), want.Total, firstTitle(want))
		}
	}
	if r := search1(t, e, "yanglao"); r.Total != search1(t, e, "养老").Total {
		t.Errorf("yanglao: total %d", r.Total)
	}
}

// TestDidYouMean: 养老驿战 and 医宝定点 are typos of sound (战/站, 宝/保 are
// homophones, not look-alikes): the pinyin path corrects them, not the
// table of look-alike characters, which must not list them.
func TestDidYouMean(t *testing.T) {
	e := openSeeds(t)
	for q, want := range map[string]string{"养老驿战": "养老驿站", "医宝定点": "医保定点", "接诉既办": "接诉即办"} {
		r := search1(t, e, q)
		if r.DidYouMean != want {
			t.Errorf("%s: did_you_mean %q, want %q", q, r.DidYouMean, want)
		}
		if r.Total == 0 {
			t.Errorf("%s: no results", q)
		}
	}
	for _, q := range []string{"养老驿站", "医保", "人才公寓"} {
		if r := search1(t, e, q); r.DidYouMean != "" {
			t.Errorf("%s has good results but got did_you_mean %q", q, r.DidYouMean)
		}
	}
}

func TestSuggestSources(t *testing.T) {
	e := openSeeds(t)
	ctx := context.Background()
	got, err := e.Suggest(ctx, "医保", 8)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 {
		t.Fatal("no suggestions for 医保")
	}
	// A past query that found something is suggested first.
	search1(t, e, "医保定点医疗机构")
	search1(t, e, "医保定点医疗机构")
	got, _ = e.Suggest(ctx, "医保", 8)
	if got[0] != "医保定点医疗机构" {
		t.Errorf("suggestions %v: the frequent past query should come first", got)
	}
	// Titles by prefix.
	got, _ = e.Suggest(ctx, "南中轴", 8)
	found := false
	for _, s := range got {
		found = found || strings.HasPrefix(s, "南中轴国际文化科技园全面开园")
	}
	if !found {
		t.Errorf("suggestions %v lack the title", got)
	}
}

// TestDictionaryWords: every place name of the region is one word, and a
// --dict file extends the dictionary for indexing and for queries alike.
func TestDictionaryWords(t *testing.T) {
	dict := filepath.Join(t.TempDir(), "extra.dict")
	os.WriteFile(dict, []byte("# extra words\n龘龘工程 1000 nz\n"), 0o644)
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "a.txt"), []byte("龘龘工程开工\n\n大兴区西红门镇龘龘工程今日开工。\n"), 0o644)
	dir := t.TempDir()
	if _, err := indexer.Build(context.Background(), dir, indexer.Config{DictFile: dict}, src); err != nil {
		t.Fatal(err)
	}
	e, err := Open(dir, Options{Poll: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	a, err := e.Analyze("西红门镇龘龘工程")
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for _, w := range a.Query {
		words = append(words, w.Term)
	}
	if strings.Join(words, "|") != "西红门镇|龘龘工程" {
		t.Errorf("query words %q, want the town and the --dict word whole", words)
	}
	if r := search1(t, e, "龘龘工程"); r.Total != 1 {
		t.Errorf("--dict word: total %d", r.Total)
	}
}
