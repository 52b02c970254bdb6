package source

// The text of a web page's content: its lines, and the boilerplate lines
// dropped from them.

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

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

// Boilerplate lines.

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
