package dedup

import (
	"slices"
	"strings"
)

// The sketch of an article is all the detector keeps of it: a bounded
// signature, never the text.
//
// Why a small implementation and not a library: the Go candidates
// (github.com/ekzhu/minhash-lsh, github.com/dgryski/go-minhash,
// github.com/mfonda/simhash) have no tagged release on the module proxy and
// none fits: the LSH index of minhash-lsh cannot remove an article (live
// writes replace and delete) and finds an added one only after Index has
// re-sorted every table, k-permutation MinHash hashes every shingle k
// times, and a 64-bit SimHash cannot tell whether a shorter text is
// contained in a longer one, which a copy without its lead paragraph needs.
// The sketch here is three standard pieces, each a few lines:
//
//   - candidates: one-permutation MinHash (Li, Owen and Zhang 2012) over
//     numBins bins with rotation densification (Shrivastava and Li 2014),
//     banded into numBands LSH keys of two bins each: a pair with shingle
//     Jaccard J shares a key with probability 1-(1-J²)^numBands, about 0.99
//     at J = 0.5 and 0.15 at J = 0.1;
//   - the check: a bottom-k sample (the k smallest shingle hashes, Broder
//     1997). Two articles are compared on the shingles whose hash is at most
//     the smaller of their two cut-offs, which is the exact shingle set of
//     both below that threshold: for an article of at most k shingles (a short
//     notice, where template notices live) the check is exact, for a longer
//     one it is a uniform sample of k shingles or more;
//   - the guard: the distinctive tokens (figures, dates, document numbers,
//     place names), kept the same way as a bottom-m multiset.
const (
	shingleLen = 5   // characters per shingle
	numBins    = 32  // one-permutation MinHash bins
	numBands   = 16  // LSH bands of numBins/numBands bins
	bottomK    = 128 // shingle hashes kept for the check
	maxTokens  = 128 // distinctive tokens kept for the guard
)

// sketch is the signature of one article. It is immutable once built.
type sketch struct {
	bands  [numBands]uint64 // LSH keys
	bottom []uint32         // the smallest distinct shingle hashes, ascending
	size   int              // distinct shingles in the article
	tokens []uint32         // the smallest distinctive-token hashes, ascending, with repeats
	ntok   int              // distinctive tokens in the article, with repeats
	lead   []uint32         // the tokens of the lead paragraph, below the same cut-off as tokens
	runes  int              // characters compared (title and body)
	leadN  int              // characters compared of the lead paragraph
}

// full reports whether bottom holds every shingle of the article.
func (s *sketch) full() bool { return len(s.bottom) == s.size }

// cap is the largest hash bottom is complete up to.
func (s *sketch) cap() uint32 {
	if s.full() {
		return ^uint32(0)
	}
	return s.bottom[len(s.bottom)-1]
}

func (s *sketch) tokenCap() uint32 {
	if len(s.tokens) == s.ntok {
		return ^uint32(0)
	}
	return s.tokens[len(s.tokens)-1]
}

// mix64 is the splitmix64 finaliser: a fast, well-spread 64-bit mix.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

func hashRunes(rs []rune) uint64 {
	h := uint64(0xcbf29ce484222325)
	for _, r := range rs {
		h = (h ^ uint64(r)) * 0x100000001b3
	}
	return mix64(h)
}

// newSketch builds the sketch of an article. It compares the text of one
// normalisation pass: Normalize's further passes only change texts whose
// compacted form still reads as a wrapper, which no copy of a notice is.
func newSketch(title, body string) *sketch {
	c := clean(title, body)
	text := []rune(compact(c.title) + compact(c.body))
	sk := &sketch{runes: len(text)}
	sk.setShingles(text)
	ld := lead(c.body)
	sk.leadN = len([]rune(compact(ld)))
	sk.setTokens(c.title+"\n"+c.body, ld)
	return sk
}

func (sk *sketch) setShingles(text []rune) {
	var hs []uint64
	switch {
	case len(text) == 0:
		// no shingles: an empty article is nobody's copy
	case len(text) < shingleLen:
		hs = []uint64{hashRunes(text)}
	default:
		hs = make([]uint64, 0, len(text)-shingleLen+1)
		for i := 0; i+shingleLen <= len(text); i++ {
			hs = append(hs, hashRunes(text[i:i+shingleLen]))
		}
	}
	// bottom-k on the high 32 bits
	hi := make([]uint32, len(hs))
	for i, h := range hs {
		hi[i] = uint32(h >> 32)
	}
	slices.Sort(hi)
	hi = slices.Compact(hi)
	sk.size = len(hi)
	sk.bottom = slices.Clone(hi[:min(len(hi), bottomK)]) // a copy: not pinning all shingles
	if len(hs) == 0 {
		return
	}
	// one-permutation MinHash: the bin from the top bits, the value from
	// the low 32 bits
	var bins [numBins]uint32
	var seen [numBins]bool
	for _, h := range hs {
		b := h >> (64 - 5) // numBins == 32
		v := uint32(h)
		if !seen[b] || v < bins[b] {
			bins[b], seen[b] = v, true
		}
	}
	// rotation densification: an empty bin takes the next filled bin to its
	// right, offset by the distance so that borrowed values differ from
	// the lender's
	var dense [numBins]uint32
	for b := range numBins {
		for d := range numBins {
			j := (b + d) % numBins
			if seen[j] {
				dense[b] = bins[j] + uint32(d)*0x9e3779b9
				break
			}
		}
	}
	per := numBins / numBands
	for i := range numBands {
		var k uint64 = uint64(i) + 1
		for _, v := range dense[i*per : (i+1)*per] {
			k = mix64(k<<32 ^ uint64(v) ^ k>>32)
		}
		sk.bands[i] = k
	}
}

