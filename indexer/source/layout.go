package source

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Page layout: from positioned text (the characters of a PDF text layer, or
// the words OCR found on a scanned page) to the plain text of a bulletin
// page, which SplitPage then splits into articles like any text page.
//
//  1. Pieces of text on one baseline that touch are joined into fragments;
//     a wide gap (a column gutter) ends a fragment.
//  2. Running headers and footers are dropped: lines in the top or bottom
//     band of a page that are page numbers (- 3 -, 第3版, 3/12), a
//     masthead (a short top line with a date or 第N版/期), editorial
//     credits (责任编辑 …), or text repeated in the same band on other
//     pages. The
//     first date of a dropped top line is the page's date.
//  3. The rest is cut recursively into blocks (an XY cut): first at
//     horizontal bands of white space taller than a line gap that cross the
//     whole block, else at vertical gutters; blocks are read top to bottom,
//     and left to right across gutters. So a two-column page is read column
//     by column, and a headline across both columns comes before them,
//     also when it sits close above them (a few top or bottom lines are
//     peeled off when the rest has columns).
//  4. Inside a block, lines are grouped into paragraphs: a new paragraph
//     starts at a first-line indent, a change of type size, a wider gap, or
//     after a line that stops short of the right edge. The lines of a
//     paragraph are joined: directly between Chinese characters (a word
//     broken across lines becomes whole again), with a space between Latin
//     words, and a hyphen at a line end is dropped.
//  5. Paragraphs become lines of text, one a line with no blank lines: the
//     dense layout of e-paper and PDF exports, which SplitPage reads by the
//     form of each line (headline groups, bylines, datelines, sign-offs).

// box is a piece of positioned text in page coordinates: x grows to the
// right, y grows upwards (PDF's convention; OCR boxes are flipped).
type box struct {
	text       string
	l, b, r, t float64
	size       float64 // type size (em) in the page's units
}

func (x box) h() float64  { return x.t - x.b }
func (x box) cy() float64 { return (x.t + x.b) / 2 }

// layoutPage is one page's positioned text.
type layoutPage struct {
	w, h  float64
	boxes []box // in reading order as the source gives it
	dpi   int   // resolution of the page's largest scanned image, if known
	// unmapped counts characters of the text layer without Unicode.
	unmapped int
}

// laidOut is the text of one page after layout.
type laidOut struct {
	text string // paragraphs, one a line; blank lines between blocks
	date string // masthead date (YYYY-MM-DD) or ""
}

// fragments joins the boxes of a page that sit on one baseline and touch
// into fragments. Boxes are taken in the order given; a box that is not
// next to the current fragment starts a new one.
func fragments(boxes []box) []box {
	var out []box
	var cur *box
	var sb strings.Builder
	flush := func() {
		if cur != nil {
			cur.text = sb.String()
			if strings.TrimSpace(cur.text) != "" {
				out = append(out, *cur)
			}
		}
		cur = nil
		sb.Reset()
	}
	for _, c := range boxes {
		if strings.TrimSpace(c.text) == "" || c.r < c.l || c.t < c.b {
			continue
		}
		if cur != nil {
			em := math.Max(cur.size, c.size)
			if em <= 0 {
				em = math.Max(cur.h(), c.h())
			}
			sameLine := math.Abs(c.cy()-cur.cy()) < 0.5*math.Max(math.Min(cur.h(), c.h()), 0.1)
			gap := c.l - cur.r
			if sameLine && gap > -0.5*em && gap < 0.8*em {
				if spaced(lastRune(sb.String()), firstRune(c.text), gap/em) {
					sb.WriteByte(' ')
				}
				sb.WriteString(c.text)
				cur.r = math.Max(cur.r, c.r)
				cur.l = math.Min(cur.l, c.l)
				cur.t = math.Max(cur.t, c.t)
				cur.b = math.Min(cur.b, c.b)
				cur.size = math.Max(cur.size, c.size)
				continue
			}
			flush()
		}
		c := c
		cur = &c
		sb.WriteString(c.text)
	}
	flush()
	return out
}

// spaced says whether two pieces of text set gap ems apart on a line are
// separate words: Latin words a space apart, Chinese characters set apart
// by a space (李明 王芳), never next to Chinese punctuation, whose glyphs
// leave white space inside their em.
func spaced(a, b rune, gap float64) bool {
	switch {
	case a == 0 || b == 0:
		return false
	case isCJKPunct(a) || isCJKPunct(b):
		return false
	case isCJKText(a) || isCJKText(b):
		return gap > 0.3
	}
	return gap > 0.15
}

func isCJKPunct(r rune) bool {
	return isCJKText(r) && !unicode.Is(unicode.Han, r)
}

// endsSentence says whether a line ends with closing punctuation, after
// which a line that follows starts afresh.
func endsSentence(line string) bool {
	line = strings.TrimRightFunc(line, unicode.IsSpace)
	r := lastRune(line)
	if strings.ContainsRune("”’）)」』\"", r) && len(line) > utf8.RuneLen(r) {
		r = lastRune(line[:len(line)-utf8.RuneLen(r)])
	}
	return strings.ContainsRune("。！？；…!?;：:", r)
}

// needsSpace says whether two pieces of text set apart on a line, or a line
// broken after a and continued with b, need a space between them: only
// between Latin letters or digits, never next to a Chinese character.
func needsSpace(a, b rune) bool {
	return a != 0 && b != 0 && !isCJKText(a) && !isCJKText(b) &&
		(unicode.IsLetter(a) || unicode.IsDigit(a) || strings.ContainsRune(",.;:!?)", a)) && (unicode.IsLetter(b) || unicode.IsDigit(b))
}

func isCJKText(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef) ||
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '—' || r == '…' || r == '·'
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return 0
	}
	return r
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	if r == utf8.RuneError {
		return 0
	}
	return r
}

