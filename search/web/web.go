package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/xml"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

//go:embed static
var staticFiles embed.FS

// Title is the product name shown in the page and the OpenSearch
// description.
const Title = "政务新闻检索"

// AdminTitle is the title of the editors' page at /admin.
const AdminTitle = "检索管理 - " + Title

// ContentSecurityPolicy is sent with the search page. The page has no inline
// script or style, so nothing but same-origin files is ever needed.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; " +
	"frame-ancestors 'self'"

// Options configures Handler. The zero value is valid.
type Options struct {
	// Fail answers a request the handler refuses: status is 404 (no such
	// page or asset), 405 (a method other than GET and HEAD) or 400 (a
	// Host header unfit for the OpenSearch URLs). The server passes its
	// one error mapping here, so that these answers look like every other
	// error. Nil means a plain-text http.Error.
	Fail func(w http.ResponseWriter, r *http.Request, status int, msg string)
}

// asset is one embedded file, prepared once at start-up.
type asset struct {
	body        []byte
	contentType string
	etag        string // strong validator: quoted content hash
	version     string // short content hash used in ?v= cache-busting URLs
}

type handler struct {
	fail   func(w http.ResponseWriter, r *http.Request, status int, msg string)
	assets map[string]*asset // by name relative to static/, e.g. "app.js"
	index  []byte            // rendered search page
	admin  []byte            // rendered editors' page
}

// contentTypes lists the types of the files we ship. It is explicit rather
// than mime.TypeByExtension, whose answer depends on the host's mime tables.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".ico":  "image/x-icon",
	".txt":  "text/plain; charset=utf-8",
	".json": "application/json",
}

// templateFiles are rendered by the handler and never served raw.
var templateFiles = map[string]bool{"index.html": true, "admin.html": true}

// widgetModules are the modules that embed.js imports from the search host
// into pages of other origins (the snippet renderer it shares with the
// search page): a module is fetched with CORS, so they are served to any
// origin. They are static code, the same for everyone, and carry no data.
var widgetModules = map[string]bool{"snippet.js": true}

// Handler returns the http.Handler for the search page and its assets.
// It panics if the embedded files are broken, which is a build error.
func Handler(opts Options) http.Handler {
	h := &handler{fail: opts.Fail, assets: map[string]*asset{}}
	if h.fail == nil {
		h.fail = func(w http.ResponseWriter, _ *http.Request, status int, msg string) { http.Error(w, msg, status) }
	}

	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err)
	}
	err = fs.WalkDir(sub, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(sub, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ct, ok := contentTypes[path.Ext(name)]
		if !ok {
			ct = "application/octet-stream"
		}
		h.assets[name] = &asset{
			body:        body,
			contentType: ct,
			etag:        `"` + hex.EncodeToString(sum[:16]) + `"`,
			version:     hex.EncodeToString(sum[:6]),
		}
		return nil
	})
	if err != nil {
		panic("web: reading embedded assets: " + err.Error())
	}

	// The pages link their assets with a content-hash query (?v=…), so they
	// can be cached for a long time and still change with each release.
	h.index = h.render("index.html", map[string]string{
		"Title": Title,
		"CSS":   h.assetURL("app.css"),
		"JS":    h.assetURL("app.js"),
		"Icon":  h.assetURL("favicon.svg"),
	})
	h.admin = h.render("admin.html", map[string]string{
		"Title":    AdminTitle,
		"Product":  Title,
		"CSS":      h.assetURL("app.css"),
		"AdminCSS": h.assetURL("admin.css"),
		"JS":       h.assetURL("admin.js"),
		"Icon":     h.assetURL("favicon.svg"),
	})
	return h
}

// render executes the embedded page template name with data.
func (h *handler) render(name string, data map[string]string) []byte {
	tmpl := template.Must(template.New(name).Parse(string(h.assets[name].body)))
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		panic("web: rendering " + name + ": " + err.Error())
	}
	return buf.Bytes()
}

