package search

import (
	"context"
	"math"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/mozillazg/go-pinyin"

	"github.com/govbulletin/bulletin/indexer/analysis"
)

// Vocab maps pinyin to the words of one index, for pinyin queries
// (yanglao, ylyz) and for typo correction (养老驿战 → 养老驿站). An engine
// builds it from the document frequencies of its words (NewVocab) and
// replaces it with an updated copy when writes change them (Update).
//
// Concurrency: a Vocab is never changed once made; it is safe for
// concurrent use.
type Vocab struct {
	full     map[string][]vterm // yanglaoyizhan → 养老驿站
	fuzzy    map[string][]vterm // with zh/z, ch/c, sh/s, n/l, -ng/-n merged
	initials map[string][]vterm // ylyz → 养老驿站
	df       map[string]uint64  // word → document frequency
	maxKey   int                // longest full key, in bytes
}

type vterm struct {
	word string
	df   uint64
}

// maxReadings caps the pinyin spellings kept for one word with heteronyms.
const maxReadings = 8

// buildVocab builds the pinyin vocabulary of g's words (see
// vocabDocFreqs). When the index's term dictionary cannot be read to the
// end, it returns the vocabulary of what was read, and the error.
func buildVocab(g *generation) (*Vocab, error) {
	r, done, err := g.reader()
	if err != nil {
		return NewVocab(map[string]uint64{}), err
	}
	defer done()
	df, err := vocabDocFreqs(context.Background(), r)
	return NewVocab(df), err
}

// NewVocab builds the pinyin keys of the words of df (word → number of
// articles holding it; words of 2 to 8 Han characters, see isVocabWord).
func NewVocab(df map[string]uint64) *Vocab {
	v := &Vocab{full: map[string][]vterm{}, fuzzy: map[string][]vterm{}, initials: map[string][]vterm{}, df: df}
	args := pinyin.NewArgs()
	args.Heteronym = true
	for w, df := range v.df {
		t := vterm{w, df}
		for _, r := range readings(w, args) {
			full := strings.Join(r, "")
			v.full[full] = append(v.full[full], t)
			fz := fuzzyKey(r)
			v.fuzzy[fz] = append(v.fuzzy[fz], t)
			var ini strings.Builder
			for _, syl := range r {
				ini.WriteByte(syl[0])
			}
			v.initials[ini.String()] = append(v.initials[ini.String()], t)
			if len(full) > v.maxKey {
				v.maxKey = len(full)
			}
		}
	}
	for _, m := range []map[string][]vterm{v.full, v.fuzzy, v.initials} {
		for k, ts := range m {
			sortTerms(ts)
			m[k] = dedupe(ts)
		}
	}
	return v
}

// sortTerms orders the words of one key: most frequent first, then by word.
func sortTerms(ts []vterm) {
	sort.Slice(ts, func(i, j int) bool {
		if ts[i].df != ts[j].df {
			return ts[i].df > ts[j].df
		}
		return ts[i].word < ts[j].word
	})
}

func dedupe(ts []vterm) []vterm {
	out := ts[:0]
	seen := map[string]bool{}
	for _, t := range ts {
		if !seen[t.word] {
			seen[t.word] = true
			out = append(out, t)
		}
	}
	return out
}

func allHan(s string) bool {
	for _, r := range s {
		if !analysis.IsHan(r) {
			return false
		}
	}
	return s != ""
}

// readings returns the pinyin spellings (syllables without tones) of a Han
// word, combining the readings of heteronyms, at most maxReadings.
func readings(w string, args pinyin.Args) [][]string {
	per := pinyin.Pinyin(w, args)
	if len(per) != len([]rune(w)) {
		return nil
	}
	out := [][]string{{}}
	for _, opts := range per {
		if len(opts) == 0 {
			return nil
		}
		var next [][]string
		for _, prefix := range out {
			for _, o := range opts {
				if len(next) >= maxReadings {
					break
				}
				next = append(next, append(append([]string(nil), prefix...), o))
			}
		}
		out = next
	}
	return out
}

