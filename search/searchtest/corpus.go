package searchtest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// PagingCorpus is a corpus for reading one query, PagingQuery, page by page
// (file name → page). Each group is articles of one text, told apart by
// their dates only (every date differs, so no two hits tie): the scores
// differ between groups and never within one, so both engines order them
// alike. The groups are made so that the phrase rerank of the first hits
// moves hits far up: the pair group (every Han pair of 社区食堂) comes first
// as collected, by score; within the rerank window, the phrase in the title
// (title), then in the body (body), go before the pair group's articles
// that hold the pairs apart (pairs).
func PagingCorpus() map[string]string {
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

// PagingQuery is the query PagingCorpus is made for.
const PagingQuery = "社区 食堂"

// Page reads one page (1-based) of size hits: their ids and the total.
type Page func(page, size int) (ids []string, total uint64, err error)

// ReadPages reads every page of hits at size per page and returns the ids
// in order; it fails the test on a hit shown twice or a total that the
// pages do not add up to.
func ReadPages(t *testing.T, read Page, size int) []string {
	t.Helper()
	var ids []string
	seen := map[string]int{}
	for page := 1; ; page++ {
		got, total, err := read(page, size)
		if err != nil {
			t.Fatalf("size %d page %d: %v", size, page, err)
		}
		for _, id := range got {
			if p, ok := seen[id]; ok {
				t.Errorf("size %d: %s on page %d and again on page %d", size, id, p, page)
			}
			seen[id] = page
			ids = append(ids, id)
		}
		if len(got) < size || uint64(len(ids)) >= total {
			if uint64(len(ids)) != total {
				t.Errorf("size %d: %d hits over %d pages, total %d", size, len(ids), page, total)
			}
			return ids
		}
	}
}

// TieDates are the dates of TiesCorpus's groups ("": undated).
var TieDates = []string{"2024-05-01", "2024-04-30", ""}

// TieTitle and TieBody are the title and body of every article of
// TiesCorpus.
const TieTitle, TieBody = "社区食堂开张", "新建社区食堂一处，欢迎居民前来就餐。"

// TiesCorpus is n articles (n prime to 37) of one text in three groups of
// one date each, the last undated: within a group both the date and the
// score tie. The ids are a permutation of the order the articles are
// indexed in, so that bleve's document numbers do not follow them.
func TiesCorpus(n int) map[string]string {
	var b strings.Builder
	for i := range n {
		line, _ := json.Marshal(map[string]string{"id": TieID((i * 37) % n), "title": TieTitle, "body": TieBody, "date": TieDates[i%3]})
		b.Write(append(line, '\n'))
	}
	return map[string]string{"ties.jsonl": b.String()}
}

// TieID is the id of the i-th article of TiesCorpus.
func TieID(i int) string { return fmt.Sprintf("tie-%03d", i) }

// TieDatesByID is TiesCorpus(n)'s articles: id → date.
func TieDatesByID(n int) map[string]string {
	arts := map[string]string{}
	for i := range n {
		arts[TieID((i*37)%n)] = TieDates[i%3]
	}
	return arts
}

// ListingOrder is the order every listing of arts must have (date sort,
// filter-only, and relevance where the scores tie): newest first, an
// undated article last, articles of one date by id.
func ListingOrder(arts map[string]string) []string {
	ids := make([]string, 0, len(arts))
	for id := range arts {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		if c := cmp.Compare(arts[b], arts[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return ids
}

// WriteFiles writes files (name → content) into a new temporary folder and
// returns it.
func WriteFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
