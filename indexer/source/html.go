package source

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// A government web page is one article: its title and publication date come
// from the standard meta tags of government sites (ArticleTitle, PubDate,
// ContentSource, …) when present, otherwise from the page (<h1>, <title>,
// a visible 发布时间：… line). Only the article body is indexed: the main
// content container (a known CMS container such as TRS_Editor, else the block
// with the most prose and the least navigation), without scripts, styles,
// navigation, share bars, breadcrumbs or footer boilerplate.

// ReadHTML reads a government web page (.html, .htm) into one article.
func ReadHTML(data []byte) (*Page, error) {
	text, err := decodeHTML(data)
	if err != nil {
		return nil, err
	}
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("bad HTML: %v", err)
	}
	page := &Page{Shared: true}
	meta := collectMeta(doc)

	var given Meta
	if d := meta.get("pubdate", "publishdate", "firstpublishedtime", "article:published_time"); d != "" {
		if nd, ok := parseLooseDate(d); ok {
			given.Date = nd
		} else {
			page.Problems = append(page.Problems, Problem{Reason: fmt.Sprintf("PubDate %q is not a date; ignored", d)})
		}
	}
	if given.Date == "" {
		given.Date = visibleDate(doc)
	}
	given.Source = tidyLine(meta.get("contentsource"))
	for _, u := range []string{meta.canonical, meta.get("og:url"), meta.get("url")} {
		if u = strings.TrimSpace(u); strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
			given.URL = u
			break
		}
	}

	container := findContent(doc)
	var lines []string
	if container != nil {
		lines = textLines(container, true)
	}
	title := pageTitle(doc, meta)
	lines = cleanBodyLines(lines, title, meta.title)
	if len(lines) == 0 {
		if d := tidyLine(meta.get("description")); hanCount(d) > 0 {
			lines = []string{d}
		}
	}
	if len(lines) == 0 {
		return nil, errors.New("no article text found in the page")
	}
	if title == "" {
		// Nothing names the article: its first line does, when short.
		if first := lines[0]; utf8.RuneCountInString(first) <= 60 && len(lines) > 1 {
			title, lines = first, lines[1:]
		} else {
			title = truncateRunes(first, 40)
		}
	}
	given.Title = title
	body := strings.Join(lines, "\n\n")
	page.Text = title + "\n" + body
	page.Docs = []Doc{{Title: title, Body: body, Line: 1, Given: given}}
	return page, nil
}

// ---- charset ----

var (
	reMetaCharset = regexp.MustCompile(`(?is)<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_\-.:]+)`)
	reXMLEncoding = regexp.MustCompile(`(?is)^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([a-z0-9_\-.:]+)`)
)

// decodeHTML returns the page as UTF-8. A BOM decides; otherwise the charset
// the page declares (<meta charset>, http-equiv Content-Type, an XML
// declaration) in its first 16 KB. Chinese pages are often mislabelled, so
// bytes that are valid UTF-8 are read as UTF-8 whatever the label says, and
// bytes that are not are tried as GB18030 (a superset of GB2312 and GBK).
func decodeHTML(data []byte) (string, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return "", errors.New("empty file")
	}
	for _, b := range []struct {
		bom   string
		label string
	}{{"\xef\xbb\xbf", "utf-8"}, {"\xff\xfe", "utf-16le"}, {"\xfe\xff", "utf-16be"}} {
		if bytes.HasPrefix(data, []byte(b.bom)) {
			enc, _ := charset.Lookup(b.label)
			return decodeWith(enc, data[len(b.bom):])
		}
	}
	if looksBinary(data) {
		return "", errors.New("binary file")
	}
	label := declaredCharset(data)
	enc, name := charset.Lookup(label)
	isUTF8 := utf8.Valid(data)
	if isUTF8 && (enc == nil || name == "utf-8" || hasNonASCII(data)) {
		return string(data), nil
	}
	switch {
	case enc == nil, name == "utf-8", name == "gbk", name == "gb18030":
		// Undeclared, GB-family, or UTF-8 declared but not valid UTF-8.
		if s, ok := decodeGB18030(data); ok {
			return s, nil
		}
		if name == "gbk" || name == "gb18030" {
			return "", fmt.Errorf("invalid encoding: not valid %s", label)
		}
		return "", errors.New("invalid encoding: neither UTF-8 nor GB18030")
	}
	// Another declared charset. Chinese text mislabelled as Latin-1 is common.
	if strings.HasPrefix(name, "windows-125") || strings.HasPrefix(name, "iso-8859") {
		if s, ok := decodeGB18030(data); ok && hanCount(s)*2 >= nonASCIIRunes(s) {
			return s, nil
		}
	}
	return decodeWith(enc, data)
}

