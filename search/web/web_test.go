package web

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, target string, mod ...func(*http.Request)) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for _, m := range mod {
		m(req)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestIndexHeadersAndTitle(t *testing.T) {
	h := Handler(Options{})
	res := get(t, h, "/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d", res.StatusCode)
	}
	if got := res.Header.Get("Content-Security-Policy"); got != ContentSecurityPolicy {
		t.Errorf("CSP = %q", got)
	}
	if got := res.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", got)
	}
	if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options = %q", got)
	}
	page := body(t, res)
	for _, want := range []string{
		"<title>" + Title + "</title>",
		`<link rel="search" type="application/opensearchdescription+xml"`,
		`href="/opensearch.xml"`,
		`<script type="module" src="/static/app.js?v=`,
		`<link rel="stylesheet" href="/static/app.css?v=`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// The editors' page: its own title and module, the search page's policy,
// and no referrer sent from it.
func TestAdminPageHeaders(t *testing.T) {
	res := get(t, Handler(Options{}), "/admin")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /admin = %d", res.StatusCode)
	}
	if got := res.Header.Get("Content-Security-Policy"); got != ContentSecurityPolicy {
		t.Errorf("CSP = %q", got)
	}
	if got := res.Header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy = %q", got)
	}
	page := body(t, res)
	for _, want := range []string{
		"<title>" + AdminTitle + "</title>",
		`<script type="module" src="/static/admin.js?v=`,
		`<link rel="stylesheet" href="/static/admin.css?v=`,
		`<meta name="robots" content="noindex, nofollow">`,
		`<input id="key" name="key" type="password"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// The CSP forbids inline script and style: the pages must not need them.
func TestIndexHasNoInlineCode(t *testing.T) {
	for _, p := range []string{"/", "/admin"} {
		t.Run(p, func(t *testing.T) { checkNoInlineCode(t, body(t, get(t, Handler(Options{}), p))) })
	}
}

func checkNoInlineCode(t *testing.T, page string) {
	checks := map[string]*regexp.Regexp{
		"inline <script>":      regexp.MustCompile(`<script(\s[^>]*)?>[^<]+</script>`),
		"<script> without src": regexp.MustCompile(`<script(?:\s(?:[^s>]|s[^r>])*)?>`),
		"<style> element":      regexp.MustCompile(`<style[\s>]`),
		"style attribute":      regexp.MustCompile(`\sstyle=`),
		"event handler":        regexp.MustCompile(`\son[a-z]+=`),
		"javascript: URL":      regexp.MustCompile(`(?i)javascript:`),
		"external URL":         regexp.MustCompile(`(?i)(src|href)="(https?:)?//`),
	}
	for what, re := range checks {
		if m := re.FindString(page); m != "" {
			t.Errorf("page has %s: %q", what, m)
		}
	}
}

func TestStaticAssets(t *testing.T) {
	h := Handler(Options{})
	for _, tc := range []struct{ path, ctype string }{
		{"/static/app.js", "text/javascript; charset=utf-8"},
		{"/static/app.css", "text/css; charset=utf-8"},
		{"/static/favicon.svg", "image/svg+xml"},
		{"/embed.js", "text/javascript; charset=utf-8"},
	} {
		res := get(t, h, tc.path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", tc.path, res.StatusCode)
			continue
		}
		if got := res.Header.Get("Content-Type"); got != tc.ctype {
			t.Errorf("%s Content-Type = %q, want %q", tc.path, got, tc.ctype)
		}
		if res.Header.Get("Cache-Control") == "" || res.Header.Get("ETag") == "" {
			t.Errorf("%s lacks Cache-Control or ETag", tc.path)
		}
		if len(body(t, res)) == 0 {
			t.Errorf("%s is empty", tc.path)
		}
	}

	// Versioned URLs (as linked from the page) are cached for good;
	// unversioned or stale ones revalidate.
	hh := h.(*handler)
	v := hh.assets["app.js"].version
	if cc := get(t, h, "/static/app.js?v="+v).Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("versioned asset Cache-Control = %q", cc)
	}
	if cc := get(t, h, "/static/app.js?v=old").Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("stale-version asset Cache-Control = %q", cc)
	}

	// Conditional requests get 304.
	etag := hh.assets["app.css"].etag
	res := get(t, h, "/static/app.css", func(r *http.Request) { r.Header.Set("If-None-Match", etag) })
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match = %d, want 304", res.StatusCode)
	}
}

