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

// newCountedTerms makes a field from term counts.
func newCountedTerms(name string, textBytes int, counts map[string]int, total int) *countedField {
	freqs := make(index.TokenFrequencies, len(counts))
	for t, n := range counts {
		f := &index.TokenFreq{Term: []byte(t)}
		f.SetFrequency(n)
		freqs[t] = f
	}
	return &countedField{name: name, length: total, bytes: uint64(textBytes), freqs: freqs}
}

func newCountedField(name string, textBytes int, toks []analysis.Token) *countedField {
	freqs := make(index.TokenFrequencies, len(toks)/2+1)
	for _, t := range toks {
		f, ok := freqs[t.Term]
		if !ok {
			f = &index.TokenFreq{Term: []byte(t.Term)}
			freqs[t.Term] = f
		}
		f.SetFrequency(f.Frequency() + 1)
	}
	return &countedField{name: name, length: len(toks), bytes: uint64(textBytes), freqs: freqs}
}

func (f *countedField) Name() string                                     { return f.name }
func (f *countedField) ArrayPositions() []uint64                         { return nil }
func (f *countedField) Options() index.FieldIndexingOptions              { return textOptions }
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
