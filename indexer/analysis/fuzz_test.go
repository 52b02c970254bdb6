package analysis

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzz tests of the analysis: any text is normalised rune for rune, and the
// tokens of every analyser lie inside the text, in non-decreasing positions.
// Seed corpora are in testdata/fuzz/FuzzXxx.

var fuzzSeeds = []string{
	"",
	"養老驛站 ＡＢＣ１２３　全角",
	"北京长江大桥接诉即办12345热线",
	"abc.def 1.4 3.14.15 v2.0. ...",
	"\x00\x01\x7f\xff\xfe invalid",
	"𠀀𪚥 emoji 😀 combining e\u0301 \u200d\ufeff",
	strings.Repeat("社区养老驿站", 500), // longer than one piece
	strings.Repeat("a", MaxPiece+3) + "养老",
}

func FuzzNormalize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if got, want := utf8.RuneCountInString(n), utf8.RuneCountInString(s); got != want {
			t.Fatalf("Normalize(%q) = %q: %d runes, want %d", s, n, got, want)
		}
		if !utf8.ValidString(n) || strings.ContainsRune(n, 0) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8 or NUL", s, n)
		}
		rs := []rune(s)
		if got := string(NormalizeRunes(rs)); got != n {
			t.Fatalf("NormalizeRunes(%q) = %q, Normalize = %q", s, got, n)
		}
		c := CleanText(s)
		if !utf8.ValidString(c) {
			t.Fatalf("CleanText(%q) = %q: invalid UTF-8", s, c)
		}
		// The documented contract: no NUL or other C0 control character
		// but newline and tab. (DEL, U+007F, is replaced in text with
		// non-ASCII bytes but kept in pure-ASCII text: harmless, though
		// inconsistent; see testdata/fuzz/FuzzNormalize.)
		for _, r := range c {
			if r < 0x20 && r != '\n' && r != '\t' {
				t.Fatalf("CleanText(%q) = %q: control character %U", s, c, r)
			}
		}
	})
}

// checkTokens checks tokens of norm: offsets inside it and on rune
// boundaries, the term the text at its offsets (Bigrams and the
// segmenter never invent text), positions from 1 and non-decreasing.
func checkTokens(t *testing.T, what, norm string, toks []Token, strict bool) {
	t.Helper()
	prev := 0
	for i, tk := range toks {
		if tk.Start < 0 || tk.End > len(norm) || tk.Start >= tk.End {
			t.Fatalf("%s(%q): token %d %+v out of bounds (len %d)", what, norm, i, tk, len(norm))
		}
		if !utf8.RuneStart(norm[tk.Start]) || tk.End < len(norm) && !utf8.RuneStart(norm[tk.End]) {
			t.Fatalf("%s(%q): token %d %+v not on rune boundaries", what, norm, i, tk)
		}
		if tk.Term == "" || norm[tk.Start:tk.End] != tk.Term {
			t.Fatalf("%s(%q): token %d %+v: text at offsets is %q", what, norm, i, tk, norm[tk.Start:tk.End])
		}
		if tk.Pos < 1 || tk.Pos < prev || strict && tk.Pos == prev {
			t.Fatalf("%s(%q): token %d %+v: position after %d", what, norm, i, tk, prev)
		}
		prev = tk.Pos
	}
}

func FuzzIndexTokens(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	seg, err := Shared()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// The indexer's pipeline: clean, then normalise, then segment.
		norm := Normalize(CleanText(s))
		checkTokens(t, "IndexTokens", norm, seg.IndexTokens(norm), false)
		checkTokens(t, "Words", norm, seg.Words(norm), true)
		checkTokens(t, "Bigrams", norm, Bigrams(norm), true)
	})
}
