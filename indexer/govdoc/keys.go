package govdoc

import "strings"

// OwnKeys are the keys under which a document with the number docNo (as
// the article states it, in any form) is found by its number: the Keys of
// the number, nil when docNo is not one.
func OwnKeys(docNo string) []string {
	n, ok := Parse(docNo)
	if !ok {
		return nil
	}
	return n.Keys()
}

// CitedKeys are the keys of every number the texts hold and of the
// document's own number (OwnKeys of docNo), each once, in order: what an
// article is found under when someone searches a number it names or
// bears.
func CitedKeys(docNo string, texts ...string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(keys []string) {
		for _, k := range keys {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	add(OwnKeys(docNo))
	for _, t := range texts {
		for _, n := range Find(t) {
			add(n.Keys())
		}
	}
	return out
}

// Written returns the forms in which text (normalised: see
// analysis.Normalize) writes the number n or a number of which n is a key
// (a longer prefix glued on), each once: the span from n's prefix to 号,
// as printed (京政办发[2016]26号 for 京政办发〔2016〕26号), for marking
// the number where it stands.
func Written(norm string, n Number) []string {
	want := n.String()
	var out []string
	seen := map[string]bool{}
	for _, m := range reNumber.FindAllStringSubmatchIndex(norm, -1) {
		got, ok := number(norm[m[2]:m[3]], norm[m[4]:m[5]], norm[m[6]:m[7]])
		if !ok || got.Year != n.Year || got.Serial != n.Serial {
			continue
		}
		held := false
		for _, k := range got.Keys() {
			held = held || k == want
		}
		if !held || !strings.HasSuffix(norm[m[2]:m[3]], n.Prefix) {
			continue
		}
		form := norm[m[3]-len(n.Prefix) : m[1]]
		if !seen[form] {
			seen[form] = true
			out = append(out, form)
		}
	}
	return out
}
