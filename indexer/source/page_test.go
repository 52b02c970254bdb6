package source

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestSplitSeedsGolden splits both seed pages and compares the articles
// with golden files (run with -update to rewrite them after a reviewed change).
func TestSplitSeedsGolden(t *testing.T) {
	pages, _ := filepath.Glob("../../seeds/*.txt")
	extra, _ := filepath.Glob("testdata/pages/*.txt")
	pages = append(pages, extra...)
	if len(pages) < 2 {
		t.Fatal("seed pages not found")
	}
	for _, p := range pages {
		t.Run(filepath.Base(p), func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			page, err := ReadBulletin(data)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.MarshalIndent(page.Docs, "", "  ")
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(filepath.Base(p), ".txt")+".json")
			if *update {
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if strings.TrimSpace(string(got)) != strings.TrimSpace(string(want)) {
				t.Errorf("articles of %s differ from %s; run with -update after reviewing:\n%s", p, golden, got)
			}
		})
	}
}

func titles(text string) []string {
	var out []string
	for _, a := range SplitPage(text) {
		out = append(out, a.Title)
	}
	return out
}

func TestSplitPageRules(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // titles
		body []string // substrings of the joined bodies that must appear
	}{
		{
			name: "broken line is joined",
			text: "标题一行\n\n这是一段很长的正文，讲述了回天地区社区养老驿站和社区卫生服务中心的建设情况，多个方面都取得阶段性\n\n成效。下一句继续。\n",
			want: []string{"标题一行"},
			body: []string{"取得阶段性成效。"},
		},
		{
			name: "section heads stay inside an article with a byline",
			text: "## 主标题\n\n□本报记者 张三\n\n第一段正文内容，内容足够长，足够长，足够长，足够长。\n\n## 小节标题\n\n第二段正文内容。\n\n## 第二篇文章\n\n□本报记者 李四\n\n第二篇的正文。\n",
			want: []string{"主标题", "第二篇文章"},
			body: []string{"小节标题"},
		},
		{
			name: "kicker above a headline belongs to the next article",
			text: "## 甲文\n\n□本报记者 甲\n\n甲文正文。\n\n引题一行\n\n## 乙文\n\n□本报记者 乙\n\n乙文正文。\n",
			want: []string{"甲文", "乙文"},
		},
		{
			name: "dateline byline starts an article",
			text: "第一篇标题\n\n本报讯（记者 王五）日前，某区召开会议。\n\n第二篇标题\n\n本报讯（记者 赵六）近日，另一件事。\n",
			want: []string{"第一篇标题", "第二篇标题"},
		},
		{
			name: "no headline: title from the first sentence",
			text: "日前，某区新增12家定点医疗机构，方便群众就医。更多内容。\n",
			want: []string{"日前，某区新增12家定点医疗机构"},
		},
		{
			name: "markdown headings without bylines are articles",
			text: "# 第一篇\n\n正文一。\n\n# 第二篇\n\n正文二。\n",
			want: []string{"第一篇", "第二篇"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := titles(tc.text)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("titles = %q, want %q", got, tc.want)
			}
			var bodies []string
			for _, a := range SplitPage(tc.text) {
				bodies = append(bodies, a.Body)
			}
			all := strings.Join(bodies, "\n")
			for _, b := range tc.body {
				if !strings.Contains(all, b) {
					t.Errorf("bodies lack %q:\n%s", b, all)
				}
			}
			if strings.Contains(all, "本报记者") {
				t.Errorf("a byline leaked into a body:\n%s", all)
			}
		})
	}
}

func TestFrontMatter(t *testing.T) {
	page, err := ReadBulletin([]byte("---\ntitle: 给定标题\ndate: 2023-04-05\ndistricts: [海淀区]\ntopics: 教育、医疗卫生\nurl: http://example.gov.cn/a\n---\n原标题\n\n正文内容。\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Docs) != 1 {
		t.Fatalf("%d docs", len(page.Docs))
	}
	g := page.Docs[0].Given
	if g.Title != "给定标题" || g.Date != "2023-04-05" || len(g.Districts) != 1 || g.Districts[0] != "海淀区" ||
		strings.Join(g.Topics, ",") != "教育,医疗卫生" || g.URL != "http://example.gov.cn/a" {
		t.Errorf("given = %+v", g)
	}
	if page.Docs[0].Line != 8 {
		t.Errorf("line = %d, want 8 (after the front matter)", page.Docs[0].Line)
	}
	bad, err := ReadBulletin([]byte("---\ntitle: [unclosed\n---\n标题\n\n正文。\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(bad.Problems) != 1 || len(bad.Docs) != 1 {
		t.Errorf("bad front matter: problems %v docs %d", bad.Problems, len(bad.Docs))
	}
}

func TestDecodeText(t *testing.T) {
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte("社区养老驿站，接诉即办。"))
	if err != nil {
		t.Fatal(err)
	}
	if s, err := DecodeText(gb); err != nil || s != "社区养老驿站，接诉即办。" {
		t.Errorf("GB18030: %q, %v", s, err)
	}
	if s, err := DecodeText([]byte("\xef\xbb\xbf养老")); err != nil || s != "养老" {
		t.Errorf("BOM: %q, %v", s, err)
	}
	for name, in := range map[string][]byte{"empty": []byte("  \n"), "binary": {0x89, 'P', 'N', 'G', 0, 0, 1}, "garbage": {0xff, 0xfe, 0xfd, 0x80, 0x81, 0xff}} {
		if _, err := DecodeText(in); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestSplitPageLinearTime: many broken lines joined into one paragraph
// must not take quadratic time (a hostile file could hang the indexer).
func TestSplitPageLinearTime(t *testing.T) {
	text := strings.Repeat("这是一个很长的段落没有结束这是一个很长的段落没有结束这是一个很长的段落没有结束这是一个很长的段落\n", 16000)
	done := make(chan int)
	go func() { done <- len(SplitPage(text)) }()
	select {
	case n := <-done:
		if n != 1 {
			t.Errorf("%d articles, want 1", n)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("SplitPage of 2 MB of broken lines took over 10 s")
	}
}