// declaredCharset finds the charset label a page declares near its top.
func declaredCharset(data []byte) string {
	head := data
	if len(head) > 16<<10 {
		head = head[:16<<10]
	}
	if m := reXMLEncoding.FindSubmatch(head); m != nil {
		return strings.ToLower(string(m[1]))
	}
	if m := reMetaCharset.FindSubmatch(head); m != nil {
		return strings.ToLower(string(m[1]))
	}
	return ""
}

func decodeGB18030(data []byte) (string, bool) {
	dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || !mostlyText(string(dec)) {
		return "", false
	}
	return string(dec), true
}

func decodeWith(enc encoding.Encoding, data []byte) (string, error) {
	if enc == nil {
		return "", errors.New("invalid encoding")
	}
	dec, err := enc.NewDecoder().Bytes(data)
	if err != nil || !mostlyText(string(dec)) {
		return "", errors.New("invalid encoding: the bytes do not match the page's charset")
	}
	return strings.TrimPrefix(string(dec), "\ufeff"), nil
}

func hasNonASCII(data []byte) bool {
	for _, c := range data {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

func nonASCIIRunes(s string) int {
	n := 0
	for _, r := range s {
		if r >= utf8.RuneSelf {
			n++
		}
	}
	return n
}

// ---- meta tags and title ----

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

// ---- visible publication date ----

var (
	reDateNum      = `(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})`
	reLooseDate    = regexp.MustCompile(`^\s*` + reDateNum)
	reCompactDate  = regexp.MustCompile(`^\s*(\d{4})(\d{2})(\d{2})(?:\D|$)`)
	rePubLabelDate = regexp.MustCompile(`(?:发布|发稿|发表|发文|印发|刊发)(?:时间|日期)\s*[:：]\s*` + reDateNum)
	reAnyLabelDate = regexp.MustCompile(`(?:时间|日期)\s*[:：]\s*` + reDateNum)
)

// parseLooseDate reads dates as sites and exports write them: 2024-03-05,
// 2024-03-05 10:20, 2024/3/5, 2024.03.05, 2024年03月05日, 20240305.
func parseLooseDate(s string) (string, bool) {
	m := reLooseDate.FindStringSubmatch(s)
	if m == nil {
		m = reCompactDate.FindStringSubmatch(s)
	}
	if m == nil {
		return "", false
	}
	return YMD(m[1], m[2], m[3])
}

// visibleDate finds a labelled date (发布时间：2024-03-05, 日期：2024年3月5日)
// in the page's visible text; a 发布 label wins over a bare one.
func visibleDate(doc *html.Node) string {
	lines := textLines(doc, false)
	for _, re := range []*regexp.Regexp{rePubLabelDate, reAnyLabelDate} {
		for _, l := range lines {
			if m := re.FindStringSubmatch(l); m != nil {
				if d, ok := YMD(m[1], m[2], m[3]); ok {
					return d
				}
			}
		}
	}
	return ""
}

// ---- content container ----

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

// ---- what is never text, and page chrome ----

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

// ---- text ----

var blockBreak = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Li: true, atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Dt: true,
	atom.Dd: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Table: true, atom.Tr: true, atom.Td: true, atom.Th: true, atom.Section: true, atom.Article: true,
	atom.Blockquote: true, atom.Pre: true, atom.Center: true, atom.Main: true, atom.Figure: true,
	atom.Figcaption: true, atom.Hr: true, atom.Address: true, atom.Caption: true, atom.Tbody: true,
	atom.Thead: true, atom.Tfoot: true, atom.Fieldset: true, atom.Legend: true, atom.Form: true,
	atom.Header: true, atom.Footer: true, atom.Nav: true, atom.Aside: true, atom.Body: true,
}

// textLines renders an element as lines of text: block elements and <br>
// break lines. With skipChrome, page furniture inside it is left out.
func textLines(root *html.Node, skipChrome bool) []string {
	var lines []string
	var cur strings.Builder
	flush := func() {
		if l := tidyLine(cur.String()); l != "" {
			lines = append(lines, l)
		}
		cur.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipAlways(n) || skipChrome && n != root && isChrome(n) {
				return
			}
			if n.DataAtom == atom.Br {
				flush()
				return
			}
			if n.DataAtom == atom.Img {
				return
			}
			if (n.DataAtom == atom.Td || n.DataAtom == atom.Th) && !layoutCell(n) {
				// Cells of a data table's row stay on one line.
				cur.WriteByte(' ')
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
				cur.WriteByte(' ')
				return
			}
		}
		brk := n.Type == html.ElementNode && (blockBreak[n.DataAtom] || !isInline(n))
		if brk {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if brk {
			flush()
		}
	}
	walk(root)
	flush()
	return lines
}

// layoutCell reports a table cell used for page layout rather than data:
// it holds blocks, line breaks or long text.
func layoutCell(n *html.Node) bool {
	if findFirst(n, func(c *html.Node) bool {
		return c != n && (blockBreak[c.DataAtom] || c.DataAtom == atom.Br)
	}) != nil {
		return true
	}
	return hanCount(nodeText(n)) > 40
}

// tidyLine collapses white space to one space (none where a line wrap of
// the source falls between Chinese characters) and trims the line,
// including full-width indents.
func tidyLine(s string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	space, wrap := false, false
	var prev rune
	for _, r := range s {
		if r == '\u00a0' || r == '\u3000' || unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			space = true
			wrap = wrap || r == '\n' || r == '\r'
			continue
		}
		if space && b.Len() > 0 && !(wrap && isCJK(prev) && isCJK(r)) {
			b.WriteByte(' ')
		}
		space, wrap = false, false
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303f || r >= 0xff00 && r <= 0xffef
}

func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			return
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func hanCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// ---- boilerplate lines ----

// boilerMarks in a short line (or one that is not a sentence) mark it as
// page furniture that survived inside the content container.
var boilerMarks = []string{"当前位置", "您现在的位置", "您的位置", "所在位置", "现在位置",
	"版权所有", "ICP备", "ICP证", "公网安备", "主办单位", "承办单位", "主办：", "承办：", "网站标识码",
	"联系我们", "网站地图", "技术支持", "分享到", "【打印", "打印本页", "打印此页", "【关闭", "关闭窗口",
	"【收藏", "扫一扫", "字号：", "字号:", "【字体", "返回顶部", "上一篇", "下一篇", "责任编辑",
	"浏览次数", "阅读次数", "访问量", "点击数"}

// infoLabels: two of them on one line make it the article's info bar.
var infoLabels = []string{"发布时间", "发布日期", "来源：", "来源:", "作者：", "作者:", "浏览", "字号", "点击", "编辑："}

var (
	reInfoLine    = regexp.MustCompile(`^(?:发布时间|发布日期|发稿时间|日期|来源|信息来源|文章来源)\s*[:：]`)
	reBracketLine = regexp.MustCompile(`^(?:[【\[][^】\]]{1,10}[】\]]\s*)+$`)
	reBrowserLine = regexp.MustCompile(`建议.{0,30}浏览器|分辨率`)
	furnitureWord = regexp.MustCompile(`打印|关闭|收藏|分享|返回顶部|返回|字号|字体|默认|本页|窗口|繁體|繁体|简体|无障碍|微信|微博|QQ空间|扫一扫|打开|[大中小]|[\s|｜/:：【】\[\]·•>＞»]`)
)

func isBoilerplate(l string) bool {
	n := utf8.RuneCountInString(l)
	sentence := strings.ContainsRune(l, '。')
	if !sentence || n <= 24 {
		for _, m := range boilerMarks {
			if strings.Contains(l, m) {
				return true
			}
		}
		if reBrowserLine.MatchString(l) {
			return true
		}
	}
	if n <= 100 && !sentence {
		if reInfoLine.MatchString(l) {
			return true
		}
		labels := 0
		for _, m := range infoLabels {
			if strings.Contains(l, m) {
				labels++
			}
		}
		if labels >= 2 {
			return true
		}
	}
	if n <= 40 && (reBracketLine.MatchString(l) || furnitureWord.ReplaceAllString(l, "") == "") {
		return true
	}
	return false
}

// cleanBodyLines drops boilerplate lines and a repeat of the title at the top.
func cleanBodyLines(lines []string, title, docTitle string) []string {
	var out []string
	for _, l := range lines {
		if isBoilerplate(l) {
			continue
		}
		if len(out) == 0 && (l == title || l == docTitle) {
			continue
		}
		out = append(out, l)
	}
	return out
}
