package source

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The shape of a page: lines broken mid-sentence joined back, the usual
// paragraph gap, and whether the page is dense (one paragraph a line), a
// newspaper page, or a page of columns (see page.go).

// joinBroken rejoins lines broken mid-sentence: a paragraph (or a short
// fragment with a comma inside running text) that does not close its
// sentence continues in the next unit, unless that is a heading or byline or
// lies beyond a large gap.
func joinBroken(units []unit) []unit {
	big := largeGap(units)
	// On a dense page (one paragraph a line) a short line with a comma
	// after a closed sentence is a headline, not a broken line's middle.
	isDense := dense(units)
	var out []unit
	for i := 0; i < len(units); i++ {
		u := units[i]
		parts := []string{u.text} // joined once at the end: no quadratic copying
		last := u.text
		for i+1 < len(units) {
			n := units[i+1]
			if closes(last) || n.kind == kH || n.kind == kB || n.gap >= big || u.kind == kH || u.kind == kB {
				break
			}
			inBody := u.kind == kP ||
				strings.ContainsAny(u.text, "，、") && len(out) > 0 && out[len(out)-1].kind == kP && u.gap < big &&
					!(isDense && closes(out[len(out)-1].text))
			if !inBody || !(n.kind == kP || closes(n.text)) {
				break
			}
			parts = append(parts, n.text)
			last = n.text
			u.kind = kP
			i++
		}
		if len(parts) > 1 {
			var b strings.Builder
			b.WriteString(parts[0])
			for k := 1; k < len(parts); k++ {
				b.WriteString(joinSep(parts[k-1], parts[k]))
				b.WriteString(parts[k])
			}
			u.text = b.String()
		}
		out = append(out, u)
	}
	return out
}

// joinSep is what goes between two halves of a broken line: nothing
// between CJK text, one space between Latin words.
func joinSep(a, b string) string {
	ra, _ := utf8.DecodeLastRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	if ra < 0x80 && rb < 0x80 && (unicode.IsLetter(ra) || unicode.IsDigit(ra)) && (unicode.IsLetter(rb) || unicode.IsDigit(rb)) {
		return " "
	}
	return ""
}

// largeGap returns the number of blank lines from which a gap separates
// blocks: one more than the usual gap between consecutive paragraphs.
func largeGap(units []unit) int {
	var gaps []int
	for i := 1; i < len(units); i++ {
		if units[i].kind == kP && units[i-1].kind == kP {
			gaps = append(gaps, units[i].gap)
		}
	}
	if dense(units) {
		return 1 // one paragraph a line: any blank line is a large gap
	}
	typical := 1
	if len(gaps) > 0 {
		sort.Ints(gaps)
		typical = gaps[len(gaps)/2]
		if typical < 1 {
			// One paragraph a line, no blank lines (e-paper and PDF
			// exports): any blank line is a large gap.
			return 1
		}
	}
	return typical + 1
}

// dense reports a page laid out one paragraph a line without blank lines,
// where only the form of lines tells headlines from body text.
//
// Text in narrow columns (a PDF text layer, an OCR'd column: every line cut
// at the column's width) is not dense in this sense: its short lines are
// pieces of paragraphs, not headlines. It shows as most short lines having
// the same length.
func dense(units []unit) bool {
	zero := 0
	for i := 1; i < len(units); i++ {
		if units[i].gap == 0 {
			zero++
		}
	}
	return len(units) >= 4 && 2*zero > len(units)-1 && !columns(units)
}

// newspaper reports a page that shows a newspaper page's marks: a sign-off
// or credit line, two bylines or datelines, a masthead date line
// (2024年5月20日 星期一) or a column of briefs (城区简讯, 海外拾零).
func newspaper(units []unit) bool {
	bylines := 0
	for _, u := range units {
		switch {
		case u.kind == kO:
			return true
		case u.kind == kB || u.datelineByline:
			bylines++
		case u.kind == kS && (mastheadRe.MatchString(u.text) || briefsColumnRe.MatchString(u.text)):
			return true
		}
	}
	return bylines >= 2
}

var (
	mastheadRe     = regexp.MustCompile(`^[0-9０-９]{4}年[0-9０-９]{1,2}月[0-9０-９]{1,2}日\s*星期[一二三四五六日天]`)
	briefsColumnRe = regexp.MustCompile(`^\p{Han}{0,4}(简讯|快讯|短讯|速递|速览|拾零|集锦|一览|动态|简报)$`)
)

// columns reports text cut at a fixed column width: at least 8 lines, half
// or more of all lines (headlines and paragraphs alike) within one
// character of the same length. Headlines alone may share a length; whole
// paragraphs, one a line, do not.
func columns(units []unit) bool {
	byLen := map[int]int{}
	lines := 0
	for _, u := range units {
		if u.kind == kS || u.kind == kP {
			byLen[utf8.RuneCountInString(u.text)]++
			lines++
		}
	}
	if lines < 8 {
		return false
	}
	for n := range byLen {
		if 2*(byLen[n-1]+byLen[n]+byLen[n+1]) >= lines {
			return true
		}
	}
	return false
}
