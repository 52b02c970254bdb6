package analysis

import (
	"fmt"
	"strings"
	"testing"
)

func seg(t testing.TB) *Segmenter {
	t.Helper()
	s, err := Shared()
	if err != nil {
		t.Fatalf("segmenter: %v", err)
	}
	return s
}

func render(toks []Token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s@%d", t.Term, t.Pos)
	}
	return b.String()
}

func TestIndexTokensShareCompoundPosition(t *testing.T) {
	s := seg(t)
	got := render(s.IndexTokens(Normalize("北京长江大桥北京段")))
	// 长江 and 大桥 are sub-words of 长江大桥 and take its position (2).
	for _, want := range []string{"北京@1", "长江@2", "大桥@2", "长江大桥@2", "北京@3"} {
		if !strings.Contains(" "+got+" ", " "+want+" ") {
			t.Errorf("IndexTokens = %q, missing %q", got, want)
		}
	}
}

func TestIndexTokensPositionsTable(t *testing.T) {
	s := seg(t)
	tests := []struct {
		in   string
		want []string // term@pos that must be present
		not  []string // term@pos that must be absent
	}{
		{"社区养老驿站22处", []string{"社区@1"}, nil},
		{"医疗机构的医保定点", []string{"医疗@1"}, nil},
		{"ＡＢＣ１２３", []string{"abc123@1"}, nil},
		{"，，养老", []string{"养老@3"}, []string{"，@1"}},
	}
	for _, tc := range tests {
		got := " " + render(s.IndexTokens(Normalize(tc.in))) + " "
		for _, w := range tc.want {
			if !strings.Contains(got, " "+w+" ") {
				t.Errorf("IndexTokens(%q) = %q, missing %q", tc.in, got, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(got, " "+w+" ") {
				t.Errorf("IndexTokens(%q) = %q, has %q", tc.in, got, w)
			}
		}
	}
}

func TestWordsDefaultMode(t *testing.T) {
	s := seg(t)
	got := render(s.Words(Normalize("北京长江大桥")))
	if got != "北京@1 长江大桥@2" {
		t.Errorf("Words = %q, want default-mode words without sub-words", got)
	}
}

func TestGovDictionaryWord(t *testing.T) {
	s := seg(t)
	got := render(s.Words(Normalize("依托接诉即办")))
	if !strings.Contains(got, "接诉即办@") {
		t.Errorf("Words = %q: 接诉即办 should be one word from the embedded dictionary", got)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"養老驛站", "养老驿站"},
		{"ＡＢＣ　１２３", "abc 123"},
		{"医保定点", "医保定点"},
		{"a\x00b", "a b"},
	}
	for _, tc := range tests {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if len([]rune(Normalize(tc.in))) != len([]rune(tc.in)) {
			t.Errorf("Normalize(%q) changed the rune count", tc.in)
		}
	}
}

func TestBigrams(t *testing.T) {
	got := strings.Join(BigramTerms(Normalize("首钢园，5号线1.4万亩 A")), " ")
	want := "首钢 钢园 5 号线 1.4 万亩 a"
	if got != want {
		t.Errorf("BigramTerms = %q, want %q", got, want)
	}
}

func TestLongInputIsCut(t *testing.T) {
	s := seg(t)
	long := strings.Repeat("养老驿站建设", 5000) // 90 KB without punctuation
	toks := s.IndexTokens(Normalize(long))
	if len(toks) < 5000 {
		t.Fatalf("got %d tokens from long input", len(toks))
	}
	last := 0
	for _, tk := range toks {
		if tk.Pos < last {
			t.Fatalf("positions go backwards at %v", tk)
		}
		last = tk.Pos
	}
}

func TestDictionaryIsAValue(t *testing.T) {
	a := NewDictionary([]Entry{{Word: "龘龘测试词", Freq: 1000}, {Word: "乙乙词"}, {Word: "龘龘测试词", Freq: 5}})
	b := NewDictionary([]Entry{{Word: "乙乙詞"}, {Word: "龘龘测试词", Freq: 5}})
	if a.Key() != b.Key() || a.Len() != 2 {
		t.Errorf("same words, different dictionaries: %q %q (%d words)", a.lines, b.lines, a.Len())
	}
	if c := NewDictionary([]Entry{{Word: "乙乙词"}}); c.Key() == a.Key() {
		t.Errorf("different words, same key %q", c.Key())
	}
	if NewDictionary([]Entry{{Word: " "}, {Word: "a b"}}).Key() != (Dictionary{}).Key() {
		t.Error("blank and spaced words make a non-empty dictionary")
	}
	if _, err := GenerationDictionary([]string{"回龙观"}, []string{"好词 x y z"}); err == nil {
		t.Error("a malformed dictionary line is accepted")
	}
}

// One segmenter per distinct dictionary: its words are its own, another
// dictionary's segmenter is another instance, and the same words give the
// same instance back.
func TestSegmenterPerDictionary(t *testing.T) {
	base := seg(t)
	word := "龘龘测试词"
	before := render(base.Words(Normalize(word)))
	if before == word+"@1" {
		t.Fatalf("the base dictionary already has %s", word)
	}
	d, err := GenerationDictionary(nil, []string{word + " 1000 n"})
	if err != nil {
		t.Fatal(err)
	}
	withWord, err := For(d)
	if err != nil {
		t.Fatal(err)
	}
	if got := render(withWord.Words(Normalize(word))); got != word+"@1" {
		t.Errorf("with the word: %q (base %q)", got, before)
	}
	if got := render(base.Words(Normalize(word))); got != before {
		t.Errorf("the base segmenter changed: %q, was %q", got, before)
	}
	again, err := For(NewDictionary([]Entry{{Word: word, Freq: 1000, Tag: "n"}}))
	if err != nil {
		t.Fatal(err)
	}
	if again != withWord {
		t.Error("the same words loaded a second instance")
	}
	if withWord == base {
		t.Error("different words share an instance")
	}
	if n := segmenters.loaded(); n < 2 {
		t.Errorf("cache holds %d live segmenters, want at least 2", n)
	}
}

func TestASCIIRunsStayWhole(t *testing.T) {
	s := seg(t)
	got := render(s.Words(Normalize("地铁5号线造林1.4万亩，拨打12345。end.")))
	for _, want := range []string{"5@", "1.4@", "12345@", "end@"} {
		if !strings.Contains(got, want) {
			t.Errorf("Words = %q, missing %q", got, want)
		}
	}
}

func TestPiecesProgressOnInvalidBytes(t *testing.T) {
	s := strings.Repeat("\x80", 5000)
	total := 0
	pieces(s, func(p string, off int) { total += len(p) })
	if total != len(s) {
		t.Errorf("pieces covered %d of %d bytes", total, len(s))
	}
	if got := CleanText("a\x7fb"); got != "a b" {
		t.Errorf("CleanText DEL: %q", got)
	}
}
