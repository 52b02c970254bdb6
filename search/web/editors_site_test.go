package web_test

// The editors' loop as the browser tests meet it: the product's server
// with a real editors' store (search/editors) in a temporary folder and an
// admin key. Its query log holds earlier days' journals (in the log's own
// file format, as a server that ran on those days leaves them) and today's
// searches and result opens, made through the real API. A recorder in front
// of the server notes each call to the editors' API (method, path, body,
// Authorization, Origin) so that the tests can see what the pages send;
// the server answers every call.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/editors"
	"github.com/govbulletin/bulletin/search/server"
)

// adminKey is the admin key of the servers of the tests.
const adminKey = "k-7f3a9c-editors"

// hostile queries: the pages must show them as text.
const (
	xssQuery1 = `<img src=x onerror="window.__xss=1">`
	xssQuery2 = `<b onmouseover="window.__xss=1">热词</b>`
)

// logEntry is what the query log holds of one query on one day.
type logEntry struct {
	query         string
	ago           int // days before today; 0 is searched through the API
	count, clicks int
}

// editorsLog is the query log of the tests: most searched first over 7
// days 养老 (9, opened 3 times), 接诉即办 (7, never opened), a query that
// finds nothing, the hostile ones; 人才公寓 only within 30 days.
var editorsLog = []logEntry{
	{"养老", 0, 5, 2},
	{"养老", 2, 4, 1},
	{"接诉即办", 1, 7, 0},
	{"绝无此事的词", 0, 2, 0},
	{xssQuery1, 0, 1, 0},
	{xssQuery2, 3, 1, 0},
	{"人才公寓", 10, 9, 2},
}

// perDay is the searches of each of the last n days, oldest first.
func perDay(n int) []int {
	out := make([]int, n)
	for _, e := range editorsLog {
		if e.ago < n {
			out[n-1-e.ago] += e.count
		}
	}
	return out
}

// apiCall is one call to the editors' API, recorded once answered.
type apiCall struct {
	Method, Path, Query, Auth, Origin string
	Body                              string
	Status                            int
}

// statusWriter keeps the status of an answer.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// siteOptions choose the server of a test.
type siteOptions struct {
	noKeys  bool     // started without --admin-keys: the admin API answers 403
	cors    []string // origins allowed cross-origin
	noDaily bool     // a server without the per-day figures (404): the page sums the query totals
	empty   bool     // the query log is left empty
	hotFail bool     // the log's files cannot be read: /api/hot fails
}

// editorsSite is a running server with its editors' store.
type editorsSite struct {
	URL   string
	store *editors.Local
	opts  siteOptions
	h     atomic.Pointer[http.Handler]

	mu    sync.Mutex
	calls []apiCall
}

