package server

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/editors"
	"github.com/govbulletin/bulletin/search/embedded"
)

const (
	adminKey = "adm-7f3c9a1e55d04b2f"
	writeKey = "wrt-0b8e2d6c41a9f7e3"
)

// adminServer is a real server, on its own engine over the seeds' index,
// with an editors' store in a folder that outlives it (restart).
type adminServer struct {
	url string
	eng *embedded.Engine
	st  *editors.Local
	srv *httptest.Server
}

func startAdmin(t *testing.T, stateDir string, keys bool) *adminServer {
	t.Helper()
	eng, err := embedded.Open(indexDir, embedded.Options{Poll: -1})
	if err != nil {
		t.Fatal(err)
	}
	st, err := editors.Open(stateDir, eng.Planner(), editors.Options{})
	if err != nil {
		eng.Close()
		t.Fatal(err)
	}
	opts := Options{Editors: st, WriteKeys: []string{writeKey}}
	if keys {
		opts.AdminKeys = []AdminKey{{Key: adminKey, Label: "editor-wang"}, {Key: "adm-second-key-000", Label: "line 2"}}
	}
	h, err := New(eng, opts)
	if err != nil {
		t.Fatal(err)
	}
	a := &adminServer{eng: eng, st: st, srv: httptest.NewServer(h)}
	a.url = a.srv.URL
	return a
}

// stop shuts the server down the way serve does: the HTTP server, then the
// store (which writes its log), then the engine.
func (a *adminServer) stop(t *testing.T) {
	a.srv.Close()
	if err := a.st.Close(); err != nil {
		t.Error(err)
	}
	a.eng.Close()
}

func call(t *testing.T, method, u, key, body string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	req.Header.Set("User-Agent", "citizen-browser/1.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func mustDecode(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
}

func searchQ(t *testing.T, base, q, extra string) search.Response {
	t.Helper()
	code, b := call(t, http.MethodGet, base+"/api/search?q="+url.QueryEscape(q)+extra, "", "")
	if code != 200 {
		t.Fatalf("search %q: %d %s", q, code, b)
	}
	var r search.Response
	mustDecode(t, b, &r)
	return r
}

type queriesAnswer struct {
	Queries []editors.QueryStat `json:"queries"`
}

func listQueries(t *testing.T, base, params string) map[string]editors.QueryStat {
	t.Helper()
	code, b := call(t, http.MethodGet, base+"/api/admin/queries?"+params, adminKey, "")
	if code != 200 {
		t.Fatalf("queries: %d %s", code, b)
	}
	var a queriesAnswer
	mustDecode(t, b, &a)
	out := map[string]editors.QueryStat{}
	for _, q := range a.Queries {
		out[q.Query] = q
	}
	return out
}

// waitFor polls cond (the log is written by a goroutine of its own) for up
// to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("waited 10 s for %s", what)
}

func TestAdminAuth(t *testing.T) {
	off := startAdmin(t, t.TempDir(), false)
	defer off.stop(t)
	if code, b := call(t, http.MethodGet, off.url+"/api/admin/queries", adminKey, ""); code != 403 || !strings.Contains(string(b), "--admin-keys") {
		t.Errorf("without admin keys: %d %s, want 403", code, b)
	}
	on := startAdmin(t, t.TempDir(), true)
	defer on.stop(t)
	for _, key := range []string{"", "wrong", writeKey, adminKey + "x"} {
		if code, b := call(t, http.MethodGet, on.url+"/api/admin/queries", key, ""); code != 401 || !strings.Contains(string(b), `"unauthorized"`) {
			t.Errorf("key %q: %d %s, want 401", key, code, b)
		}
	}
	if code, b := call(t, http.MethodGet, on.url+"/api/admin/queries", adminKey, ""); code != 200 || string(b) != `{"queries":[]}` {
		t.Errorf("admin key: %d %s", code, b)
	}
	// The scheme's name is case-insensitive (RFC 7235), as for writes.
	req, _ := http.NewRequest(http.MethodGet, on.url+"/api/admin/queries", nil)
	req.Header.Set("Authorization", "bearer "+adminKey)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Errorf("Authorization: bearer KEY: %v %v, want 200", resp, err)
	} else {
		resp.Body.Close()
	}
	for _, r := range [][2]string{{"GET", "/api/admin/dictionary"}, {"PUT", "/api/admin/dictionary/回天"}, {"DELETE", "/api/admin/dictionary/回天"}, {"GET", "/api/admin/jobs"}} {
		if code, b := call(t, r[0], on.url+r[1], adminKey, `{"freq":10}`); code != 501 || !strings.Contains(string(b), "not_implemented") {
			t.Errorf("%s %s: %d %s, want 501 not_implemented", r[0], r[1], code, b)
		}
	}
	// The admin key opens no write.
	if code, _ := call(t, http.MethodDelete, on.url+"/api/articles/x", adminKey, ""); code == 200 {
		t.Error("an admin key deleted an article")
	}
}