// Distinctive tokens: what tells two notices of one template apart. Digit
// runs (leading zeros dropped, so 03 and 3 agree; a decimal point joins),
// dates in Chinese numerals (三月五日: runs of numerals before 年, 月, 日 or
// 号), document numbers (京政发〔2024〕3号, in any bracket form: the four
// characters before the bracket, the year and the number), and place names
// by their suffix (朝阳区, 西红门镇, 望京街道, 京顺路: the two characters before
// one of placeSuffix), which names a place well enough to tell two apart.
// One hand-written pass over the text: this runs on every article.
func isPlaceSuffix(r rune) bool {
	switch r {
	case '区', '县', '镇', '乡', '村', '市', '旗', '路', '街', '桥', '站', '园':
		return true
	}
	return false
}

func isCNNumeral(r rune) bool {
	switch r {
	case '〇', '零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '百', '两':
		return true
	}
	return false
}

func isDateUnit(r rune) bool { return r == '年' || r == '月' || r == '日' || r == '号' }

func isOpenDocNo(r rune) bool { return r == '〔' || r == '[' || r == '(' || r == '【' }

func isCloseDocNo(r rune) bool { return r == '〕' || r == ']' || r == ')' || r == '】' }

func isHan(r rune) bool { return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF }

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

// lead returns the lead paragraph of a cleaned body: its first line.
func lead(body string) string {
	l, _, _ := strings.Cut(body, "\n")
	return l
}

func (sk *sketch) setTokens(text, leadText string) {
	sk.tokens, sk.ntok = tokens(text)
	if len(sk.tokens) == 0 {
		return
	}
	ld, _ := tokens(leadText)
	sk.lead = slices.Clone(below(ld, sk.tokenCap()))
}

// tokens returns the smallest maxTokens distinctive-token hashes of text,
// ascending, and how many tokens text holds.
func tokens(text string) ([]uint32, int) {
	rs := []rune(text)
	var hs []uint32
	add := func(kind byte, parts ...[]rune) {
		h := uint64(0xcbf29ce484222325) ^ uint64(kind)
		for _, p := range parts {
			for _, r := range p {
				h = (h ^ uint64(r)) * 0x100000001b3
			}
			h = (h ^ '|') * 0x100000001b3
		}
		hs = append(hs, uint32(mix64(h)>>32))
	}
	digitsAt := func(i int) int { // end of the digit run at i
		for i < len(rs) && isDigit(rs[i]) {
			i++
		}
		return i
	}
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case isDigit(r):
			j := digitsAt(i)
			if j+1 < len(rs) && rs[j] == '.' && isDigit(rs[j+1]) {
				j = digitsAt(j + 1)
			}
			k := i
			for k < j-1 && rs[k] == '0' && rs[k+1] != '.' {
				k++
			}
			add('d', rs[k:j])
			i = j
			continue
		case isCNNumeral(r):
			j := i
			for j < len(rs) && isCNNumeral(rs[j]) {
				j++
			}
			if j < len(rs) && isDateUnit(rs[j]) {
				add('c', rs[i:j+1])
			}
			i = j
			continue
		case isOpenDocNo(r):
			if no, ok := docNo(rs, i); ok {
				add('n', no...)
			}
		case isPlaceSuffix(r):
			if i >= 2 && isHan(rs[i-1]) && isHan(rs[i-2]) {
				add('p', rs[i-2:i+1])
			}
		}
		i++
	}
	slices.Sort(hs)
	return slices.Clone(hs[:min(len(hs), maxTokens)]), len(hs)
}

