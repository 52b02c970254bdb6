package embedded

import (
	"context"
	"encoding/csv"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/govbulletin/bulletin/search"
)

// TestSeedQueries runs the development set's queries over the seeds.
func TestSeedQueries(t *testing.T) {
	e := openSeeds(t)
	f, err := os.Open("../../testdata/seed-queries.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = '\t', true, -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		q, filt, expect := row[0], row[1], row[2]
		req := search.Request{Query: q}
		vals, _ := url.ParseQuery(filt)
		req.Districts, req.Topics = vals["district"], vals["topic"]
		for _, y := range vals["year"] {
			n, _ := strconv.Atoi(y)
			req.Years = append(req.Years, n)
		}
		resp, err := e.Search(context.Background(), req)
		if err != nil {
			t.Errorf("%s: %v", q, err)
			continue
		}
		for _, ex := range strings.Split(expect, ";") {
			if msg := checkExpectation(resp, ex); msg != "" {
				t.Errorf("query %q [%s]: %s", q, filt, msg)
				for i, h := range resp.Hits {
					t.Logf("  %d. %s (%.3f)", i+1, h.Title, h.Score)
				}
			}
		}
	}
}

// checkExpectation checks one `topN:TITLE`, `none:TITLE` or
// `facet:NAME:VALUE=COUNT` expectation; "" means it holds.
func checkExpectation(resp *search.Response, ex string) string {
	switch {
	case strings.HasPrefix(ex, "top"):
		n, _ := strconv.Atoi(ex[3:strings.IndexByte(ex, ':')])
		title := ex[strings.IndexByte(ex, ':')+1:]
		for i, h := range resp.Hits {
			if i < n && strings.Contains(h.Title, title) {
				return ""
			}
		}
		return "no hit among the first " + strconv.Itoa(n) + " has " + title
	case strings.HasPrefix(ex, "none:"):
		title := ex[5:]
		for _, h := range resp.Hits {
			if strings.Contains(h.Title, title) {
				return "a hit has " + title
			}
		}
		return ""
	case strings.HasPrefix(ex, "facet:"):
		parts := strings.SplitN(ex[6:], ":", 2)
		kv := strings.SplitN(parts[1], "=", 2)
		want, _ := strconv.Atoi(kv[1])
		for _, f := range resp.Facets[parts[0]] {
			if f.Value == kv[0] {
				if f.Count == want {
					return ""
				}
				return "facet " + parts[0] + ":" + kv[0] + " = " + strconv.Itoa(f.Count) + ", want " + kv[1]
			}
		}
		return "facet " + parts[0] + ":" + kv[0] + " missing"
	}
	return "unknown expectation " + ex
}
