package search

import (
	"context"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/analysis"
)

// Suggest returns up to n completions of prefix for search-as-you-type:
// words of the index that start with the prefix, most frequent first.
func (e *Engine) Suggest(ctx context.Context, prefix string, n int) ([]string, error) {
	p := strings.TrimSpace(analysis.Normalize(analysis.CleanText(prefix)))
	if p == "" || n <= 0 {
		return []string{}, nil
	}
	g, err := e.acquire()
	if err != nil {
		return nil, err
	}
	defer g.release()
	type cand struct {
		term  string
		count uint64
	}
	seen := map[string]bool{}
	var cands []cand
	for _, field := range []string{indexer.FieldTitle, indexer.FieldBody} {
		d, err := g.index.FieldDictPrefix(field, []byte(p))
		if err != nil {
			return nil, searchErr(ctx, err)
		}
		for i := 0; i < 5000; i++ {
			ent, err := d.Next()
			if err != nil || ent == nil {
				break
			}
			if seen[ent.Term] || utf8.RuneCountInString(ent.Term) < 2 || ent.Term == p {
				continue
			}
			seen[ent.Term] = true
			cands = append(cands, cand{ent.Term, ent.Count})
		}
		d.Close()
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].count != cands[j].count {
			return cands[i].count > cands[j].count
		}
		return cands[i].term < cands[j].term
	})
	out := []string{}
	for _, c := range cands {
		if len(out) >= n {
			break
		}
		out = append(out, c.term)
	}
	return out, nil
}
