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
