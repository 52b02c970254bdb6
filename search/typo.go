package search

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"strings"

	"github.com/mozillazg/go-pinyin"

	"github.com/govbulletin/bulletin/indexer/analysis"
)

//go:embed data/confusables.txt
var confusablesTxt []byte

// confusables maps a character to characters of similar shape.
func loadConfusables() map[rune][]rune {
	m := map[rune][]rune{}
	sc := bufio.NewScanner(bytes.NewReader(confusablesTxt))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rs := []rune(line)
		for _, a := range rs {
			for _, b := range rs {
				if a != b {
					m[a] = append(m[a], b)
				}
			}
		}
	}
	return m
}

// Typo correction. did_you_mean is offered only when the query probably is
// mistyped: it has few exact results (under minGoodResults), and a
// candidate spelled alike (same pinyin, near pinyin, a character of similar
// shape) made of the index's own words finds clearly more (at least
// betterFactor times as many, and at least one).
const (
	minGoodResults = 3
	betterFactor   = 3
	maxCandidates  = 12
)

// correctionsIn lists candidate spellings of norm made of words of v, as
// seg cuts them.
func (pl *Planner) correctionsIn(seg *analysis.Segmenter, v *Vocab, norm string) []string {
	seen := map[string]bool{norm: true}
	var out []string
	add := func(c string) {
		if c != "" && !seen[c] && len(out) < maxCandidates {
			seen[c] = true
			out = append(out, c)
		}
	}
	text := strings.ReplaceAll(norm, " ", "")
	args := pinyin.NewArgs()
	args.Heteronym = true
	for _, r := range readings(text, args) {
		full := strings.Join(r, "")
		if ts := v.full[full]; len(ts) > 0 {
			add(ts[0].word)
		} else if ws := v.segment(full, v.full); ws != nil {
			add(strings.Join(ws, ""))
		}
	}
	for _, r := range readings(text, args) {
		fz := fuzzyKey(r)
		if ts := v.fuzzy[fz]; len(ts) > 0 {
			add(ts[0].word)
		}
	}
	rs := []rune(text)
	for i, r := range rs {
		for _, c := range pl.confusables[r] {
			cand := string(rs[:i]) + string(c) + string(rs[i+1:])
			if knownWords(seg, v, cand) {
				add(cand)
			}
		}
	}
	return out
}

// knownWords reports whether every word of s (default-mode segmentation)
// is a word of the index.
func knownWords(seg *analysis.Segmenter, v *Vocab, s string) bool {
	if v.df[s] > 0 {
		return true
	}
	words := seg.Words(s)
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		if len([]rune(w.Term)) < 2 || v.df[w.Term] == 0 {
			return false
		}
	}
	return true
}

// didYouMean returns a better query and its hit count, or "": candidates
// spelled alike made of the view's words, each counted by the view.
func (pl *Planner) didYouMean(ctx context.Context, v View, aq analysedQuery, exactTotal uint64, f Filters) (string, uint64) {
	if exactTotal >= minGoodResults {
		return "", 0
	}
	if !strings.ContainsFunc(aq.norm, analysis.IsHan) || len([]rune(aq.norm)) > 12 {
		return "", 0
	}
	seg := v.Segmenter()
	best, bestTotal := "", uint64(0)
	for _, c := range pl.correctionsIn(seg, v.Vocabulary(), aq.norm) {
		cq := pl.analyse(seg, c)
		n, err := v.Count(ctx, Query{Text: pl.textQuery(cq, false), Pairs: cq.pairs, Filters: f})
		if err != nil {
			return "", 0
		}
		if n > bestTotal {
			best, bestTotal = c, n
		}
	}
	if bestTotal >= 1 && bestTotal >= betterFactor*exactTotal && best != "" {
		return best, bestTotal
	}
	return "", 0
}
