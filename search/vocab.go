package search

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
)

// The vocabulary's counts (pinyin, did_you_mean, suggestions) are document
// frequencies: how many articles of a view hold the word, in the title or
// the body. They are read from the body field, which holds the title's
// words too (indexer.Document).
//
// They are not the counts of bleve's term dictionary (FieldDict): zapx
// (v16, v17) reuses one postings list while iterating a dictionary and does
// not clear a 1-hit list's fields when it reads the next term, so on a
// merged segment every term after the first one held by a single document
// counts 1; and the dictionary counts deleted documents. A term reader's
// count (the postings of each segment without its deleted documents) is
// exact.

// isVocabWord reports whether a term is a word of the vocabulary: 2 to 8
// Han characters.
func isVocabWord(t string) bool {
	n := utf8.RuneCountInString(t)
	return n >= 2 && n <= 8 && allHan(t)
}

// termDocs is the number of live documents of r whose field holds term.
func termDocs(ctx context.Context, r index.IndexReader, field, term string) (uint64, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return 0, fmt.Errorf("field %s, term %q: %w", field, term, err)
	}
	n := tfr.Count()
	if err := tfr.Close(); err != nil {
		return 0, err
	}
	return n, nil
}

// vocabDocFreqs returns the document frequency in r of every vocabulary
// word of the body field. When the dictionary cannot be read to the end,
// it returns what was read, and the error.
func vocabDocFreqs(ctx context.Context, r index.IndexReader) (map[string]uint64, error) {
	d, err := r.FieldDict(schema.FieldBody)
	if err != nil {
		return map[string]uint64{}, fmt.Errorf("field %s: %w", schema.FieldBody, err)
	}
	var words []string
	var readErr error
	for {
		ent, err := d.Next()
		if err != nil {
			readErr = fmt.Errorf("field %s: %w", schema.FieldBody, err)
			break
		}
		if ent == nil {
			break
		}
		if isVocabWord(ent.Term) {
			words = append(words, ent.Term)
		}
	}
	d.Close()
	df, err := docFreqsOf(ctx, r, words)
	return df, errors.Join(readErr, err)
}

// docFreqsOf returns the document frequency in r of each of words (0 for a
// word no live article holds).
func docFreqsOf(ctx context.Context, r index.IndexReader, words []string) (map[string]uint64, error) {
	df := make(map[string]uint64, len(words))
	for _, w := range words {
		n, err := termDocs(ctx, r, schema.FieldBody, w)
		if err != nil {
			return df, err
		}
		df[w] = n
	}
	return df, nil
}

// vocabWordsOf adds to set the vocabulary words of an article's body field
// (its title's words and its body's, as indexer.Document indexes them).
func vocabWordsOf(seg *analysis.Segmenter, a *schema.Article, set map[string]struct{}) {
	add := func(t analysis.Token) {
		if isVocabWord(t.Term) {
			set[t.Term] = struct{}{}
		}
	}
	for _, t := range seg.IndexTokens(analysis.Normalize(a.Title)) {
		add(t)
	}
	seg.EachIndexTerm(analysis.Normalize(a.Body), add, func(analysis.Token) {})
}
