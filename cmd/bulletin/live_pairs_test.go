package main

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/server"
)

// exactHit reports whether a search for q finds id through every word or
// the pair sets (not relaxed to any word), and where.
func exactHit(r *search.Response, id string) bool {
	if r.Relaxed {
		return false
	}
	for _, h := range r.Hits {
		if h.ID == id {
			return true
		}
	}
	return false
}

// The Ctrl-F guarantee holds in live mode: for the build's articles, for
// written ones within a second of the answer, and not for deleted or
// replaced ones.
func TestLiveCtrlF(t *testing.T) {
	src := t.TempDir()
	for name, text := range map[string]string{
		"a.txt": "条例修订\n\n依照条例第四十九条的规定处理。\n",
		"b.txt": "银行人事\n\n国家开发银行行长出席会议。\n",
		"c.txt": "无关文章\n\n开发区银行网点增加，行长会议召开。\n",
	} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(t.TempDir(), "idx")
	if _, err := indexer.Build(context.Background(), dir, indexer.Config{}, src); err != nil {
		t.Fatal(err)
	}
	ts, _, _ := liveServer(t, dir, server.Options{})
	q := func(s string) *search.Response { return searchResp(t, ts.URL, "q="+url.QueryEscape(s)) }

	// (a) The build's articles.
	r := q("第四十九")
	if r.Relaxed || len(r.Hits) == 0 || r.Hits[0].Title != "条例修订" {
		t.Fatalf("第四十九 (base): relaxed %v, %d hits; want 条例修订 first", r.Relaxed, len(r.Hits))
	}
	baseID := r.Hits[0].ID
	if r := q("开发银行行长"); r.Relaxed || len(r.Hits) == 0 || r.Hits[0].Title != "银行人事" {
		t.Errorf("开发银行行长 (base): relaxed %v, %d hits; want 银行人事 first", r.Relaxed, len(r.Hits))
	}

	// (b) A written article, within a second of the answer.
	art := ts.URL + "/api/articles/"
	if a := call(t, "PUT", art+"rule-58", testKey, `{"title":"办法解读","body":"按照管理办法第五十八条执行，另见第四十九条。"}`); a.status != 200 {
		t.Fatalf("PUT: %d %s", a.status, a.raw)
	}
	acked := time.Now()
	if !within(time.Second, func() bool { return exactHit(q("第五十八"), "rule-58") && exactHit(q("第四十九"), "rule-58") }) {
		t.Fatalf("written article not found by 第五十八 / 第四十九 within 1 s of the answer")
	}
	t.Logf("written article found by its span %v after the answer", time.Since(acked).Round(time.Millisecond))
	if !exactHit(q("第四十九"), baseID) {
		t.Error("第四十九: the build's article lost after a write")
	}

	// (c) Replaced and deleted articles drop out.
	if a := call(t, "PUT", art+url.PathEscape(baseID), testKey, `{"title":"条例修订","body":"依照条例的规定处理。"}`); a.status != 200 {
		t.Fatalf("PUT (replace): %d %s", a.status, a.raw)
	}
	if a := call(t, "DELETE", art+"rule-58", testKey, ""); a.status != 200 {
		t.Fatalf("DELETE: %d %s", a.status, a.raw)
	}
	if !within(time.Second, func() bool {
		r := q("第四十九")
		return !exactHit(r, baseID) && !exactHit(r, "rule-58") && !exactHit(q("第五十八"), "rule-58")
	}) {
		t.Fatalf("replaced or deleted article still found by its old span after 1 s: %+v", q("第四十九").Hits)
	}
	// The replacement is found by what it holds now.
	if !exactHit(q("条例的规定"), baseID) {
		t.Error("条例的规定: the replacement not found")
	}
}
