package source

// The metadata block (信息公开) of a government web page: a list
// (`<li>[发文字号] 京政办发〔2016〕26号</li>`), a table (a label cell, then
// its value cell; several pairs to a row) or `标签：值` lines, in simplified
// or traditional script. It is page furniture: read, then left out of the
// body text.

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/govbulletin/bulletin/indexer/govdoc"
)

// maxBlockRunes bounds the text of an element looked at as a metadata
// block (a block holds a few short lines; one overlong value among them,
// which Block ignores, does not make it an article).
const maxBlockRunes = 12000

// blockContainers are the elements a metadata block is looked for in.
var blockContainers = map[atom.Atom]bool{
	atom.Table: true, atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Div: true, atom.Section: true,
	atom.P: true, atom.Tbody: true,
}

// readDocBlocks reads the metadata blocks of a page and takes them out of
// the tree: the elements whose lines are mostly labelled fields and that
// state at least a document number or two other fields. The first value
// of a field wins.
func readDocBlocks(doc *html.Node) govdoc.Fields {
	var found []string
	var blocks []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if skipAlways(n) {
				return
			}
			if blockContainers[n.DataAtom] {
				if lines, ok := docBlockLines(n); ok {
					found = append(found, lines...)
					blocks = append(blocks, n)
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, n := range blocks {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
	return govdoc.Block(found)
}

// docBlockLines returns the lines of an element that is a metadata block,
// with a table's label and value cells joined as `label：value`.
func docBlockLines(n *html.Node) ([]string, bool) {
	text := nodeText(n)
	if hanCount(text) > maxBlockRunes || hanCount(text) == 0 {
		return nil, false
	}
	var lines []string
	if n.DataAtom == atom.Table || n.DataAtom == atom.Tbody {
		lines = rowLines(n)
	} else {
		if findFirst(n, func(c *html.Node) bool { return c.DataAtom == atom.Table }) != nil {
			return nil, false // a wrapper: the table is judged by itself
		}
		lines = textLines(n, false)
	}
	labelled := 0
	for _, l := range lines {
		if strings.ContainsRune(l, '。') && len([]rune(l)) > 60 {
			return nil, false // a sentence: article text
		}
		if !govdoc.Block([]string{l}).Empty() {
			labelled++
		}
	}
	if len(lines) == 0 || labelled*2 < len(lines) {
		return nil, false
	}
	f := govdoc.Block(lines)
	fields := 0
	for _, set := range []bool{len(f.Issuer) > 0, f.Written != "", f.IndexNo != "", f.Category != "", f.Validity != "", f.Published != ""} {
		if set {
			fields++
		}
	}
	if f.DocNo == "" && fields < 3 {
		return nil, false
	}
	return lines, true
}

// rowLines renders a table's rows, a label cell and the value cell after
// it joined as `label：value`, the pairs of a row on one line. Nested
// tables are rows of their own.
func rowLines(table *html.Node) []string {
	var lines []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Tr {
			var cells []*html.Node
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
					cells = append(cells, c)
				}
			}
			var parts []string
			for i := 0; i < len(cells); i++ {
				text := tidyLine(nodeText(cells[i]))
				if text == "" {
					continue
				}
				if _, ok := govdoc.Label(text); ok && i+1 < len(cells) {
					label := strings.Join(strings.Fields(strings.Trim(text, ":： ")), "")
					label = strings.Trim(label, "[]【】")
					parts = append(parts, label+"："+tidyLine(nodeText(cells[i+1])))
					i++
					continue
				}
				parts = append(parts, text)
			}
			if len(parts) > 0 {
				lines = append(lines, strings.Join(parts, " "))
			}
			for _, c := range cells {
				if t := findFirst(c, func(x *html.Node) bool { return x.DataAtom == atom.Table }); t != nil {
					lines = append(lines, rowLines(t)...)
				}
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(table)
	return lines
}

// takeLabelled takes runs of two or more `标签：值` lines (short, no
// sentence) out of a page's body lines: a metadata block printed inside
// the content. It returns the other lines and the fields the runs state.
func takeLabelled(lines []string) ([]string, govdoc.Fields) {
	isLabelled := func(l string) bool {
		return len([]rune(l)) <= 120 && !strings.ContainsRune(l, '。') && !govdoc.Block([]string{l}).Empty()
	}
	var rest, taken []string
	for i := 0; i < len(lines); {
		j := i
		for j < len(lines) && isLabelled(lines[j]) {
			j++
		}
		if j-i >= 2 {
			taken = append(taken, lines[i:j]...)
			i = j
			continue
		}
		if j == i {
			j = i + 1
		}
		rest = append(rest, lines[i:j]...)
		i = j
	}
	return rest, govdoc.Block(taken)
}
