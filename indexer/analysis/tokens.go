package analysis

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one term of analysed text. Start and End are byte offsets into the
// normalised text that was analysed; Pos counts words from 1.
type Token struct {
	Term       string
	Start, End int
	Pos        int
}

// MaxPiece is the longest run of bytes handed to jieba in one call. Longer
// text is cut at punctuation or spaces (or, failing that, at a rune boundary)
// so that the C++ side never sees multi-megabyte input.
const MaxPiece = 2048

// CleanText makes s safe for the C++ segmenter and for bleve: valid UTF-8,
// no NUL or other C0 control bytes except newline and tab.
func CleanText(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			b.WriteRune('\uFFFD')
		case r < 0x20 && r != '\n' && r != '\t', r == 0x7f:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// pieces cuts normalised text into pieces of at most MaxPiece bytes, preferring
// to cut after sentence punctuation, then after any space or punctuation.
// Each piece is returned with its byte offset.
func pieces(s string, fn func(piece string, off int)) {
	off := 0
	for len(s)-off > MaxPiece {
		end := off + MaxPiece
		for end > off && !utf8.RuneStart(s[end]) {
			end--
		}
		if end == off { // no rune start at all (invalid bytes): cut anywhere
			end = off + MaxPiece
		}
		cut := -1
		for i := end; i > off+MaxPiece/2; {
			r, size := utf8.DecodeLastRuneInString(s[off:i])
			if isSentenceEnd(r) || r == '\n' {
				cut = i
				break
			}
			i -= size
		}
		if cut < 0 {
			for i := end; i > off+MaxPiece/2; {
				r, size := utf8.DecodeLastRuneInString(s[off:i])
				if unicode.IsSpace(r) || unicode.IsPunct(r) {
					cut = i
					break
				}
				i -= size
			}
		}
		if cut < 0 {
			cut = end
		}
		fn(s[off:cut], off)
		off = cut
	}
	if off < len(s) {
		fn(s[off:], off)
	}
}

func isSentenceEnd(r rune) bool {
	switch r {
	case '。', '！', '？', '；', '!', '?', ';', '…':
		return true
	}
	return false
}

// isWordish reports whether a jieba token is a term worth indexing: it holds
// at least one letter or digit (punctuation and spaces are dropped).
func isWordish(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// IndexTokens segments normalised text in jieba's search mode. Each default-
// mode word takes the next position; the sub-words that search mode adds
// (长江 and 大桥 inside 长江大桥) share the position of the word that contains
// them. Punctuation takes a position but yields no token. The index keeps
// no positions (only term frequencies, see indexer/field.go; exact phrases
// are checked against the article text): positions are what /api/analyze
// shows and what bleve's analyser reports.
func (s *Segmenter) IndexTokens(norm string) []Token {
	toks := make([]Token, 0, len(norm)/4)
	s.EachIndexTerm(norm, func(t Token) { toks = append(toks, t) }, func(Token) {})
	return toks
}

// IndexTerms returns IndexTokens(norm) and, from the same segmentation, the
// join bigrams of the text (see joins.go).
func (s *Segmenter) IndexTerms(norm string) (toks, joined []Token) {
	toks = make([]Token, 0, len(norm)/4)
	s.EachIndexTerm(norm,
		func(t Token) { toks = append(toks, t) },
		func(t Token) { joined = append(joined, t) })
	return toks, joined
}

// scratch is the reusable working memory of EachIndexTerm.
type scratch struct {
	heads []Token
	group []int
}

// EachIndexTerm is IndexTerms without the slices: it calls word for each
// token of IndexTokens and join for each join bigram, in order. Terms are
// substrings of norm. The indexer counts terms this way, with no token
// list an article.
func (s *Segmenter) EachIndexTerm(norm string, word, join func(Token)) {
	pos, jpos := 0, 0
	sc, _ := s.work.Get().(*scratch)
	if sc == nil {
		sc = new(scratch)
	}
	defer s.work.Put(sc)
	heads, group := sc.heads[:0], sc.group[:0]
	defer func() { sc.heads, sc.group = heads[:0], group[:0] }()
	pieces(norm, func(piece string, off int) {
		words := s.tokenize(piece, true)
		// Search mode emits each word's sub-words just before the word, all
		// inside its span. Walking backwards, a token inside the span of the
		// current word is one of its sub-words; any other token is the next
		// (earlier) default-mode word.
		group = slices.Grow(group[:0], len(words))[:len(words)]
		g := 0
		curStart, curEnd := -1, -1
		for i := len(words) - 1; i >= 0; i-- {
			w := words[i]
			if curStart >= 0 && w.Start >= curStart && w.End <= curEnd && (w.End-w.Start) < (curEnd-curStart) {
				group[i] = g
				continue
			}
			g++
			group[i] = g
			curStart, curEnd = w.Start, w.End
		}
		base := pos
		heads = heads[:0]
		for i, w := range words {
			p := base + (g - group[i] + 1)
			if p > pos {
				pos = p
			}
			if i+1 == len(words) || group[i+1] != group[i] { // the default-mode word
				heads = append(heads, Token{Term: w.Str, Start: off + w.Start, End: off + w.End})
			}
			if !isWordish(w.Str) {
				continue
			}
			word(Token{Term: w.Str, Start: off + w.Start, End: off + w.End, Pos: p})
		}
		joins(norm, heads, func(t Token) {
			jpos++
			t.Pos = jpos
			join(t)
		})
	})
}

// Words segments normalised text in jieba's default mode (used for queries):
// the words in order, punctuation and spaces dropped.
func (s *Segmenter) Words(norm string) []Token {
	var out []Token
	pos := 0
	pieces(norm, func(piece string, off int) {
		for _, w := range s.tokenize(piece, false) {
			pos++
			if !isWordish(w.Str) {
				continue
			}
			out = append(out, Token{Term: w.Str, Start: off + w.Start, End: off + w.End, Pos: pos})
		}
	})
	return out
}

// IsHan reports whether r is a CJK ideograph.
func IsHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// Bigrams returns the character-bigram terms of normalised text: each run of
// Han characters gives its overlapping bigrams (a lone character gives
// itself); each run of Latin letters or digits gives one term. Positions
// count terms. This field gives recall for words no dictionary has.
func Bigrams(norm string) []Token {
	out := make([]Token, 0, len(norm)/3)
	pos := 0
	type ru struct {
		r   rune
		off int
	}
	var han []ru
	flushHan := func() {
		switch len(han) {
		case 0:
		case 1:
			pos++
			h := han[0]
			out = append(out, Token{Term: string(h.r), Start: h.off, End: h.off + utf8.RuneLen(h.r), Pos: pos})
		default:
			for i := 0; i+1 < len(han); i++ {
				pos++
				a, b := han[i], han[i+1]
				out = append(out, Token{Term: string([]rune{a.r, b.r}), Start: a.off, End: b.off + utf8.RuneLen(b.r), Pos: pos})
			}
		}
		han = han[:0]
	}
	alnumStart := -1
	flushAlnum := func(end int) {
		if alnumStart >= 0 {
			pos++
			out = append(out, Token{Term: norm[alnumStart:end], Start: alnumStart, End: end, Pos: pos})
			alnumStart = -1
		}
	}
	for i, r := range norm {
		switch {
		case IsHan(r):
			flushAlnum(i)
			han = append(han, ru{r, i})
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '.' && alnumStart >= 0:
			flushHan()
			if alnumStart < 0 {
				alnumStart = i
			}
		default:
			flushHan()
			flushAlnum(i)
		}
	}
	flushHan()
	flushAlnum(len(norm))
	// A trailing '.' is not part of a number.
	for i := range out {
		t := &out[i]
		for strings.HasSuffix(t.Term, ".") {
			t.Term = t.Term[:len(t.Term)-1]
			t.End--
		}
	}
	return out
}

// BigramTerms returns just the terms of Bigrams(norm), in order.
func BigramTerms(norm string) []string {
	toks := Bigrams(norm)
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		if t.Term != "" {
			out = append(out, t.Term)
		}
	}
	return out
}
