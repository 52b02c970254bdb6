package embedded

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/govbulletin/bulletin/internal/errs"
	"github.com/govbulletin/bulletin/search"
)

var rankCorpus = map[string]string{
	// Same words; only the title differs.
	"t1.txt": "---\ndate: 2022-03-01\n---\n接诉即办工作推进\n\n海淀区召开会议，部署各项工作。\n",
	"t2.txt": "---\ndate: 2023-03-01\n---\n工作会议召开\n\n海淀区召开会议，部署接诉即办各项工作。\n",
	// Phrase vs scattered words.
	"p1.txt": "---\ndate: 2020-01-01\n---\n老旧小区\n\n朝阳区推进老旧小区改造，加装电梯十部。\n",
	"p2.txt": "---\ndate: 2024-01-01\n---\n小区活动\n\n朝阳区老年活动丰富，旧物改造和小区绿化同步推进。\n",
	// Ties broken by date.
	"d1.txt": "---\ndate: 2019-05-05\n---\n垃圾分类宣传\n\n丰台区开展垃圾分类宣传。\n",
	"d2.txt": "---\ndate: 2021-05-05\n---\n垃圾分类宣传\n\n丰台区开展垃圾分类宣传。\n",
	// Hostile text.
	"x.txt": "<script>alert(1)</script>标题\n\n正文<img src=x onerror=alert(1)>垃圾分类&宣传。\n",
}

func TestTitleAboveBody(t *testing.T) {
	e := buildCorpus(t, rankCorpus)
	got := hitTitles(t, e, search.Request{Query: "接诉即办"})
	if len(got) < 2 || got[0] != "接诉即办工作推进" {
		t.Errorf("接诉即办 → %q, want the title match first", got)
	}
}

func TestPhraseAboveScatteredWords(t *testing.T) {
	e := buildCorpus(t, rankCorpus)
	got := hitTitles(t, e, search.Request{Query: "老旧小区改造"})
	if len(got) == 0 || got[0] != "老旧小区" {
		t.Errorf("老旧小区改造 → %q, want the exact phrase first", got)
	}
}

