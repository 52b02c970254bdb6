package opensearch

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/internal/osconn"
	"github.com/govbulletin/bulletin/search"
)

// osVocab is the vocabulary of one OpenSearch index (pinyin queries and
// did_you_mean): the words and document frequencies that the indexer wrote
// to the index's vocabulary index, loaded once, on first use or in the
// background when the index is switched to. The write API keeps what it
// changed of a word's counts in a document of its own (stamped with the
// time of its last change, schema.VocabAt); the engine reads what changed
// every vocabEvery
// (see Engine.watch), so that written articles are seen in pinyin,
// did_you_mean and suggestions within a second, and reads the whole
// vocabulary again every vocabReload (what a slow write stamped too early
// for the reading window is caught then).
type osVocab struct {
	index  string
	once   sync.Once
	loaded time.Time
	snap   atomic.Pointer[vocabSnap]

	upd  sync.Mutex // one update at a time; guards base, live, last
	base map[string][2]uint64
	live map[string][2]int64 // what the write API changed of the counts, by word
	last int64               // the latest change read (Unix ms)
}

// vocabSnap is one state of a vocabulary, never changed once made.
type vocabSnap struct {
	v     *search.Vocab
	words []string             // the words of v, sorted (prefix suggestions)
	field map[string][2]uint64 // documents with the word in the title, in the body field (v counts the body's)
}

const (
	// vocabEvery is how often a server reads the vocabulary's changes.
	vocabEvery = 250 * time.Millisecond
	// vocabWindow is how far before the latest change read the next read
	// looks: writes finish out of order, and writers' clocks differ.
	vocabWindow = time.Minute
	// vocabReload is how often the whole vocabulary is read again.
	vocabReload = 10 * time.Minute
)

func (e *Engine) vocabFor(index string) *osVocab {
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
func (ov *osVocab) get(e *Engine) *vocabSnap {
	ov.once.Do(func() {
		ov.upd.Lock()
		defer ov.upd.Unlock()
		ov.reload(e)
	})
	return ov.snap.Load()
}

// reload reads the whole vocabulary. Called with upd held.
func (ov *osVocab) reload(e *Engine) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base, live, last, err := e.loadVocab(ctx, schema.VocabIndex(ov.index))
	if err != nil {
		e.log.Warn("reading the OpenSearch vocabulary failed; no pinyin or did_you_mean", "index", ov.index, "err", err)
		if ov.snap.Load() != nil {
			return // keep what was read before
		}
	}
	ov.base, ov.live, ov.last, ov.loaded = base, live, last, time.Now()
	field := make(map[string][2]uint64, len(base)+len(live))
	for w, c := range base {
		field[w] = c
	}
	for w, c := range live {
		field[w] = sumCounts(base[w], c)
	}
	df := make(map[string]uint64, len(field))
	words := make([]string, 0, len(field))
	for w, c := range field {
		if c[1] > 0 {
			df[w] = c[1] // the articles holding w: the body field holds the title's words too
			words = append(words, w)
		}
	}
	sort.Strings(words)
	ov.snap.Store(&vocabSnap{v: search.NewVocab(df), words: words, field: field})
}

// update reads the words whose counts the write API changed since the
// latest change read (less vocabWindow) and adds them; every vocabReload
// it reads the whole vocabulary instead. A no-op before the first get.
func (ov *osVocab) update(ctx context.Context, e *Engine) error {
	ov.upd.Lock()
	defer ov.upd.Unlock()
	old := ov.snap.Load()
	if old == nil {
		return nil
	}
	if time.Since(ov.loaded) > vocabReload {
		ov.reload(e)
		return nil
	}
	var ans struct {
		Hits struct {
			Hits []struct {
				Source vocabDoc `json:"_source"`
			} `json:"hits"`
		} `json:"hits"`
	}
	body := map[string]any{
		"size": 10000, "sort": []any{map[string]any{schema.VocabAt: "desc"}},
		"query": map[string]any{"range": map[string]any{schema.VocabAt: map[string]any{"gte": ov.last - vocabWindow.Milliseconds()}}},
	}
	if err := e.c.Do(ctx, http.MethodPost, "/"+schema.VocabIndex(ov.index)+"/_search", body, &ans); err != nil {
		return err
	}
	changed := map[string]uint64{} // body counts (what v holds) of the words changed
	var field map[string][2]uint64
	for _, h := range ans.Hits.Hits {
		d := h.Source
		ov.last = max(ov.last, d.At)
		if was, ok := ov.live[d.T]; ok && was == d.DF {
			continue
		}
		ov.live[d.T] = d.DF
		if field == nil {
			field = make(map[string][2]uint64, len(old.field)+1)
			for w, c := range old.field {
				field[w] = c
			}
		}
		c := sumCounts(ov.base[d.T], d.DF)
		field[d.T] = c
		changed[d.T] = c[1]
	}
	if field == nil {
		return nil
	}
	var newWords []string
	for w, n := range changed {
		if i := sort.SearchStrings(old.words, w); n > 0 && (i == len(old.words) || old.words[i] != w) {
			newWords = append(newWords, w)
		}
	}
	words := old.words
	if len(newWords) > 0 {
		words = append(append(make([]string, 0, len(old.words)+len(newWords)), old.words...), newWords...)
		sort.Strings(words)
	}
	ov.snap.Store(&vocabSnap{v: old.v.Update(changed), words: words, field: field})
	return nil
}

// withPrefix returns the words starting with p as the embedded engine's
// suggestions list them (search.Planner.Suggest): the first 2,000 in word order,
// the most frequent first.
func (ov *osVocab) withPrefix(e *Engine, p string) []string {
	sn := ov.get(e)
	v := sn.v
	var out []string
	for i := sort.SearchStrings(sn.words, p); i < len(sn.words) && strings.HasPrefix(sn.words[i], p) && len(out) < search.MaxPrefixWords; i++ {
		if v.DocFreq(sn.words[i]) > 0 {
			out = append(out, sn.words[i])
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return v.DocFreq(out[a]) > v.DocFreq(out[b]) })
	return out
}

// sumCounts is a word's counts: the build's and what the write API changed.
func sumCounts(base [2]uint64, live [2]int64) [2]uint64 {
	var out [2]uint64
	for f := range out {
		out[f] = uint64(max(int64(base[f])+live[f], 0))
	}
	return out
}

// vocabDoc is a document of a vocabulary index.
type vocabDoc struct {
	T  string   `json:"t"`
	DF [2]int64 `json:"df"` // the write API's documents may subtract
	At int64    `json:"at"` // schema.VocabAt: set on the write API's documents
}

// loadVocab reads every document of the vocabulary index with a scroll:
// the build's counts (base), the write API's (live, by word), and the
// latest change of those.
func (e *Engine) loadVocab(ctx context.Context, name string) (base map[string][2]uint64, live map[string][2]int64, last int64, err error) {
	base, live = map[string][2]uint64{}, map[string][2]int64{}
	err = e.c.Scroll(ctx, name, map[string]any{"size": 10000, "sort": []string{"_doc"}}, func(hits []osconn.Hit) error {
		for _, h := range hits {
			var d vocabDoc
			if json.Unmarshal(h.Source, &d) != nil {
				continue
			}
			if d.At != 0 {
				live[d.T] = d.DF
				last = max(last, d.At)
				continue
			}
			c := base[d.T]
			base[d.T] = [2]uint64{c[0] + uint64(max(d.DF[0], 0)), c[1] + uint64(max(d.DF[1], 0))}
		}
		return nil
	})
	if err != nil {
		return base, live, last, err
	}
	return base, live, last, nil
}