// fuzzyKey merges initials and finals that speakers and input methods often
// confuse: zh/z, ch/c, sh/s, l/n, ang/an, eng/en, ing/in.
func fuzzyKey(syllables []string) string {
	var b strings.Builder
	for _, s := range syllables {
		for _, p := range [][2]string{{"zh", "z"}, {"ch", "c"}, {"sh", "s"}} {
			if strings.HasPrefix(s, p[0]) {
				s = p[1] + s[len(p[0]):]
			}
		}
		if strings.HasPrefix(s, "l") {
			s = "n" + s[1:]
		}
		if strings.HasSuffix(s, "ng") {
			s = s[:len(s)-1]
		}
		b.WriteString(s)
	}
	return b.String()
}

// vocabOf returns the generation's vocabulary, building it on first use.
// A vocabulary that could not be read whole is logged and used as read:
// pinyin and typo suggestions are then poorer, searches still work.
func (g *generation) vocabOf() *Vocab {
	g.vocabOnce.Do(func() {
		// The build reads the generation's index: it is held open
		// meanwhile. (A build in the background, as at open, would
		// otherwise read a live view's snapshot after the view was
		// retired by a write and its snapshot closed: a fault on
		// unmapped segment memory that kills the server.)
		if !g.acquire() {
			g.vocab = NewVocab(map[string]uint64{}) // closed: no search will use it
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

// isPinyinQuery reports a query made only of Latin letters, spaces and
// apostrophes (yanglao, yang lao yi zhan, ylyz, xi'an).
func isPinyinQuery(q string) bool {
	n := 0
	for _, r := range q {
		switch {
		case r < 0x80 && unicode.IsLetter(r):
			n++
		case r == ' ' || r == '\'':
		default:
			return false
		}
	}
	return n >= 2
}

// fromPinyin converts a pinyin query to Chinese words of the index: the
// whole string as one word's full pinyin, else split into several words'
// full pinyin (fewest words, then most frequent), else as initials. It
// returns "" when nothing fits.
func (v *Vocab) fromPinyin(q string) string {
	s := strings.Map(func(r rune) rune {
		if r < 0x80 && unicode.IsLetter(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, q)
	if s == "" {
		return ""
	}
	if ts := v.full[s]; len(ts) > 0 {
		return ts[0].word
	}
	if words := v.segment(s, v.full); words != nil {
		return strings.Join(words, "")
	}
	if ts := v.initials[s]; len(ts) > 0 && len(s) >= 3 {
		return ts[0].word
	}
	return ""
}

// segment splits s into keys of m, fewest pieces first, then greatest
// total log frequency. nil when s cannot be split.
func (v *Vocab) segment(s string, m map[string][]vterm) []string {
	type cell struct {
		pieces int
		score  float64
		prev   int
		word   string
	}
	n := len(s)
	best := make([]*cell, n+1)
	best[0] = &cell{}
	for i := 0; i < n; i++ {
		if best[i] == nil {
			continue
		}
		for j := i + 2; j <= n && j-i <= v.maxKey; j++ {
			ts := m[s[i:j]]
			if len(ts) == 0 {
				continue
			}
			c := &cell{pieces: best[i].pieces + 1, score: best[i].score + math.Log(float64(ts[0].df)+1), prev: i, word: ts[0].word}
			if b := best[j]; b == nil || c.pieces < b.pieces || c.pieces == b.pieces && c.score > b.score {
				best[j] = c
			}
		}
	}
	if best[n] == nil {
		return nil
	}
	var words []string
	for j := n; j > 0; j = best[j].prev {
		words = append([]string{best[j].word}, words...)
	}
	return words
}

// vocabState is embedded in generation.
type vocabState struct {
	vocabOnce  sync.Once
	vocab      *Vocab
	vocabBuilt atomic.Bool
}

// DocFreq returns the number of articles holding the word w.
func (v *Vocab) DocFreq(w string) uint64 { return v.df[w] }
