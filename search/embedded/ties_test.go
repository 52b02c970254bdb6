package embedded

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/searchtest"
)

// The ties corpus: see searchtest.TiesCorpus.
var (
	tieDates     = searchtest.TieDates
	tiesCorpus   = searchtest.TiesCorpus
	tieID        = searchtest.TieID
	tieDatesByID = searchtest.TieDatesByID
	listingOrder = searchtest.ListingOrder
)

const tieTitle, tieBody = searchtest.TieTitle, searchtest.TieBody

// tieArticle is an article as tiesCorpus gives it, dated d.
func tieArticle(id, d string) *schema.Article {
	a := &schema.Article{ID: id, Title: tieTitle, Body: tieBody, Date: d}
	if d != "" {
		fmt.Sscanf(d[:4], "%d", &a.Year)
	}
	return a
}

// tieRequests are the listings checked: filter-only, sorted by date, and
// relevance (the whole phrase and words apart; the scores tie).
var tieRequests = []search.Request{{}, {Sort: "date"}, {Query: "社区食堂"}, {Query: "食堂", Sort: "date"}, {Query: "居民 就餐"}}

// checkListing reads every tie request page by page at several sizes and
// compares each with want.
func checkListing(t *testing.T, e *Engine, want []string, when string) {
	t.Helper()
	for _, req := range tieRequests {
		for _, size := range []int{1, 7, 10, 50} {
			if got := readPages(t, e.Search, req, size); !slices.Equal(got, want) {
				t.Errorf("%s: %+v, %d a page:\n got  %v\n want %v", when, req, size, got, want)
			}
		}
	}
}

// docNumbers returns bleve's document number of every article of the view
// being served.
func docNumbers(t *testing.T, e *Engine) map[string]uint64 {
	t.Helper()
	g, err := e.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer g.release()
	r, done, err := g.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	nums := map[string]uint64{}
	if err := eachSnapshotDoc(r.(*scorch.IndexSnapshot), func(id []byte, d uint64) { nums[string(id)] = d }); err != nil {
		t.Fatal(err)
	}
	return nums
}

// segments returns how many segments the view being served reads.
func segments(t *testing.T, e *Engine) int {
	t.Helper()
	g, err := e.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer g.release()
	r, done, err := g.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	return len(r.(*scorch.IndexSnapshot).Segments())
}

// inIDOrder reports whether the document numbers of every group of tied
// articles follow their ids (then the old tie-break by number was right).
func inIDOrder(nums map[string]uint64, arts map[string]string) bool {
	ids := listingOrder(arts)
	for i := 1; i < len(ids); i++ {
		if arts[ids[i]] == arts[ids[i-1]] && nums[ids[i]] < nums[ids[i-1]] {
			return false
		}
	}
	return true
}

// Articles of one date (and of one score) list in one order, by id, in
// every view of a live index: pages of any size read from one view, pages
// read one by one while writes replace the articles already shown (a
// replaced article gets a new document number), after articles are added
// and deleted, and after the segments are merged into one.
func TestTiesListByID(t *testing.T) {
	const n = 61
	e := openLiveCorpus(t, tiesCorpus(n))
	arts := tieDatesByID(n)
	want := listingOrder(arts)
	if inIDOrder(docNumbers(t, e), arts) {
		t.Fatal("the built index numbers tied articles in id order: the test would not see a tie broken by number")
	}
	checkListing(t, e, want, "built")

	// Page by page, a new view before each page: the articles of the page
	// just read are written again (same id, date and text).
	for _, size := range []int{7, 10} {
		for _, req := range tieRequests {
			var got []string
			seen := map[string]bool{}
			for page := 1; ; page++ {
				resp, err := e.Search(context.Background(), search.Request{Query: req.Query, Sort: req.Sort, Page: page, Size: size})
				if err != nil {
					t.Fatal(err)
				}
				var again []*schema.Article
				for _, h := range resp.Hits {
					if seen[h.ID] {
						t.Errorf("%+v, %d a page, rewriting each page before the next: %s again on page %d", req, size, h.ID, page)
					}
					seen[h.ID] = true
					got = append(got, h.ID)
					again = append(again, tieArticle(h.ID, arts[h.ID]))
				}
				if len(resp.Hits) < size {
					break
				}
				write(t, e, again)
				if err := e.refresh(); err != nil {
					t.Fatal(err)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%+v, %d a page, rewriting each page before the next:\n got  %v\n want %v", req, size, got, want)
			}
		}
	}
	if inIDOrder(docNumbers(t, e), arts) {
		t.Error("after the rewrites, tied articles are numbered in id order: the rewrites did not renumber them")
	}
	checkListing(t, e, want, "rewritten")

	// New articles in every group (ids before, between and after the
	// others'), and deletions.
	var added []*schema.Article
	for i, id := range []string{"tie-000a", "tie-0305", "tie-999", "a-first", "z-last", "tie-031x"} {
		d := tieDates[i%3]
		added = append(added, tieArticle(id, d))
		arts[id] = d
	}
	deleted := []string{tieID(3), tieID(30), tieID(44)}
	for _, id := range deleted {
		delete(arts, id)
	}
	write(t, e, added, deleted...)
	if err := e.refresh(); err != nil {
		t.Fatal(err)
	}
	want = listingOrder(arts)
	checkListing(t, e, want, "added and deleted")

	// The segments merged into one (the writes' segments are merged once
	// persisted, so force merges until one is left): the deleted and
	// replaced articles' numbers go, the others are renumbered; one order.
	before, beforeSegs := docNumbers(t, e), segments(t, e)
	g, err := e.acquire()
	if err != nil {
		t.Fatal(err)
	}
	adv, err := g.index.Advanced()
	g.release()
	if err != nil {
		t.Fatal(err)
	}
	// A deadline, not a count of tries: persisting and merging lag on a
	// loaded machine.
	for deadline := time.Now().Add(60 * time.Second); segments(t, e) > 1 && time.Now().Before(deadline); {
		if err := adv.(*scorch.Scorch).ForceMerge(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		if err := e.refresh(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	after := docNumbers(t, e)
	if n := segments(t, e); n != 1 || len(after) != len(arts) {
		t.Fatalf("after the merge: %d segments, %d articles; want 1 and %d", n, len(after), len(arts))
	}
	if beforeSegs > 1 && maps.Equal(after, before) {
		t.Errorf("merging %d segments into one renumbered no article", beforeSegs)
	}
	t.Logf("the view before the merge read %d segments (the background merger may have merged them already)", beforeSegs)
	checkListing(t, e, want, "merged")
}
