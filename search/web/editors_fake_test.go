package web_test

// A stand-in for the editors' API (query log, hot words, events, synonyms,
// pins, blocks, audit) that answers in the API's JSON shapes and records
// every call, so the browser tests can see what the pages send. Everything
// else — searches, articles, the pages themselves — is the real server.

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/search/server"
)

// logEntry is what the fake's query log holds for one query on one day.
type logEntry struct {
	query                string
	ago                  int // days before today
	count, total, clicks int
}

// apiCall is one request the fake answered.
type apiCall struct {
	Method, Path, Query, Auth, Origin string
	Body                              string
}

type fakeEditors struct {
	key     string // "" answers every admin call 403, as a server without --admin-keys
	hotFail bool   // /api/hot answers 500
	noDaily bool   // no /api/admin/queries/daily: the page sums /api/admin/queries
	origins []string

	mu       sync.Mutex
	calls    []apiCall
	log      []logEntry
	hot      []string
	blocked  []string
	synonyms map[string][]string
	pins     map[string][]string
	audit    []map[string]any
}

func newFakeEditors(key string) *fakeEditors {
	return &fakeEditors{
		key: key,
		log: []logEntry{
			{"养老驿站", 0, 5, 12, 3},
			{"养老驿站", 2, 4, 12, 1},
			{"接诉即办", 1, 7, 30, 0},
			{"不存在的词", 3, 2, 0, 0},
			{`<img src=x onerror="window.__xss=1">`, 6, 1, 0, 0},
			{"人才公寓", 10, 9, 4, 2},
		},
		hot:      []string{"养老", "接诉即办", `<b onmouseover="window.__xss=1">热词</b>`},
		synonyms: map[string][]string{"医保": {"医保", "医疗保险"}},
		pins:     map[string][]string{},
	}
}

// perDay is the count of each of the last n days, oldest first.
func (f *fakeEditors) perDay(n int) []int {
	out := make([]int, n)
	for _, e := range f.log {
		if e.ago < n {
			out[n-1-e.ago] += e.count
		}
	}
	return out
}

