package source

import (
	"math"
	"sort"
	"strings"
	"unicode"
)

// Blocks, lines and paragraphs of a laid-out page: the XY cut into columns
// and blocks, then lines and paragraphs in reading order (see layout.go).

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
			centred := func(x line) bool { return math.Abs((x.l-left)-(right-x.r)) < em }
			switch {
			case math.Abs(l.size-prev.size) <= 0.12*math.Max(l.size, prev.size) && gap <= 1.0*em &&
				centred(prev) && centred(l) && prev.r-prev.l >= 0.75*(right-left) && !endsSentence(prev.text):
				// a centred headline wrapped: its last line is centred
				// under a full one (国务院关于印发…的通 / 知)
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
