package search

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
)

// Suggest returns up to n completions of prefix for search-as-you-type, from
// three sources in this order: frequent past queries, words of the index
// (most frequent first) and article titles, all starting with the prefix.
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
	out := []string{}
	seen := map[string]bool{p: true}
	add := func(s string) {
		if len(out) < n && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, q := range e.queries.withPrefix(p, n) {
		add(q)
	}
	type cand struct {
		term  string
		count uint64
	}
	var cands []cand
	for _, field := range []string{schema.FieldTitle, schema.FieldBody} {
		d, err := g.index.FieldDictPrefix(field, []byte(p))
		if err != nil {
			return nil, searchErr(ctx, err)
		}
		for i := 0; i < 2000; i++ {
			ent, err := d.Next()
			if err != nil {
				d.Close()
				return nil, searchErr(ctx, err)
			}
			if ent == nil {
				break
			}
			if utf8.RuneCountInString(ent.Term) >= 2 {
				cands = append(cands, cand{ent.Term, ent.Count})
			}
		}
		d.Close()
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].count > cands[j].count })
	for _, c := range cands {
		add(c.term)
	}
	for _, t := range g.titles.withPrefix(p, n) {
		add(t)
	}
	if g.overlay != nil { // titles written since the build
		for _, t := range g.overlay.titlesWithPrefix(p, n) {
			add(t)
		}
	}
	return out, nil
}

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

// titleIndex is a generation's article titles sorted by normalised text,
// for prefix lookup. Read-only after loading.
type titleIndex struct {
	norm  []string
	title []string
}

// loadTitles reads a generation's sorted title list (see schema.TitlesFile).
func loadTitles(genPath string) *titleIndex {
	ti := &titleIndex{}
	raw, err := os.ReadFile(filepath.Join(genPath, schema.TitlesFile))
	if err != nil {
		return ti // suggestions go without titles
	}
	for _, t := range strings.Split(string(raw), "\n") {
		if t != "" {
			ti.norm = append(ti.norm, analysis.Normalize(t))
			ti.title = append(ti.title, t)
		}
	}
	return ti
}

func (t *titleIndex) withPrefix(p string, n int) []string {
	i := sort.SearchStrings(t.norm, p)
	var out []string
	for ; i < len(t.norm) && len(out) < n && strings.HasPrefix(t.norm[i], p); i++ {
		out = append(out, t.title[i])
	}
	return out
}
