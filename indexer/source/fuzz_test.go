package source

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// Fuzz tests of the readers: whatever a file holds, reading it never panics
// and never yields an empty article. Seed corpora are in
// testdata/fuzz/FuzzXxx; `make fuzz` runs each fuzzer for a short time.

// addFiles adds the files matching glob (relative to the package) as seeds.
func addFiles(f *testing.F, glob string, add func([]byte)) {
	f.Helper()
	paths, _ := filepath.Glob(glob)
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil && len(data) < 256<<10 {
			add(data)
		}
	}
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// checkDocs checks what every reader promises of the articles it returns.
func checkDocs(t *testing.T, p *Page) {
	t.Helper()
	if len(p.Docs) == 0 {
		t.Fatal("no error and no article")
	}
	for i, d := range p.Docs {
		if strings.TrimSpace(d.Title) == "" && strings.TrimSpace(d.Body) == "" {
			t.Errorf("article %d has neither title nor body", i)
		}
		if d.Given.Date != "" && !dateRE.MatchString(d.Given.Date) {
			t.Errorf("article %d: given date %q is not YYYY-MM-DD", i, d.Given.Date)
		}
	}
}

// bylineLines returns the lines of text that the splitter takes for bylines
// (and that no heading repeats).
func bylineLines(text string) map[string]bool {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(text, "\n")
	heads := map[string]bool{}
	for _, l := range lines {
		l = strings.TrimFunc(l, unicode.IsSpace)
		if headingLevel(l) > 0 {
			heads[strings.TrimSpace(strings.TrimLeft(l, "#"))] = true
		}
	}
	out := map[string]bool{}
	for _, l := range lines {
		l = strings.TrimFunc(l, unicode.IsSpace)
		if l != "" && headingLevel(l) == 0 && isByline(l) && !heads[l] {
			out[l] = true
		}
	}
	return out
}

// checkSplit checks the articles SplitPage made of text.
func checkSplit(t *testing.T, text string, arts []RawArticle) {
	t.Helper()
	bylines := bylineLines(text)
	nonBlank := strings.TrimFunc(text, unicode.IsSpace) != ""
	if nonBlank && len(arts) == 0 {
		// Only lines that are not article text (bylines, empty headings
		// like "## ") may give nothing.
		for _, l := range strings.Split(strings.ReplaceAll(text, "\r", "\n"), "\n") {
			l = strings.TrimFunc(l, unicode.IsSpace)
			if l != "" && !bylines[l] && !(headingLevel(l) > 0 && strings.TrimSpace(strings.TrimLeft(l, "#")) == "") {
				t.Fatalf("text with line %q gave no article", l)
			}
		}
	}
	for i, a := range arts {
		if strings.TrimSpace(a.Title) == "" && strings.TrimSpace(a.Body) == "" {
			t.Errorf("article %d has neither title nor body", i)
		}
		if a.Line < 1 {
			t.Errorf("article %d starts at line %d", i, a.Line)
		}
		if strings.ContainsAny(a.Title, "\n\r") {
			t.Errorf("article %d: title %q spans lines", i, a.Title)
		}
		for _, para := range strings.Split(a.Body, "\n\n") {
			if bylines[para] {
				t.Errorf("article %d: byline %q in the body", i, para)
			}
		}
	}
}

func FuzzSplitPage(f *testing.F) {
	addFiles(f, "../../seeds/*.txt", func(b []byte) { f.Add(string(b)) })
	addFiles(f, "testdata/txt/*", func(b []byte) { f.Add(string(b)) })
	f.Add("")
	f.Add("标题\n\n□本报记者 张三\n\n本报讯 正文第一句。\n")
	f.Add("## 一\n正文。\n## 二\n正文。")
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			t.Skip() // SplitPage gets decoded text
		}
		checkSplit(t, text, SplitPage(text))
	})
}

func FuzzReadBulletin(f *testing.F) {
	addFiles(f, "../../seeds/*.txt", func(b []byte) { f.Add(b) })
	addFiles(f, "testdata/txt/*", func(b []byte) { f.Add(b) })
	f.Add([]byte("---\ntitle: 标题\ndate: 2023-05-01\ndistricts: [昌平区]\n---\n正文。\n"))
	f.Add([]byte("---\ndate: 2023-13-45\n---\n正文。\n"))
	f.Add([]byte("---\ntitle: [a, b\n---\n正文。\n"))
	f.Add([]byte("\xef\xbb\xbf---\r\ntopics: 教育、医疗卫生\r\n...\r\n标题\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadBulletin(data)
		if err != nil {
			if p != nil {
				t.Errorf("error %v with a page", err)
			}
			return
		}
		checkDocs(t, p)
		// The articles are the page's split: no byline in any body.
		text, err := DecodeText(data)
		if err != nil {
			t.Fatalf("read but not decodable: %v", err)
		}
		_, rest, _ := splitFrontMatter(text)
		bylines := bylineLines(rest)
		for i, d := range p.Docs {
			for _, para := range strings.Split(d.Body, "\n\n") {
				if bylines[para] {
					t.Errorf("article %d: byline %q in the body", i, para)
				}
			}
		}
	})
}

func FuzzReadHTML(f *testing.F) {
	addFiles(f, "testdata/html/*", func(b []byte) { f.Add(b) })
	addFiles(f, "../../testdata/govdocs/*.html", func(b []byte) { f.Add(b) })
	f.Add([]byte(`<html><head><meta charset="gbk"><meta name="ArticleTitle" content="标题"><meta name="PubDate" content="2023-05-01 10:00"></head><body><div class="TRS_Editor"><p>正文第一段。</p></div></body></html>`))
	f.Add([]byte(`<html><body><div><p>未闭合的段落`))
	f.Add([]byte(`<script>alert(1)</script><style>p{}</style><p>正文<!-- 注释 --></p>`))
	f.Add([]byte("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><p>\xd5\xfd\xce\xc4\xa1\xa3</p>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadHTML(data)
		if err != nil {
			if p != nil {
				t.Errorf("error %v with a page", err)
			}
			return
		}
		checkDocs(t, p)
		for i, d := range p.Docs {
			if strings.Contains(d.Body, "<script") && !strings.Contains(string(data), "&lt;script") {
				t.Errorf("article %d: script in the body", i)
			}
		}
	})
}