// callsTo returns the recorded calls whose method and unescaped path match.
func (f *fakeEditors) callsTo(method, path string) []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []apiCall
	for _, c := range f.calls {
		if p, _ := url.PathUnescape(c.Path); c.Method == method && p == path {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeEditors) allCalls() []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// waitCall waits until a call to method path has been recorded.
func (f *fakeEditors) waitCall(t *testing.T, method, path string) apiCall {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for time.Now().Before(deadline) {
		if c := f.callsTo(method, path); len(c) > 0 {
			return c[len(c)-1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %s %s reached the API; calls: %+v", method, path, f.allCalls())
	return apiCall{}
}

func (f *fakeEditors) serves(r *http.Request) bool {
	p := r.URL.Path
	return p == "/api/hot" || p == "/api/events" || strings.HasPrefix(p, "/api/admin/")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func apiError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

func (f *fakeEditors) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if o := r.Header.Get("Origin"); o != "" && slices.Contains(f.origins, o) {
		w.Header().Set("Access-Control-Allow-Origin", o)
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "GET, POST")
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type, Accept")
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, apiCall{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery,
		Auth: r.Header.Get("Authorization"), Origin: r.Header.Get("Origin"), Body: string(body)})

	switch r.URL.Path {
	case "/api/hot":
		if f.hotFail {
			apiError(w, http.StatusInternalServerError, "internal", "internal error")
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"hot": f.hot})
		return
	case "/api/events":
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if f.key == "" {
		apiError(w, http.StatusForbidden, "forbidden", "管理接口未启用（未配置 --admin-keys）")
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.key {
		apiError(w, http.StatusUnauthorized, "unauthorized", "管理密钥无效")
		return
	}
	rest := strings.TrimPrefix(r.URL.EscapedPath(), "/api/admin/")
	kind, name, _ := strings.Cut(rest, "/")
	name, _ = url.PathUnescape(name)
	var in struct {
		Words []string `json:"words"`
		IDs   []string `json:"ids"`
	}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			apiError(w, http.StatusBadRequest, "bad_request", "body: "+err.Error())
			return
		}
	}
	switch {
	case kind == "queries" && name == "daily" && !f.noDaily && r.Method == http.MethodGet:
		n, _ := strconv.Atoi(r.URL.Query().Get("days"))
		var days []map[string]any // today first
		for i, c := range slices.Backward(f.perDay(n)) {
			days = append(days, map[string]any{"day": time.Now().AddDate(0, 0, i-n+1).Format(time.DateOnly), "searches": c,
				"queries": 1, "zero": 0, "clicks": 0})
		}
		writeJSON(w, http.StatusOK, map[string]any{"days": days})
	case kind == "queries" && name == "" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{"queries": f.queries(r.URL.Query())})
	case kind == "dictionary":
		apiError(w, http.StatusNotImplemented, "not_implemented", "词典暂不能在线修改，请重建索引")
	case kind == "audit" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{"audit": f.audit})
	case kind == "hot" && name == "blocked" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{"blocked": f.blocked})
	case kind == "hot" && strings.HasPrefix(name, "blocked/"):
		q := strings.TrimPrefix(name, "blocked/")
		before := slices.Contains(f.blocked, q)
		f.blocked = slices.DeleteFunc(f.blocked, func(s string) bool { return s == q })
		if r.Method == http.MethodPut {
			f.blocked = append(f.blocked, q)
		}
		f.record("hot."+map[bool]string{true: "block", false: "unblock"}[r.Method == http.MethodPut], q, before, r.Method == http.MethodPut)
		w.WriteHeader(http.StatusNoContent)
	case kind == "synonyms" && name == "" && r.Method == http.MethodGet:
		var list []map[string]any
		for n, ws := range f.synonyms {
			list = append(list, map[string]any{"name": n, "words": ws})
		}
		writeJSON(w, http.StatusOK, map[string]any{"synonyms": list})
	case kind == "synonyms" && name != "":
		f.record("synonyms."+strings.ToLower(r.Method), name, f.synonyms[name], in.Words)
		if r.Method == http.MethodPut {
			f.synonyms[name] = in.Words
		} else {
			delete(f.synonyms, name)
		}
		writeJSON(w, http.StatusOK, map[string]any{"name": name, "words": in.Words})
	case kind == "pins" && name == "" && r.Method == http.MethodGet:
		var list []map[string]any
		for q, ids := range f.pins {
			list = append(list, map[string]any{"query": q, "ids": ids})
		}
		writeJSON(w, http.StatusOK, map[string]any{"pins": list})
	case kind == "pins" && name != "" && slices.ContainsFunc(in.IDs, func(id string) bool { return strings.HasPrefix(id, "unknown") }):
		apiError(w, http.StatusBadRequest, "unknown_id", "ids[0]: no article has the id \"unknown-1\"")
	case kind == "pins" && name != "":
		f.record("pins."+strings.ToLower(r.Method), name, f.pins[name], in.IDs)
		if r.Method == http.MethodPut {
			f.pins[name] = in.IDs
		} else {
			delete(f.pins, name)
		}
		writeJSON(w, http.StatusOK, map[string]any{"query": name, "ids": in.IDs})
	default:
		apiError(w, http.StatusNotFound, "not_found", "no such resource")
	}
}

// record adds an audit entry; f.mu is held.
func (f *fakeEditors) record(action, target string, before, after any) {
	f.audit = append(f.audit, map[string]any{
		"time": time.Now().UTC().Format(time.RFC3339Nano), "key": "编辑部", "action": action, "target": target,
		"before": before, "after": after,
	})
}

// queries aggregates the log as GET /api/admin/queries does; f.mu is held.
func (f *fakeEditors) queries(p url.Values) []map[string]any {
	days, _ := strconv.Atoi(p.Get("days"))
	if days <= 0 {
		days = 7
	}
	limit, _ := strconv.Atoi(p.Get("limit"))
	if limit <= 0 {
		limit = 50
	}
	type agg struct {
		count, total, clicks, ago int
	}
	by := map[string]*agg{}
	for _, e := range f.log {
		if e.ago >= days {
			continue
		}
		a := by[e.query]
		if a == nil {
			a = &agg{ago: e.ago}
			by[e.query] = a
		}
		a.count += e.count
		a.total = e.total
		a.clicks += e.clicks
		a.ago = min(a.ago, e.ago)
	}
	var out []map[string]any
	for q, a := range by {
		if p.Get("zero") == "1" && a.total != 0 || p.Get("noclick") == "1" && (a.total == 0 || a.clicks != 0) {
			continue
		}
		out = append(out, map[string]any{"query": q, "count": a.count, "total": a.total, "clicks": a.clicks,
			"last": time.Now().AddDate(0, 0, -a.ago).UTC().Format(time.RFC3339)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i]["count"].(int) > out[j]["count"].(int) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// startWithEditors starts the real server with the fake answering the
// editors' API in front of it.
func startWithEditors(t *testing.T, f *fakeEditors, corsOrigins []string) *httptest.Server {
	t.Helper()
	h, err := server.New(engine, server.Options{CORSOrigins: corsOrigins})
	if err != nil {
		t.Fatal(err)
	}
	f.origins = corsOrigins
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.serves(r) {
			f.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}