// upright turns a page whose characters run up or down the page (a page
// drawn rotated, or vertical writing, 竖排) so that they run left to right,
// by a quarter turn of every box; a page that reads left to right already
// is returned as it is. The direction is what most pairs of neighbouring
// characters say.
func upright(p layoutPage) layoutPage {
	across, up, down := 0, 0, 0
	for i := 1; i < len(p.boxes); i++ {
		a, b := p.boxes[i-1], p.boxes[i]
		dx, dy := (b.l+b.r-a.l-a.r)/2, b.cy()-a.cy()
		near := 2 * math.Max(math.Max(a.h(), a.r-a.l), math.Max(b.h(), b.r-b.l))
		if math.Hypot(dx, dy) > near {
			continue // a jump to another line
		}
		switch {
		case math.Abs(dx) >= math.Abs(dy):
			across++
		case dy > 0:
			up++
		default:
			down++
		}
	}
	if across >= up+down {
		return p
	}
	q := layoutPage{w: p.h, h: p.w, dpi: p.dpi, unmapped: p.unmapped, boxes: make([]box, len(p.boxes))}
	for i, b := range p.boxes {
		var n box
		if up > down { // text runs up: the page turns clockwise
			n = box{text: b.text, l: b.b, r: b.t, b: p.w - b.r, t: p.w - b.l}
		} else { // text runs down (竖排, or a page turned the other way)
			n = box{text: b.text, l: p.h - b.t, r: p.h - b.b, b: b.l, t: b.r}
		}
		n.size = n.t - n.b
		q.boxes[i] = n
	}
	return q
}

// bandLine is a line of text in the top or bottom band of a page.
type bandLine struct {
	text  string
	top   bool
	boxes []int // indexes into the page's fragments
}

var (
	cnDateRE    = regexp.MustCompile(`((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日`)
	numDateRE   = regexp.MustCompile(`\b((?:19|20)\d{2})[-./](\d{1,2})[-./](\d{1,2})\b`)
	pageNoRE    = regexp.MustCompile(`^(?:[-–—－·•\s]*\d{1,4}[-–—－·•\s]*|第\s*\d{1,4}\s*[页版]|\d{1,4}\s*/\s*\d{1,4}|(?i:page)\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$`)
	editionRE   = regexp.MustCompile(`第\s*[\d一二三四五六七八九十百]{1,5}\s*[版期]`)
	creditsRE   = regexp.MustCompile(`^(?:责任编辑|责编|美术编辑|美编|版式设计|版式|校对|本版编辑|本版责编|值班编辑|编辑)\s*[:：]`)
	digitsRE    = regexp.MustCompile(`\d+`)
	spaceRunsRE = regexp.MustCompile(`\s+`)
)

// dateIn returns the first date written in s as YYYY-MM-DD.
func dateIn(s string) string {
	for _, re := range []*regexp.Regexp{cnDateRE, numDateRE} {
		if m := re.FindStringSubmatch(s); m != nil {
			if d, ok := YMD(m[1], m[2], m[3]); ok {
				return d
			}
		}
	}
	return ""
}

