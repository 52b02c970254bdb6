package search

import (
	"slices"
	"testing"
)

// TestSynonymsWith: groups added at run time join the groups they share a
// form with, in any script; the base is left as it was.
func TestSynonymsWith(t *testing.T) {
	base, err := ParseSynonyms([]byte("卫健委,卫生健康委员会\n医保,医疗保险\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := base.With([][]string{{"市衛健委", "卫健委"}, {"银发", "老年人"}, {"孤单"}})
	if got := s.alternatives("卫生健康委员会"); !slices.Equal(got, []string{"卫健委", "市卫健委"}) {
		t.Errorf("卫生健康委员会 → %v", got)
	}
	if got := s.alternatives("银发"); !slices.Equal(got, []string{"老年人"}) {
		t.Errorf("银发 → %v", got)
	}
	if s.alternatives("孤单") != nil || base.alternatives("银发") != nil || len(base.alternatives("卫健委")) != 1 {
		t.Error("a group of one form was added, or the base changed")
	}
	if got := s.alternatives("医保"); !slices.Equal(got, []string{"医疗保险"}) {
		t.Errorf("医保 → %v", got)
	}
}
