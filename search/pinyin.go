package search

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/mozillazg/go-pinyin"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
)

// vocab maps pinyin to the words of one generation's index, for pinyin
// queries (yanglao, ylyz) and for typo correction (养老驿战 → 养老驿站). It is
// built once per generation, on first use, from the terms of the title and
// body fields, and is read-only afterwards.
type vocab struct {
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

// buildVocab builds the pinyin vocabulary of g's words. When the index's
// term dictionary cannot be read to the end, it returns the vocabulary of
// what was read, and the error.
func buildVocab(g *generation) (*vocab, error) {
	df := map[string]uint64{}
	var errs []error
	for _, field := range []string{schema.FieldTitle, schema.FieldBody} {
		if err := eachTerm(g.index, field, func(term string, count uint64) {
			if n := len([]rune(term)); n >= 2 && n <= 8 && allHan(term) {
				df[term] += count
			}
		}); err != nil {
			errs = append(errs, err)
		}
	}
	return vocabOf(df), errors.Join(errs...)
}

// vocabOf builds the pinyin keys of the words of df (word → document
// frequency in the title and body fields; words of 2 to 8 Han characters).
func vocabOf(df map[string]uint64) *vocab {
	v := &vocab{full: map[string][]vterm{}, fuzzy: map[string][]vterm{}, initials: map[string][]vterm{}, df: df}
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
			sort.Slice(ts, func(i, j int) bool {
				if ts[i].df != ts[j].df {
					return ts[i].df > ts[j].df
				}
				return ts[i].word < ts[j].word
			})
			m[k] = dedupe(ts)
		}
	}
	return v
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
func (g *generation) vocabOf() *vocab {
	g.vocabOnce.Do(func() {
		if g.baseVocab != nil { // a live view: its parent's and the words written since
			g.vocab = g.baseVocab.extend(g.added)
		} else {
			var err error
			if g.vocab, err = buildVocab(g); err != nil {
				g.log.Error("the pinyin vocabulary is incomplete: reading the index's words failed", "generation", g.name, "err", err)
			}
		}
		g.vocabBuilt.Store(true)
	})
	return g.vocab
}

// eachTerm calls fn with every term of field and its document count.
func eachTerm(idx bleve.Index, field string, fn func(term string, count uint64)) error {
	d, err := idx.FieldDict(field)
	if err != nil {
		return fmt.Errorf("field %s: %w", field, err)
	}
	defer d.Close()
	for {
		ent, err := d.Next()
		if err != nil {
			return fmt.Errorf("field %s: %w", field, err)
		}
		if ent == nil {
			return nil
		}
		fn(ent.Term, ent.Count)
	}
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
func (v *vocab) fromPinyin(q string) string {
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
func (v *vocab) segment(s string, m map[string][]vterm) []string {
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
	vocab      *vocab
	vocabBuilt atomic.Bool
}