// bandLines groups the fragments in the top and bottom bands of a page
// (the outer 9% of its height) into lines.
func bandLines(p layoutPage, frags []box) []bandLine {
	band := 0.09 * p.h
	var out []bandLine
	for _, top := range []bool{true, false} {
		var idx []int
		for i, f := range frags {
			if top && f.b >= p.h-band || !top && f.t <= band {
				idx = append(idx, i)
			}
		}
		sort.Slice(idx, func(a, b int) bool {
			fa, fb := frags[idx[a]], frags[idx[b]]
			if math.Abs(fa.cy()-fb.cy()) > 0.5*math.Min(fa.h(), fb.h()) {
				return fa.cy() > fb.cy()
			}
			return fa.l < fb.l
		})
		for k := 0; k < len(idx); {
			f := frags[idx[k]]
			line := bandLine{top: top, boxes: []int{idx[k]}}
			parts := []string{f.text}
			k++
			for k < len(idx) && math.Abs(frags[idx[k]].cy()-f.cy()) <= 0.5*math.Min(f.h(), frags[idx[k]].h()) {
				line.boxes = append(line.boxes, idx[k])
				parts = append(parts, frags[idx[k]].text)
				k++
			}
			line.text = strings.Join(parts, " ")
			out = append(out, line)
		}
	}
	return out
}

// bandKey is what a running header or footer keeps from page to page: its
// text with numbers masked and spaces dropped.
func bandKey(s string) string {
	return digitsRE.ReplaceAllString(spaceRunsRE.ReplaceAllString(s, ""), "#")
}

// runningLine says whether a band line is a running header or footer by its
// form alone: a page number or editorial credits in either band, a
// masthead (a date, 第N版) in the top band only (a short dated line at the
// foot of a page may be a notice's signature).
func runningLine(s string, top bool) bool {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	switch {
	case n == 0:
		return true
	case pageNoRE.MatchString(s):
		return true
	case n <= 60 && creditsRE.MatchString(s):
		return true
	case n <= 40 && editionRE.MatchString(s) && !strings.ContainsAny(s, "。；！？"):
		return true
	case top && n <= 40 && dateIn(s) != "" && !strings.ContainsAny(s, "。；！？"):
		return true
	}
	return false
}

// layoutDoc lays out every page of a document. Running headers and footers
// are recognised by their form on any page, and by repetition when the
// document has more pages.
func layoutDoc(pages []layoutPage) []laidOut {
	frags := make([][]box, len(pages))
	bands := make([][]bandLine, len(pages))
	count := map[string]int{}
	for i, p := range pages {
		frags[i] = fragments(p.boxes)
		bands[i] = bandLines(p, frags[i])
		seen := map[string]bool{}
		for _, l := range bands[i] {
			k := fmt.Sprint(l.top, bandKey(l.text))
			if !seen[k] {
				seen[k] = true
				count[k]++
			}
		}
	}
	repeat := 2
	if len(pages) >= 6 {
		repeat = 3
	}
	out := make([]laidOut, len(pages))
	for i := range pages {
		drop := map[int]bool{}
		for _, l := range bands[i] {
			rep := len(pages) > 1 && count[fmt.Sprint(l.top, bandKey(l.text))] >= repeat && utf8.RuneCountInString(l.text) <= 80
			if !rep && !runningLine(l.text, l.top) {
				continue
			}
			for _, b := range l.boxes {
				drop[b] = true
			}
			if l.top && out[i].date == "" {
				out[i].date = dateIn(l.text)
			}
		}
		var keep []box
		for k, f := range frags[i] {
			if !drop[k] {
				keep = append(keep, f)
			}
		}
		out[i].text = blocksText(xyCut(keep, medianSize(keep)))
	}
	return out
}

// medianSize is the usual type size of a page's text.
func medianSize(fs []box) float64 {
	if len(fs) == 0 {
		return 1
	}
	s := make([]float64, 0, len(fs))
	for _, f := range fs {
		s = append(s, sizeOf(f))
	}
	sort.Float64s(s)
	if m := s[len(s)/2]; m > 0 {
		return m
	}
	return 1
}

func sizeOf(f box) float64 {
	if f.size > 0 {
		return f.size
	}
	return f.h()
}

