package analysis

import (
	"strings"
	"sync"
	"unicode/utf8"
)

var stopSet = sync.OnceValue(stopWords)

// IsStopWord reports whether w (normalised) is one of the embedded stop words.
func IsStopWord(w string) bool { return stopSet()[w] }

// IsLone reports whether a default-mode word is a lone character: one Han
// character that is not a stop word.
func IsLone(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	return n == len(w) && n > 0 && IsHan(r) && !IsStopWord(w)
}

// Joinable reports whether a lone character may be joined to the word w
// beside it: w is not a stop word and its edge touching the lone character
// (its last rune when before it, its first when after) is Han.
func Joinable(w string, before bool) bool {
	if w == "" || IsStopWord(w) {
		return false
	}
	var r rune
	if before {
		r, _ = utf8.DecodeLastRuneInString(w)
	} else {
		r, _ = utf8.DecodeRuneInString(w)
	}
	return IsHan(r)
}

// joins calls emit for each join bigram of a run of adjacent default-mode
// words: the bigram of a lone character with the last character of the
// joinable word before it, and with the first character of the joinable
// word after it (once when two lone characters meet).
// Words are tokens of text (their offsets are into it); join terms are
// substrings of text.
func joins(text string, words []Token, emit func(Token)) {
	for i, w := range words {
		if !IsLone(w.Term) {
			continue
		}
		if i > 0 {
			if p := words[i-1]; p.End == w.Start && Joinable(p.Term, true) {
				_, size := utf8.DecodeLastRuneInString(p.Term)
				emit(Token{Term: text[p.End-size : w.End], Start: p.End - size, End: w.End})
			}
		}
		if i+1 < len(words) {
			if n := words[i+1]; n.Start == w.End && Joinable(n.Term, false) && !IsLone(n.Term) {
				_, size := utf8.DecodeRuneInString(n.Term)
				emit(Token{Term: text[w.Start : n.Start+size], Start: w.Start, End: n.Start + size})
			}
		}
	}
}

// JoinsOf returns the join bigrams of adjacent words (the pieces of a query
// word that the query side joined), in order, without duplicates, and the
// pieces to match as words: all but the lone characters that a join bigram
// covers.
func JoinsOf(pieces []string) (joined, words []string) {
	toks := make([]Token, len(pieces))
	off := 0
	for i, p := range pieces {
		toks[i] = Token{Term: p, Start: off, End: off + len(p)}
		off += len(p)
	}
	covered := make([]bool, len(pieces))
	seen := map[string]bool{}
	joins(strings.Join(pieces, ""), toks, func(t Token) {
		for i, w := range toks {
			if w.Start < t.End && t.Start < w.End && IsLone(w.Term) {
				covered[i] = true
			}
		}
		if !seen[t.Term] {
			seen[t.Term] = true
			joined = append(joined, t.Term)
		}
	})
	for i, p := range pieces {
		if !covered[i] {
			words = append(words, p)
		}
	}
	return joined, words
}

// Joins returns the join bigrams of normalised text, with byte offsets and
// positions counting join bigrams (for display and for bleve's analyser).
func (s *Segmenter) Joins(norm string) []Token {
	var js []Token
	s.EachIndexTerm(norm, func(Token) {}, func(t Token) { js = append(js, t) })
	return js
}
