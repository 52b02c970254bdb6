package search

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// pagingCorpus is a corpus for reading one query, "社区 食堂", page by page
// (file name → page). Each group is articles of one text, told apart by
// their dates only (every date differs, so no two hits tie): the scores
// differ between groups and never within one, so both engines order them
// alike. The groups are made so that the phrase rerank of the first
// rerankWindow hits moves hits far up: the pair group (every Han pair of
// 社区食堂) comes first as collected, by score; within the window, the
// phrase in the title (title), then in the body (body), go before the pair
// group's articles that hold the pairs apart (pairs).
func pagingCorpus() map[string]string {
	groups := []struct {
		name, title, body string
		n                 int
	}{
		{"pairs", "城区便民服务", "城区食堂和社区服务站。城区食堂和社区服务站。城区食堂和社区服务站。城区食堂和社区服务站。", 10},
		{"body", "便民服务", "新建社区食堂一处。", 9},
		{"title", "社区食堂开张", "欢迎居民前来就餐。", 7},
		{"apart", "服务居民", "社区、食堂。社区、食堂。社区、食堂。", 12},
		{"once", "工作简讯", "社区工作人员在食堂就餐，听取意见。", 10},
	}
	files := map[string]string{}
	day := 0
	for _, g := range groups {
		for i := range g.n {
			day++
			date := fmt.Sprintf("2023-%02d-%02d", 1+day/28, 1+day%28)
			files[fmt.Sprintf("%s-%02d.txt", g.name, i)] = fmt.Sprintf("---\ndate: %s\n---\n%s\n\n%s\n", date, g.title, g.body)
		}
	}
	return files
}

// pagingQuery is the query pagingCorpus is made for.
const pagingQuery = "社区 食堂"

// readPages reads every page of req's hits at size per page and returns
// the ids in order; it fails the test on a hit shown twice or a total that
// the pages do not add up to.
func readPages(t *testing.T, search func(context.Context, Request) (*Response, error), req Request, size int) []string {
	t.Helper()
	var ids []string
	seen := map[string]int{}
	for page := 1; ; page++ {
		req.Page, req.Size = page, size
		resp, err := search(context.Background(), req)
		if err != nil {
			t.Fatalf("size %d page %d: %v", size, page, err)
		}
		for _, h := range resp.Hits {
			if p, ok := seen[h.ID]; ok {
				t.Errorf("size %d: %s (%s) on page %d and again on page %d", size, h.ID, h.Title, p, page)
			}
			seen[h.ID] = page
			ids = append(ids, h.ID)
		}
		if len(resp.Hits) < size || uint64(len(ids)) >= resp.Total {
			if uint64(len(ids)) != resp.Total {
				t.Errorf("size %d: %d hits over %d pages, total %d", size, len(ids), page, resp.Total)
			}
			return ids
		}
	}
}

// Every page size from 1 to 50 reads one order of the hits: each hit once,
// the pages concatenated equal to the order read 50 a page, across the end
// of the rerank window (30) whether or not the size divides it.
func TestPagesOfEverySizeReadOneOrder(t *testing.T) {
	e := buildCorpus(t, pagingCorpus())
	req := Request{Query: pagingQuery}
	want := readPages(t, e.Search, req, 50)
	if len(want) <= rerankWindow+10 {
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
func rerankMoves(t *testing.T, e *Engine, req Request) int {
	t.Helper()
	g, err := e.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer g.release()
	if err := req.Normalize(); err != nil {
		t.Fatal(err)
	}
	aq := e.analyse(g.seg, req.Query)
	col, err := g.collect(context.Background(), e.baseQuery(aq), g.holding(aq.pairs), filters{}, rerankWindow, false, false, true)
	if err != nil {
		t.Fatal(err)
	}
	r := &result{ids: col.ids, scores: col.scores}
	if err := rerankPhrase(g, aq.phrase, r); err != nil {
		t.Fatal(err)
	}
	moved := 0
	for i := rerankWindow - 10; i < len(col.ids); i++ {
		if j := slices.Index(r.ids, col.ids[i]); j <= i-10 {
			moved++
		}
	}
	return moved
}

// windowed: a page inside the window reads the window; one past it, the
// collected order; one across its end, both.
func TestWindowed(t *testing.T) {
	for _, c := range []struct {
		from, size, k int
		rerank        bool
	}{
		{0, 10, 30, true}, {20, 10, 30, true}, {28, 7, 35, true}, {29, 1, 30, true},
		{30, 10, 40, false}, {0, 50, 50, true}, {49, 7, 56, false},
	} {
		k, rerank := windowed(c.from, c.size, true)
		if k != c.k || rerank != c.rerank {
			t.Errorf("windowed(%d, %d) = %d, %v; want %d, %v", c.from, c.size, k, rerank, c.k, c.rerank)
		}
		if k, rerank := windowed(c.from, c.size, false); k != c.from+c.size || rerank {
			t.Errorf("windowed(%d, %d) without rerank = %d, %v", c.from, c.size, k, rerank)
		}
	}
}