// xyCut orders fragments into blocks (see the comment at the top).
func xyCut(fs []box, em float64) [][]box {
	if len(fs) == 0 {
		return nil
	}
	if len(fs) == 1 {
		return [][]box{fs}
	}
	gutters := verticalGutters(fs, em)
	// Horizontal cuts: white bands across the whole block taller than a
	// line gap. Where the block has columns, only when every part reaches
	// across a gutter: a part inside one column (the start of an article
	// at the foot of the first column, where the next column is shorter)
	// is read with its column.
	byY := append([]box(nil), fs...)
	sort.Slice(byY, func(a, b int) bool { return byY[a].t > byY[b].t })
	var parts [][]box
	start := 0
	low := byY[0].b
	for k := 1; k < len(byY); k++ {
		if low-byY[k].t >= 0.9*em {
			parts = append(parts, byY[start:k])
			start = k
		}
		low = math.Min(low, byY[k].b)
	}
	if len(parts) > 0 {
		parts = append(parts, byY[start:])
		if len(gutters) > 0 {
			for _, p := range parts {
				if !acrossGutter(p, gutters) {
					parts = nil
					break
				}
			}
		}
	}
	if len(parts) > 0 {
		var out [][]box
		for _, p := range parts {
			out = append(out, xyCut(p, em)...)
		}
		return out
	}
	// Vertical cuts: gutters across the whole block.
	parts = nil
	byX := append([]box(nil), fs...)
	sort.Slice(byX, func(a, b int) bool { return byX[a].l < byX[b].l })
	start = 0
	right := byX[0].r
	for k := 1; k < len(byX); k++ {
		if byX[k].l-right >= 0.8*em {
			parts = append(parts, byX[start:k])
			start = k
		}
		right = math.Max(right, byX[k].r)
	}
	if len(parts) > 0 {
		parts = append(parts, byX[start:])
		var out [][]box
		for _, p := range parts {
			out = append(out, xyCut(p, em)...)
		}
		return out
	}
	// Peel: a headline and byline set close above two columns (or a line
	// close below them) hide the gutter. Cut off up to a few lines at the
	// top (or bottom) when the rest has a gutter.
	for k := 1; k < len(byY) && k <= 8; k++ {
		if cutBelow(byY, k) && hasColumns(byY[k:], em) {
			return append(xyCut(byY[:k], em), xyCut(byY[k:], em)...)
		}
	}
	for k := len(byY) - 1; k > 0 && k >= len(byY)-4; k-- {
		if cutBelow(byY, k) && hasColumns(byY[:k], em) {
			return append(xyCut(byY[:k], em), xyCut(byY[k:], em)...)
		}
	}
	return [][]box{fs}
}

// cutBelow says whether the fragments byY[:k] (sorted by top, highest
// first) lie wholly above byY[k:].
func cutBelow(byY []box, k int) bool {
	low := byY[0].b
	for _, f := range byY[:k] {
		low = math.Min(low, f.b)
	}
	high := byY[k].t
	for _, f := range byY[k:] {
		high = math.Max(high, f.t)
	}
	return low > high
}

// hasColumns says whether fragments have a gutter with text on both sides.
func hasColumns(fs []box, em float64) bool {
	if len(fs) < 2 {
		return false
	}
	g := verticalGutters(fs, em)
	return len(g) > 0 && acrossGutter(fs, g)
}

// verticalGutters returns the x of the middle of each gutter (white space
// at least 0.8 em wide from top to bottom of the block: a gutter is wider
// than the widest gap inside a line, which ends a fragment).
func verticalGutters(fs []box, em float64) []float64 {
	byX := append([]box(nil), fs...)
	sort.Slice(byX, func(a, b int) bool { return byX[a].l < byX[b].l })
	var out []float64
	right := byX[0].r
	for k := 1; k < len(byX); k++ {
		if byX[k].l-right >= 0.8*em {
			out = append(out, (byX[k].l+right)/2)
		}
		right = math.Max(right, byX[k].r)
	}
	return out
}

// acrossGutter says whether the fragments have text on both sides of one of
// the gutters.
func acrossGutter(fs []box, gutters []float64) bool {
	for _, g := range gutters {
		left, right := false, false
		for _, f := range fs {
			left = left || f.r <= g
			right = right || f.l >= g
		}
		if left && right {
			return true
		}
	}
	return false
}

// line is a line of a block: its fragments joined left to right.
type line struct {
	text       string
	l, b, r, t float64
	size       float64
}

