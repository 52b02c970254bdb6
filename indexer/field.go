package indexer

import (
	index "github.com/blevesearch/bleve_index_api"

	"github.com/govbulletin/bulletin/indexer/analysis"
)

// countedField is a text field whose terms were counted beforehand, in the
// indexer's worker goroutines, so that bleve's single builder goroutine only
// builds segments. It carries term frequencies and no positions (the index
// keeps no term vectors), and nothing to store.
type countedField struct {
	name   string
	length int
	bytes  uint64
	freqs  index.TokenFrequencies
}

// termCounts counts a field's terms straight into bleve's form, with a few
// allocations a field rather than a few a term: this runs for every field of
// every article.
type termCounts struct {
	freqs  index.TokenFrequencies
	vals   []index.TokenFreq // backing of freqs; a full chunk is never appended to, so pointers stay valid
	buf    []byte            // backing of the terms' bytes, likewise
	hint   int
	length int
}

// newTermCounts expects about hint distinct terms.
func newTermCounts(hint int) *termCounts {
	hint = max(hint, 8)
	return &termCounts{freqs: make(index.TokenFrequencies, hint), hint: hint}
}

// add counts term n times.
func (c *termCounts) add(term string, n int) {
	c.length += n
	if f, ok := c.freqs[term]; ok {
		f.SetFrequency(f.Frequency() + n)
		return
	}
	if len(c.vals) == cap(c.vals) {
		c.vals = make([]index.TokenFreq, 0, c.hint)
	}
	if len(c.buf)+len(term) > cap(c.buf) {
		c.buf = make([]byte, 0, max(c.hint*6, len(term)))
	}
	start := len(c.buf)
	c.buf = append(c.buf, term...)
	c.vals = append(c.vals, index.TokenFreq{Term: c.buf[start:len(c.buf):len(c.buf)]})
	f := &c.vals[len(c.vals)-1]
	f.SetFrequency(n)
	c.freqs[term] = f
}

// addTokens counts each token weight times.
func (c *termCounts) addTokens(toks []analysis.Token, weight int) {
	for _, t := range toks {
		c.add(t.Term, weight)
	}
}

// field returns the counted field; textBytes is the length of its text.
func (c *termCounts) field(name string, textBytes int) *countedField {
	return &countedField{name: name, length: c.length, bytes: uint64(textBytes), freqs: c.freqs}
}

func (f *countedField) Name() string                                     { return f.name }
func (f *countedField) ArrayPositions() []uint64                         { return nil }
func (f *countedField) Options() index.FieldIndexingOptions              { return indexOptions }
func (f *countedField) Analyze()                                         {}
func (f *countedField) Value() []byte                                    { return nil }
func (f *countedField) NumPlainTextBytes() uint64                        { return f.bytes }
func (f *countedField) EncodedFieldType() byte                           { return 't' }
func (f *countedField) AnalyzedLength() int                              { return f.length }
func (f *countedField) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.freqs }

// Size estimates the memory the field holds.
func (f *countedField) Size() int {
	n := 64 + len(f.name)
	for t := range f.freqs {
		n += 2*len(t) + 48
	}
	return n
}