// docNo reads a document number whose year bracket opens at rs[i]: up to
// four characters of issuer before it, four digits, the closing bracket,
// the number and 号 (第 and spaces allowed). It returns issuer, year and
// number.
func docNo(rs []rune, i int) ([][]rune, bool) {
	skip := func(j int) int {
		for j < len(rs) && rs[j] == ' ' {
			j++
		}
		return j
	}
	y := skip(i + 1)
	if y+4 > len(rs) {
		return nil, false
	}
	for _, r := range rs[y : y+4] {
		if !isDigit(r) {
			return nil, false
		}
	}
	j := skip(y + 4)
	if j >= len(rs) || !isCloseDocNo(rs[j]) {
		return nil, false
	}
	j = skip(j + 1)
	if j < len(rs) && rs[j] == '第' {
		j = skip(j + 1)
	}
	n := j
	for j < len(rs) && isDigit(rs[j]) {
		j++
	}
	if j == n || skip(j) >= len(rs) || rs[skip(j)] != '号' {
		return nil, false
	}
	for n < j-1 && rs[n] == '0' {
		n++
	}
	b := i // less the spaces before the bracket
	for b > 0 && rs[b-1] == ' ' {
		b--
	}
	a := b
	for a > 0 && b-a < 4 && isHan(rs[a-1]) {
		a--
	}
	return [][]rune{rs[a:b], rs[y : y+4], rs[n:j]}, true
}

// below returns the prefix of the ascending xs that is at most t.
func below(xs []uint32, t uint32) []uint32 {
	i, _ := slices.BinarySearch(xs, t)
	for i < len(xs) && xs[i] <= t {
		i++
	}
	return xs[:i]
}

// common counts the elements two ascending sets (or multisets) share.
func common(a, b []uint32) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// Thresholds of the check; testdata/dedup/README.md says how they were
// tuned.
type Thresholds struct {
	// MinContainment is the share of the shorter article's shingles that
	// the longer must hold.
	MinContainment float64
	// MinLengthRatio is the least size of the shorter article as a share of
	// the longer (distinct shingles): below it the shorter is a quotation
	// or a summary, not a copy.
	MinLengthRatio float64
	// MinShingles is the least size of an article that can be a copy.
	MinShingles int
}

// DefaultThresholds returns the thresholds tuned on the dev half of
// testdata/dedup.
func DefaultThresholds() Thresholds {
	return Thresholds{
		MinContainment: 0.85,
		MinLengthRatio: 0.6,
		MinShingles:    4,
	}
}

// Match is the check of one pair.
type Match struct {
	Containment float64 // of the shorter in the longer
	LengthRatio float64 // shorter / longer, in distinct shingles
	TokensOK    bool    // the distinctive-token guard passed
	Duplicate   bool
}

// compare checks a pair of sketches. It is symmetric.
func compare(a, b *sketch, th Thresholds) Match {
	var m Match
	if a.size < th.MinShingles || b.size < th.MinShingles {
		return m
	}
	s, l := a, b
	if s.size > l.size || s.size == l.size && slices.Compare(s.bottom, l.bottom) > 0 {
		s, l = l, s
	}
	m.LengthRatio = float64(s.size) / float64(l.size)
	t := min(s.cap(), l.cap())
	ss, ls := below(s.bottom, t), below(l.bottom, t)
	if len(ss) == 0 || len(ls) == 0 {
		return m
	}
	inter := common(ss, ls)
	m.Containment = float64(inter) / float64(len(ss))
	m.TokensOK = tokensAgree(s, l)
	m.Duplicate = m.TokensOK && m.LengthRatio >= th.MinLengthRatio && m.Containment >= th.MinContainment
	return m
}

// tokensAgree is the template guard: every distinctive token of the
// shorter s is in the longer l (as often), and the tokens l has beyond
// those of s are in l's lead paragraph, when s lacks that lead: the lead is
// not most of l, and s is shorter than l by at least half of it. A notice of
// the same template with another figure, date, place or document number
// fails it from either side, or, when the figure is missing from one of
// them, for want of a lead to explain it.
func tokensAgree(s, l *sketch) bool {
	tt := min(s.tokenCap(), l.tokenCap())
	st, lt := below(s.tokens, tt), below(l.tokens, tt)
	extra := minus(lt, st)
	switch {
	case len(extra) != len(lt)-len(st):
		return false // s has a token l lacks
	case len(extra) == 0:
		return true
	case 2*l.leadN >= l.runes || 2*(l.runes-s.runes) < l.leadN:
		return false // l has tokens s lacks, and s is not l without its lead
	}
	return len(minus(extra, below(l.lead, tt))) == 0
}

// minus returns the multiset a − b of two ascending multisets.
func minus(a, b []uint32) []uint32 {
	var out []uint32
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j < len(b) && b[j] == x {
			j++
			continue
		}
		out = append(out, x)
	}
	return out
}

// siblingContainment is the containment above which two articles of
// about the same length count as notices of one template when their
// distinctive tokens disagree: lower than the bar for copies, so that a
// notice whose text was edited beside its figures still counts.
const siblingContainment = 0.7

// conflict reports whether two articles are notices of one template: much
// the same text, but distinctive tokens that disagree (see tokensAgree).
// Such notices are never in one group, whatever copies link them.
func conflict(a, b *sketch, th Thresholds) bool {
	m := compare(a, b, th)
	return !m.TokensOK && m.LengthRatio >= th.MinLengthRatio && m.Containment >= siblingContainment
}
