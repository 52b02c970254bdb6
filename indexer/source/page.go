package source

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A bulletin page (plain text or Markdown) holds one or more articles laid
// out like a newspaper page, often OCR'd. SplitPage tells its lines apart:
//
//	H  a Markdown heading (`## …`)
//	B  a byline (`□本报记者 …`, `记者 … 通讯员 …`)
//	P  a body paragraph (long, or with sentence punctuation)
//	S  a short line without closing punctuation: headline, subtitle, kicker,
//	   section head, photo caption or a line of an infographic box
//
// Lines broken mid-sentence (OCR column breaks, a blank line between the two
// halves) are joined back first. Then article starts are found:
//
//  1. a headline block (H/S lines, at most a few, one blank line apart)
//     directly followed by a byline, or by a paragraph that opens with a
//     dateline byline (本报讯…);
//  2. on pages without any byline: every heading of the page's top level;
//  3. a block of short lines after a large gap (or at the top of the page)
//     that is followed by body text: a plain-text headline with its subtitles;
//  4. a block of three or more short lines after a large gap that is not
//     followed by body text: an infographic box, which is an article of its
//     own (its first line is the title).
//
// A "large gap" is wider than the page's usual gap between paragraphs.
// Everything else (section heads, captions, lone lines) stays inside the
// article it sits in. Bylines are not part of the body.

type kind int

const (
	kP kind = iota // paragraph
	kS             // short line
	kH             // markdown heading
	kB             // byline
)

type unit struct {
	text  string
	kind  kind
	level int // heading level for kH
	gap   int // blank lines before this unit
	line  int // 1-based line number of its first line
	// datelineByline is set on a paragraph that opens with 本报讯 or similar.
	datelineByline bool
}

// RawArticle is one article as laid out on the page, before enrichment.
type RawArticle struct {
	Title string
	Body  string // paragraphs separated by blank lines
	Line  int    // line of the page where the article starts
}

// SplitPage splits the text of one bulletin page into articles. It never
// fails: text without recognisable structure becomes one article.
func SplitPage(text string) []RawArticle {
	units := joinBroken(readUnits(text))
	if len(units) == 0 {
		return nil
	}
	starts := findStarts(units)
	var out []RawArticle
	for k, s := range starts {
		end := len(units)
		if k+1 < len(starts) {
			end = starts[k+1].at
		}
		if a, ok := buildArticle(units[s.at:end], s.title-s.at); ok {
			out = append(out, a)
		}
	}
	return out
}

// readUnits turns lines into units, counting the blank lines between them.
func readUnits(text string) []unit {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	var units []unit
	gap := 1 << 20 // the page start counts as a large gap
	for i, raw := range strings.Split(text, "\n") {
		line := strings.TrimFunc(raw, unicode.IsSpace)
		if line == "" {
			gap++
			continue
		}
		u := unit{text: line, gap: gap, line: i + 1}
		gap = 0
		switch {
		case headingLevel(line) > 0:
			u.kind, u.level = kH, headingLevel(line)
			u.text = strings.TrimSpace(strings.TrimLeft(line, "#"))
			if u.text == "" {
				continue
			}
		case isByline(line):
			u.kind = kB
		case isBodyLike(line):
			u.kind = kP
			u.datelineByline = opensWithDateline(line)
		default:
			u.kind = kS
		}
		units = append(units, u)
	}
	return units
}

func headingLevel(line string) int {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n == len(line) || line[n] != ' ' {
		return 0
	}
	return n
}

var bylineMarks = "□■◆◇●○▲△★☆"

// isByline recognises a byline line: a short line that names reporters.
func isByline(line string) bool {
	if utf8.RuneCountInString(line) > 60 {
		return false
	}
	s := strings.TrimLeft(line, bylineMarks+" \u3000")
	marked := len(s) < len(line)
	for _, p := range []string{"本报记者", "本报通讯员", "本报特约记者", "记者", "通讯员", "文/", "文／", "文 /", "图/", "图／", "撰稿", "摄影", "供稿"} {
		if strings.HasPrefix(s, p) {
			// "记者从…了解到" opens a sentence, not a byline.
			return marked || !strings.ContainsAny(s, "。，；：从获了")
		}
	}
	return false
}

// opensWithDateline reports a paragraph that begins with a dateline byline
// such as 本报讯（记者 张三） or 本报北京5月3日电.
func opensWithDateline(line string) bool {
	s := strings.TrimLeft(line, bylineMarks+" \u3000")
	if strings.HasPrefix(s, "本报讯") {
		return true
	}
	if strings.HasPrefix(s, "本报") {
		r := []rune(s)
		if len(r) > 16 {
			r = r[:16]
		}
		h := string(r)
		return strings.Contains(h, "日电") || strings.Contains(h, "日讯")
	}
	return false
}

// closes reports whether a line ends a sentence.
func closes(line string) bool {
	r, size := utf8.DecodeLastRuneInString(line)
	switch r {
	case '。', '！', '？', '；', '…', '!', '?', ';', '：', ':':
		return true
	case '”', '’', '）', ')', '」', '』', '"':
		prev, _ := utf8.DecodeLastRuneInString(line[:len(line)-size])
		switch prev {
		case '。', '！', '？', '…', '!', '?':
			return true
		}
	}
	return false
}

// bodyRunes is the length from which a line without punctuation at its end
// is still body text (headlines and captions are shorter).
const bodyRunes = 36

