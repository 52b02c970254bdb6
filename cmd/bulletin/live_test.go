package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/live"
	"github.com/govbulletin/bulletin/indexer/wal"
	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/embedded"
	"github.com/govbulletin/bulletin/search/server"
)

const testKey = "test-key-7f3a9c"

// seedIndex builds an index of the seeds in a temporary folder.
func seedIndex(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	if _, err := indexer.Build(context.Background(), dir, indexer.Config{}, filepath.Join("..", "..", "seeds")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// liveServer serves dir with the write side on, over real HTTP.
func liveServer(t *testing.T, dir string, opts server.Options) (*httptest.Server, *embedded.Engine, *live.Live) {
	t.Helper()
	live, eng, err := openLive(dir, "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	opts.Writer, opts.Live = liveWriter{live}, liveStats{live, eng}
	if opts.WriteKeys == nil {
		opts.WriteKeys = []string{"another-key", testKey}
	}
	h, err := server.New(eng, opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(func() { ts.Close(); eng.Close(); live.Close() })
	return ts, eng, live
}

type answer struct {
	status int
	body   map[string]any
	raw    string
}

func call(t *testing.T, method, u, key, body string) answer {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, raw: string(raw)}
	json.Unmarshal(raw, &a.body)
	return a
}

// within polls cond for up to d and reports whether it became true.
func within(d time.Duration, cond func() bool) bool {
	end := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(end) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func searchResp(t *testing.T, base, q string) *search.Response {
	t.Helper()
	resp, err := http.Get(base + "/api/search?" + q)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r search.Response
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func facetCount(r *search.Response, dim, value string) int {
	for _, f := range r.Facets[dim] {
		if f.Value == value {
			return f.Count
		}
	}
	return 0
}

func TestWriteAPI(t *testing.T) {
	dir := seedIndex(t)
	ts, _, _ := liveServer(t, dir, server.Options{MaxBulkBytes: 64 << 10})
	art := ts.URL + "/api/articles/"

	// Keys.
	for _, c := range []struct{ key string }{{""}, {"wrong"}, {testKey + "x"}} {
		if a := call(t, "PUT", art+"x1", c.key, `{"title":"t","body":"b"}`); a.status != 401 || a.body["error"] == nil {
			t.Errorf("key %q: %d %s, want 401 with a JSON error", c.key, a.status, a.raw)
		}
	}
	// A bad article: 400, named.
	if a := call(t, "PUT", art+"x1", testKey, `{"title":"怀柔区"}`); a.status != 400 || !strings.Contains(a.raw, "body") {
		t.Errorf("article without body: %d %s", a.status, a.raw)
	}

	before := searchResp(t, ts.URL, "q=")
	yanqingBefore := facetCount(before, "district", "延庆区")

	// PUT: 200 with the stored article, inferred fields included; visible
	// within a second in hits, facets, suggestions and pinyin.
	a := call(t, "PUT", art+"cms-0001", testKey, `{"title":"延庆区永宁古城举办灯会","body":"延庆区永宁镇永宁古城举办元宵灯会，吸引市民游客前来赏灯。","date":"2026-02-12"}`)
	if a.status != 200 || a.body["id"] != "cms-0001" || a.body["year"] != float64(2026) || !strings.Contains(fmt.Sprint(a.body["districts"]), "延庆区") {
		t.Fatalf("PUT: %d %s", a.status, a.raw)
	}
	acked := time.Now()
	var seen bool
	ok := within(time.Second, func() bool {
		r := searchResp(t, ts.URL, "q="+url.QueryEscape("永宁古城灯会"))
		seen = len(r.Hits) > 0 && r.Hits[0].ID == "cms-0001"
		all := searchResp(t, ts.URL, "q=&district="+url.QueryEscape("延庆区"))
		return seen && facetCount(all, "district", "延庆区") == yanqingBefore+1 && facetCount(all, "year", "2026") >= 1
	})
	if !ok {
		t.Fatalf("write not visible in hits and facets within 1 s of the answer (hit seen: %v)", seen)
	}
	t.Logf("visible %v after the answer", time.Since(acked).Round(time.Millisecond))
	if !within(time.Second, func() bool {
		return strings.Contains(call(t, "GET", ts.URL+"/api/suggest?q="+url.QueryEscape("延庆区永宁"), "", "").raw, "延庆区永宁古城举办灯会")
	}) {
		t.Error("written title not in suggestions")
	}
	if !within(time.Second, func() bool {
		r := searchResp(t, ts.URL, "q=yongninggucheng")
		return len(r.Hits) > 0 && r.Hits[0].ID == "cms-0001"
	}) {
		t.Error("pinyin of a written word does not find it")
	}
	if a := call(t, "GET", art+"cms-0001", "", ""); a.status != 200 || a.body["title"] != "延庆区永宁古城举办灯会" {
		t.Errorf("GET: %d %s", a.status, a.raw)
	}

	// Replace: one article with that id, the new text.
	call(t, "PUT", art+"cms-0001", testKey, `{"title":"延庆区永宁古城灯会延期","body":"延庆区永宁古城元宵灯会因天气原因延期举办。"}`)
	if !within(time.Second, func() bool {
		r := searchResp(t, ts.URL, "q="+url.QueryEscape("永宁古城"))
		n := 0
		for _, h := range r.Hits {
			if h.ID == "cms-0001" {
				n++
				if h.Title != "延庆区永宁古城灯会延期" {
					return false
				}
			}
		}
		return n == 1
	}) {
		t.Error("replaced article not replaced in hits")
	}

	// Bulk: a bad line is reported with its number, the others go in.
	bulk := `{"id":"b-1","title":"房山区长阳镇新建公园","content":"房山区长阳镇新建一座口袋公园。"}
{"id":"b-2","title":"broken"
{"title":"无编号","body":"没有编号的文章。"}

{"id":"https://www.example.gov.cn/a/1.html","title":"平谷区大桃节开幕","body":"平谷区大桃文化节开幕。"}
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
	// An id holding "/" is named escaped.
	if !within(time.Second, func() bool {
		return call(t, "GET", art+url.PathEscape("https://www.example.gov.cn/a/1.html"), "", "").status == 200
	}) {
		t.Error("article with a URL id not found by its escaped id")
	}

	// 413 beyond the body limit.
	big := strings.Repeat(`{"id":"big","title":"大","body":"`+strings.Repeat("大", 1000)+`"}`+"\n", 40)
	if a := call(t, "POST", art+"_bulk", testKey, big); a.status != 413 || a.body["error"] == nil {
		t.Errorf("bulk over the limit: %d %s", a.status, a.raw)
	}

	// DELETE: 200, then 404; gone from hits.
	if a := call(t, "DELETE", art+"b-1", testKey, ""); a.status != 200 {
		t.Errorf("DELETE: %d %s", a.status, a.raw)
	}
	if a := call(t, "DELETE", art+"b-1", testKey, ""); a.status != 404 {
		t.Errorf("second DELETE: %d %s", a.status, a.raw)
	}
	if !within(time.Second, func() bool {
		for _, h := range searchResp(t, ts.URL, "q="+url.QueryEscape("长阳镇口袋公园")).Hits {
			if h.ID == "b-1" {
				return false
			}
		}
		return true
	}) {
		t.Error("deleted article still found")
	}

	metrics := call(t, "GET", ts.URL+"/metrics", "", "").raw
	for _, m := range []string{"bulletin_documents_written_total 4", "bulletin_documents_deleted_total 1", "bulletin_write_log_bytes", "bulletin_visibility_lag_seconds"} {
		if !strings.Contains(metrics, m) {
			t.Errorf("/metrics lacks %q", m)
		}
	}
	if strings.Contains(metrics, testKey) {
		t.Error("/metrics shows a key")
	}

	// A full index of the same folder keeps what came through the API.
	if _, err := indexer.Build(context.Background(), dir, indexer.Config{}, filepath.Join("..", "..", "seeds")); err != nil {
		t.Fatal(err)
	}
	eng2, err := embedded.Open(dir, embedded.Options{Poll: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer eng2.Close()
	for id, want := range map[string]bool{"cms-0001": true, "b-1": false, "https://www.example.gov.cn/a/1.html": true} {
		_, err := eng2.Article(context.Background(), id)
		if (err == nil) != want {
			t.Errorf("after a full index, article %s: err %v, want present %v", id, err, want)
		}
	}
}

func TestWritesOff(t *testing.T) {
	dir := seedIndex(t)
	eng, err := embedded.Open(dir, embedded.Options{Poll: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	h, err := server.New(eng, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	for _, m := range []string{"PUT", "DELETE"} {
		if a := call(t, m, ts.URL+"/api/articles/x", testKey, `{"title":"t","body":"b"}`); a.status != 403 || a.body["error"] == nil {
			t.Errorf("%s without --write-keys: %d %s", m, a.status, a.raw)
		}
	}
	if a := call(t, "POST", ts.URL+"/api/articles/_bulk", testKey, "{}"); a.status != 403 {
		t.Errorf("bulk without --write-keys: %d", a.status)
	}
}

// TestWatchFolder follows a real folder: a file added, one written slowly
// (not read half-done), changed and removed.
func TestWatchFolder(t *testing.T) {
	dir := seedIndex(t)
	ts, _, live := liveServer(t, dir, server.Options{})
	watched := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := live.Watch(ctx, watched); err != nil {
		t.Fatal(err)
	}
	found := func(q, title string) bool {
		for _, h := range searchResp(t, ts.URL, "q="+url.QueryEscape(q)).Hits {
			if h.Title == title {
				return true
			}
		}
		return false
	}
	// A file written in two parts, 600 ms apart.
	p := filepath.Join(watched, "sub", "page.txt")
	os.MkdirAll(filepath.Dir(p), 0o755)
	f, _ := os.Create(p)
	f.WriteString("## 门头沟区妙峰山镇开通旅游专线\n\n门头沟区妙峰山镇开通旅游专线公交，")
	f.Sync()
	time.Sleep(600 * time.Millisecond)
	f.WriteString("沿途设置樱桃沟等八个站点。\n")
	f.Close()
	if !within(5*time.Second, func() bool { return found("樱桃沟站点", "门头沟区妙峰山镇开通旅游专线") }) {
		t.Fatal("added file not indexed within 5 s")
	}
	// Only the whole file was taken in: one version of it in the log.
	logData, _ := os.ReadFile(filepath.Join(dir, wal.FileName))
	if n := strings.Count(string(logData), `"op":"put"`); n != 1 {
		t.Errorf("%d puts of the file in the log, want 1 (read half-written?)", n)
	}
	// Changed: re-indexed.
	os.WriteFile(p, []byte("## 门头沟区妙峰山镇旅游专线增开班次\n\n门头沟区妙峰山镇旅游专线周末增开班次。\n"), 0o644)
	if !within(5*time.Second, func() bool {
		return found("增开班次", "门头沟区妙峰山镇旅游专线增开班次") && !found("樱桃沟站点", "门头沟区妙峰山镇开通旅游专线")
	}) {
		t.Fatal("changed file not re-indexed within 5 s")
	}
	// Removed: its articles go.
	os.RemoveAll(filepath.Join(watched, "sub"))
	if !within(5*time.Second, func() bool { return !found("增开班次", "门头沟区妙峰山镇旅游专线增开班次") }) {
		t.Fatal("removed file still indexed after 5 s")
	}
}

// TestKillNine kills a real server process with SIGKILL while a client
// streams writes, restarts it, and checks that every acknowledged write is
// there and the index serves.
func TestKillNine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs servers")
	}
	tmp := t.TempDir()
	bin := testBinary(t)
	dir := seedIndex(t)
	keys := filepath.Join(tmp, "keys")
	os.WriteFile(keys, []byte("# writers\n"+testKey+"\n"), 0o600)

	start := func() (*exec.Cmd, string) {
		return startServeBinary(t, bin, "--index", dir, "--write-keys", keys)
	}

	var acked []string
	for round := 0; round < 3; round++ {
		cmd, base := start()
		// Everything acknowledged before is there.
		for _, id := range acked {
			if a := call(t, "GET", base+"/api/articles/"+id, "", ""); a.status != 200 {
				t.Fatalf("round %d: acknowledged article %s lost after SIGKILL: %d", round, id, a.status)
			}
		}
		if r := searchResp(t, base, "q="+url.QueryEscape("养老驿站")); r.Total == 0 {
			t.Fatalf("round %d: index does not serve after SIGKILL", round)
		}
		// Stream writes from two clients; kill while they run.
		var mu sync.Mutex
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for c := 0; c < 2; c++ {
			wg.Add(1)
			go func(c int) {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					var b strings.Builder
					var ids []string
					for k := 0; k < 5; k++ {
						id := fmt.Sprintf("r%d-c%d-%d-%d", round, c, i, k)
						ids = append(ids, id)
						fmt.Fprintf(&b, `{"id":%q,"title":"顺义区第%d号通报","body":"顺义区后沙峪镇社区养老驿站开展助餐服务，编号%s。"}`+"\n", id, i, id)
					}
					req, _ := http.NewRequest("POST", base+"/api/articles/_bulk", strings.NewReader(b.String()))
					req.Header.Set("Authorization", "Bearer "+testKey)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						return // killed
					}
					var res server.BulkResult
					err = json.NewDecoder(resp.Body).Decode(&res)
					resp.Body.Close()
					if err == nil && resp.StatusCode == 200 && res.Indexed == len(ids) {
						mu.Lock()
						acked = append(acked, ids...)
						mu.Unlock()
					}
				}
			}(c)
		}
		time.Sleep(time.Duration(700+300*round) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		close(stop)
		wg.Wait()
		cmd.Wait()
		t.Logf("round %d: %d writes acknowledged so far", round, len(acked))
	}
	cmd, base := start()
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	for _, id := range acked {
		if a := call(t, "GET", base+"/api/articles/"+id, "", ""); a.status != 200 {
			t.Fatalf("acknowledged article %s lost: %d", id, a.status)
		}
	}
	if len(acked) == 0 {
		t.Fatal("no write was acknowledged")
	}
	last := acked[len(acked)-1]
	if r := searchResp(t, base, "q="+url.QueryEscape(last)); r.Total == 0 {
		t.Errorf("acknowledged article %s not found by search after restart", last)
	}
}
