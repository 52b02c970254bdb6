package embedded

import (
	"context"
	"slices"
	"testing"

	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/searchtest"
)

// The paging corpus and its query: see searchtest.PagingCorpus.
var pagingCorpus = searchtest.PagingCorpus

const pagingQuery = searchtest.PagingQuery

// readPages reads every page of req's hits at size per page (see
// searchtest.ReadPages).
func readPages(t *testing.T, search func(context.Context, search.Request) (*search.Response, error), req search.Request, size int) []string {
	t.Helper()
	return searchtest.ReadPages(t, pagesOf(search, req), size)
}

// pagesOf reads pages of req with search.
func pagesOf(search func(context.Context, search.Request) (*search.Response, error), req search.Request) searchtest.Page {
	return func(page, size int) ([]string, uint64, error) {
		req.Page, req.Size = page, size
		resp, err := search(context.Background(), req)
		if err != nil {
			return nil, 0, err
		}
		ids := make([]string, len(resp.Hits))
		for i, h := range resp.Hits {
			ids[i] = h.ID
		}
		return ids, resp.Total, nil
	}
}

// Every page size from 1 to 50 reads one order of the hits: each hit once,
// the pages concatenated equal to the order read 50 a page, across the end
// of the rerank window (30) whether or not the size divides it.
func TestPagesOfEverySizeReadOneOrder(t *testing.T) {
	e := buildCorpus(t, pagingCorpus())
	req := search.Request{Query: pagingQuery}
	want := readPages(t, e.Search, req, 50)
	if len(want) <= search.RerankWindow+10 {
		t.Fatalf("%d hits: the corpus must reach well past the rerank window", len(want))
	}
	// The order: the phrase in the title, in the body, then the rest of
	// the pair group, then the articles holding the words apart; the
	// rerank of the window keeps the pair group before the others.
	var titles []string
	for _, id := range want {
		a, err := e.Article(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(titles); n == 0 || titles[n-1] != a.Title {
			titles = append(titles, a.Title)
		}
	}
	if order := []string{"社区食堂开张", "便民服务", "城区便民服务", "服务居民", "工作简讯"}; !slices.Equal(titles, order) {
		t.Errorf("the hits come in the groups %q, want %q", titles, order)
	}
	// The rerank must matter here, or this test could not fail: some hit
	// the window's rerank moves up comes, as collected, near the window's
	// end (where a page that straddles it would show it again).
	if moved := rerankMoves(t, e, req); moved == 0 {
		t.Fatal("the phrase rerank moves no hit from the end of the window: the corpus does not test paging")
	}
	for size := 1; size <= 50; size++ {
		if got := readPages(t, e.Search, req, size); !slices.Equal(got, want) {
			t.Errorf("size %d: the pages read\n %v\nwant\n %v", size, got, want)
		}
	}
}

// rerankMoves counts the hits of the last ten places of the rerank window,
// as collected, that the rerank moves up by ten places or more.
func rerankMoves(t *testing.T, e *Engine, req search.Request) int {
	t.Helper()
	g, err := e.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer g.release()
	if err := req.Normalize(); err != nil {
		t.Fatal(err)
	}
	q := e.planner.Compile(g.seg, req.Query)
	col, err := g.collect(context.Background(), q.Text, g.holding(q.Pairs), false, search.Filters{}, search.RerankWindow, false, false, true)
	if err != nil {
		t.Fatal(err)
	}
	req.Page, req.Size = 1, search.RerankWindow
	resp, err := e.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	r := &struct{ ids []string }{}
	for _, h := range resp.Hits {
		r.ids = append(r.ids, h.ID)
	}
	moved := 0
	for i := search.RerankWindow - 10; i < len(col.ids); i++ {
		if j := slices.Index(r.ids, col.ids[i]); j <= i-10 {
			moved++
		}
	}
	return moved
}
