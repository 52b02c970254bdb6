package embedded

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/search"
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
		if search.IsVocabWord(ent.Term) {
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
		if search.IsVocabWord(t.Term) {
			set[t.Term] = struct{}{}
		}
	}
	for _, t := range seg.IndexTokens(analysis.Normalize(a.Title)) {
		add(t)
	}
	seg.EachIndexTerm(analysis.Normalize(a.Body), add, func(analysis.Token) {})
}

// buildVocab builds the pinyin vocabulary of g's words (see
// vocabDocFreqs). When the index's term dictionary cannot be read to the
// end, it returns the vocabulary of what was read, and the error.
func buildVocab(g *generation) (*search.Vocab, error) {
	r, done, err := g.reader()
	if err != nil {
		return search.NewVocab(map[string]uint64{}), err
	}
	defer done()
	df, err := vocabDocFreqs(context.Background(), r)
	return search.NewVocab(df), err
}

// vocabOf returns the generation's vocabulary, building it on first use.
// A vocabulary that could not be read whole is logged and used as read:
// pinyin and typo suggestions are then poorer, searches still work.
func (g *generation) vocabOf() *search.Vocab {
	g.vocabOnce.Do(func() {
		// The build reads the generation's index: it is held open
		// meanwhile. (A build in the background, as at open, would
		// otherwise read a live view's snapshot after the view was
		// retired by a write and its snapshot closed: a fault on
		// unmapped segment memory that kills the server.)
		if !g.acquire() {
			g.vocab = search.NewVocab(map[string]uint64{}) // closed: no search will use it
			return
		}
		defer g.release()
		var err error
		if g.baseVocab != nil { // a live view: its parent's, with the words writes touched counted anew
			g.vocab, err = g.liveVocab()
		} else {
			g.vocab, err = buildVocab(g)
		}
		if err != nil {
			g.log.Error("the pinyin vocabulary is incomplete: reading the index's words failed", "generation", g.name, "err", err)
		}
		g.vocabBuilt.Store(true)
	})
	return g.vocab
}

// vocabState is embedded in generation.
type vocabState struct {
	vocabOnce  sync.Once
	vocab      *search.Vocab
	vocabBuilt atomic.Bool
}
