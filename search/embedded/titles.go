package embedded

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/search"
)

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
	for len(words) < search.MaxPrefixWords {
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
