package embedded

import (
	"context"
	"strings"
	"testing"

	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/searchtest"
)

// facetCounts is one dimension of an answer's facets: value → count.
func facetCounts(r *search.Response, dim string) searchtest.FacetCounts {
	out := searchtest.FacetCounts{}
	for _, f := range r.Facets[dim] {
		out[f.Value] = f.Count
	}
	return out
}

func sameCounts(a, b searchtest.FacetCounts) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// Issuers and types filter (OR-ed within a dimension, AND-ed across, and
// with the others) and count disjunctively, as the articles say (written
// through Apply: the columns of a live view are read from the index as a
// generation's are).
func TestIssuerAndTypeFacets(t *testing.T) {
	arts := searchtest.GovdocArticles()
	e := openLiveCorpus(t, map[string]string{
		"news.txt": "---\ndate: 2024-03-01\n---\n公园绿道贯通\n\n滨河公园绿道全线贯通，沿线设置养老驿站服务点。\n",
	})
	write(t, e, arts)
	if err := e.refresh(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// The page's article is counted as the engine holds it (whatever
	// issuer and type its reader gave it).
	all := append([]*schema.Article(nil), arts...)
	list, err := e.Search(ctx, search.Request{Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range list.Hits {
		if !strings.HasPrefix(h.ID, "govdoc-") {
			a, err := e.Article(ctx, h.ID)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, a)
		}
	}
	if len(all) != len(arts)+1 {
		t.Fatalf("%d articles listed, want %d", len(all), len(arts)+1)
	}
	const (
		mz, cz, bgt = "北京市民政局", "北京市财政局", "北京市人民政府办公厅"
	)
	for _, tc := range []struct {
		issuers, types []string
	}{
		{nil, nil},
		{[]string{mz}, nil},
		{[]string{cz}, nil},
		{[]string{mz, bgt}, nil},
		{nil, []string{"政策文件"}},
		{nil, []string{"政策解读", "公告公示"}},
		{[]string{mz}, []string{"政策文件"}},
		{[]string{mz, cz}, []string{"政策解读"}},
		{[]string{"没有这个机关"}, nil},
	} {
		req := search.Request{Issuers: tc.issuers, Types: tc.types, Size: 50}
		resp, err := e.Search(ctx, req)
		if err != nil {
			t.Fatalf("%v: %v", req, err)
		}
		total, issuer, typ := searchtest.GovdocExpect(all, tc.issuers, tc.types)
		if int(resp.Total) != total {
			t.Errorf("%v: total %d, want %d", req, resp.Total, total)
		}
		if got := facetCounts(resp, "issuer"); !sameCounts(got, issuer) {
			t.Errorf("%v: issuer facet %v, want %v", req, got, issuer)
		}
		if got := facetCounts(resp, "type"); !sameCounts(got, typ) {
			t.Errorf("%v: type facet %v, want %v", req, got, typ)
		}
		for _, h := range resp.Hits {
			a, err := e.Article(ctx, h.ID)
			if err != nil {
				t.Fatal(err)
			}
			if tc.types != nil && !contains(tc.types, a.Type) {
				t.Errorf("%v: hit %s of type %q", req, h.ID, a.Type)
			}
		}
	}

	// With a query and the other filters.
	resp, err := e.Search(ctx, search.Request{Query: "养老驿站", Issuers: []string{mz}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"govdoc-01": true, "govdoc-03": true}
	if int(resp.Total) != len(want) {
		t.Errorf("养老驿站 issued by %s: total %d, want %d (%v)", mz, resp.Total, len(want), resp.Hits)
	}
	for _, h := range resp.Hits {
		if !want[h.ID] {
			t.Errorf("养老驿站 issued by %s: hit %s %s", mz, h.ID, h.Title)
		}
	}
	if c := facetCounts(resp, "issuer"); c[cz] != 1 || c[bgt] != 1 || c["昌平区人民政府"] != 1 {
		t.Errorf("养老驿站 issued by %s: issuer facet %v, want the other issuers counted as if unselected", mz, c)
	}
	resp, err = e.Search(ctx, search.Request{Districts: []string{"昌平区"}, Types: []string{"政策文件", "公告公示"}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Total != 2 || facetCounts(resp, "type")["新闻"] != 1 || facetCounts(resp, "district")["朝阳区"] != 1 {
		t.Errorf("昌平区 × 政策文件|公告公示: total %d, facets %v; want 2, 新闻 1, 朝阳区 1", resp.Total, resp.Facets)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
