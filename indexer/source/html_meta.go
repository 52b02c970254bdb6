package source

// Meta tags, the title and the visible publication date of a web page.

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

type pageMeta struct {
	names     map[string]string // lower-case meta name or property → content
	canonical string
	title     string // text of <title>
}

func (m pageMeta) get(names ...string) string {
	for _, n := range names {
		if v := strings.TrimSpace(m.names[n]); v != "" {
			return v
		}
	}
	return ""
}

func collectMeta(doc *html.Node) pageMeta {
	m := pageMeta{names: map[string]string{}}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Meta:
				key := strings.ToLower(strings.TrimSpace(attr(n, "name")))
				if key == "" {
					key = strings.ToLower(strings.TrimSpace(attr(n, "property")))
				}
				if key != "" {
					if _, seen := m.names[key]; !seen {
						m.names[key] = attr(n, "content") // the parser unescaped it
					}
				}
			case atom.Link:
				if m.canonical == "" && strings.EqualFold(strings.TrimSpace(attr(n, "rel")), "canonical") {
					m.canonical = attr(n, "href")
				}
			case atom.Title:
				if m.title == "" {
					m.title = tidyLine(nodeText(n))
				}
			case atom.Script, atom.Style, atom.Template:
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return m
}

// pageTitle picks the article title: the ArticleTitle (or og:title) meta tag;
// else a heading or title-classed element that the <title> also names; else
// the <title> without its site suffix; else the first <h1>.
func pageTitle(doc *html.Node, meta pageMeta) string {
	if t := tidyLine(meta.get("articletitle", "og:title")); t != "" {
		return t
	}
	docTitle := meta.title
	base := stripSiteSuffix(docTitle)
	siteNames := strings.TrimPrefix(docTitle, base)
	if base == docTitle && siteName(docTitle) {
		base, siteNames = "", docTitle // the <title> names only the site
	}
	type cand struct {
		text string
		h1   bool
	}
	var cands []cand
	var walk func(n *html.Node, chrome bool)
	walk = func(n *html.Node, chrome bool) {
		if n.Type == html.ElementNode {
			if skipAlways(n) || n.DataAtom == atom.Head {
				return
			}
			if isTitleChrome(n) {
				chrome = true
			}
			heading := n.DataAtom == atom.H1 || n.DataAtom == atom.H2 || n.DataAtom == atom.H3
			if !chrome && (heading || titleClassed(n)) {
				if t := tidyLine(nodeText(n)); t != "" && utf8.RuneCountInString(t) <= 120 && !strings.Contains(siteNames, t) {
					cands = append(cands, cand{t, n.DataAtom == atom.H1})
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, chrome)
		}
	}
	walk(doc, false)
	norm := func(s string) string { return strings.Join(strings.Fields(s), "") }
	if docTitle != "" {
		dt := norm(docTitle)
		for _, c := range cands {
			ct := norm(c.text)
			if utf8.RuneCountInString(ct) >= 4 && strings.Contains(dt, ct) || base != "" && strings.HasPrefix(ct, norm(base)) {
				return c.text
			}
		}
	}
	if base != "" && base != docTitle {
		return base
	}
	for _, c := range cands {
		if c.h1 {
			return c.text
		}
	}
	if len(cands) > 0 {
		return cands[0].text
	}
	return base
}

// stripSiteSuffix removes site and column names after the last _ - | of a
// page title ("海淀区新增学位_政务动态_北京市海淀区人民政府"), while what
// remains is long enough to be a title.
func stripSiteSuffix(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < 3; i++ {
		cut := -1
		sepLen := 0
		for j, r := range s {
			switch r {
			case '_', '|', '｜', '－', '-':
				if r == '-' && j > 0 && j+1 < len(s) && isASCIIDigit(s[j-1]) && isASCIIDigit(s[j+1]) {
					continue // 2022-2023学年
				}
				cut, sepLen = j, utf8.RuneLen(r)
			}
		}
		if cut < 0 {
			break
		}
		head, tail := strings.TrimSpace(s[:cut]), strings.TrimSpace(s[cut+sepLen:])
		if utf8.RuneCountInString(head) < 5 || tail == "" || utf8.RuneCountInString(tail) > 30 {
			break
		}
		s = head
	}
	return s
}

// siteName reports a title that names a website, not an article.
func siteName(s string) bool {
	for _, x := range []string{"人民政府", "政府网", "门户网", "网站", "首都之窗", "政务网"} {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }

func titleClassed(n *html.Node) bool {
	for _, t := range classAndID(n) {
		if strings.Contains(t, "title") || strings.Contains(t, "biaoti") || t == "bt" || t == "tit" || strings.HasSuffix(t, "_bt") || strings.HasSuffix(t, "-bt") {
			return true
		}
	}
	return false
}

// visibleDate finds a labelled date (发布时间：2024-03-05, 日期：2024年3月5日)
// in the page's visible text; a 发布 label wins over a bare one.
func visibleDate(doc *html.Node) string {
	lines := textLines(doc, false)
	for _, re := range []*regexp.Regexp{rePubLabelDate, reLabelDate} {
		for _, l := range lines {
			if d, ok := matchDate(re, l); ok {
				return d
			}
		}
	}
	return ""
}
