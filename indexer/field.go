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

func newCountedField(name string, textBytes int, toks []analysis.Token) *countedField {
	return newWeightedField(name, textBytes, toks, nil, 0)
}

// newWeightedField makes a field of toks plus extra, each token of extra
// counted weight times: the body field holds the title's words at
// TitleWeight, so that one term lookup finds a word in the title or the body
// and ranks a title mention above a body mention.
func newWeightedField(name string, textBytes int, toks, extra []analysis.Token, weight int) *countedField {
	counts := make(map[string]int, len(toks)/2+len(extra)+1)
	for _, t := range toks {
		counts[t.Term]++
	}
	for _, t := range extra {
		counts[t.Term] += weight
	}
	return &countedField{name: name, length: len(toks) + weight*len(extra), bytes: uint64(textBytes), freqs: tokenFreqs(counts)}
}

// tokenFreqs converts term counts to bleve's form with three allocations
// (the map, the TokenFreq values, the term bytes) rather than two per term:
// this runs for every field of every article.
func tokenFreqs(counts map[string]int) index.TokenFrequencies {
	freqs := make(index.TokenFrequencies, len(counts))
	vals := make([]index.TokenFreq, len(counts))
	size := 0
	for t := range counts {
		size += len(t)
	}
	buf := make([]byte, 0, size)
	i := 0
	for t, n := range counts {
		start := len(buf)
		buf = append(buf, t...)
		f := &vals[i]
		i++
		f.Term = buf[start:len(buf):len(buf)]
		f.SetFrequency(n)
		freqs[t] = f
	}
	return freqs
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
