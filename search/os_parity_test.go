package search

import (
	"context"
	"encoding/csv"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/internal/oscluster"
	"github.com/govbulletin/bulletin/internal/osconn"
)

// parityRequests are the judged set's queries (every query type), each
// alone and under filters, plus filter-only requests. (A page other than
// the first is left out: where ties straddle the page boundary, the engines
// may page them differently.)
func parityRequests(t *testing.T) []Request {
	t.Helper()
	f, err := os.Open("../testdata/eval/judgments.tsv")
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
	reqs := []Request{
		{}, {Districts: []string{"昌平区"}}, {Topics: []string{"养老服务", "教育"}}, {Years: []int{2024}},
		{Sort: "date"}, {DateFrom: "2021-01-01", DateTo: "2024-12-31"}, {Size: 3},
	}
	for _, row := range rows[1:] {
		if len(row) < 2 || row[0] == "" {
			continue
		}
		q := row[0]
		reqs = append(reqs,
			Request{Query: q},
			Request{Query: q, Districts: []string{"昌平区", "朝阳区"}},
			Request{Query: q, Topics: []string{"养老服务"}, Years: []int{2023, 2024}},
			Request{Query: q, Sort: "date"},
		)
	}
	return reqs
}

// TestOpenSearchParity indexes the same articles into the embedded engine
// and a real three-node OpenSearch cluster and checks that every request of
// parityRequests gets the same total, identical facet counts, the same
// did_you_mean and the same first hit; then it kills a node (SIGKILL) and
// checks that every search still answers, with the same totals.
func TestOpenSearchParity(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a three-node OpenSearch cluster")
	}
	cluster := oscluster.Start(t, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	paths := []string{"../testdata/eval/corpus", "../seeds"}

	dir := t.TempDir()
	if _, err := indexer.Build(ctx, dir, indexer.Config{}, paths...); err != nil {
		t.Fatal(err)
	}
	emb, err := Open(dir, Options{Poll: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer emb.Close()

	c, err := osconn.New(osconn.Config{URLs: cluster.URLs(), Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Two shards: term statistics must be the index's, not a shard's.
	rep, err := indexer.BuildOpenSearch(ctx, c, indexer.Config{}, indexer.OSOptions{Shards: 2}, paths...)
	if err != nil {
		t.Fatal(err)
	}
	ose, err := OpenSearch(ctx, c, Options{Poll: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer ose.Close()
	if got, want := ose.Info().Documents, emb.Info().Documents; got != want || got != rep.Articles {
		t.Fatalf("documents: opensearch %d, embedded %d, indexed %d", got, want, rep.Articles)
	}

	reqs := parityRequests(t)
	totals := make([]uint64, len(reqs))
	for i, req := range reqs {
		want, err := emb.Search(ctx, req)
		if err != nil {
			t.Fatalf("embedded %v: %v", req, err)
		}
		got, err := ose.Search(ctx, req)
		if err != nil {
			t.Fatalf("opensearch %v: %v", req, err)
		}
		totals[i] = got.Total
		if got.Total != want.Total {
			t.Errorf("%v: total %d, embedded %d", req, got.Total, want.Total)
		}
		if !reflect.DeepEqual(got.Facets, want.Facets) {
			t.Errorf("%v: facets\n got  %v\n want %v", req, got.Facets, want.Facets)
		}
		if got.DidYouMean != want.DidYouMean || got.Relaxed != want.Relaxed {
			t.Errorf("%v: did_you_mean %q relaxed %v, embedded %q %v", req, got.DidYouMean, got.Relaxed, want.DidYouMean, want.Relaxed)
		}
		if len(got.Hits) != len(want.Hits) {
			t.Errorf("%v: %d hits, embedded %d", req, len(got.Hits), len(want.Hits))
			continue
		}
		if len(want.Hits) > 0 && got.Hits[0].ID != want.Hits[0].ID && !tiedFirst(want, got.Hits[0].ID) {
			t.Errorf("%v: first hit %q, embedded %q", req, got.Hits[0].Title, want.Hits[0].Title)
			for k := range want.Hits {
				t.Logf("  %d. %s %.3f | %s %.3f", k+1, got.Hits[k].Title, got.Hits[k].Score, want.Hits[k].Title, want.Hits[k].Score)
			}
		}
		for k := range want.Hits {
			if got.Hits[k].ID == want.Hits[k].ID && got.Hits[k].Snippet != want.Hits[k].Snippet {
				t.Errorf("%v: snippet of %s differs:\n got  %s\n want %s", req, got.Hits[k].ID, got.Hits[k].Snippet, want.Hits[k].Snippet)
			}
		}
	}
	a, err := ose.Article(ctx, "no-such-id")
	if KindOf(err) != NotFound {
		t.Errorf("unknown article: %v, %v; want NotFound", a, err)
	}
	first, _ := emb.Search(ctx, Request{})
	for _, h := range first.Hits[:1] {
		want, _ := emb.Article(ctx, h.ID)
		got, err := ose.Article(ctx, h.ID)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("article %s: %+v, %v; embedded %+v", h.ID, got, err, want)
		}
	}

	for _, p := range []string{"养老", "回", "接诉", "yang"} {
		want, _ := emb.Suggest(ctx, p, 8)
		got, err := ose.Suggest(ctx, p, 8)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("suggest %q: %q, %v; embedded %q", p, got, err, want)
		}
	}

	// A killed node does not stop searches.
	cluster.Kill(0)
	for i, req := range reqs {
		got, err := ose.Search(ctx, req)
		if err != nil {
			t.Fatalf("with a node killed, %v: %v", req, err)
		}
		if got.Total != totals[i] {
			t.Errorf("with a node killed, %v: total %d, before %d", req, got.Total, totals[i])
		}
	}
}

// TestOpenSearchDown checks that a cluster that cannot be reached is
// Unavailable (503), never Internal.
func TestOpenSearchDown(t *testing.T) {
	c, err := osconn.New(osconn.Config{URLs: []string{"http://127.0.0.1:1"}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = OpenSearch(context.Background(), c, Options{Poll: -1})
	if err == nil || !errors.Is(err, osconn.ErrUnavailable) {
		t.Fatalf("open on a closed port: %v, want ErrUnavailable", err)
	}
	seg, err := analysis.For(analysis.Dictionary{})
	if err != nil {
		t.Fatal(err)
	}
	e := &OSEngine{c: c, index: "bulletins-x", seg: seg, q: &Engine{synonyms: mustSynonyms(t)}}
	_, err = e.Search(context.Background(), Request{Query: "养老驿站"})
	if KindOf(err) != Unavailable || !strings.Contains(err.Error(), "cannot be reached") {
		t.Fatalf("search on a closed port: %v (kind %v), want Unavailable", err, KindOf(err))
	}
}

func mustSynonyms(t *testing.T) *Synonyms {
	s, err := LoadSynonyms("")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// tiedFirst reports whether the embedded engine ranks id level with its
// first hit (same score and date): the engines may order such ties
// differently (bleve by internal document number, OpenSearch by id).
func tiedFirst(want *Response, id string) bool {
	first := want.Hits[0]
	for _, h := range want.Hits {
		if h.Score != first.Score || h.Date != first.Date || h.Year != first.Year {
			return false
		}
		if h.ID == id {
			return true
		}
	}
	return false
}
