package source

// The content container of a web page, and what is never text: scripts,
// styles and page chrome (navigation, share bars, breadcrumbs, footers).

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Containers of the article body used by government CMSs (TRS, Kaipu, …),
// most specific first. Each entry is "#id" or ".class" or a tag name.
var knownContainers = [][]string{
	{".trs_editor", ".trs_ueditor", "#ucap-content", "#zoom", ".zoom", "#fontzoom", ".article-content", ".article_content", ".articlecontent", ".xl_content", ".xl-content", ".pages_content", ".view", ".detail-content", ".news_content"},
	{"#content", ".content", ".article", "article"},
}

func matchesSel(n *html.Node, sel string) bool {
	switch sel[0] {
	case '#':
		return strings.EqualFold(strings.TrimSpace(attr(n, "id")), sel[1:])
	case '.':
		for _, c := range strings.Fields(attr(n, "class")) {
			if strings.EqualFold(c, sel[1:]) {
				return true
			}
		}
		return false
	}
	return n.Data == sel
}

// textStat counts the Han characters under an element: prose (runs of text
// that read as sentences) and other (links, menus, labels).
type textStat struct{ prose, other int }

func (s textStat) score() int { return s.prose - s.other }

type scorer struct {
	stats map[*html.Node]textStat
}

var inlineTags = map[atom.Atom]bool{
	atom.A: true, atom.Span: true, atom.Strong: true, atom.B: true, atom.I: true, atom.Em: true,
	atom.Font: true, atom.U: true, atom.Small: true, atom.Big: true, atom.Sub: true, atom.Sup: true,
	atom.Label: true, atom.Abbr: true, atom.Code: true, atom.S: true, atom.Strike: true, atom.Mark: true,
	atom.Time: true, atom.Cite: true, atom.Q: true, atom.Br: true, atom.Img: true, atom.Wbr: true,
	atom.Nobr: true, atom.Ins: true, atom.Del: true, atom.Var: true, atom.Kbd: true, atom.Tt: true,
}

func isInline(n *html.Node) bool { return inlineTags[n.DataAtom] }

// block scores an element and its descendants; text directly in it (and in
// its inline children) forms runs, each classed as prose or other.
func (sc *scorer) block(b *html.Node, inLink bool, skipChrome bool) textStat {
	var st textStat
	var runHan, runLink int
	var runPunct bool
	flush := func() {
		if runHan >= 30 || runHan >= 10 && runPunct {
			st.prose += runHan
		} else {
			st.other += runHan
		}
		st.other += runLink
		runHan, runLink, runPunct = 0, 0, false
	}
	var inline func(n *html.Node, link bool)
	inline = func(n *html.Node, link bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				h := hanCount(c.Data)
				if link {
					runLink += h
				} else {
					runHan += h
					if strings.ContainsAny(c.Data, "，。；！？") {
						runPunct = true
					}
				}
			case html.ElementNode:
				if skipAlways(c) || skipChrome && isChrome(c) {
					continue
				}
				if !isInline(c) {
					flush()
					s := sc.block(c, link, skipChrome)
					st.prose += s.prose
					st.other += s.other
					continue
				}
				inline(c, link || c.DataAtom == atom.A)
			}
		}
	}
	inline(b, inLink || b.DataAtom == atom.A)
	flush()
	sc.stats[b] = st
	return st
}

// findContent returns the element holding the article body.
func findContent(doc *html.Node) *html.Node {
	sc := &scorer{stats: map[*html.Node]textStat{}}
	body := findFirst(doc, func(n *html.Node) bool { return n.DataAtom == atom.Body })
	if body == nil {
		body = doc
	}
	sc.block(body, false, true)
	// The tightest block with the most prose and the least else.
	var best *html.Node
	bestScore := 0
	var post func(n *html.Node)
	post = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			post(c)
		}
		if st, ok := sc.stats[n]; ok && st.prose > 0 && st.score() > bestScore {
			best, bestScore = n, st.score()
		}
	}
	post(body)

	// A known container wins when it holds prose and is not mostly links,
	// unless it holds far less prose than the best block (a summary box).
	for _, group := range knownContainers {
		var pick *html.Node
		var pickStat textStat
		for _, sel := range group {
			walkElements(body, func(n *html.Node) {
				if !matchesSel(n, sel) {
					return
				}
				st := (&scorer{stats: map[*html.Node]textStat{}}).block(n, false, false)
				if st.prose < 10 || st.other > st.prose {
					return
				}
				if pick == nil || st.score() > pickStat.score() {
					pick, pickStat = n, st
				}
			})
			if pick != nil {
				break
			}
		}
		if pick != nil {
			if best != nil && sc.stats[best].prose > 2*pickStat.prose {
				return best
			}
			return pick
		}
	}
	if best != nil {
		return best
	}
	return body
}

