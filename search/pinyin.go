package search

import (
	"maps"
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

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

// NewVocab builds the pinyin keys of the words of df (word → number of
// articles holding it; words of 2 to 8 Han characters, see IsVocabWord).
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

// FromPinyin converts a pinyin query to Chinese words of the index: the
// whole string as one word's full pinyin, else split into several words'
// full pinyin (fewest words, then most frequent), else as initials. It
// returns "" when nothing fits.
func (v *Vocab) FromPinyin(q string) string {
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

// DocFreq returns the number of articles holding the word w.
func (v *Vocab) DocFreq(w string) uint64 { return v.df[w] }

// Update returns the vocabulary with the document frequencies of df (a
// word at 0 leaves it); v is not changed.
func (v *Vocab) Update(df map[string]uint64) *Vocab {
	if len(df) == 0 {
		return v
	}
	nv := &Vocab{full: copyMap(v.full), fuzzy: copyMap(v.fuzzy), initials: copyMap(v.initials), df: make(map[string]uint64, len(v.df)+len(df)), maxKey: v.maxKey}
	for k, n := range v.df {
		nv.df[k] = n
	}
	args := pinyin.NewArgs()
	args.Heteronym = true
	for w, n := range df {
		if !IsVocabWord(w) || nv.df[w] == n {
			continue
		}
		if n == 0 {
			delete(nv.df, w)
		} else {
			nv.df[w] = n
		}
		for _, r := range readings(w, args) {
			full := strings.Join(r, "")
			var ini strings.Builder
			for _, syl := range r {
				ini.WriteByte(syl[0])
			}
			for _, kv := range []struct {
				m map[string][]vterm
				k string
			}{{nv.full, full}, {nv.fuzzy, fuzzyKey(r)}, {nv.initials, ini.String()}} {
				ts := make([]vterm, 0, len(kv.m[kv.k])+1)
				for _, t := range kv.m[kv.k] {
					if t.word != w {
						ts = append(ts, t)
					}
				}
				if n > 0 {
					ts = append(ts, vterm{w, n})
				}
				sortTerms(ts)
				if len(ts) == 0 {
					delete(kv.m, kv.k)
				} else {
					kv.m[kv.k] = ts
				}
			}
			if len(full) > nv.maxKey {
				nv.maxKey = len(full)
			}
		}
	}
	return nv
}

func copyMap(m map[string][]vterm) map[string][]vterm {
	out := make(map[string][]vterm, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// IsVocabWord reports whether a term is a word of the vocabulary: 2 to 8
// Han characters.
func IsVocabWord(t string) bool {
	n := utf8.RuneCountInString(t)
	return n >= 2 && n <= 8 && allHan(t)
}

// DocFreqs returns every word of the vocabulary with the number of
// articles holding it (a copy).
func (v *Vocab) DocFreqs() map[string]uint64 { return maps.Clone(v.df) }
