package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/devtools/oscluster"
	osindex "github.com/govbulletin/bulletin/indexer/opensearch"
	"github.com/govbulletin/bulletin/internal/osconn"
	osengine "github.com/govbulletin/bulletin/search/opensearch"
	"github.com/govbulletin/bulletin/search/server"
)

// TestOpenSearchWrites runs the write API and --watch against a
// real one-node cluster whose write thread pool is tiny (one thread, a
// queue of one), so that the cluster itself refuses concurrent writes with
// 429: PUT, _bulk and DELETE through real HTTP on a server built with the
// OpenSearch backend as `serve --opensearch --write-keys --watch` builds
// it, visible at the answer in hits and facets and within a second in
// suggestions and pinyin; 401/403/413 as on the embedded engine; a
// watched file taken in; then concurrent bulks that the cluster partly
// refuses (429) and a bulk through a proxy that drops connections: every
// acknowledged article is in the index afterwards, once.
func TestOpenSearchWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an OpenSearch node")
	}
	cluster := oscluster.StartWith(t, 1, []string{"thread_pool.write.size=1", "thread_pool.write.queue_size=1"})
	osURL := cluster.URLs()[0]
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"index", "--opensearch", osURL, filepath.Join("..", "..", "seeds")}, &out, &errb); code != 0 {
		t.Fatalf("bulletin index --opensearch: exit %d\n%s", code, errb.String())
	}
	c, err := osconn.New(osconn.Config{URLs: []string{osURL}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	keys := filepath.Join(t.TempDir(), "keys")
	os.WriteFile(keys, []byte("# writers\nanother-key\n"+testKey+"\n"), 0o600)
	watched := t.TempDir()
	eng, err := osengine.Open(ctx, c, osengine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	opts := server.Options{MaxBulkBytes: 4 << 20}
	wctx, wcancel := context.WithCancel(ctx)
	defer wcancel()
	if err := osWriteSide(wctx, c, writeOptions{keysFile: keys, watch: multi{watched}}, slog.New(slog.NewTextHandler(io.Discard, nil)), &opts); err != nil {
		t.Fatal(err)
	}
	h, err := server.New(eng, opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	art := ts.URL + "/api/articles/"

	t.Run("auth", func(t *testing.T) {
		for _, key := range []string{"", "wrong", testKey + "x"} {
			if a := call(t, "PUT", art+"x1", key, `{"title":"t","body":"b"}`); a.status != 401 || a.body["error"] == nil {
				t.Errorf("key %q: %d %s, want 401 with a JSON error", key, a.status, a.raw)
			}
		}
		off, err := server.New(eng, server.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ots := httptest.NewServer(off)
		defer ots.Close()
		if a := call(t, "PUT", ots.URL+"/api/articles/x", testKey, `{"title":"t","body":"b"}`); a.status != 403 || a.body["error"] == nil {
			t.Errorf("PUT without --write-keys: %d %s", a.status, a.raw)
		}
		big := strings.Repeat(`{"id":"big","title":"大","body":"`+strings.Repeat("大", 1000)+`"}`+"\n", 1500)
		if a := call(t, "POST", art+"_bulk", testKey, big); a.status != 413 || a.body["error"] == nil {
			t.Errorf("bulk over the limit: %d %s", a.status, a.raw)
		}
		if a := call(t, "PUT", art+"x1", testKey, `{"title":"怀柔区"}`); a.status != 400 || !strings.Contains(a.raw, "body") {
			t.Errorf("article without body: %d %s", a.status, a.raw)
		}
		// The write API's value rules hold on the cluster too.
		const tb = `"title":"怀柔区雁栖湖环湖骑行","body":"怀柔区雁栖湖举办环湖骑行活动。"`
		for body, field := range map[string]string{`{` + tb + `,"date":"20240101"}`: "date", `{` + tb + `,"districts":["<script>"]}`: "script", `{"title":"\u200b","body":"b"}`: "title"} {
			if a := call(t, "PUT", art+"x1", testKey, body); a.status != 400 || !strings.Contains(a.raw, field) {
				t.Errorf("PUT %s: %d %s, want 400 naming %s", body, a.status, a.raw, field)
			}
		}
		if a := call(t, "PUT", art+"a%FF", testKey, `{`+tb+`}`); a.status != 400 {
			t.Errorf("PUT of an id that is not UTF-8: %d %s", a.status, a.raw)
		}
		a := call(t, "POST", art+"_bulk", testKey, `{"id":"x2",`+tb+`,"districts":["浦东新区"]}`+"\n"+`{"id":"x3",`+tb+`,"url":5}`+"\n")
		if a.status != 200 || a.body["indexed"] != float64(0) || !strings.Contains(a.raw, "浦东新区") || !strings.Contains(a.raw, `"line":2`) {
			t.Errorf("bulk with an unknown district and a bad url: %d %s", a.status, a.raw)
		}
	})

	t.Run("put-bulk-delete", func(t *testing.T) {
		before := searchResp(t, ts.URL, "q=")
		yanqing := facetCount(before, "district", "延庆区")
		putStart := time.Now()
		a := call(t, "PUT", art+"cms-0001", testKey, `{"title":"延庆区永宁古城举办灯会","body":"延庆区永宁镇永宁古城举办元宵灯会，吸引市民游客前来赏灯。","date":"2026-02-12"}`)
		if a.status != 200 || a.body["id"] != "cms-0001" || a.body["year"] != float64(2026) || !strings.Contains(fmt.Sprint(a.body["districts"]), "延庆区") {
			t.Fatalf("PUT: %d %s", a.status, a.raw)
		}
		t.Logf("PUT answered in %v (refresh=wait_for)", time.Since(putStart).Round(time.Millisecond))
		// Visible at the answer (refresh=wait_for): no waiting here.
		r := searchResp(t, ts.URL, "q="+url.QueryEscape("永宁古城灯会"))
		if len(r.Hits) == 0 || r.Hits[0].ID != "cms-0001" {
			t.Errorf("written article not the first hit at the answer: %+v", r.Hits)
		}
		all := searchResp(t, ts.URL, "q=&district="+url.QueryEscape("延庆区"))
		if facetCount(all, "district", "延庆区") != yanqing+1 || facetCount(all, "year", "2026") < 1 {
			t.Errorf("facets at the answer: 延庆区 %d (before %d), 2026 %d", facetCount(all, "district", "延庆区"), yanqing, facetCount(all, "year", "2026"))
		}
		acked := time.Now()
		if !within(time.Second, func() bool {
			return strings.Contains(call(t, "GET", ts.URL+"/api/suggest?q="+url.QueryEscape("永宁古"), "", "").raw, "永宁古城")
		}) {
			t.Error("a written word not in suggestions within 1 s")
		}
		if !within(time.Second, func() bool {
			r := searchResp(t, ts.URL, "q=yongninggucheng")
			return len(r.Hits) > 0 && r.Hits[0].ID == "cms-0001"
		}) {
			t.Error("pinyin of a written word does not find it within 1 s")
		}
		t.Logf("suggestions and pinyin saw the write %v after the answer", time.Since(acked).Round(time.Millisecond))

		// The same document as `bulletin index --opensearch` makes.
		var doc struct {
			Source map[string]any `json:"_source"`
		}
		if err := c.Do(ctx, http.MethodGet, "/bulletins/_doc/cms-0001", nil, &doc); err != nil || doc.Source["title_text"] != "延庆区永宁古城举办灯会" || doc.Source["source"] != "api" {
			t.Errorf("the cluster's document: %v %v", doc.Source, err)
		}

		// Replace: one article with the id, the new text.
		if a := call(t, "PUT", art+"cms-0001", testKey, `{"title":"延庆区永宁古城灯会延期","body":"延庆区永宁古城元宵灯会因天气原因延期举办。"}`); a.status != 200 {
			t.Fatalf("second PUT: %d %s", a.status, a.raw)
		}
		n := 0
		for _, h := range searchResp(t, ts.URL, "q="+url.QueryEscape("永宁古城")).Hits {
			if h.ID == "cms-0001" {
				n++
				if h.Title != "延庆区永宁古城灯会延期" {
					t.Errorf("replaced article's title: %q", h.Title)
				}
			}
		}
		if n != 1 {
			t.Errorf("replaced article found %d times", n)
		}

		// Bulk: the embedded engine's per-line errors; other systems' names.
		bulk := `{"id":"b-1","title":"房山区长阳镇新建公园","content":"房山区长阳镇新建一座口袋公园。"}
{"id":"b-2","title":"broken"
{"title":"无编号","body":"没有编号的文章。"}

{"id":"https://www.example.gov.cn/a/1.html","title":"平谷区大桃节开幕","text":"平谷区大桃文化节开幕。","pubDate":"2025-04-20"}
`
		a = call(t, "POST", art+"_bulk", testKey, bulk)
		if a.status != 200 || a.body["indexed"] != float64(2) {
			t.Fatalf("bulk: %d %s", a.status, a.raw)
		}
		var res struct {
			Errors []struct {
				Line    int
				Message string
			}
		}
		json.Unmarshal([]byte(a.raw), &res)
		if len(res.Errors) != 2 || res.Errors[0].Line != 2 || res.Errors[1].Line != 3 || !strings.Contains(res.Errors[1].Message, "id") {
			t.Errorf("bulk errors: %s", a.raw)
		}
		if g := call(t, "GET", art+url.PathEscape("https://www.example.gov.cn/a/1.html"), "", ""); g.status != 200 || g.body["date"] != "2025-04-20" || g.body["body"] != "平谷区大桃文化节开幕。" {
			t.Errorf("bulk article with other field names: %d %s", g.status, g.raw)
		}
		if r := searchResp(t, ts.URL, "q="+url.QueryEscape("长阳镇口袋公园")); len(r.Hits) == 0 || r.Hits[0].ID != "b-1" {
			t.Errorf("bulk article not found at the answer: %+v", r.Hits)
		}

		// The vocabulary counts the written article's words (each word of
		// 2 to 4 characters of its text that the vocabulary has), and
		// takes them off when it is deleted.
		sv, err := c.Served(ctx)
		if err != nil {
			t.Fatal(err)
		}
		liveCounts := func() map[string]int {
			text := []rune("房山区长阳镇新建公园房山区长阳镇新建一座口袋公园")
			var ids []string
			for i := range text {
				for n := 2; n <= 4 && i+n <= len(text); n++ {
					ids = append(ids, osindex.VocabLiveID(string(text[i:i+n])))
				}
			}
			var got struct {
				Docs []struct {
					Found  bool `json:"found"`
					Source struct {
						T  string `json:"t"`
						DF []int  `json:"df"`
					} `json:"_source"`
				} `json:"docs"`
			}
			if err := c.Do(ctx, http.MethodPost, "/"+sv.Index+"-vocab/_mget", map[string]any{"ids": ids}, &got); err != nil {
				t.Fatal(err)
			}
			out := map[string]int{}
			for _, d := range got.Docs {
				if d.Found {
					out[d.Source.T] = d.Source.DF[1]
				}
			}
			return out
		}
		counted := liveCounts()
		if len(counted) == 0 {
			t.Error("no word of the written article is counted in the vocabulary")
		}

		// DELETE: 200, then 404; gone at the answer.
		if a := call(t, "DELETE", art+"b-1", testKey, ""); a.status != 200 {
			t.Errorf("DELETE: %d %s", a.status, a.raw)
		}
		after := liveCounts()
		for w, n := range counted {
			if after[w] != n-1 {
				t.Errorf("the vocabulary counts %q in %d written articles after the delete, %d before", w, after[w], n)
			}
		}
		if a := call(t, "DELETE", art+"b-1", testKey, ""); a.status != 404 || a.body["error"] == nil {
			t.Errorf("second DELETE: %d %s", a.status, a.raw)
		}
		for _, h := range searchResp(t, ts.URL, "q="+url.QueryEscape("长阳镇口袋公园")).Hits {
			if h.ID == "b-1" {
				t.Error("deleted article still found")
			}
		}
		metrics := call(t, "GET", ts.URL+"/metrics", "", "").raw
		for _, m := range []string{"bulletin_documents_written_total 4", "bulletin_documents_deleted_total 1"} {
			if !strings.Contains(metrics, m) {
				t.Errorf("/metrics lacks %q", m)
			}
		}
	})

	t.Run("watch", func(t *testing.T) {
		found := func(q, title string) bool {
			for _, h := range searchResp(t, ts.URL, "q="+url.QueryEscape(q)).Hits {
				if h.Title == title {
					return true
				}
			}
			return false
		}
		p := filepath.Join(watched, "sub", "page.txt")
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("## 门头沟区妙峰山镇开通旅游专线\n\n门头沟区妙峰山镇开通旅游专线公交，沿途设置樱桃沟等八个站点。\n"), 0o644)
		if !within(5*time.Second, func() bool { return found("樱桃沟站点", "门头沟区妙峰山镇开通旅游专线") }) {
			t.Fatal("added file not indexed within 5 s")
		}
		os.WriteFile(p, []byte("## 门头沟区妙峰山镇旅游专线增开班次\n\n门头沟区妙峰山镇旅游专线周末增开班次。\n"), 0o644)
		if !within(5*time.Second, func() bool {
			return found("增开班次", "门头沟区妙峰山镇旅游专线增开班次") && !found("樱桃沟站点", "门头沟区妙峰山镇开通旅游专线")
		}) {
			t.Fatal("changed file not re-indexed within 5 s")
		}
		// A second writer (a restarted server) knows the file from the
		// index: removing it deletes its article.
		wctx2, wcancel2 := context.WithCancel(ctx)
		defer wcancel2()
		live2, err := osindex.OpenWriter(wctx2, c, osindex.WriterConfig{})
		if err != nil {
			t.Fatal(err)
		}
		wcancel() // the first watcher stops
		if err := live2.Watch(wctx2, watched); err != nil {
			t.Fatal(err)
		}
		os.Remove(p)
		if !within(5*time.Second, func() bool { return !found("增开班次", "门头沟区妙峰山镇旅游专线增开班次") }) {
			t.Fatal("removed file's article still found after 5 s")
		}
	})

	t.Run("watch GB18030 name", func(t *testing.T) {
		// A file whose name is GB18030 bytes (北京.txt, not valid UTF-8):
		// a restarted writer knows it by its name from the write records.
		folder := t.TempDir()
		name := filepath.Join(folder, "\xb1\xb1\xbe\xa9.txt")
		os.WriteFile(name, []byte("## 北京市推进胡同微更新\n\n东城区胡同微更新项目完成，居民出行更加便利。\n"), 0o644)
		w1ctx, w1cancel := context.WithCancel(ctx)
		defer w1cancel()
		w1, err := osindex.OpenWriter(w1ctx, c, osindex.WriterConfig{})
		if err != nil {
			t.Fatal(err)
		}
		if err := w1.Watch(w1ctx, folder); err != nil {
			t.Fatal(err)
		}
		if !within(10*time.Second, func() bool {
			files, err := w1.WatchedFiles(folder)
			return err == nil && files[name] != nil
		}) {
			t.Fatal("the file with a GB18030 name was not taken in by its name within 10 s")
		}
		w1cancel()
		w2, err := osindex.OpenWriter(ctx, c, osindex.WriterConfig{})
		if err != nil {
			t.Fatal(err)
		}
		files, err := w2.WatchedFiles(folder)
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != 1 || files[name] == nil || len(files[name].IDs) != 1 {
			t.Errorf("a restarted writer knows %v, want the file by its name", files)
		}
	})

	// count returns the articles of the index whose ids start with prefix
	// and how many documents hold each (by the article's id field, so that
	// a copy under another document id would show).
	count := func(t *testing.T, prefix string) map[string]int {
		t.Helper()
		var ans struct {
			Hits struct {
				Hits []struct {
					ID     string `json:"_id"`
					Source struct {
						ID string `json:"id"`
					} `json:"_source"`
				} `json:"hits"`
			} `json:"hits"`
		}
		body := map[string]any{"size": 10000, "_source": []string{"id"}, "query": map[string]any{"prefix": map[string]any{"id": prefix}}}
		if err := c.Do(ctx, http.MethodPost, "/bulletins/_search", body, &ans); err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for _, h := range ans.Hits.Hits {
			if h.ID != h.Source.ID {
				t.Errorf("document %s holds article %s", h.ID, h.Source.ID)
			}
			out[h.Source.ID]++
		}
		return out
	}
	bulkOf := func(prefix string, n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, `{"id":"%s-%d","title":"朝阳区第%d号社区养老驿站开放","body":"朝阳区第%d号社区养老驿站正式开放，为老年人提供助餐、日间照料等服务。"}`+"\n", prefix, i, i, i)
		}
		return b.String()
	}

	t.Run("429", func(t *testing.T) {
		rejected := func() int {
			var st struct {
				Nodes map[string]struct {
					ThreadPool map[string]struct {
						Rejected int `json:"rejected"`
					} `json:"thread_pool"`
				} `json:"nodes"`
			}
			if err := c.Do(ctx, http.MethodGet, "/_nodes/stats/thread_pool", nil, &st); err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, nd := range st.Nodes {
				n += nd.ThreadPool["write"].Rejected
			}
			return n
		}
		before := rejected()
		loadStart := time.Now()
		var wg sync.WaitGroup
		var acked atomic.Int64
		for g := 0; g < 6; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := 0; k < 3; k++ {
					a := call(t, "POST", art+"_bulk", testKey, bulkOf(fmt.Sprintf("p%d-%d", g, k), 300))
					if a.status != 200 || a.body["indexed"] != float64(300) {
						t.Errorf("bulk under load: %d %.300s", a.status, a.raw)
						continue
					}
					acked.Add(300)
				}
			}()
		}
		wg.Wait()
		got := count(t, "p")
		t.Logf("write pool rejections (429) during the bulks: %d; acknowledged %d in %v, in the index %d", rejected()-before, acked.Load(), time.Since(loadStart).Round(time.Millisecond), len(got))
		if rejected() == before {
			t.Error("the cluster refused nothing: the test did not test retries")
		}
		if int64(len(got)) != acked.Load() {
			t.Errorf("%d acknowledged articles, %d in the index", acked.Load(), len(got))
		}
		for id, n := range got {
			if n != 1 {
				t.Errorf("article %s held %d times", id, n)
			}
		}
	})

	t.Run("new-generation", func(t *testing.T) {
		// A full build keeps what came through the API (its articles,
		// its deletions); it switches the alias and deletes the index
		// written to: the next write follows the alias.
		list := searchResp(t, ts.URL, "q=&size=50")
		var seed string
		for _, h := range list.Hits {
			if !strings.HasPrefix(h.ID, "p") && !strings.HasPrefix(h.ID, "cms-") && !strings.Contains(h.ID, "example.gov.cn") {
				seed = h.ID
				break
			}
		}
		if a := call(t, "DELETE", art+url.PathEscape(seed), testKey, ""); seed == "" || a.status != 200 {
			t.Fatalf("DELETE of a file's article %q: %d %s", seed, a.status, a.raw)
		}
		var out, errb bytes.Buffer
		if code := run(ctx, []string{"index", "--opensearch", osURL, filepath.Join("..", "..", "seeds")}, &out, &errb); code != 0 {
			t.Fatalf("bulletin index --opensearch: exit %d\n%s", code, errb.String())
		}
		// The server follows the alias within its poll (2 s).
		sv, err := c.Served(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !within(5*time.Second, func() bool { return eng.Info().Generation == sv.Index }) {
			t.Fatal("the server did not follow the alias to the new generation")
		}
		for id, want := range map[string]int{"cms-0001": 200, "b-1": 404, url.PathEscape("https://www.example.gov.cn/a/1.html"): 200, url.PathEscape(seed): 404} {
			if a := call(t, "GET", art+id, "", ""); a.status != want {
				t.Errorf("after a full build, article %s: %d, want %d", id, a.status, want)
			} else if id == "cms-0001" && a.body["title"] != "延庆区永宁古城灯会延期" {
				t.Errorf("after a full build, the replaced article: %s", a.raw)
			}
		}
		if got := count(t, "p"); len(got) != 5400 {
			t.Errorf("after a full build, %d of the 5,400 bulk articles", len(got))
		}
		if a := call(t, "PUT", art+"gen-1", testKey, `{"title":"怀柔区雁栖湖冬季冰雪节开幕","body":"怀柔区雁栖湖冬季冰雪节开幕，设置冰上项目十余个。"}`); a.status != 200 {
			t.Fatalf("PUT after a new build: %d %s", a.status, a.raw)
		}
		if !within(5*time.Second, func() bool {
			r := searchResp(t, ts.URL, "q="+url.QueryEscape("雁栖湖冰雪节"))
			return len(r.Hits) > 0 && r.Hits[0].ID == "gen-1"
		}) {
			t.Error("article written after a new build not found")
		}
	})

	t.Run("build-during-writes", func(t *testing.T) {
		// A full build runs while the API takes PUTs, bulks and
		// DELETEs, one after the other: after the switch, every
		// acknowledged last version is served, every acknowledged
		// deletion is gone, nothing is held twice.
		const ids = 40
		state := map[string]string{} // id -> last acknowledged title ("" deleted)
		title := func(id string, v int) string {
			return fmt.Sprintf("通州区%s号便民服务站第%d次更新", strings.TrimPrefix(id, "bw-"), v)
		}
		doc := func(id string, v int) string {
			return fmt.Sprintf(`{"id":%q,"title":%q,"body":"通州区便民服务站调整开放时间，提供缴费、维修等服务。"}`, id, title(id, v))
		}
		var pre strings.Builder
		for k := 0; k < ids; k++ {
			id := fmt.Sprintf("bw-%d", k)
			pre.WriteString(doc(id, 0) + "\n")
			state[id] = title(id, 0)
		}
		if a := call(t, "POST", art+"_bulk", testKey, pre.String()); a.status != 200 || a.body["indexed"] != float64(ids) {
			t.Fatalf("bulk before the build: %d %.300s", a.status, a.raw)
		}
		before, err := c.Served(ctx)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan int, 1)
		var berr bytes.Buffer
		go func() {
			var bout bytes.Buffer
			done <- run(ctx, []string{"index", "--opensearch", osURL, filepath.Join("..", "..", "seeds")}, &bout, &berr)
		}()
		var after time.Time // when the build ended
		writes := 0
		for v := 1; after.IsZero() || time.Since(after) < 3*time.Second; v++ {
			select {
			case code := <-done:
				if code != 0 {
					t.Fatalf("bulletin index --opensearch during writes: exit %d\n%s", code, berr.String())
				}
				after = time.Now()
			default:
			}
			id := fmt.Sprintf("bw-%d", v%ids)
			switch {
			case v%4 == 0 && state[id] != "":
				a := call(t, "DELETE", art+id, testKey, "")
				if a.status != 200 {
					t.Fatalf("DELETE %s (acknowledged as written): %d %s", id, a.status, a.raw)
				}
				state[id] = ""
			case v%4 == 1:
				var b strings.Builder
				var put []string
				for k := 0; k < 5; k++ {
					bid := fmt.Sprintf("bw-%d", (v+k*7)%ids)
					b.WriteString(doc(bid, v) + "\n")
					put = append(put, bid)
				}
				a := call(t, "POST", art+"_bulk", testKey, b.String())
				if a.status != 200 || a.body["indexed"] != float64(len(put)) {
					t.Fatalf("bulk during the build: %d %.300s", a.status, a.raw)
				}
				for _, bid := range put {
					state[bid] = title(bid, v)
				}
			default:
				a := call(t, "PUT", art+id, testKey, doc(id, v))
				if a.status != 200 {
					t.Fatalf("PUT %s during the build: %d %s", id, a.status, a.raw)
				}
				state[id] = title(id, v)
			}
			writes++
		}
		sv, err := c.Served(ctx)
		if err != nil || sv.Index == before.Index {
			t.Fatalf("the build did not switch the alias: %v %v", sv.Index, err)
		}
		t.Logf("%d writes acknowledged while the build ran and in the 3 s after", writes)
		got := count(t, "bw-")
		for id, want := range state {
			var d struct {
				Source struct {
					Title string `json:"title_text"`
				} `json:"_source"`
			}
			err := c.Do(ctx, http.MethodGet, "/bulletins/_doc/"+url.PathEscape(id), nil, &d)
			switch {
			case want == "" && !osconn.IsStatus(err, http.StatusNotFound):
				t.Errorf("%s: deleted (acknowledged), the new generation holds %q (err %v)", id, d.Source.Title, err)
			case want != "" && (err != nil || d.Source.Title != want):
				t.Errorf("%s: acknowledged %q, the new generation holds %q (err %v)", id, want, d.Source.Title, err)
			case want != "" && got[id] != 1:
				t.Errorf("%s held %d times", id, got[id])
			}
		}
	})

	t.Run("dropped-connections", func(t *testing.T) {
		px := startDropProxy(t, strings.TrimPrefix(osURL, "http://"))
		pc, err := osconn.New(osconn.Config{URLs: []string{"http://" + px.addr}, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer pc.Close()
		var live *osindex.Writer
		var logBuf syncBuffer
		for try := 0; live == nil; try++ { // opening is not retried: a server would be restarted
			live, err = osindex.OpenWriter(ctx, pc, osindex.WriterConfig{Logger: slog.New(slog.NewTextHandler(&logBuf, nil)), Retry: osindex.BulkRetry{Attempts: 30, FirstWait: 20 * time.Millisecond, MaxWait: 300 * time.Millisecond}})
			if err != nil && try == 10 {
				t.Fatal(err)
			}
		}
		start := time.Now()
		n, bad, err := live.Bulk(ctx, strings.NewReader(bulkOf("d", 3000)))
		t.Logf("through the proxy: %d connections, %d cut; indexed %d in %v, line errors %d, err %v; retries logged: %d",
			px.conns.Load(), px.cut.Load(), n, time.Since(start).Round(time.Millisecond), len(bad), err, strings.Count(logBuf.String(), "retrying"))
		if err != nil || n != 3000 || len(bad) != 0 {
			t.Fatalf("bulk through a proxy dropping connections: %d indexed, %v, %v", n, bad, err)
		}
		if px.cut.Load() == 0 {
			t.Error("the proxy cut no connection: the test did not test retries")
		}
		for i := 0; i < 4; i++ {
			id := fmt.Sprintf("d-%d", i*700)
			if err := live.DeleteID(ctx, id); err != nil {
				t.Errorf("delete %s through the proxy: %v", id, err)
			}
		}
		t.Logf("after 4 deletes: %d connections, %d cut", px.conns.Load(), px.cut.Load())
		got := count(t, "d-")
		if len(got) != 3000-4 {
			t.Errorf("%d articles in the index, want %d", len(got), 3000-4)
		}
		for id, k := range got {
			if k != 1 {
				t.Errorf("article %s held %d times", id, k)
			}
		}
	})
}

// dropProxy is a real TCP proxy in front of a node that cuts connections,
// by their number: one in three at once (the request never reaches the
// node), one in three as soon as the node starts to answer (the request was
// applied, its answer is lost), and the others once they have relayed one
// answer (so that every request comes on a new connection).
type dropProxy struct {
	addr       string
	conns, cut atomic.Int64
}

func startDropProxy(t *testing.T, target string) *dropProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	p := &dropProxy{addr: ln.Addr().String()}
	go func() {
		for {
			cc, err := ln.Accept()
			if err != nil {
				return
			}
			i := p.conns.Add(1)
			if i%3 == 0 {
				p.cut.Add(1)
				cc.Close()
				continue
			}
			sc, err := net.Dial("tcp", target)
			if err != nil {
				cc.Close()
				continue
			}
			closeBoth := func() { cc.Close(); sc.Close() }
			go func() { io.Copy(sc, cc); closeBoth() }()
			if i%3 == 1 {
				go func() {
					buf := make([]byte, 1)
					if n, _ := sc.Read(buf); n > 0 {
						p.cut.Add(1)
					}
					closeBoth()
				}()
				continue
			}
			go func() { // one answer, then the connection is closed
				defer closeBoth()
				buf := make([]byte, 64<<10)
				for got := false; ; got = true {
					if got {
						sc.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
					}
					n, err := sc.Read(buf)
					if n > 0 {
						if _, werr := cc.Write(buf[:n]); werr != nil {
							return
						}
					}
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	return p
}