// blockLines groups the fragments of a block into lines, top to bottom.
func blockLines(fs []box) []line {
	sort.SliceStable(fs, func(a, b int) bool { return fs[a].cy() > fs[b].cy() })
	var out []line
	for k := 0; k < len(fs); {
		grp := []box{fs[k]}
		k++
		for k < len(fs) && math.Abs(fs[k].cy()-grp[0].cy()) < 0.5*math.Min(grp[0].h(), fs[k].h()) {
			grp = append(grp, fs[k])
			k++
		}
		sort.Slice(grp, func(a, b int) bool { return grp[a].l < grp[b].l })
		ln := line{l: grp[0].l, b: grp[0].b, r: grp[0].r, t: grp[0].t}
		var sb strings.Builder
		for i, g := range grp {
			if i > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(strings.TrimSpace(g.text))
			ln.l, ln.r = math.Min(ln.l, g.l), math.Max(ln.r, g.r)
			ln.b, ln.t = math.Min(ln.b, g.b), math.Max(ln.t, g.t)
			ln.size = math.Max(ln.size, sizeOf(g))
		}
		ln.text = sb.String()
		out = append(out, ln)
	}
	return out
}

// para is a paragraph of a block.
type para struct {
	text   string
	size   float64
	indent bool // its first line is indented
	full   bool // its last line reaches the block's right edge
}

// blockParas groups the lines of a block into paragraphs and joins their
// lines.
func blockParas(ls []line) []para {
	if len(ls) == 0 {
		return nil
	}
	left, right := ls[0].l, ls[0].r
	for _, l := range ls {
		left, right = math.Min(left, l.l), math.Max(right, l.r)
	}
	var out []para
	var cur *para
	for i, l := range ls {
		em := l.size
		if em <= 0 {
			em = l.t - l.b
		}
		newPara := cur == nil
		if !newPara {
			prev := ls[i-1]
			gap := prev.b - l.t
			switch {
			case math.Abs(l.size-prev.size) > 0.12*math.Max(l.size, prev.size):
				newPara = true // a headline, a byline, a subtitle
			case l.l-left > 1.2*em:
				newPara = true // a first-line indent
			case right-prev.r > 1.5*em:
				newPara = true // the line before stopped short
			case gap > 1.0*em:
				newPara = true
			}
		}
		full := right-l.r <= 1.5*em
		if newPara {
			out = append(out, para{text: l.text, size: l.size, indent: l.l-left > 1.2*em, full: full})
			cur = &out[len(out)-1]
			continue
		}
		cur.text = joinLines(cur.text, l.text)
		cur.full = full
	}
	return out
}

// joinLines joins a line to the line it continues.
func joinLines(a, b string) string {
	a, b = strings.TrimRightFunc(a, unicode.IsSpace), strings.TrimLeftFunc(b, unicode.IsSpace)
	x, y := lastRune(a), firstRune(b)
	if x == '-' && len(a) > 1 {
		if p := lastRune(a[:len(a)-1]); unicode.IsLetter(p) && !isCJKText(p) && unicode.IsLower(y) {
			return a[:len(a)-1] + b // a hyphenated Latin word
		}
	}
	if needsSpace(x, y) {
		return a + " " + b
	}
	return a + b
}

// blocksText writes the paragraphs of the blocks as text.
//
// A paragraph that runs to the foot of a column (its last line full, no
// closing punctuation) and a block that starts with an unindented line of
// the same size are one paragraph, broken by the column: they are joined.
func blocksText(blocks [][]box) string {
	var sb strings.Builder
	var last *para
	for _, bl := range blocks {
		ps := blockParas(blockLines(bl))
		if len(ps) == 0 {
			continue
		}
		if last != nil && last.full && !endsSentence(last.text) && !ps[0].indent &&
			math.Abs(ps[0].size-last.size) <= 0.12*math.Max(ps[0].size, last.size) {
			x, y := lastRune(last.text), firstRune(ps[0].text)
			if needsSpace(x, y) {
				sb.WriteByte(' ')
			}
			sb.WriteString(ps[0].text)
			first := ps[0]
			ps = ps[1:]
			if len(ps) == 0 {
				last = &first // the paragraph may go on in the next column
				continue
			}
			sb.WriteByte('\n')
		} else if sb.Len() > 0 {
			sb.WriteByte('\n')
		}
		for i, p := range ps {
			if i > 0 {
				sb.WriteByte('\n')
			}
			sb.WriteString(p.text)
		}
		last = &ps[len(ps)-1]
	}
	return sb.String()
}
