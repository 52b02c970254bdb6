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

// corrections lists candidate spellings of a Han query, best first.
func (e *Engine) corrections(g *generation, norm string) []string {
	if !strings.ContainsFunc(norm, analysis.IsHan) || len([]rune(norm)) > 12 {
		return nil
	}
	return e.correctionsIn(g.seg, g.vocabOf(), norm)
}

// correctionsIn lists candidate spellings of norm made of words of v, as
// seg cuts them.
func (e *Engine) correctionsIn(seg *analysis.Segmenter, v *vocab, norm string) []string {
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
		for _, c := range e.confusables[r] {
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
func knownWords(seg *analysis.Segmenter, v *vocab, s string) bool {
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

// didYouMean returns a better query and its hit count, or "".
func (e *Engine) didYouMean(ctx context.Context, g *generation, aq analysedQuery, exactTotal uint64, f filters) (string, uint64) {
	if exactTotal >= minGoodResults {
		return "", 0
	}
	best, bestTotal := "", uint64(0)
	for _, c := range e.corrections(g, aq.norm) {
		cq := e.analyse(g.seg, c)
		n, err := e.count(ctx, g, e.textQuery(cq, false), g.holding(cq.pairs), f)
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