func TestQueryLogHotAndClicks(t *testing.T) {
	dir := t.TempDir()
	a := startAdmin(t, dir, true)
	defer a.stop(t)
	for i := 0; i < 3; i++ {
		searchQ(t, a.url, "养老驿站", "")
	}
	searchQ(t, a.url, "  養老驛站 ", "&district="+url.QueryEscape("昌平区")) // normalised: the same query
	searchQ(t, a.url, "回天", "")
	zero := searchQ(t, a.url, "彡彡彡", "")
	if zero.Total != 0 {
		t.Fatalf("彡彡彡 found %d", zero.Total)
	}
	searchQ(t, a.url, "", "") // an empty query is not logged
	code, b := call(t, http.MethodPost, a.url+"/api/events", "", `{"query":"养老驿站","id":"x1","rank":1}`)
	if code != 202 {
		t.Fatalf("event: %d %s", code, b)
	}
	waitFor(t, "the log", func() bool {
		q := listQueries(t, a.url, "")
		return q["养老驿站"].Count == 4 && q["养老驿站"].Clicks == 1 && q["回天"].Count == 1 && q["彡彡彡"].Count == 1
	})
	all := listQueries(t, a.url, "days=7&limit=50")
	if len(all) != 3 {
		t.Errorf("queries: %+v", all)
	}
	if s := all["养老驿站"]; s.Total == 0 || s.Last.IsZero() {
		t.Errorf("养老驿站: %+v", s)
	}
	if z := listQueries(t, a.url, "zero=1"); len(z) != 1 || z["彡彡彡"].Count != 1 {
		t.Errorf("zero=1: %+v", z)
	}
	if nc := listQueries(t, a.url, "noclick=1"); len(nc) != 2 || nc["养老驿站"].Count != 0 {
		t.Errorf("noclick=1: %+v", nc)
	}
	var daily struct{ Days []editors.DayStat }
	code, b = call(t, http.MethodGet, a.url+"/api/admin/queries/daily?days=3", adminKey, "")
	mustDecode(t, b, &daily)
	want := editors.DayStat{Day: time.Now().Format("2006-01-02"), Searches: 6, Queries: 3, Zero: 1, Clicks: 1}
	if code != 200 || len(daily.Days) != 3 || daily.Days[0] != want || daily.Days[1].Searches != 0 {
		t.Errorf("daily: %d %s, want today %+v", code, b, want)
	}
	if top := listQueries(t, a.url, "limit=1"); len(top) != 1 || top["养老驿站"].Count != 4 {
		t.Errorf("limit=1: %+v", top)
	}
	var hot struct{ Hot []string }
	code, b = call(t, http.MethodGet, a.url+"/api/hot?limit=10", "", "")
	mustDecode(t, b, &hot)
	if code != 200 || len(hot.Hot) != 2 || hot.Hot[0] != "养老驿站" || hot.Hot[1] != "回天" {
		t.Errorf("hot: %d %s", code, b)
	}
	if code, b := call(t, http.MethodPut, a.url+"/api/admin/hot/blocked/"+url.PathEscape("養老驛站"), adminKey, ""); code != 200 {
		t.Fatalf("block: %d %s", code, b)
	}
	_, b = call(t, http.MethodGet, a.url+"/api/hot", "", "")
	mustDecode(t, b, &hot)
	if len(hot.Hot) != 1 || hot.Hot[0] != "回天" {
		t.Errorf("hot after blocking 养老驿站: %s", b)
	}
	for _, bad := range []string{"limit=0", "limit=x", "limit=51"} {
		if code, _ := call(t, http.MethodGet, a.url+"/api/hot?"+bad, "", ""); code != 400 {
			t.Errorf("hot?%s: %d, want 400", bad, code)
		}
	}
	if code, _ := call(t, http.MethodGet, a.url+"/api/admin/queries?days=0", adminKey, ""); code != 400 {
		t.Errorf("days=0: %d, want 400", code)
	}

	if _, b := call(t, http.MethodGet, a.url+"/metrics", "", ""); !strings.Contains(string(b), "bulletin_query_log_dropped_total 0") {
		t.Error("/metrics does not count the searches the log dropped")
	}
	// Nothing about who searched is kept.
	a.st.Close()
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		raw, err := os.ReadFile(path)
		for _, personal := range []string{"127.0.0.1", "citizen-browser"} {
			if strings.Contains(string(raw), personal) {
				t.Errorf("%s holds %q", path, personal)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

type auditAnswer struct {
	Audit []editors.AuditEntry `json:"audit"`
}

func TestSynonymsPinsAndRestart(t *testing.T) {
	dir := t.TempDir()
	a := startAdmin(t, dir, true)
	const made = "彡彡彡"
	if r := searchQ(t, a.url, made, ""); r.Total != 0 {
		t.Fatalf("%s found %d before the synonyms", made, r.Total)
	}
	code, b := call(t, http.MethodPut, a.url+"/api/admin/synonyms/"+url.PathEscape("银发"), adminKey, `{"words":["彡彡彡","养老驿站"]}`)
	if code != 200 {
		t.Fatalf("put synonyms: %d %s", code, b)
	}
	if r := searchQ(t, a.url, made, ""); r.Total == 0 {
		t.Errorf("%s finds nothing with the synonyms", made)
	}

	first := searchQ(t, a.url, "回天", "")
	listing := searchQ(t, a.url, "", "&size=50")
	seen := map[string]bool{}
	for _, h := range first.Hits {
		seen[h.ID] = true
	}
	pinID := ""
	for _, h := range listing.Hits {
		if !seen[h.ID] {
			pinID = h.ID
			break
		}
	}
	if pinID == "" || len(first.Hits) < 2 {
		t.Fatalf("no article to pin: %d hits", len(first.Hits))
	}
	other := first.Hits[1].ID
	code, b = call(t, http.MethodPut, a.url+"/api/admin/pins/"+url.PathEscape("回天"), adminKey, fmt.Sprintf(`{"ids":[%q,%q]}`, pinID, other))
	if code != 200 {
		t.Fatalf("put pins: %d %s", code, b)
	}
	checkPins := func(base string) {
		t.Helper()
		r := searchQ(t, base, "回天", "")
		if len(r.Hits) < 3 || r.Hits[0].ID != pinID || !r.Hits[0].Pinned || r.Hits[1].ID != other || !r.Hits[1].Pinned || r.Hits[2].Pinned {
			t.Fatalf("pinned search: %+v", r.Hits)
		}
		for _, h := range r.Hits[2:] {
			if h.ID == other {
				t.Errorf("pinned %s listed twice", other)
			}
		}
		if r.Total != first.Total {
			t.Errorf("total %d with pins, %d without", r.Total, first.Total)
		}
		p2 := searchQ(t, base, "回天", "&page=2&size=1")
		for _, h := range p2.Hits {
			if h.ID == other || h.ID == pinID || h.Pinned {
				t.Errorf("page 2 lists pinned %s", h.ID)
			}
		}
		filtered := searchQ(t, base, "回天", "&year=1900")
		for _, h := range filtered.Hits {
			if h.Pinned {
				t.Errorf("a filtered search lists pinned %s", h.ID)
			}
		}
	}
	checkPins(a.url)
	code, b = call(t, http.MethodPut, a.url+"/api/admin/pins/"+url.PathEscape("社区"), adminKey, `{"ids":["no-such-article-42"]}`)
	if code != 400 || !strings.Contains(string(b), "no-such-article-42") {
		t.Errorf("pin to an unknown id: %d %s", code, b)
	}
	if code, b := call(t, http.MethodPut, a.url+"/api/admin/hot/blocked/"+url.PathEscape("坏词"), adminKey, ""); code != 200 {
		t.Fatalf("block: %d %s", code, b)
	}
	searchQ(t, a.url, "学位", "")
	waitFor(t, "the log", func() bool { return listQueries(t, a.url, "")["学位"].Count == 1 })
	a.stop(t)

	// Restart: the same state folder, a new engine and server.
	a = startAdmin(t, dir, true)
	defer a.stop(t)
	if r := searchQ(t, a.url, made, ""); r.Total == 0 {
		t.Errorf("%s finds nothing after a restart", made)
	}
	checkPins(a.url)
	if q := listQueries(t, a.url, ""); q["学位"].Count != 1 || q["回天"].Count < 1 {
		t.Errorf("the log after a restart: %+v", q)
	}
	var blocked struct{ Blocked []string }
	_, b = call(t, http.MethodGet, a.url+"/api/admin/hot/blocked", adminKey, "")
	if mustDecode(t, b, &blocked); len(blocked.Blocked) != 1 || blocked.Blocked[0] != "坏词" {
		t.Errorf("blocked after a restart: %s", b)
	}
	code, b = call(t, http.MethodDelete, a.url+"/api/admin/synonyms/"+url.PathEscape("银发"), "adm-second-key-000", "")
	if code != 200 {
		t.Fatalf("delete synonyms: %d %s", code, b)
	}
	if r := searchQ(t, a.url, made, ""); r.Total != 0 {
		t.Errorf("%s still finds %d after the synonyms were deleted", made, r.Total)
	}
	if code, _ := call(t, http.MethodDelete, a.url+"/api/admin/synonyms/"+url.PathEscape("银发"), adminKey, ""); code != 404 {
		t.Errorf("deleting a deleted group: %d, want 404", code)
	}
	var au auditAnswer
	_, b = call(t, http.MethodGet, a.url+"/api/admin/audit", adminKey, "")
	mustDecode(t, b, &au)
	if len(au.Audit) != 4 {
		t.Fatalf("audit: %s", b)
	}
	last, firstChange := au.Audit[0], au.Audit[3]
	if last.Action != "synonyms.delete" || last.Key != "line 2" || string(last.After) != "null" || string(last.Before) != `["彡彡彡","养老驿站"]` {
		t.Errorf("latest change: %+v", last)
	}
	if firstChange.Action != "synonyms.put" || firstChange.Key != "editor-wang" || string(firstChange.Before) != "null" || firstChange.Time.IsZero() {
		t.Errorf("first change: %+v", firstChange)
	}
	if strings.Contains(string(b), adminKey) {
		t.Error("the audit trail shows a key")
	}
}

func TestEditorsBadInput(t *testing.T) {
	a := startAdmin(t, t.TempDir(), true)
	defer a.stop(t)
	put := func(path, body string) (int, string) {
		code, b := call(t, http.MethodPut, a.url+path, adminKey, body)
		return code, string(b)
	}
	cases := []struct {
		path, body, want string
		code             int
	}{
		{"/api/admin/synonyms/g", `{"words":["` + strings.Repeat("字", 500) + `","养老"]}`, "words[0]", 400},
		{"/api/admin/synonyms/g", `{"words":["养老\u0007驿站","养老"]}`, "control character", 400},
		{"/api/admin/synonyms/g", `{"words":["养老"]}`, "2 to", 400},
		{"/api/admin/synonyms/g", `{"words":"养老"}`, "words", 400},
		{"/api/admin/synonyms/g", `{"words":["养老","養老"]}`, "twice", 400},
		{"/api/admin/synonyms/g", `not json`, "JSON", 400},
		{"/api/admin/synonyms/" + url.PathEscape(strings.Repeat("名", 100)), `{"words":["a","b"]}`, "name", 400},
		{"/api/admin/pins/q", `{"ids":[]}`, "ids", 400},
		{"/api/admin/pins/" + url.PathEscape("a\x01b"), `{"ids":["x"]}`, "control character", 400},
	}
	for _, c := range cases {
		if code, b := put(c.path, c.body); code != c.code || !strings.Contains(b, c.want) {
			t.Errorf("PUT %s %.60s: %d %s, want %d naming %q", c.path, c.body, code, b, c.code, c.want)
		}
	}
	// A 10 MB event: 413, with and without a length given.
	big := `{"query":"养老","id":"` + strings.Repeat("x", 10<<20) + `","rank":1}`
	if code, b := call(t, http.MethodPost, a.url+"/api/events", "", big); code != 413 {
		t.Errorf("10 MB event: %d %s", code, b)
	}
	req, _ := http.NewRequest(http.MethodPost, a.url+"/api/events", io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1
	if resp, err := http.DefaultClient.Do(req); err != nil {
		t.Logf("10 MB event of no given length: the server closed the connection before the end: %v", err)
	} else if resp.Body.Close(); resp.StatusCode != 413 {
		t.Errorf("10 MB event of no given length: %d", resp.StatusCode)
	}
	for _, bad := range []string{`{"query":"","id":"a","rank":1}`, `{"query":"q","id":"","rank":1}`, `{"query":"q","id":"a","rank":0}`, `{"query":"q","id":"a","rank":"1"}`, `[1]`} {
		if code, b := call(t, http.MethodPost, a.url+"/api/events", "", bad); code != 400 || !strings.Contains(string(b), "invalid_event") {
			t.Errorf("event %s: %d %s", bad, code, b)
		}
	}
	// 1,000 events at once from one client: the first ones counted, the
	// rest refused with 429, none lost that was accepted, no 500.
	accepted, refused := 0, 0
	for i := 0; i < 1000; i++ {
		code, b := call(t, http.MethodPost, a.url+"/api/events", "", `{"query":"回天","id":"a","rank":2}`)
		switch code {
		case 202:
			accepted++
		case 429:
			refused++
		default:
			t.Fatalf("event %d: %d %s", i, code, b)
		}
	}
	if accepted == 0 || refused == 0 {
		t.Errorf("1,000 events: %d accepted, %d refused", accepted, refused)
	}
	searchQ(t, a.url, "回天", "")
	waitFor(t, "the clicks", func() bool { return listQueries(t, a.url, "")["回天"].Clicks == int64(accepted) })
	// The store still answers, and nothing was set by the bad requests.
	code, b := call(t, http.MethodGet, a.url+"/api/admin/synonyms", adminKey, "")
	if code != 200 || string(b) != `{"synonyms":[]}` {
		t.Errorf("synonyms: %d %s", code, b)
	}
	if code, b = call(t, http.MethodGet, a.url+"/api/admin/audit", adminKey, ""); code != 200 || string(b) != `{"audit":[]}` {
		t.Errorf("audit: %d %s", code, b)
	}
}

// TestPinAnswersZeroResults: a query that finds nothing finds its pins,
// and the log counts it as found.
func TestPinAnswersZeroResults(t *testing.T) {
	a := startAdmin(t, t.TempDir(), true)
	defer a.stop(t)
	const q = "彡彡彡"
	if r := searchQ(t, a.url, q, ""); r.Total != 0 {
		t.Fatalf("%s found %d", q, r.Total)
	}
	id := searchQ(t, a.url, "回天", "").Hits[0].ID
	if code, b := call(t, http.MethodPut, a.url+"/api/admin/pins/"+url.PathEscape(q), adminKey, `{"ids":["`+id+`"]}`); code != 200 {
		t.Fatalf("put pins: %d %s", code, b)
	}
	r := searchQ(t, a.url, q, "")
	if r.Total != 1 || len(r.Hits) != 1 || r.Hits[0].ID != id || !r.Hits[0].Pinned {
		t.Errorf("pinned zero-result search: total %d, hits %+v", r.Total, r.Hits)
	}
	waitFor(t, "the log", func() bool { s := listQueries(t, a.url, "")[q]; return s.Count == 2 && s.Total == 1 })
	if z := listQueries(t, a.url, "zero=1"); len(z) != 0 {
		t.Errorf("zero=1 after the pin: %+v", z)
	}
	if code, b := call(t, http.MethodDelete, a.url+"/api/admin/pins/"+url.PathEscape(q), adminKey, ""); code != 200 {
		t.Fatalf("delete pins: %d %s", code, b)
	}
	if r := searchQ(t, a.url, q, ""); r.Total != 0 || len(r.Hits) != 0 {
		t.Errorf("after deleting the pin: %+v", r)
	}
	if code, _ := call(t, http.MethodDelete, a.url+"/api/admin/pins/"+url.PathEscape(q), adminKey, ""); code != 404 {
		t.Errorf("deleting a deleted pin: %d, want 404", code)
	}
}
