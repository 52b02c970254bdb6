package search

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
)

// osVocab is the vocabulary of one OpenSearch index (pinyin queries and
// did_you_mean): the words and document frequencies that the indexer wrote
// to the index's vocabulary index, loaded once, on first use or in the
// background when the index is switched to.
type osVocab struct {
	index string
	once  sync.Once
	v     *vocab
	words []string // the words of v, sorted (prefix suggestions)
}

func (e *OSEngine) vocabFor(index string) *osVocab {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.vocab == nil || e.vocab.index != index {
		e.vocab = &osVocab{index: index}
	}
	return e.vocab
}

// get returns the vocabulary, loading it on first use; an index whose
// vocabulary cannot be read gets an empty one (pinyin and did_you_mean then
// find nothing) and a warning.
func (ov *osVocab) get(e *OSEngine) *vocab {
	ov.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		field, err := e.loadVocab(ctx, schema.VocabIndex(ov.index))
		if err != nil {
			e.log.Warn("reading the OpenSearch vocabulary failed; no pinyin or did_you_mean", "index", ov.index, "err", err)
		}
		df := make(map[string]uint64, len(field))
		for w, c := range field {
			if c[1] > 0 {
				df[w] = c[1] // the articles holding w: the body field holds the title's words too
			}
		}
		ov.v = vocabOf(df)
		ov.words = make([]string, 0, len(df))
		for w := range df {
			ov.words = append(ov.words, w)
		}
		sort.Strings(ov.words)
	})
	return ov.v
}

// withPrefix returns the words starting with p as the embedded engine's
// suggestions list them (wordsWithPrefix): the first 2,000 in word order,
// the most frequent first.
func (ov *osVocab) withPrefix(e *OSEngine, p string) []string {
	v := ov.get(e)
	var out []string
	for i := sort.SearchStrings(ov.words, p); i < len(ov.words) && strings.HasPrefix(ov.words[i], p) && len(out) < maxPrefixWords; i++ {
		if v.df[ov.words[i]] > 0 {
			out = append(out, ov.words[i])
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return v.df[out[a]] > v.df[out[b]] })
	return out
}

// loadVocab reads every {t, df} document of the vocabulary index with a
// scroll.
func (e *OSEngine) loadVocab(ctx context.Context, name string) (map[string][2]uint64, error) {
	df := map[string][2]uint64{}
	type page struct {
		ScrollID string `json:"_scroll_id"`
		Hits     struct {
			Hits []struct {
				Source struct {
					T  string    `json:"t"`
					DF [2]uint64 `json:"df"`
				} `json:"_source"`
			} `json:"hits"`
		} `json:"hits"`
	}
	var p page
	if err := e.c.Do(ctx, http.MethodPost, "/"+name+"/_search?scroll=1m", map[string]any{"size": 10000, "sort": []string{"_doc"}}, &p); err != nil {
		return df, err
	}
	for {
		for _, h := range p.Hits.Hits {
			df[h.Source.T] = h.Source.DF
		}
		if len(p.Hits.Hits) == 0 || p.ScrollID == "" {
			break
		}
		id := p.ScrollID
		p = page{}
		if err := e.c.Do(ctx, http.MethodPost, "/_search/scroll", map[string]any{"scroll": "1m", "scroll_id": id}, &p); err != nil {
			return df, err
		}
	}
	if p.ScrollID != "" {
		_ = e.c.Do(ctx, http.MethodDelete, "/_search/scroll", map[string]any{"scroll_id": []string{p.ScrollID}}, nil)
	}
	return df, nil
}

// fromPinyin maps a pinyin query to words of the index.
func (e *OSEngine) fromPinyin(ctx context.Context, index, q string) string {
	return e.vocabFor(index).get(e).fromPinyin(q)
}

// didYouMean is Engine.didYouMean on the cluster: candidates spelled alike
// made of the index's words, each counted by the cluster.
func (e *OSEngine) didYouMean(ctx context.Context, index string, seg *analysis.Segmenter, aq analysedQuery, exactTotal uint64, f filters) string {
	if exactTotal >= minGoodResults {
		return ""
	}
	if !strings.ContainsFunc(aq.norm, analysis.IsHan) || len([]rune(aq.norm)) > 12 {
		return ""
	}
	best, bestTotal := "", uint64(0)
	for _, c := range e.q.correctionsIn(seg, e.vocabFor(index).get(e), aq.norm) {
		n, err := e.count(ctx, index, e.q.analyse(seg, c), f)
		if err != nil {
			return ""
		}
		if n > bestTotal {
			best, bestTotal = c, n
		}
	}
	if bestTotal >= 1 && bestTotal >= betterFactor*exactTotal && best != "" {
		return best
	}
	return ""
}
