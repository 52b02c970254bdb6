package search

import (
	"html"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/analysis"
)

// snippetRunes is the length of a snippet's window of text.
const snippetRunes = 120

// highlightTerms lists what a snippet marks: the whole phrase and each
// query word (normalised), longest first so that the phrase wins.
func highlightTerms(aq analysedQuery) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	add(aq.phrase)
	for _, w := range aq.words {
		add(w)
	}
	for _, u := range aq.units {
		for _, form := range u.alts {
			for _, p := range strings.Fields(form) {
				add(p)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return utf8.RuneCountInString(out[i]) > utf8.RuneCountInString(out[j])
	})
	return out
}

// Snippet returns an HTML-escaped window of text around the best cluster of
// matches of terms (normalised), with <mark> around each match and nothing
// else unescaped. Matching is done on the normalised text, whose runes line
// up one for one with the original's, and the original text is shown.
func Snippet(text string, terms []string, window int) string {
	orig := []rune(strings.Join(strings.Fields(text), " "))
	norm := analysis.NormalizeRunes(append([]rune(nil), orig...))

	// Find non-overlapping matches, longer terms first.
	type span struct{ lo, hi, term int }
	covered := make([]bool, len(norm))
	var spans []span
	for ti, t := range terms {
		tr := []rune(t)
		if len(tr) == 0 {
			continue
		}
		for i := 0; i+len(tr) <= len(norm); i++ {
			if norm[i] != tr[0] || !slices.Equal(norm[i:i+len(tr)], tr) {
				continue
			}
			free := true
			for k := i; k < i+len(tr); k++ {
				if covered[k] {
					free = false
					break
				}
			}
			if !free {
				continue
			}
			for k := i; k < i+len(tr); k++ {
				covered[k] = true
			}
			spans = append(spans, span{i, i + len(tr), ti})
			i += len(tr) - 1
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].lo < spans[j].lo })

	// Choose the window with the most distinct terms (then most matches).
	lo := 0
	if len(spans) > 0 {
		best, bestScore := 0, -1
		for i := range spans {
			distinct := map[int]bool{}
			n := 0
			for j := i; j < len(spans) && spans[j].hi <= spans[i].lo+window; j++ {
				distinct[spans[j].term] = true
				n++
			}
			score := len(distinct)*1000 + n
			if score > bestScore {
				best, bestScore = i, score
			}
		}
		lo = spans[best].lo - window/4
		if lo < 0 {
			lo = 0
		}
	}
	hi := lo + window
	if hi > len(orig) {
		hi = len(orig)
		if lo = hi - window; lo < 0 {
			lo = 0
		}
	}
	// Do not cut a match in two at the window's edges.
	for _, s := range spans {
		if s.lo < lo && s.hi > lo {
			lo = s.lo
		}
		if s.lo < hi && s.hi > hi {
			hi = s.hi
		}
	}

	var b strings.Builder
	if lo > 0 {
		b.WriteString("…")
	}
	pos := lo
	for _, s := range spans {
		if s.lo < lo || s.hi > hi {
			continue
		}
		b.WriteString(html.EscapeString(string(orig[pos:s.lo])))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(string(orig[s.lo:s.hi])))
		b.WriteString("</mark>")
		pos = s.hi
	}
	b.WriteString(html.EscapeString(string(orig[pos:hi])))
	if hi < len(orig) {
		b.WriteString("…")
	}
	return b.String()
}
