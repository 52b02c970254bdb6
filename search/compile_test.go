package search

import (
	"slices"
	"testing"

	"github.com/govbulletin/bulletin/indexer/govdoc"
)

// Which queries leave the free-text path: syntax, or a number as a term
// or as the whole query (spaces inside it too).
func TestParseSyntaxPath(t *testing.T) {
	for q, want := range map[string]bool{
		"养老驿站": false, "昌平 养老": false, "京政发": false, "2015 17号": false,
		"京政发〔2015〕17号": true, "京政发 〔2015〕 17号": true, "养老 京政发[2015]17号": true,
		"养老 -驿站": true, `"养老驿站"`: true, "标题:养老": true, "养老 | 驿站": true,
	} {
		if _, got := parseSyntax(q); got != want {
			t.Errorf("parseSyntax(%q): %v, want %v", q, got, want)
		}
	}
}

// A number is looked up by its own form, and the form after an issuer's
// name glued to it; never by a tail that every province shares.
func TestQueryKeys(t *testing.T) {
	for q, want := range map[string][]string{
		"京政发〔2015〕17号":        {"京政发〔2015〕17号"},
		"国发〔2013〕35号":         {"国发〔2013〕35号"},
		"京政办发〔2016〕26号":       {"京政办发〔2016〕26号"},
		"北京市人民政府京政发〔2015〕17号": nil, // checked below: ends with 京政发
	} {
		n, ok := govdoc.Parse(q)
		if !ok {
			t.Fatalf("%q is no number", q)
		}
		got := queryKeys(n)
		if want == nil {
			if !slices.Contains(got, "京政发〔2015〕17号") || slices.Contains(got, "政发〔2015〕17号") {
				t.Errorf("queryKeys(%q) = %v", q, got)
			}
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("queryKeys(%q) = %v, want %v", q, got, want)
		}
	}
}
