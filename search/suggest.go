package search

import (
	"context"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/analysis"
)

// Suggest returns up to n completions of prefix for search-as-you-type,
// from three sources in this order: frequent past queries, words of the
// view (most frequent first) and article titles, all starting with the
// prefix.
func (pl *Planner) Suggest(ctx context.Context, v View, prefix string, n int) ([]string, error) {
	p := strings.TrimSpace(analysis.Normalize(analysis.CleanText(prefix)))
	if p == "" || n <= 0 {
		return []string{}, nil
	}
	out := []string{}
	seen := map[string]bool{p: true}
	add := func(s string) {
		if len(out) < n && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, q := range pl.queries.withPrefix(p, n) {
		add(q)
	}
	words, err := v.WordsWithPrefix(ctx, p)
	if err != nil {
		return nil, MapError(ctx, err)
	}
	for _, w := range words {
		add(w)
	}
	if len(out) < n {
		titles, err := v.TitlesWithPrefix(ctx, p, n)
		if err != nil {
			return nil, MapError(ctx, err)
		}
		for _, t := range titles {
			add(t)
		}
	}
	return out, nil
}

// MaxPrefixWords caps the words of the index a suggestion considers.
const MaxPrefixWords = 2000

// queryLog counts past queries that found something, for suggestions. It
// holds at most maxLogged distinct queries and no personal data (only the
// normalised query text). Safe for concurrent use.
type queryLog struct {
	mu     sync.Mutex
	counts map[string]int
}

const maxLogged = 5000

func newQueryLog() *queryLog { return &queryLog{counts: map[string]int{}} }

func (l *queryLog) record(q string) {
	q = strings.TrimSpace(analysis.Normalize(q))
	if q == "" || utf8.RuneCountInString(q) > 30 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.counts[q]; !ok && len(l.counts) >= maxLogged {
		// Full: forget the queries seen once, halve the rest.
		for k, c := range l.counts {
			if c <= 1 {
				delete(l.counts, k)
			} else {
				l.counts[k] = c / 2
			}
		}
	}
	l.counts[q]++
}

// withPrefix returns logged queries starting with p, most frequent first.
func (l *queryLog) withPrefix(p string, n int) []string {
	l.mu.Lock()
	var qs []string
	for q := range l.counts {
		if strings.HasPrefix(q, p) && q != p {
			qs = append(qs, q)
		}
	}
	counts := make(map[string]int, len(qs))
	for _, q := range qs {
		counts[q] = l.counts[q]
	}
	l.mu.Unlock()
	sort.Slice(qs, func(i, j int) bool {
		if counts[qs[i]] != counts[qs[j]] {
			return counts[qs[i]] > counts[qs[j]]
		}
		return qs[i] < qs[j]
	})
	if len(qs) > n {
		qs = qs[:n]
	}
	return qs
}
