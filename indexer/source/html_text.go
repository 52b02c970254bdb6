package source

// The text of a web page's content, line by line.

import (
	"strings"
	"unicode"

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