func findFirst(n *html.Node, f func(*html.Node) bool) *html.Node {
	if n.Type == html.ElementNode && f(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if r := findFirst(c, f); r != nil {
			return r
		}
	}
	return nil
}

func walkElements(n *html.Node, f func(*html.Node)) {
	if n.Type == html.ElementNode {
		if skipAlways(n) {
			return
		}
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walkElements(c, f)
	}
}

// What is never text, and page chrome.

// skipAlways: elements whose content is never visible article text.
func skipAlways(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe, atom.Frame, atom.Object,
		atom.Embed, atom.Svg, atom.Math, atom.Canvas, atom.Select, atom.Option, atom.Textarea,
		atom.Button, atom.Audio, atom.Video, atom.Map, atom.Head:
		return true
	}
	if _, ok := attrOK(n, "hidden"); ok {
		return true
	}
	style := strings.ToLower(strings.ReplaceAll(attr(n, "style"), " ", ""))
	return strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden")
}

// chromeMarks in a class or id mark navigation, share bars, breadcrumbs and
// footers.
var chromeMarks = []string{"nav", "menu", "header", "footer", "breadcrumb", "crumb", "share", "print",
	"copyright", "sidebar", "toolbar", "position", "location", "logo", "bdshare", "jiathis", "fenxiang",
	"dqwz", "weizhi", "banquan", "search", "related", "xgxw", "xglj", "friendlink", "links"}

// isChrome reports page furniture: nav, header, footer, aside, a form that
// holds no prose (a search box), or an element classed as such.
func isChrome(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Header, atom.Footer, atom.Aside:
		return true
	case atom.Form:
		// ASP.NET pages wrap the whole page in a form: keep forms with prose.
		return findFirst(n, func(c *html.Node) bool {
			return c.DataAtom == atom.P && strings.ContainsAny(nodeText(c), "。，")
		}) == nil
	}
	for _, t := range classAndID(n) {
		if t == "top" || t == "bottom" {
			return true
		}
		if containsAny(t, contentMarks) {
			continue // print-content, nav-article: a wrapper of the text
		}
		if containsAny(t, chromeMarks) {
			return true
		}
	}
	return false
}

// contentMarks in a class or id outweigh chromeMarks.
var contentMarks = []string{"content", "article", "main", "zoom", "text", "detail", "body", "trs_"}

func containsAny(s string, xs []string) bool {
	for _, x := range xs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// isTitleChrome reports the page's own header, navigation and footer, where
// headings name the site rather than the article.
func isTitleChrome(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Footer, atom.Aside:
		return true
	case atom.Header:
		for p := n.Parent; p != nil; p = p.Parent {
			if p.DataAtom == atom.Article || p.DataAtom == atom.Main {
				return false
			}
		}
		return true
	}
	for _, t := range classAndID(n) {
		switch t {
		case "header", "head", "top", "banner", "footer", "bottom":
			return true
		}
		if containsAny(t, []string{"logo", "nav", "menu", "footer", "sitename", "site-name", "site_name", "crumb", "position", "location"}) {
			return true
		}
	}
	return false
}

func classAndID(n *html.Node) []string {
	var out []string
	for _, c := range strings.Fields(attr(n, "class")) {
		out = append(out, strings.ToLower(c))
	}
	if id := strings.TrimSpace(attr(n, "id")); id != "" {
		out = append(out, strings.ToLower(id))
	}
	return out
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}