func TestNotFound(t *testing.T) {
	h := Handler(Options{})
	for _, p := range []string{
		"/static/../web.go",
		"/static/%2e%2e/web.go",
		"/static/..%2fweb.go",
		"/static/./app.js",
		"/static//app.js",
		"/static/",
		"/static",
		"/static/index.html", // a template, only served rendered at /
		"/static/admin.html", // a template, only served rendered at /admin
		"/admin/",
		"/admin.html",
		"/static/nope.js",
		"/web.go",
		"/index.html",
		"/api/search",
		"/embed.js/x",
	} {
		if res := get(t, h, p); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, res.StatusCode)
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST / = %d, want 405", rec.Code)
	}

	// Refusals go through Options.Fail when given.
	var failed []int
	h = Handler(Options{Fail: func(w http.ResponseWriter, _ *http.Request, status int, msg string) {
		failed = append(failed, status)
		w.WriteHeader(status)
	}})
	get(t, h, "/static/nope.js")
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", nil))
	if fmt.Sprint(failed) != "[404 405]" {
		t.Errorf("Fail called with %v, want [404 405]", failed)
	}
}

func TestOpenSearch(t *testing.T) {
	h := Handler(Options{})
	res := get(t, h, "/opensearch.xml", func(r *http.Request) { r.Host = "search.example.gov:8080" })
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /opensearch.xml = %d", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/opensearchdescription+xml") {
		t.Errorf("Content-Type = %q", ct)
	}
	var doc struct {
		XMLName   xml.Name `xml:"http://a9.com/-/spec/opensearch/1.1/ OpenSearchDescription"`
		ShortName string   `xml:"ShortName"`
		URLs      []struct {
			Type     string `xml:"type,attr"`
			Template string `xml:"template,attr"`
		} `xml:"Url"`
	}
	if err := xml.Unmarshal([]byte(body(t, res)), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.ShortName != Title {
		t.Errorf("ShortName = %q", doc.ShortName)
	}
	found := false
	for _, u := range doc.URLs {
		if u.Type == "text/html" {
			found = true
			if want := "http://search.example.gov:8080/?q={searchTerms}"; u.Template != want {
				t.Errorf("html template = %q, want %q", u.Template, want)
			}
		}
	}
	if !found {
		t.Error("no text/html Url")
	}

	// Behind a TLS-terminating proxy the scheme follows X-Forwarded-Proto.
	res = get(t, h, "/opensearch.xml", func(r *http.Request) {
		r.Host = "search.example.gov"
		r.Header.Set("X-Forwarded-Proto", "https")
	})
	if b := body(t, res); !strings.Contains(b, `template="https://search.example.gov/?q={searchTerms}"`) {
		t.Errorf("https template missing: %s", b)
	}

	// A Host header that could inject markup is refused.
	res = get(t, h, "/opensearch.xml", func(r *http.Request) { r.Host = `x"><script>` })
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad Host = %d, want 400", res.StatusCode)
	}
}

func TestEmbedScriptSize(t *testing.T) {
	res := get(t, Handler(Options{}), "/embed.js")
	n := len(body(t, res))
	t.Logf("embed.js: %d bytes", n)
	if n > 12*1024 {
		t.Errorf("embed.js is %d bytes, budget is 12 KiB", n)
	}
}

// TestModules: the page's ES modules import only files that are served, and
// the snippet renderer that embed.js imports from other origins is served
// to them (CORS), while the page's own modules are not.
func TestModules(t *testing.T) {
	h := Handler(Options{}).(*handler)
	imports := regexp.MustCompile(`(?m)^import\s[^;]*?from\s+'\./([^']+)'|import\(` + "`" + `\$\{scriptOrigin\}/static/([^` + "`" + `]+)` + "`" + `\)`)
	seen := 0
	for name, a := range h.assets {
		if path.Ext(name) != ".js" {
			continue
		}
		for _, m := range imports.FindAllStringSubmatch(string(a.body), -1) {
			dep := m[1] + m[2]
			seen++
			if h.assets[dep] == nil {
				t.Errorf("%s imports %s, which is not served", name, dep)
			}
		}
	}
	if seen < 5 {
		t.Errorf("found %d imports; the module graph was not read", seen)
	}
	if got := get(t, h, "/static/snippet.js").Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("snippet.js: Access-Control-Allow-Origin %q, want *", got)
	}
	if got := get(t, h, "/static/app.js").Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("app.js: Access-Control-Allow-Origin %q, want none", got)
	}
	if !strings.Contains(string(h.assets["embed.js"].body), "/static/snippet.js") {
		t.Error("embed.js does not import the shared snippet renderer")
	}
}
