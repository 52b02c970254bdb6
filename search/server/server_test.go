package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/embedded"
	"github.com/govbulletin/bulletin/seeds"
)

var ts *httptest.Server

// indexDir holds the index of the seeds that the tests serve.
var indexDir string

const hostOrigin = "http://intranet.example"

func TestMain(m *testing.M) {
	gin.SetMode(gin.ReleaseMode) // as cmd/bulletin sets it; the library leaves the process alone
	dir, err := os.MkdirTemp("", "server-test-")
	if err != nil {
		panic(err)
	}
	indexDir = dir
	if _, err := indexer.BuildFS(context.Background(), dir, indexer.Config{}, seeds.FS); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	eng, err := embedded.Open(dir, embedded.Options{Poll: -1})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	h, err := New(eng, Options{CORSOrigins: []string{hostOrigin}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ts = httptest.NewServer(h)
	code := m.Run()
	ts.Close()
	eng.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

func get(t *testing.T, path string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

func TestSearchAPI(t *testing.T) {
	resp, body := get(t, "/api/search?q="+url.QueryEscape("养老驿站"))
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("status %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	var r search.Response
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	if r.Total == 0 || !strings.Contains(r.Hits[0].Title, "补齐回天短板") {
		t.Fatalf("hits: %+v", r.Hits)
	}
	if !strings.Contains(r.Hits[0].Snippet, "<mark>养老驿站</mark>") {
		t.Errorf("snippet %q", r.Hits[0].Snippet)
	}
	found := false
	for _, f := range r.Facets["district"] {
		found = found || f.Value == "昌平区" && f.Count >= 1
	}
	if !found {
		t.Errorf("district facet lacks 昌平区: %v", r.Facets)
	}
	for _, key := range []string{"query", "total", "took_ms", "page", "size", "hits", "facets"} {
		if !strings.Contains(string(body), `"`+key+`"`) {
			t.Errorf("response lacks %q", key)
		}
	}
}

func TestFiltersOverHTTP(t *testing.T) {
	_, body := get(t, "/api/search?q="+url.QueryEscape("人才公寓")+"&district="+url.QueryEscape("丰台区"))
	var r search.Response
	json.Unmarshal(body, &r)
	if r.Total != 1 || !strings.Contains(r.Hits[0].Title, "南中轴") {
		t.Errorf("filtered: %+v", r.Hits)
	}
	_, body = get(t, "/api/search?district="+url.QueryEscape("昌平区")+"&district="+url.QueryEscape("朝阳区")+"&year=2024")
	json.Unmarshal(body, &r)
	if r.Total != 3 {
		t.Errorf("(昌平区 OR 朝阳区) AND 2024: total %d, want 3", r.Total)
	}
}

func TestErrorResponses(t *testing.T) {
	tests := []struct {
		path   string
		status int
		code   string
	}{
		{"/api/search?size=51", 400, "invalid_size"},
		{"/api/search?size=abc", 400, "invalid_size"},
		{"/api/search?page=0", 400, "invalid_page"},
		{"/api/search?page=300&size=50", 400, "page_too_deep"},
		{"/api/search?date_from=2024-02-30", 400, "invalid_date"},
		{"/api/search?year=twenty", 400, "invalid_year"},
		{"/api/search?q=a&q=b", 400, "repeated_parameter"},
		{"/api/search?q=" + strings.Repeat("%E5%85%BB", search.MaxQueryRunes+1), 400, "query_too_long"},
		{"/api/search?sort=best", 400, "invalid_sort"},
		{"/api/articles/nope", 404, "not_found"},
		{"/api/nothing", 404, "not_found"},
		{"/static/nope.js", 404, "not_found"},
		{"/static/../server.go", 404, "not_found"},
	}
	for _, tc := range tests {
		resp, body := get(t, tc.path)
		if resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d (%s)", tc.path, resp.StatusCode, tc.status, body)
			continue
		}
		var e struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal(body, &e); err != nil || e.Error.Code != tc.code || e.Error.Message == "" {
			t.Errorf("%s: body %s, want code %s", tc.path, body, tc.code)
		}
	}
}

func TestArticleAndHealth(t *testing.T) {
	_, body := get(t, "/api/search?q="+url.QueryEscape("医保定点"))
	var r search.Response
	json.Unmarshal(body, &r)
	if len(r.Hits) == 0 {
		t.Fatal("no hits")
	}
	resp, body := get(t, "/api/articles/"+r.Hits[0].ID)
	if resp.StatusCode != 200 {
		t.Fatalf("article: %d", resp.StatusCode)
	}
	var a map[string]any
	json.Unmarshal(body, &a)
	for _, k := range []string{"id", "title", "body", "date", "year", "districts", "topics", "source", "url"} {
		if _, ok := a[k]; !ok {
			t.Errorf("article lacks %s", k)
		}
	}
	_, body = get(t, "/healthz")
	var h struct {
		Status    string
		Documents int
	}
	json.Unmarshal(body, &h)
	if h.Status != "ok" || h.Documents != 7 {
		t.Errorf("healthz %s", body)
	}
	resp, body = get(t, "/metrics")
	if resp.StatusCode != 200 || !strings.Contains(string(body), "bulletin_http_requests_total") || !strings.Contains(string(body), "bulletin_index_documents 7") {
		t.Errorf("metrics: %d %.300s", resp.StatusCode, body)
	}
}

func TestCORS(t *testing.T) {
	resp, _ := get(t, "/api/search?q=x", "Origin", hostOrigin)
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != hostOrigin {
		t.Errorf("allowed origin: %q", got)
	}
	if resp.Header.Get("Access-Control-Allow-Credentials") == "true" {
		t.Error("credentials must not be allowed")
	}
	resp, _ = get(t, "/api/search?q=x", "Origin", "http://evil.example")
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("other origin granted: %q", got)
	}
}

func TestSuggest(t *testing.T) {
	_, body := get(t, "/api/suggest?q="+url.QueryEscape("养老"))
	var s struct{ Suggestions []string }
	if err := json.Unmarshal(body, &s); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, x := range s.Suggestions {
		found = found || strings.HasPrefix(x, "养老")
	}
	if !found {
		t.Errorf("suggestions %v", s.Suggestions)
	}
}

func TestAnalyze(t *testing.T) {
	resp, body := get(t, "/api/analyze?text="+url.QueryEscape("北京長江大橋"))
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	var a search.Analysis
	json.Unmarshal(body, &a)
	if a.Normalized != "北京长江大桥" {
		t.Errorf("normalized %q", a.Normalized)
	}
	pos := map[string]int{}
	for _, tk := range a.Index {
		pos[tk.Term] = tk.Position
	}
	if pos["长江"] != pos["长江大桥"] || pos["大桥"] != pos["长江大桥"] || pos["北京"] == pos["长江大桥"] {
		t.Errorf("positions %v", a.Index)
	}
	if len(a.Query) != 2 || a.Query[1].Term != "长江大桥" || a.Query[1].Start != 2 || a.Query[1].End != 6 {
		t.Errorf("query words %+v", a.Query)
	}
	if resp, _ := get(t, "/api/analyze?text="+strings.Repeat("长", search.MaxAnalyzeRunes+1)); resp.StatusCode != 400 {
		t.Errorf("long text: %d", resp.StatusCode)
	}
}

// TestErrorMapping: a method not answered, a body over the limit and a
// request whose handler panics get the JSON error of their kind, like every
// other error.
func TestErrorMapping(t *testing.T) {
	check := func(what string, resp *http.Response, status int, code string) {
		t.Helper()
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		var e struct {
			Error struct{ Code, Message string }
		}
		if resp.StatusCode != status || json.Unmarshal(body, &e) != nil || e.Error.Code != code || e.Error.Message == "" {
			t.Errorf("%s: %d %s, want %d with code %s", what, resp.StatusCode, body, status, code)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s: Content-Type %q", what, ct)
		}
	}
	resp, err := http.Post(ts.URL+"/api/search", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	check("POST /api/search", resp, 405, "method_not_allowed")
	if resp.Header.Get("Allow") == "" {
		t.Error("405 without Allow")
	}

	big := strings.NewReader(strings.Repeat("x", 2<<20))
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/search?q=x", big)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	check("a 2 MiB body", resp, 413, "body_too_large")

	h, err := New(panicking{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ps := httptest.NewServer(h)
	defer ps.Close()
	resp, err = http.Get(ps.URL + "/api/suggest?q=x")
	if err != nil {
		t.Fatal(err)
	}
	check("a panicking handler", resp, 500, "internal")

	if _, err := New(panicking{}, Options{TrustedProxies: []string{"not an address"}}); err == nil {
		t.Error("a bad trusted proxy is accepted")
	}
}

// panicking is a Backend whose every call panics.
type panicking struct{ Backend }

func (panicking) Suggest(context.Context, string, int) ([]string, error) { panic("suggest broke") }
func (panicking) Info() search.Info                                      { return search.Info{} }

// Queries with syntax over HTTP: hostile ones get 200 or a clear 400,
// never a 500; a query of only exclusions lists the other articles.
func TestSyntaxOverHTTP(t *testing.T) {
	for _, c := range []struct {
		q      string
		status int
	}{
		{strings.Repeat("-", 200), 200},
		{`"“"养老" "驿站"”" -"-"`, 200},
		{`标题:"" 文号: 发文机关:- | OR |`, 200},
		{"京政发〔2015〕17号 -养老 标题:驿站 | 正文:社区", 200},
		{strings.Repeat("京", 9990) + "〔2015〕17号", 400},
	} {
		resp, body := get(t, "/api/search?q="+url.QueryEscape(c.q))
		if resp.StatusCode != c.status {
			t.Errorf("%.40q: status %d, want %d (%s)", c.q, resp.StatusCode, c.status, body)
		}
	}
	var all, but search.Response
	_, body := get(t, "/api/search")
	json.Unmarshal(body, &all)
	_, body = get(t, "/api/search?q="+url.QueryEscape("-养老"))
	if err := json.Unmarshal(body, &but); err != nil || but.Total == 0 || but.Total >= all.Total {
		t.Errorf("-养老: total %d of %d (%v)", but.Total, all.Total, err)
	}
}
