package search

import (
	"sort"
	"strings"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
)

// RerankWindow is how many top hits are checked against the article text
// for the exact phrase and reordered: exact phrase in the title, then in
// the body, then the rest; within each, by score, then newer first, then
// by id. The window is the same for every page: the order of the hits is
// the top RerankWindow reranked, then the rest as collected (see
// windowed), and a page, whatever its size, is a slice of that one order,
// so that pages never overlap nor skip a hit.
const RerankWindow = 30

// windowed says how a page from..from+size of a relevance search reads
// the order of the hits: k, how many of the best to collect, and rerank,
// whether the first RerankWindow of them are reranked. A page that reaches
// into the window collects at least the window (its order depends on the
// whole window) and, when it reaches past it, the hits up to its end; a
// page entirely past the window reads the collected order, which the
// rerank leaves as it is there.
func windowed(from, size int, reorder bool) (k int, rerank bool) {
	k = from + size
	if !reorder || from >= RerankWindow {
		return k, false
	}
	return max(k, RerankWindow), true
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func round(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }

// phraseOrder is the order of the phrase rerank, as indexes into arts:
// hits holding the exact phrase in the title first, then in the body, then
// the others; within each, the order given (as collected: the pair group
// first, then by score, then newer first, then by id), so that the rerank
// never puts an article holding the words apart before one of the pair
// group. A nil article holds nothing.
func phraseOrder(phrase string, arts []*schema.Article) []int {
	tier := make([]int, len(arts))
	for i, a := range arts {
		if a == nil {
			continue
		}
		switch {
		case strings.Contains(analysis.Normalize(a.Title), phrase):
			tier[i] = 2
		case strings.Contains(analysis.Normalize(a.Body), phrase):
			tier[i] = 1
		}
	}
	idx := make([]int, len(arts))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return tier[idx[a]] > tier[idx[b]] })
	return idx
}