// startEditors starts the server with a store in a temporary folder and,
// unless opts.empty, fills its query log. The planner's synonyms and pins
// are put back when the test ends (the engine serves every test).
func startEditors(t *testing.T, opts siteOptions) *editorsSite {
	t.Helper()
	pl := engine.Planner()
	base := pl.Synonyms()
	t.Cleanup(func() { pl.SetSynonyms(base); pl.SetPins(nil) })

	dir := t.TempDir()
	if !opts.empty && !opts.hotFail {
		writePastDays(t, filepath.Join(dir, "queries"))
	}
	st, err := editors.Open(dir, pl, editors.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if opts.hotFail {
		// An unreadable day of the log: reading the last 7 days fails.
		day := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
		if err := os.Mkdir(filepath.Join(dir, "queries", day+".snap"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s := &editorsSite{store: st, opts: opts}
	s.serve(t, adminKey)
	srv := httptest.NewServer(http.HandlerFunc(s.record))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	if !opts.empty && !opts.hotFail {
		s.fillToday(t)
	}
	return s
}

// serve (re)starts the server over the same store, taking key as its
// admin key: as after a restart with a changed key file.
func (s *editorsSite) serve(t *testing.T, key string) {
	t.Helper()
	o := server.Options{Editors: s.store, CORSOrigins: s.opts.cors}
	if !s.opts.noKeys {
		o.AdminKeys = []server.AdminKey{{Key: key, Label: "编辑部"}}
	}
	h, err := server.New(engine, o)
	if err != nil {
		t.Fatal(err)
	}
	s.h.Store(&h)
}

// record hands every request to the server and notes each call to the
// editors' API once it is answered.
func (s *editorsSite) record(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if p != "/api/hot" && p != "/api/events" && !strings.HasPrefix(p, "/api/admin/") {
		(*s.h.Load()).ServeHTTP(w, r)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	r.Body = io.NopCloser(bytes.NewReader(body))
	c := apiCall{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery,
		Auth: r.Header.Get("Authorization"), Origin: r.Header.Get("Origin"), Body: string(body)}
	sw := &statusWriter{ResponseWriter: w}
	if s.opts.noDaily && p == "/api/admin/queries/daily" {
		http.NotFound(sw, r)
	} else {
		(*s.h.Load()).ServeHTTP(sw, r)
	}
	c.Status = sw.status
	s.mu.Lock()
	s.calls = append(s.calls, c)
	s.mu.Unlock()
}

// callsTo returns the recorded calls whose method and unescaped path match.
func (s *editorsSite) callsTo(method, path string) []apiCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []apiCall
	for _, c := range s.calls {
		if p, _ := url.PathUnescape(c.Path); c.Method == method && p == path {
			out = append(out, c)
		}
	}
	return out
}

func (s *editorsSite) allCalls() []apiCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// waitCall waits until a call to method path has been recorded.
func (s *editorsSite) waitCall(t *testing.T, method, path string) apiCall {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for time.Now().Before(deadline) {
		if c := s.callsTo(method, path); len(c) > 0 {
			return c[len(c)-1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %s %s reached the API; calls: %+v", method, path, s.allCalls())
	return apiCall{}
}

// apiSearch searches through the API of a server without a query log
// (nothing is recorded).
func apiSearch(t *testing.T, q string) search.Response {
	t.Helper()
	h, err := server.New(engine, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	return getJSON[search.Response](t, srv.URL+"/api/search?q="+url.QueryEscape(q), "")
}

func getJSON[T any](t *testing.T, u, key string) T {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	var v T
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s: %s", u, res.Status, raw)
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	return v
}

// articleIDs returns the ids of the first n hits of q.
func articleIDs(t *testing.T, q string, n int) []string {
	t.Helper()
	var ids []string
	for _, h := range apiSearch(t, q).Hits {
		ids = append(ids, h.ID)
	}
	if len(ids) < n {
		t.Fatalf("%s finds %d articles; the tests need %d", q, len(ids), n)
	}
	return ids[:n]
}

// writePastDays writes the earlier days of editorsLog as those days'
// journals; a click names a real article of the query. The store folds
// them into the days' summaries when it opens.
func writePastDays(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	lines := map[string]*bytes.Buffer{}
	for _, e := range editorsLog {
		if e.ago == 0 {
			continue
		}
		at := time.Now().AddDate(0, 0, -e.ago)
		day := at.Format(time.DateOnly)
		if lines[day] == nil {
			lines[day] = &bytes.Buffer{}
		}
		res := apiSearch(t, e.query)
		enc := json.NewEncoder(lines[day])
		for range e.count {
			enc.Encode(map[string]any{"t": at.UnixMilli(), "q": search.NormalizeQuery(e.query), "n": res.Total, "ms": 1})
		}
		for i := range e.clicks {
			enc.Encode(map[string]any{"t": at.UnixMilli(), "q": search.NormalizeQuery(e.query), "id": res.Hits[i%len(res.Hits)].ID, "r": i + 1})
		}
	}
	for day, b := range lines {
		if err := os.WriteFile(filepath.Join(dir, day+".000001.log"), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// fillToday makes today's searches of editorsLog through the API, opens
// results through the events API, and waits until the log's writer has
// counted them all.
func (s *editorsSite) fillToday(t *testing.T) {
	t.Helper()
	want, wantClicks := 0, 0
	for _, e := range editorsLog {
		if e.ago > 6 {
			continue
		}
		want, wantClicks = want+e.count, wantClicks+e.clicks
		if e.ago != 0 {
			continue
		}
		var res search.Response
		for range e.count {
			res = getJSON[search.Response](t, s.URL+"/api/search?q="+url.QueryEscape(e.query), "")
		}
		for i := range e.clicks {
			body := fmt.Sprintf(`{"query":%q,"id":%q,"rank":%d}`, e.query, res.Hits[i%len(res.Hits)].ID, i+1)
			r, err := http.Post(s.URL+"/api/events", "application/json", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			r.Body.Close()
			if r.StatusCode/100 != 2 {
				t.Fatalf("POST /api/events %s: %s", body, r.Status)
			}
		}
	}
	deadline := time.Now().Add(waitTimeout)
	for {
		qs, err := s.store.Queries(context.Background(), editors.QueryFilter{Days: 7, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		got, clicks := 0, 0
		for _, q := range qs {
			got, clicks = got+int(q.Count), clicks+int(q.Clicks)
		}
		if got == want && clicks == wantClicks {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the query log counts %d searches and %d opens of the last 7 days, want %d and %d: %+v",
				got, clicks, want, wantClicks, qs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.mu.Lock()
	s.calls = nil
	s.mu.Unlock()
}

// waitClicks waits until the query log counts n results opened from
// query over the last 7 days.
func waitClicks(t *testing.T, s *editorsSite, query string, n int64) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		qs, err := s.store.Queries(context.Background(), editors.QueryFilter{Days: 7, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var got int64
		for _, q := range qs {
			if q.Query == query {
				got = q.Clicks
			}
		}
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the query log counts %d opens of %q, want %d", got, query, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
