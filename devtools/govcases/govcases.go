// Package govcases reads the test collection of government documents
// (testdata/govsyntax): its articles, with their document numbers and
// issuers, and its cases, queries in the search box's syntax with the
// articles that must come first, must appear and must not; and judges a
// ranked list of ids against a case. The engines' tests and `make eval`
// share it. Its functions are pure and safe for concurrent use.
package govcases

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/govbulletin/bulletin/indexer/schema"
)

// Case is one query of cases.tsv.
type Case struct {
	Query   string
	First   string   // the id that must be the first hit; "" for any
	Must    []string // ids that must be among the hits
	MustNot []string // ids that must not be
	Line    int
}

// Articles reads a JSON Lines file of articles (schema.Article's keys).
func Articles(path string) ([]*schema.Article, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []*schema.Article
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var a schema.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		if a.ID == "" {
			return nil, fmt.Errorf("%s:%d: no id", path, n)
		}
		out = append(out, &a)
	}
	return out, sc.Err()
}

// Cases reads a cases file: `query<TAB>first<TAB>must<TAB>must_not`
// (ids comma-separated) after a header line; lines starting with # are
// comments.
func Cases(path string) ([]Case, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []Case
	for n, line := range strings.Split(string(raw), "\n") {
		if n == 0 || strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 4 {
			return nil, fmt.Errorf("%s:%d: want 4 columns, have %d", path, n+1, len(cols))
		}
		out = append(out, Case{Query: cols[0], First: strings.TrimSpace(cols[1]),
			Must: ids(cols[2]), MustNot: ids(cols[3]), Line: n + 1})
	}
	return out, nil
}

func ids(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// Judge returns what is wrong with hits (ids, best first) as an answer to
// c; none when it is right.
func (c Case) Judge(hits []string) []string {
	var bad []string
	if c.First != "" && (len(hits) == 0 || hits[0] != c.First) {
		bad = append(bad, fmt.Sprintf("first %q, want %q", first(hits), c.First))
	}
	for _, id := range c.Must {
		if !slices.Contains(hits, id) {
			bad = append(bad, "missing "+id)
		}
	}
	for _, id := range c.MustNot {
		if slices.Contains(hits, id) {
			bad = append(bad, "has "+id)
		}
	}
	return bad
}

func first(hits []string) string {
	if len(hits) == 0 {
		return ""
	}
	return hits[0]
}
