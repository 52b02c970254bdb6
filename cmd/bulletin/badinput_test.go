package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/search/server"
)

// Bad and edge input to the write API, over real HTTP against a real
// index: every refusal names what is wrong, nothing refused is stored, and
// nothing stored comes back under another id after a restart.

// restartable serves dir with the write side on; stop closes it all, so
// that the same folder can be opened again (a restart).
func restartable(t *testing.T, dir string, opts server.Options) (base string, stop func()) {
	t.Helper()
	live, eng, err := openLive(dir, "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	opts.Writer, opts.Live = liveWriter{live}, liveStats{live, eng}
	opts.WriteKeys = []string{testKey}
	h, err := server.New(eng, opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	done := false
	stop = func() {
		if !done {
			done = true
			ts.Close()
			eng.Close()
			live.Close()
		}
	}
	t.Cleanup(stop)
	return ts.URL, stop
}

// errorOf returns the code and message of a JSON error answer.
func errorOf(a answer) (code, msg string) {
	e, _ := a.body["error"].(map[string]any)
	code, _ = e["code"].(string)
	msg, _ = e["message"].(string)
	return code, msg
}

// send makes a request with headers and a raw body.
func send(t *testing.T, method, u string, hdr map[string]string, body []byte) answer {
	t.Helper()
	req, _ := http.NewRequest(method, u, bytes.NewReader(body))
	for k, v := range hdr {
		req.Header.Set(k, v)
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

func TestWriteRefusesBadIDs(t *testing.T) {
	dir := seedIndex(t)
	base, stop := restartable(t, dir, server.Options{})
	art := base + "/api/articles/"
	good := `{"title":"怀柔区雁栖湖开展环湖骑行","body":"怀柔区雁栖湖举办环湖骑行活动。"}`

	// Not valid UTF-8, NUL, newline, DEL: 400 naming the id, whatever the method.
	for _, id := range []string{"a%FF%FEb", "a%00b", "a%0Ab", "a%7Fb", "%C0%AF"} {
		for _, m := range []string{"PUT", "DELETE", "GET"} {
			a := call(t, m, art+id, testKey, good)
			if code, msg := errorOf(a); a.status != 400 || code != "bad_id" || !strings.Contains(msg, `"id"`) {
				t.Errorf("%s %s: %d %s, want 400 bad_id naming the id", m, id, a.status, a.raw)
			}
		}
	}
	// In a bulk line: that line is refused, naming it; the others go in.
	bulk := `{"id":"ok-1","title":"怀柔区雁栖湖开展环湖骑行","body":"怀柔区雁栖湖举办环湖骑行活动。"}
{"id":"bad\u0000id","title":"平谷区大桃节开幕","body":"平谷区大桃文化节开幕。"}
{"id":"bad\u0007id","title":"平谷区大桃节开幕","body":"平谷区大桃文化节开幕。"}
{"id":"bad` + "\xff\xfe" + `id","title":"平谷区大桃节开幕","body":"平谷区大桃文化节开幕。"}
`
	a := call(t, "POST", art+"_bulk", testKey, bulk)
	if a.status != 200 || a.body["indexed"] != float64(1) {
		t.Fatalf("bulk: %d %s", a.status, a.raw)
	}
	errsList, _ := a.body["errors"].([]any)
	if len(errsList) != 3 {
		t.Fatalf("bulk errors: %s, want lines 2, 3 and 4", a.raw)
	}
	for i, e := range errsList {
		m := e.(map[string]any)
		if m["line"] != float64(i+2) || !strings.Contains(m["message"].(string), `"id"`) {
			t.Errorf("bulk error %v: want line %d naming the id", m, i+2)
		}
	}
	// A valid id of any script is kept as given, across a restart.
	if a := call(t, "PUT", art+url.PathEscape("通知·2024/第1号"), testKey, good); a.status != 200 || a.body["id"] != "通知·2024/第1号" {
		t.Fatalf("PUT of a Chinese id: %d %s", a.status, a.raw)
	}
	stop()
	base, _ = restartable(t, dir, server.Options{})
	art = base + "/api/articles/"
	for id, want := range map[string]int{"通知·2024/第1号": 200, "ok-1": 200, "a\ufffd\ufffdb": 404, "bad\ufffdid": 404} {
		if a := call(t, "GET", art+url.PathEscape(id), "", ""); a.status != want {
			t.Errorf("after a restart, GET %q: %d, want %d", id, a.status, want)
		}
	}
	if a := call(t, "DELETE", art+url.PathEscape("通知·2024/第1号"), testKey, ""); a.status != 200 {
		t.Errorf("DELETE of the Chinese id after a restart: %d %s", a.status, a.raw)
	}
}

func TestWriteRefusesBadValues(t *testing.T) {
	dir := seedIndex(t)
	base, stop := restartable(t, dir, server.Options{})
	art := base + "/api/articles/"
	const tb = `"title":"昌平区回龙观新建社区食堂","body":"昌平区回龙观街道新建社区食堂，方便老年人就餐。"`
	for _, c := range []struct{ body, field string }{
		{`{` + tb + `,"date":"2024-13-45"}`, "date"},
		{`{` + tb + `,"date":"yesterday"}`, "date"},
		{`{` + tb + `,"date":"20240101"}`, "date"},
		{`{` + tb + `,"date":"2024-02-30"}`, "date"},
		{`{` + tb + `,"date":1704067200}`, "date"},
		{`{` + tb + `,"pubDate":"2024/01/05"}`, "pubDate"},
		{`{` + tb + `,"url":5}`, "url"},
		{`{` + tb + `,"source":["a"]}`, "source"},
		{`{` + tb + `,"districts":[1,2]}`, "districts"},
		{`{` + tb + `,"districts":"昌平区"}`, "districts"},
		{`{` + tb + `,"districts":["<script>alert(1)</script>"]}`, "<script>alert(1)</script>"},
		{`{` + tb + `,"districts":["朝阳区","浦东新区"]}`, "浦东新区"},
		{`{` + tb + `,"topics":["教育",""]}`, "topics"},
		{`{"title":"\u200b","body":"正文"}`, "title"},
		{`{"title":"\u200c\u2060\ufeff \u00ad","body":"正文"}`, "title"},
		{`{"title":"\u0000","body":"正文"}`, "title"},
		{`{"title":"标题","body":"\u200b"}`, "body"},
	} {
		a := call(t, "PUT", art+"v-1", testKey, c.body)
		if code, msg := errorOf(a); a.status != 400 || code != "bad_article" || !strings.Contains(msg, c.field) {
			t.Errorf("PUT %s: %d %s, want 400 naming %s", c.body, a.status, a.raw, c.field)
		}
	}
	if a := call(t, "GET", art+"v-1", "", ""); a.status != 404 {
		t.Fatalf("a refused article was stored: %d %s", a.status, a.raw)
	}
	// Good values: the district by its short name comes back in full.
	a := call(t, "PUT", art+"v-1", testKey, `{`+tb+`,"date":"2024-02-29","districts":["昌平"],"url":"https://www.bjchp.gov.cn/a.html","topics":["养老服务"]}`)
	if a.status != 200 || a.body["date"] != "2024-02-29" || fmt.Sprint(a.body["districts"]) != "[昌平区]" {
		t.Fatalf("PUT of good values: %d %s", a.status, a.raw)
	}
	if a := call(t, "PUT", art+"v-2", testKey, `{`+tb+`,"date":"","url":null}`); a.status != 200 {
		t.Fatalf("PUT with an empty date: %d %s", a.status, a.raw)
	}

	// Bulk: each bad line is reported with its line and field; the good ones go in.
	bulk := `{"id":"vb-1",` + tb + `,"date":"2024-13-45"}
{"id":"vb-2",` + tb + `,"url":5}
{"id":"vb-3",` + tb + `,"districts":["<script>"]}
{"id":"vb-4",` + tb + `,"date":"2023-06-01","districts":["海淀区"]}
{"id":"vb-5","title":"\u200b","body":"正文"}
`
	a = call(t, "POST", art+"_bulk", testKey, bulk)
	if a.status != 200 || a.body["indexed"] != float64(1) {
		t.Fatalf("bulk: %d %s", a.status, a.raw)
	}
	want := map[float64]string{1: "date", 2: "url", 3: "<script>", 5: "title"}
	for _, e := range a.body["errors"].([]any) {
		m := e.(map[string]any)
		f, ok := want[m["line"].(float64)]
		if !ok || !strings.Contains(m["message"].(string), f) {
			t.Errorf("bulk error %v: want lines 1, 2, 3, 5 naming their field", m)
		}
		delete(want, m["line"].(float64))
	}
	if len(want) > 0 {
		t.Errorf("bulk: no error for lines %v: %s", want, a.raw)
	}
	r := searchResp(t, base, "q=")
	for _, f := range r.Facets["district"] {
		if strings.ContainsAny(f.Value, "<>") {
			t.Errorf("a district facet value %q", f.Value)
		}
	}
	// After a restart (the log replayed) the same articles, the same values.
	stop()
	base, _ = restartable(t, dir, server.Options{})
	for id, want := range map[string]int{"v-1": 200, "v-2": 200, "vb-4": 200, "vb-1": 404, "vb-3": 404, "vb-5": 404} {
		if a := call(t, "GET", base+"/api/articles/"+id, "", ""); a.status != want {
			t.Errorf("after a restart, GET %s: %d, want %d", id, a.status, want)
		}
	}
	if a := call(t, "GET", base+"/api/articles/v-1", "", ""); fmt.Sprint(a.body["districts"]) != "[昌平区]" || a.body["date"] != "2024-02-29" {
		t.Errorf("after a restart, v-1: %s", a.raw)
	}
}

func gz(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteBodyEdges(t *testing.T) {
	dir := seedIndex(t)
	base, _ := restartable(t, dir, server.Options{MaxArticleBytes: 64 << 10, MaxBulkBytes: 256 << 10, BodyTimeout: time.Second})
	art := base + "/api/articles/"
	good := []byte(`{"title":"门头沟区妙峰山开展森林防火演练","body":"门头沟区妙峰山镇开展森林防火应急演练。"}`)
	auth := "Bearer " + testKey

	// The scheme name of Authorization in any case; another scheme is no key.
	for h, want := range map[string]int{"bearer " + testKey: 200, "BEARER " + testKey: 200, "Bearer  " + testKey: 200,
		"Basic " + testKey: 401, testKey: 401, "Bearer" + testKey: 401} {
		if a := send(t, "PUT", art+"e-1", map[string]string{"Authorization": h}, good); a.status != want {
			t.Errorf("Authorization %q: %d, want %d", strings.Replace(h, testKey, "KEY", 1), a.status, want)
		}
	}

	// gzip: decoded, for PUT and bulk.
	a := send(t, "PUT", art+"e-2", map[string]string{"Authorization": auth, "Content-Encoding": "gzip", "Content-Type": "application/json; charset=utf-8"}, gz(t, good))
	if a.status != 200 || a.body["id"] != "e-2" {
		t.Errorf("gzip PUT: %d %s", a.status, a.raw)
	}
	lines := `{"id":"e-3","title":"门头沟区潭柘寺镇修缮古道","body":"门头沟区潭柘寺镇修缮京西古道。"}` + "\n" +
		`{"id":"e-4","title":"门头沟区斋堂镇发展民宿","body":"门头沟区斋堂镇发展精品民宿。"}` + "\n"
	a = send(t, "POST", art+"_bulk", map[string]string{"Authorization": auth, "Content-Encoding": "gzip", "Content-Type": "application/x-ndjson"}, gz(t, []byte(lines)))
	if a.status != 200 || a.body["indexed"] != float64(2) {
		t.Errorf("gzip bulk: %d %s", a.status, a.raw)
	}
	// A gzip bomb (1 MiB of spaces in about 1 KB) is over the limit once decoded: 413.
	bomb := gz(t, append(append([]byte(`{"title":"t","body":"`), bytes.Repeat([]byte(" "), 1<<20)...), `"}`...))
	for _, u := range []string{art + "e-5", art + "_bulk"} {
		m := "PUT"
		if strings.HasSuffix(u, "_bulk") {
			m = "POST"
			bomb = gz(t, bytes.Repeat([]byte(`{"id":"x","title":"t","body":"b"}`+"\n"), 20000))
		}
		if a := send(t, m, u, map[string]string{"Authorization": auth, "Content-Encoding": "gzip"}, bomb); a.status != 413 {
			t.Errorf("gzip bomb to %s (%d bytes sent): %d %s, want 413", u, len(bomb), a.status, a.raw)
		}
	}
	if a := send(t, "PUT", art+"e-6", map[string]string{"Authorization": auth, "Content-Encoding": "gzip"}, good); a.status != 400 {
		t.Errorf("Content-Encoding gzip on a plain body: %d %s, want 400", a.status, a.raw)
	}
	// Media types and encodings not taken: 415.
	for _, h := range []map[string]string{{"Content-Type": "image/png"}, {"Content-Type": "application/octet-stream"},
		{"Content-Type": "multipart/form-data; boundary=x"}, {"Content-Encoding": "br"}} {
		h["Authorization"] = auth
		if a := send(t, "PUT", art+"e-7", h, good); a.status != 415 || a.body["error"] == nil {
			t.Errorf("%v: %d %s, want 415", h, a.status, a.raw)
		}
	}
	for _, ct := range []string{"text/plain; charset=utf-8", "application/json", "application/x-ndjson", "", "application/x-www-form-urlencoded"} {
		if a := send(t, "PUT", art+"e-8", map[string]string{"Authorization": auth, "Content-Type": ct}, good); a.status != 200 {
			t.Errorf("Content-Type %q: %d %s, want 200", ct, a.status, a.raw)
		}
	}

	// A body shorter than its Content-Length (the client hangs up after
	// half of it): 400 saying so. One that stops arriving: 408.
	host := strings.TrimPrefix(base, "http://")
	for _, c := range []struct {
		path   string
		hangUp bool
		status int
		code   string
	}{
		{"/api/articles/e-9", true, 400, "body_short"},
		{"/api/articles/_bulk", true, 400, "body_short"},
		{"/api/articles/e-9", false, 408, "body_timeout"},
		{"/api/articles/_bulk", false, 408, "body_timeout"},
	} {
		method := "PUT"
		if strings.HasSuffix(c.path, "_bulk") {
			method = "POST"
		}
		status, body := rawRequest(t, host, method, c.path, auth, string(good)+"\n", 1000, c.hangUp)
		if status != c.status || !strings.Contains(body, c.code) {
			t.Errorf("%s %s, body cut (hang up %v): %d %s, want %d %s", method, c.path, c.hangUp, status, body, c.status, c.code)
		}
	}
	if a := call(t, "GET", art+"e-9", "", ""); a.status != 404 {
		t.Errorf("an article from a cut body was stored: %d", a.status)
	}
}

// rawRequest sends a request whose body is part of what its
// Content-Length says, over a plain TCP connection; with hangUp the client
// then closes its side, else it waits. It returns the answer's status and
// body.
func rawRequest(t *testing.T, host, method, path, auth, part string, length int, hangUp bool) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nAuthorization: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", method, path, host, auth, length, part)
	if hangUp {
		conn.(*net.TCPConn).CloseWrite()
	}
	conn.SetReadDeadline(time.Now().Add(60 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
