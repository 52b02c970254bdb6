package analysis

import (
	"fmt"
	"slices"
	"testing"
)

// An unknown word's join bigrams, as the query side computes them from its
// default-mode pieces, are among the join bigrams of any text that holds the
// word, whatever its neighbours.
func TestJoinsOfUnknownWordsInContext(t *testing.T) {
	s := seg(t)
	words := []string{"京西智谷", "银龄助浴车", "瓜乡共富联合社", "首钢园", "温榆河左岸绿廊"}
	contexts := []string{"%s", "在%s举行", "推进%s建设。", "“%s”开放", "昨天,%s迎来首批住户"}
	for _, w := range words {
		var pieces []string
		for _, t := range s.Words(w) {
			pieces = append(pieces, t.Term)
		}
		want, _ := JoinsOf(pieces)
		if len(want) == 0 {
			t.Logf("%s: pieces %v have no lone character", w, pieces)
			continue
		}
		for _, c := range contexts {
			text := Normalize(fmt.Sprintf(c, w))
			var got []string
			for _, j := range s.Joins(text) {
				got = append(got, j.Term)
			}
			for _, j := range want {
				if !slices.Contains(got, j) {
					t.Errorf("%q: join %q of %s (pieces %v) missing from %v", text, j, w, pieces, got)
				}
			}
		}
	}
}

func TestJoinsRules(t *testing.T) {
	for _, tc := range []struct {
		pieces []string
		want   []string
	}{
		{[]string{"首钢", "园"}, []string{"钢园"}},
		{[]string{"京西", "智", "谷"}, []string{"西智", "智谷"}},
		{[]string{"园", "区"}, []string{"园区"}},
		{[]string{"的", "园"}, nil},      // a stop word is never joined
		{[]string{"5g", "站"}, nil},     // nor a word with a non-Han edge
		{[]string{"养老", "驿站"}, nil},    // no lone character
		{[]string{"智", "的", "谷"}, nil}, // lone characters apart
	} {
		got, _ := JoinsOf(tc.pieces)
		if !slices.Equal(got, tc.want) {
			t.Errorf("JoinsOf(%v) = %v, want %v", tc.pieces, got, tc.want)
		}
	}
}

// The pieces matched as words are all but the lone characters a join covers.
func TestJoinsOfWords(t *testing.T) {
	for _, tc := range []struct {
		pieces, want []string
	}{
		{[]string{"首钢", "园"}, []string{"首钢"}},
		{[]string{"京西", "智", "谷"}, []string{"京西"}},
		{[]string{"5g", "站"}, []string{"5g", "站"}}, // no join: 站 is matched as a word
		{[]string{"智", "的", "谷"}, []string{"智", "的", "谷"}},
	} {
		_, got := JoinsOf(tc.pieces)
		if !slices.Equal(got, tc.want) {
			t.Errorf("JoinsOf(%v) words = %v, want %v", tc.pieces, got, tc.want)
		}
	}
}

// IndexTokens and Joins (the bleve analysers' terms) are the two halves of
// IndexTerms (what the indexer counts, through EachIndexTerm).
func TestIndexTermsHalves(t *testing.T) {
	s := seg(t)
	for _, text := range []string{"首钢园迎来京西智谷的首批住户。", "北京长江大桥北京段", "", "5g站 abc123 园"} {
		norm := Normalize(text)
		toks, joins := s.IndexTerms(norm)
		if got := s.IndexTokens(norm); !slices.Equal(got, toks) {
			t.Errorf("%q: IndexTokens %v, IndexTerms %v", text, got, toks)
		}
		if got := s.Joins(norm); !slices.Equal(got, joins) {
			t.Errorf("%q: Joins %v, IndexTerms %v", text, got, joins)
		}
	}
}