// assetURL is the versioned URL of an embedded asset.
func (h *handler) assetURL(name string) string {
	a, ok := h.assets[name]
	if !ok {
		panic("web: missing embedded asset " + name)
	}
	return "/static/" + name + "?v=" + a.version
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		h.fail(w, r, http.StatusMethodNotAllowed, "only GET and HEAD are supported")
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")

	switch p := r.URL.Path; {
	case p == "/":
		h.servePage(w, r, "index.html", h.index)
	case p == "/admin":
		// The editors' page holds no data of its own: it asks the admin
		// API, with a key the editor types in, for everything it shows.
		w.Header().Set("Referrer-Policy", "no-referrer")
		h.servePage(w, r, "admin.html", h.admin)
	case p == "/embed.js":
		// A <script> tag is not subject to CORS, but a host page that sends
		// Cross-Origin-Embedder-Policy needs an explicit resource policy.
		w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
		// The widget URL is not versioned: let caches revalidate soon.
		h.serveAsset(w, r, "embed.js", "public, max-age=300")
	case p == "/opensearch.xml":
		h.serveOpenSearch(w, r)
	case strings.HasPrefix(p, "/static/"):
		name := strings.TrimPrefix(p, "/static/")
		// fs.ValidPath rejects "..", ".", empty elements and leading or
		// trailing slashes, so nothing outside static/ can be named.
		if !fs.ValidPath(name) || templateFiles[name] || h.assets[name] == nil {
			h.fail(w, r, http.StatusNotFound, "no such resource")
			return
		}
		cache := "no-cache"
		if v := r.URL.Query().Get("v"); v != "" && v == h.assets[name].version {
			cache = "public, max-age=31536000, immutable"
		}
		if widgetModules[name] {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
		}
		h.serveAsset(w, r, name, cache)
	default:
		h.fail(w, r, http.StatusNotFound, "no such resource")
	}
}

func (h *handler) servePage(w http.ResponseWriter, r *http.Request, name string, page []byte) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", ContentSecurityPolicy)
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-cache")
	hd.Set("X-Frame-Options", "SAMEORIGIN")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(page))
}

func (h *handler) serveAsset(w http.ResponseWriter, r *http.Request, name, cacheControl string) {
	a := h.assets[name]
	hd := w.Header()
	hd.Set("Content-Type", a.contentType)
	hd.Set("Cache-Control", cacheControl)
	hd.Set("ETag", a.etag) // ServeContent answers If-None-Match with 304
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.body))
}

// validHost matches a Host header value we are willing to echo into URLs:
// a DNS name or IPv4 address, or a bracketed IPv6 literal, with optional port.
var validHost = regexp.MustCompile(`^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$`)

// serveOpenSearch describes the search for browsers' "add search engine".
// Its URLs point at the host the request was sent to.
func (h *handler) serveOpenSearch(w http.ResponseWriter, r *http.Request) {
	if !validHost.MatchString(r.Host) {
		h.fail(w, r, http.StatusBadRequest, "bad Host header")
		return
	}
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	base := scheme + "://" + r.Host

	// ShortName is limited to 16 characters by the OpenSearch 1.1 spec.
	short := Title
	if utf8.RuneCountInString(short) > 16 {
		short = string([]rune(short)[:16])
	}

	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">` + "\n")
	writeXMLElem(&b, "ShortName", short)
	writeXMLElem(&b, "Description", Title+"：全文检索各区政务新闻公告")
	writeXMLElem(&b, "InputEncoding", "UTF-8")
	writeXMLElem(&b, "OutputEncoding", "UTF-8")
	b.WriteString(`  <Image width="16" height="16" type="image/svg+xml">`)
	xmlEscape(&b, base+h.assetURL("favicon.svg"))
	b.WriteString("</Image>\n")
	writeXMLURL(&b, "text/html", "", base+"/?q={searchTerms}")
	writeXMLURL(&b, "application/json", "", base+"/api/search?q={searchTerms}")
	writeXMLURL(&b, "application/opensearchdescription+xml", "self", base+"/opensearch.xml")
	b.WriteString("</OpenSearchDescription>\n")

	hd := w.Header()
	hd.Set("Content-Type", "application/opensearchdescription+xml; charset=utf-8")
	hd.Set("Cache-Control", "public, max-age=3600")
	hd.Set("Vary", "Host, X-Forwarded-Proto")
	http.ServeContent(w, r, "opensearch.xml", time.Time{}, bytes.NewReader(b.Bytes()))
}

func writeXMLElem(b *bytes.Buffer, name, text string) {
	b.WriteString("  <" + name + ">")
	xmlEscape(b, text)
	b.WriteString("</" + name + ">\n")
}

func writeXMLURL(b *bytes.Buffer, typ, rel, tmpl string) {
	b.WriteString(`  <Url type="` + typ + `"`)
	if rel != "" {
		b.WriteString(` rel="` + rel + `"`)
	}
	b.WriteString(` method="get" template="`)
	xmlEscape(b, tmpl)
	b.WriteString("\"/>\n")
}

func xmlEscape(b *bytes.Buffer, s string) {
	_ = xml.EscapeText(b, []byte(s)) // writes to a bytes.Buffer never fail
}
