package analysis

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"weak"
)

// Dictionary is a set of user words on top of the embedded dictionaries:
// the region's place names and the `--dict` entries of one index
// generation. It is a value: words are normalised like text, a word given
// twice keeps its last entry, and two dictionaries with the same words are
// equal (same Key), whatever the order they were given in. The zero value
// is the empty dictionary.
type Dictionary struct {
	lines string // one Entry.Line a word, sorted by word
	key   string // hex SHA-256 of lines
	words int
}

// NewDictionary makes the dictionary of these entries. Entries whose word
// is empty or holds white space after normalisation are left out.
func NewDictionary(entries []Entry) Dictionary {
	want := make(map[string]Entry, len(entries))
	for _, e := range entries {
		e.Word = Normalize(e.Word)
		if e.Word == "" || strings.ContainsAny(e.Word, " \t\r\n") {
			continue
		}
		want[e.Word] = e
	}
	if len(want) == 0 {
		return Dictionary{}
	}
	words := make([]string, 0, len(want))
	for w := range want {
		words = append(words, w)
	}
	sort.Strings(words)
	var b strings.Builder
	for _, w := range words {
		b.WriteString(want[w].Line())
		b.WriteByte('\n')
	}
	sum := sha256.Sum256([]byte(b.String()))
	return Dictionary{lines: b.String(), key: hex.EncodeToString(sum[:]), words: len(words)}
}

// PlaceWordFreq and PlaceWordTag are the weight and part of speech given to
// the region's place names (see GenerationDictionary).
const (
	PlaceWordFreq = 20000
	PlaceWordTag  = "ns"
)

// GenerationDictionary is the dictionary of an index generation: the
// region's place names (as words of weight PlaceWordFreq, tag ns) and the
// `--dict` entries as dictionary lines (see Entry.Line and ParseDict), the
// latter overriding the former. The indexer and the server both make a
// generation's dictionary with it, from what the generation's meta records,
// so both segment alike.
func GenerationDictionary(places, dictLines []string) (Dictionary, error) {
	words := make([]Entry, 0, len(places)+len(dictLines))
	for _, w := range places {
		words = append(words, Entry{Word: w, Freq: PlaceWordFreq, Tag: PlaceWordTag})
	}
	if len(dictLines) > 0 {
		extra, err := ParseDict(strings.NewReader(strings.Join(dictLines, "\n")))
		if err != nil {
			return Dictionary{}, fmt.Errorf("user dictionary: %w", err)
		}
		words = append(words, extra...)
	}
	return NewDictionary(words), nil
}

// Key identifies the dictionary by its content ("" for the empty one).
func (d Dictionary) Key() string { return d.key }

// Len is the number of words.
func (d Dictionary) Len() int { return d.words }

// For returns the segmenter of the embedded dictionaries plus d, loading it
// (about 1.4 s and 130 MB) unless one with the same words is alive.
//
// There is at most one gojieba instance per distinct dictionary in the
// process: concurrent calls for the same words wait for the one load. The
// cache holds a segmenter weakly while generations or builds use it, and
// keeps the few most recently asked for (recentSegmenters) so that a
// re-index with the same words, a test after another, or `bulletin` serving
// what it has just indexed do not load jieba again. A segmenter that nobody
// holds any more is freed by the garbage collector (gojieba's finalizer).
//
// Concurrency: safe for concurrent use.
func For(d Dictionary) (*Segmenter, error) {
	return segmenters.get(d)
}

// recentSegmenters is how many of the most recently asked-for segmenters
// the cache keeps alive when nothing else holds them.
const recentSegmenters = 2

// segmenters is the process's cache of segmenters by dictionary. It is a
// cache of immutable values, filled on demand; nothing a request or a
// generation does changes a segmenter.
var segmenters = segCache{live: map[string]*segSlot{}}

type segCache struct {
	mu     sync.Mutex
	live   map[string]*segSlot // by Dictionary.Key
	recent []*Segmenter        // strong references, newest first
}

// segSlot is one dictionary's segmenter, loaded once.
type segSlot struct {
	ready chan struct{} // closed when seg or err is set
	seg   weak.Pointer[Segmenter]
	err   error
}

func (c *segCache) get(d Dictionary) (*Segmenter, error) {
	for {
		c.mu.Lock()
		slot, ok := c.live[d.key]
		if !ok {
			slot = &segSlot{ready: make(chan struct{})}
			c.live[d.key] = slot
			c.mu.Unlock()
			return c.load(d, slot)
		}
		c.mu.Unlock()
		<-slot.ready
		if slot.err != nil {
			return nil, slot.err
		}
		if s := slot.seg.Value(); s != nil {
			c.touch(s)
			return s, nil
		}
		// Collected since: forget the slot (unless replaced) and load again.
		c.mu.Lock()
		if c.live[d.key] == slot {
			delete(c.live, d.key)
		}
		c.mu.Unlock()
	}
}

func (c *segCache) load(d Dictionary, slot *segSlot) (*Segmenter, error) {
	s, err := newSegmenter(d)
	c.mu.Lock()
	if err != nil {
		slot.err = err
		delete(c.live, d.key) // a later call tries again
	} else {
		slot.seg = weak.Make(s)
		key := d.key
		runtime.AddCleanup(s, func(slot *segSlot) {
			c.mu.Lock()
			if c.live[key] == slot {
				delete(c.live, key)
			}
			c.mu.Unlock()
		}, slot)
	}
	close(slot.ready)
	c.mu.Unlock()
	if err != nil {
		return nil, err
	}
	c.touch(s)
	return s, nil
}

// touch makes s the most recently used segmenter.
func (c *segCache) touch(s *Segmenter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	recent := []*Segmenter{s}
	for _, r := range c.recent {
		if r != s && len(recent) < recentSegmenters {
			recent = append(recent, r)
		}
	}
	c.recent = recent
}
