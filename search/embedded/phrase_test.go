package embedded

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/search"
)

// buildCorpus indexes pages given as file name → text and opens an engine.
func buildCorpus(t *testing.T, files map[string]string) *Engine {
	return openCorpus(t, files, Options{Poll: -1})
}

// openCorpus indexes pages given as file name → text and opens an engine
// on them with opts; the engine is closed when the test ends.
func openCorpus(t testing.TB, files map[string]string, opts Options) *Engine {
	t.Helper()
	src := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	if _, err := indexer.Build(context.Background(), dir, indexer.Config{}, src); err != nil {
		t.Fatal(err)
	}
	e, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func hitTitles(t *testing.T, e *Engine, req search.Request) []string {
	t.Helper()
	resp, err := e.Search(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: %v", req.Query, err)
	}
	var out []string
	for _, h := range resp.Hits {
		out = append(out, h.Title)
	}
	return out
}

var phraseCorpus = map[string]string{
	"a.txt": "社区新建驿站\n\n昌平区社区新建养老驿站三处，方便老人就近养老。\n",
	"b.txt": "养老服务推进会\n\n推进养老服务，同时在公园建设园艺驿站。\n",
	"c.txt": "大桥通车\n\n北京长江大桥北京段今日通车。\n",
	"d.txt": "定点机构增加\n\n海淀区新增定点医疗机构五家。\n",
	"e.txt": "首钢园活动\n\n石景山区首钢园举办冰雪活动，街镇全覆盖。\n",
}

func TestPhraseMatchesOnlyAdjacentWords(t *testing.T) {
	e := buildCorpus(t, phraseCorpus)
	got := hitTitles(t, e, search.Request{Query: "养老驿站"})
	if len(got) != 1 || got[0] != "社区新建驿站" {
		t.Errorf("养老驿站 → %q, want only the article where 养老 and 驿站 are adjacent", got)
	}
}

func TestPhraseAcrossWordBoundary(t *testing.T) {
	e := buildCorpus(t, phraseCorpus)
	// 北京长江大桥北京段 segments as 北京 / 长江大桥 / 北京 / 段: 大桥北京 spans two words.
	got := hitTitles(t, e, search.Request{Query: "大桥北京"})
	if len(got) != 1 || got[0] != "大桥通车" {
		t.Errorf("大桥北京 → %q, want 大桥通车", got)
	}
}

func TestSubwordRecall(t *testing.T) {
	e := buildCorpus(t, phraseCorpus)
	got := hitTitles(t, e, search.Request{Query: "医疗"})
	if len(got) != 1 || got[0] != "定点机构增加" {
		t.Errorf("医疗 → %q, want the article with 医疗机构", got)
	}
}

func TestBigramRecallForUnknownWords(t *testing.T) {
	e := buildCorpus(t, phraseCorpus)
	for _, q := range []string{"首钢园", "街镇全覆盖"} {
		got := hitTitles(t, e, search.Request{Query: q})
		if len(got) != 1 || got[0] != "首钢园活动" {
			t.Errorf("%s → %q, want 首钢园活动", q, got)
		}
	}
}

func TestTraditionalAndFullWidthQueries(t *testing.T) {
	e := buildCorpus(t, phraseCorpus)
	for _, q := range []string{"養老驛站", "养老驿站　"} {
		got := hitTitles(t, e, search.Request{Query: q})
		if len(got) != 1 || got[0] != "社区新建驿站" {
			t.Errorf("%q → %q, want 社区新建驿站", q, got)
		}
	}
}

func TestRelaxedFallback(t *testing.T) {
	e := buildCorpus(t, phraseCorpus)
	resp, err := e.Search(context.Background(), search.Request{Query: "首钢园 长江大桥"})
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Relaxed || resp.Total != 2 {
		t.Errorf("relaxed=%v total=%d, want a relaxed match of 2", resp.Relaxed, resp.Total)
	}
	resp, _ = e.Search(context.Background(), search.Request{Query: "首钢园"})
	if resp.Relaxed {
		t.Error("a query whose words all match must not be relaxed")
	}
}

func TestUnknownWordsAsCharacterSequences(t *testing.T) {
	e := buildCorpus(t, map[string]string{
		"e.txt": "首钢园活动\n\n石景山区首钢园举办冰雪活动，京西智谷建设。\n",
		"f.txt": "钢材市场\n\n钢材和园林，供养老人。\n",
	})
	for _, q := range []string{"钢园", "首钢园", "智谷", "西智"} {
		if got := hitTitles(t, e, search.Request{Query: q}); len(got) != 1 || got[0] != "首钢园活动" {
			t.Errorf("%s → %q, want only 首钢园活动", q, got)
		}
	}
	// Ctrl-F: 供养老人 (cut 供养 老人) holds 养老 too.
	if got := hitTitles(t, e, search.Request{Query: "养老"}); len(got) != 1 || got[0] != "钢材市场" {
		t.Errorf("养老 → %q, want 钢材市场 (供养老人 holds it)", got)
	}
}