func TestTiesNewerFirst(t *testing.T) {
	e := buildCorpus(t, rankCorpus)
	resp, err := e.Search(context.Background(), search.Request{Query: "垃圾分类宣传", Districts: []string{"丰台区"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Hits) != 2 || resp.Hits[0].Date != "2021-05-05" {
		t.Errorf("hits %+v, want the 2021 one first", resp.Hits)
	}
}

func TestSortByDateAndEmptyQuery(t *testing.T) {
	e := buildCorpus(t, rankCorpus)
	resp, err := e.Search(context.Background(), search.Request{})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Total != uint64(len(rankCorpus)) {
		t.Errorf("empty query total %d, want all %d", resp.Total, len(rankCorpus))
	}
	for i := 1; i < len(resp.Hits); i++ {
		if resp.Hits[i-1].Date < resp.Hits[i].Date && resp.Hits[i].Date != "" {
			t.Errorf("empty query not newest first: %s before %s", resp.Hits[i-1].Date, resp.Hits[i].Date)
		}
	}
	resp, _ = e.Search(context.Background(), search.Request{Query: "朝阳区", Sort: "date"})
	if len(resp.Hits) < 2 || resp.Hits[0].Date != "2024-01-01" {
		t.Errorf("sort=date: %+v", resp.Hits)
	}
	resp, _ = e.Search(context.Background(), search.Request{Districts: []string{"海淀区"}})
	if resp.Total != 2 {
		t.Errorf("empty query with a filter: total %d, want 2", resp.Total)
	}
}

// A filter-only request answered from the cached counts (the second time)
// gives the same page, total and facets as the first, full walk.
func TestEmptyQueryCachedCountsSameAnswer(t *testing.T) {
	e := buildCorpus(t, rankCorpus)
	for _, req := range []search.Request{{}, {Page: 2, Size: 2}, {Districts: []string{"朝阳区"}, Size: 1}} {
		first, err := e.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		second, err := e.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		first.TookMS, second.TookMS = 0, 0
		a, _ := json.Marshal(first)
		b, _ := json.Marshal(second)
		if string(a) != string(b) {
			t.Errorf("%+v: cached answer differs:\n%s\n%s", req, a, b)
		}
		if first.Total == 0 || len(first.Hits) == 0 {
			t.Errorf("%+v: nothing found", req)
		}
	}
}

func TestPaginationAndDateRange(t *testing.T) {
	e := buildCorpus(t, rankCorpus)
	var seen []string
	for page := 1; page <= 4; page++ {
		resp, err := e.Search(context.Background(), search.Request{Page: page, Size: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range resp.Hits {
			seen = append(seen, h.ID)
		}
	}
	uniq := map[string]bool{}
	for _, id := range seen {
		uniq[id] = true
	}
	if len(seen) != len(rankCorpus) || len(uniq) != len(rankCorpus) {
		t.Errorf("pages gave %d hits (%d distinct), want %d", len(seen), len(uniq), len(rankCorpus))
	}
	resp, _ := e.Search(context.Background(), search.Request{DateFrom: "2021-01-01", DateTo: "2022-12-31"})
	if resp.Total != 2 {
		t.Errorf("date range total %d, want 2 (2021-05-05, 2022-03-01)", resp.Total)
	}
}

func TestFiltersAndDisjunctiveFacets(t *testing.T) {
	e := buildCorpus(t, rankCorpus)
	all, _ := e.Search(context.Background(), search.Request{})
	count := func(r *search.Response, dim, v string) int {
		for _, f := range r.Facets[dim] {
			if f.Value == v {
				return f.Count
			}
		}
		return 0
	}
	if count(all, "district", "海淀区") != 2 || count(all, "district", "丰台区") < 2 {
		t.Fatalf("facets %v", all.Facets)
	}
	one, _ := e.Search(context.Background(), search.Request{Districts: []string{"海淀区"}})
	if count(one, "district", "丰台区") != count(all, "district", "丰台区") {
		t.Errorf("selecting 海淀区 changed the 丰台区 count: %v", one.Facets["district"])
	}
	two, _ := e.Search(context.Background(), search.Request{Districts: []string{"海淀区", "朝阳区"}})
	if two.Total != 4 {
		t.Errorf("海淀区 OR 朝阳区: total %d, want 4", two.Total)
	}
	and, _ := e.Search(context.Background(), search.Request{Districts: []string{"海淀区"}, Years: []int{2023}})
	if and.Total != 1 {
		t.Errorf("海淀区 AND 2023: total %d, want 1", and.Total)
	}
}

func TestSnippetEscapesEverythingButMark(t *testing.T) {
	e := buildCorpus(t, rankCorpus)
	resp, err := e.Search(context.Background(), search.Request{Query: "垃圾分类"})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range resp.Hits {
		s := strings.ReplaceAll(strings.ReplaceAll(h.Snippet, "<mark>", ""), "</mark>", "")
		if strings.ContainsAny(s, "<>") {
			t.Errorf("snippet has raw markup: %q", h.Snippet)
		}
		if !strings.Contains(h.Snippet, "<mark>垃圾分类</mark>") {
			t.Errorf("snippet lacks the mark: %q", h.Snippet)
		}
	}
}

func TestSnippet(t *testing.T) {
	got := search.Snippet("前文<b>养老驿站</b>後文", []string{"养老驿站"}, 50)
	want := "前文&lt;b&gt;<mark>养老驿站</mark>&lt;/b&gt;後文"
	if got != want {
		t.Errorf("Snippet = %q, want %q", got, want)
	}
	// Traditional text is matched through normalisation and shown as written.
	if got := search.Snippet("社區養老驛站", []string{"养老驿站"}, 50); got != "社區<mark>養老驛站</mark>" {
		t.Errorf("Snippet = %q", got)
	}
}

func TestRequestLimits(t *testing.T) {
	e := buildCorpus(t, map[string]string{"a.txt": "标题\n\n正文。\n"})
	bad := []search.Request{
		{Query: strings.Repeat("长", search.MaxQueryRunes+1)},
		{Size: 51}, {Page: -1}, {Page: 10001, Size: 1}, {Sort: "random"},
		{DateFrom: "2024-13-01"}, {DateFrom: "2024-02-01", DateTo: "2024-01-01"}, {Years: []int{99999}},
	}
	for _, r := range bad {
		if _, err := e.Search(context.Background(), r); errs.KindOf(err) != errs.Invalid {
			t.Errorf("%v: err %v, want errs.Invalid", r, err)
		}
	}
}
