package govdoc

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
