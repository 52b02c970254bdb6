package analysis

import (
	"slices"
	"unicode/utf8"
)

// PairKey is a Han character bigram as a number: the first rune in the high
// bits. Keys sort as their bigrams do, first character first.
type PairKey uint64

// MakePair returns the key of the bigram ab.
func MakePair(a, b rune) PairKey { return PairKey(uint64(a)<<21 | uint64(b)) }

// Runes returns the two characters of the key.
func (k PairKey) Runes() (rune, rune) { return rune(k >> 21), rune(k & (1<<21 - 1)) }

// String returns the bigram.
func (k PairKey) String() string {
	a, b := k.Runes()
	return string([]rune{a, b})
}

// AppendPairs appends the keys of every pair of adjacent Han characters of
// normalised text to dst, in text order, with duplicates.
func AppendPairs(dst []PairKey, norm string) []PairKey {
	var prev rune = -1
	for i := 0; i < len(norm); {
		r, n := utf8.DecodeRuneInString(norm[i:])
		i += n
		if !IsHan(r) {
			prev = -1
			continue
		}
		if prev >= 0 {
			dst = append(dst, MakePair(prev, r))
		}
		prev = r
	}
	return dst
}

// DistinctPairs returns the distinct pair keys of the texts, sorted. The
// texts are separate (no pair spans two of them).
func DistinctPairs(dst []PairKey, texts ...string) []PairKey {
	dst = dst[:0]
	for _, t := range texts {
		dst = AppendPairs(dst, t)
	}
	slices.Sort(dst)
	return slices.Compact(dst)
}

// QueryPairs returns the distinct pair keys of a query's normalised text
// when it is two or more Han characters and nothing else; ok is false
// otherwise.
func QueryPairs(norm string) (keys []PairKey, ok bool) {
	n := 0
	for _, r := range norm {
		if !IsHan(r) {
			return nil, false
		}
		n++
	}
	if n < 2 {
		return nil, false
	}
	return DistinctPairs(nil, norm), true
}
