package search

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
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

// wordsWithPrefix returns the first MaxPrefixWords words (two characters
// or more) of the body field (which holds the titles' words too) that
// start with p, in the view g, the most frequent first (the number of
// articles holding each, see termDocs), ties in word order.
func wordsWithPrefix(ctx context.Context, g *generation, p string) ([]string, error) {
	r, done, err := g.reader()
	if err != nil {
		return nil, err
	}
	defer done()
	d, err := r.FieldDictPrefix(schema.FieldBody, []byte(p))
	if err != nil {
		return nil, err
	}
	var words []string
	for len(words) < MaxPrefixWords {
		ent, err := d.Next()
		if err != nil {
			d.Close()
			return nil, err
		}
		if ent == nil {
			break
		}
		if utf8.RuneCountInString(ent.Term) >= 2 {
			words = append(words, ent.Term)
		}
	}
	d.Close()
	counts := make(map[string]uint64, len(words))
	for _, w := range words {
		n, err := termDocs(ctx, r, schema.FieldBody, w)
		if err != nil {
			return nil, err
		}
		counts[w] = n
	}
	words = slices.DeleteFunc(words, func(w string) bool { return counts[w] == 0 }) // only in deleted articles
	sort.SliceStable(words, func(i, j int) bool { return counts[words[i]] > counts[words[j]] })
	return words, nil
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
