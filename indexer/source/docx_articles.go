package source

import (
	"encoding/xml"
	"sort"
	"strings"
	"unicode/utf8"
)

// The paragraphs of a Word document as a page: the masthead taken off, and
// the headings and headline-like paragraphs that start articles (see docx.go).

func xattr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// docxMasthead takes off the masthead of a document whose articles have
// headings: the short lines before the first heading (the 简报's name,
// issue number, issuer and date), which would otherwise open the first
// article's body.
func docxMasthead(ps []docxPara) (rest []docxPara, mast []string) {
	for i, p := range ps {
		if p.heading >= 1 || (p.heading < 0 && headlineLike(p, 0) && i > 0) {
			if i == 0 {
				return ps, nil
			}
			for _, m := range ps[:i] {
				mast = append(mast, m.text)
			}
			return ps[i:], mast
		}
		if p.row || utf8.RuneCountInString(p.text) > 40 || strings.ContainsAny(p.text, "。！？；") {
			return ps, nil
		}
	}
	return ps, nil
}

// docxText lays the paragraphs out as a text page: one paragraph a line; a
// blank line before each article-level heading or headline-like paragraph
// (written as a Markdown heading), so that SplitPage starts an article
// there; deeper headings are plain short lines, section heads of their
// article.
func docxText(ps []docxPara) string {
	// The article level: the shallowest heading level, unless it is used
	// once, at the top, for the document's own title.
	var levels []int
	count := map[int]int{}
	first := -1
	for i, p := range ps {
		if p.heading >= 0 {
			if count[p.heading] == 0 {
				levels = append(levels, p.heading)
			}
			count[p.heading]++
			if first < 0 {
				first = i
			}
		}
	}
	sort.Ints(levels)
	article := -1
	if len(levels) > 0 {
		article = levels[0]
		if count[article] == 1 && len(levels) > 1 && ps[first].heading == article {
			article = levels[1]
		}
	}
	body := bodySize(ps)
	var sb strings.Builder
	prevHead := false
	for i := 0; i < len(ps); i++ {
		p := ps[i]
		if p.row {
			// A table is one paragraph, its rows separated by ；: rows
			// of short cells are not headlines.
			rows := []string{p.text}
			for i+1 < len(ps) && ps[i+1].row {
				i++
				rows = append(rows, ps[i].text)
			}
			sb.WriteString(strings.Join(rows, "；") + "\n")
			prevHead = false
			continue
		}
		head := false
		switch {
		case p.heading >= 0 && p.heading <= article:
			head = p.heading == article
		case p.heading > article && article >= 0:
			// A section head of the article: a short line inside it.
			sb.WriteString(p.text + "\n")
			prevHead = false
			continue
		case !p.row && headlineLike(p, body):
			head = true
		}
		if head && !prevHead {
			sb.WriteString("\n\n## " + p.text + "\n")
			prevHead = true
			continue
		}
		prevHead = head
		sb.WriteString(p.text + "\n")
	}
	return sb.String()
}

// bodySize is the most common explicit run size of long paragraphs.
func bodySize(ps []docxPara) int {
	n := map[int]int{}
	best, bestN := 0, 0
	for _, p := range ps {
		if p.size > 0 && utf8.RuneCountInString(p.text) > 40 {
			n[p.size]++
			if n[p.size] > bestN {
				best, bestN = p.size, n[p.size]
			}
		}
	}
	return best
}

// headlineLike: a short paragraph without closing punctuation set apart by
// bold, centring or a larger size than the body text; never a document's
// number line or a date.
func headlineLike(p docxPara, body int) bool {
	n := utf8.RuneCountInString(p.text)
	if n < 4 || n > 40 || endsSentence(p.text) || strings.ContainsAny(p.text, "。；！？") || isByline(p.text) {
		return false
	}
	if _, ok := numberLine(p.text); ok {
		return false // a document's number line, centred under its title
	}
	if _, ok := signDate(p.text); ok {
		return false
	}
	return p.bold || p.centered || (body > 0 && p.size > body*115/100)
}