func isBodyLike(line string) bool {
	if closes(line) || utf8.RuneCountInString(line) >= bodyRunes {
		return true
	}
	r := []rune(line)
	for _, c := range r[:len(r)-1] {
		if c == '。' || c == '！' || c == '？' || c == '；' {
			return true
		}
	}
	return false
}

// joinBroken rejoins lines broken mid-sentence: a paragraph (or a short
// fragment with a comma inside running text) that does not close its
// sentence continues in the next unit, unless that is a heading or byline or
// lies beyond a large gap.
func joinBroken(units []unit) []unit {
	big := largeGap(units)
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
				strings.ContainsAny(u.text, "，、") && len(out) > 0 && out[len(out)-1].kind == kP && u.gap < big
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
	typical := 1
	if len(gaps) > 0 {
		sort.Ints(gaps)
		typical = gaps[len(gaps)/2]
		if typical < 1 {
			typical = 1
		}
	}
	return typical + 1
}

type start struct{ at, title int }

func findStarts(units []unit) []start {
	big := largeGap(units)
	hasByline := false
	minLevel := 7
	for _, u := range units {
		if u.kind == kB || u.datelineByline {
			hasByline = true
		}
		if u.kind == kH && u.level < minLevel {
			minLevel = u.level
		}
	}
	isStart := make([]bool, len(units))
	titleOf := make([]int, len(units))

	// headlineBlock walks back from units[i] (exclusive) over H/S lines one
	// gap apart, at most four, and returns the first index of the block.
	headlineBlock := func(i int) int {
		j := i
		for j > 0 && i-j < 4 && units[j].gap < big && (units[j-1].kind == kH || units[j-1].kind == kS) {
			j--
		}
		return j
	}
	mark := func(from, to int) { // block units[from:to]
		if from >= to {
			return
		}
		t := from
		for k := from; k < to; k++ {
			if units[k].kind == kH {
				t = k
				break
			}
		}
		isStart[from], titleOf[from] = true, t
	}

	for i, u := range units {
		// Rule 1: bylines.
		if u.kind == kB || u.datelineByline {
			if j := headlineBlock(i); j < i {
				mark(j, i)
			}
		}
		// Rule 2: top-level headings on pages without bylines.
		if u.kind == kH && !hasByline && u.level == minLevel {
			mark(i, i+1)
		}
		// A heading after a large gap starts an article in any case.
		if u.kind == kH && u.gap >= big && i > 0 {
			mark(i, i+1)
		}
	}
	// Rules 3 and 4: runs of short lines (no paragraph between them).
	for i := 0; i < len(units); {
		if !(units[i].kind == kS || units[i].kind == kH) {
			i++
			continue
		}
		j := i + 1
		for j < len(units) && (units[j].kind == kS || units[j].kind == kH) {
			j++
		}
		followedByBody := j < len(units) && units[j].gap < big
		switch {
		case followedByBody:
			// Rule 3: the part of the run after its last large gap is a
			// headline block if a large gap (or the page top) precedes it.
			k := j - 1
			for k > i && units[k].gap < big {
				k--
			}
			if units[k].gap >= big && j-k <= 4 && !anyStart(isStart, k, j) {
				mark(k, j)
			}
		case j-i >= 3 && !anyStart(isStart, i, j):
			// Rule 4: an infographic box.
			mark(i, i+1)
		}
		i = j
	}

	var starts []start
	for i := range units {
		if isStart[i] {
			starts = append(starts, start{at: i, title: titleOf[i]})
		}
	}
	if len(starts) == 0 || starts[0].at > 0 {
		// Text before the first headline: an untitled article if it has body
		// text, else (a masthead, a caption) it joins the first article.
		hasBody := false
		end := len(units)
		if len(starts) > 0 {
			end = starts[0].at
		}
		for _, u := range units[:end] {
			if u.kind == kP {
				hasBody = true
			}
		}
		if hasBody || len(starts) == 0 {
			starts = append([]start{{at: 0, title: -1}}, starts...)
		} else {
			starts[0].at = 0
		}
	}
	return starts
}

func anyStart(isStart []bool, from, to int) bool {
	for k := from; k < to; k++ {
		if isStart[k] {
			return true
		}
	}
	return false
}

// buildArticle assembles an article from its units; title is the index of
// the title unit within them, or -1 when the article has no headline.
func buildArticle(us []unit, title int) (RawArticle, bool) {
	a := RawArticle{Line: us[0].line}
	var paras []string
	for k, u := range us {
		switch {
		case k == title:
			a.Title = u.text
		case u.kind == kB:
			// bylines name reporters; they are not article text
		default:
			paras = append(paras, u.text)
		}
	}
	if a.Title == "" && len(paras) > 0 {
		a.Title = firstSentence(paras[0])
	}
	a.Body = strings.Join(paras, "\n\n")
	if strings.TrimSpace(a.Body) == "" && a.Title == "" {
		return a, false
	}
	return a, true
}

// firstSentence gives a title for an article without a headline.
func firstSentence(p string) string {
	r := []rune(p)
	for i, c := range r {
		if c == '。' || c == '！' || c == '？' || c == '，' && i >= 12 {
			r = r[:i]
			break
		}
	}
	if len(r) > 40 {
		r = append(r[:40], '…')
	}
	return string(r)
}
