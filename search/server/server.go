package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"

	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/internal/errs"
	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/web"
)

// Backend is what the server needs of the search engine.
type Backend interface {
	Search(ctx context.Context, req search.Request) (*search.Response, error)
	Article(ctx context.Context, id string) (*schema.Article, error)
	Suggest(ctx context.Context, prefix string, n int) ([]string, error)
	Analyze(text string) (*search.Analysis, error)
	Info() search.Info
}

// Options configure the server. The zero value is valid.
type Options struct {
	CORSOrigins []string // origins allowed to call the API cross-origin
	Logger      *slog.Logger
	// MaxConcurrent caps searches running at once. 0 means GOMAXPROCS: a
	// search is CPU-bound, so running more at once than there are cores
	// only shares them out, and every search, the longest most, takes
	// longer; the others wait their turn, first come first served.
	MaxConcurrent int
	// MaxQueued caps searches waiting for a running one to end; beyond it
	// requests get 503 with Retry-After at once. 0 means 256; negative
	// means none wait. (A waiting search is a parked goroutine: cheap.)
	MaxQueued int
	// QueueWait is how long a search waits for its turn before it gets 503
	// with Retry-After; 0 means 4 s.
	QueueWait time.Duration
	// Timeout is the deadline of one search; 0 means 5 s.
	Timeout time.Duration
	// TrustedProxies are proxies whose X-Forwarded-For is believed; none by default.
	TrustedProxies []string
	// Writer takes writes (write.go); nil, or no WriteKeys, means the
	// write API answers 403.
	Writer    Writer
	WriteKeys []string
	// MaxArticleBytes and MaxBulkBytes cap write bodies (413); 0 means
	// 8 MB and 256 MB.
	MaxArticleBytes, MaxBulkBytes int64
	// Live adds the write side's figures to /metrics; nil for none.
	Live LiveStats
	// MaxBodyBytes caps a request's body; a larger one gets 413. 0 means
	// 1 MiB. (The read API takes no body.)
	MaxBodyBytes int64
	// BodyTimeout is how long a write's body may send nothing before the
	// write is answered 408 (a client that stalls holds a connection and
	// a write slot); 0 means 30 s.
	BodyTimeout time.Duration
	// Editors is the query log and the editors' changes (admin.go); nil
	// means searches are not logged, /api/hot is empty and the admin API
	// answers 403.
	Editors Editors
	// AdminKeys may use the admin API; none means it answers 403.
	AdminKeys []AdminKey
}

type srv struct {
	b       Backend
	log     *slog.Logger
	maxBody int64
	sem     chan struct{} // one token per running search
	queue   chan struct{} // one token per waiting search
	wait    time.Duration
	timeout time.Duration
	metrics *metrics
	w       Writer
	keys    keyring
	// bodyTimeout: Options.BodyTimeout.
	bodyTimeout time.Duration
	ed          Editors
	admin       adminRing
	events      *limiter
}

// New returns the HTTP handler of the whole product. It fails only on bad
// options (a trusted proxy that is not an IP address or network).
func New(b Backend, opts Options) (http.Handler, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	n := opts.MaxConcurrent
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	q := opts.MaxQueued
	switch {
	case q == 0:
		q = 256
	case q < 0:
		q = 0
	}
	sem, queue := make(chan struct{}, n), make(chan struct{}, q)
	s := &srv{b: b, log: log, sem: sem, queue: queue, maxBody: opts.MaxBodyBytes,
		wait: opts.QueueWait, timeout: opts.Timeout, metrics: newMetrics(b, sem, queue, opts.Live, opts.Editors),
		w: opts.Writer, keys: newKeyring(opts.WriteKeys),
		ed: opts.Editors, admin: newAdminRing(opts.AdminKeys), events: newLimiter()}
	if s.maxBody <= 0 {
		s.maxBody = 1 << 20
	}
	if s.timeout <= 0 {
		s.timeout = 5 * time.Second
	}
	if s.wait <= 0 {
		s.wait = 4 * time.Second
	}
	if s.bodyTimeout = opts.BodyTimeout; s.bodyTimeout <= 0 {
		s.bodyTimeout = defaultBodyTimeout
	}

	r := gin.New()
	if err := r.SetTrustedProxies(opts.TrustedProxies); err != nil {
		return nil, fmt.Errorf("trusted proxies: %w", err)
	}
	// Route on the escaped path, so that an id holding "/" (a URL given
	// as id) can be named escaped: /api/articles/http:%2F%2F…
	r.UseRawPath = true
	r.HandleMethodNotAllowed = true
	r.Use(s.recoverer, s.logRequests, securityHeaders, s.limitBody)
	if len(opts.CORSOrigins) > 0 {
		r.Use(cors.New(cors.Config{
			AllowOrigins:     opts.CORSOrigins,
			AllowMethods:     []string{http.MethodGet, http.MethodPost, http.MethodOptions}, // POST: /api/events
			AllowHeaders:     []string{"Accept", "Content-Type"},
			AllowCredentials: false,
			MaxAge:           10 * time.Minute,
		}))
	}

	api := r.Group("/api")
	api.GET("/search", s.limited, s.handleSearch)
	api.GET("/articles/:id", s.checkID, s.handleArticle)
	maxArt, maxBulk := opts.MaxArticleBytes, opts.MaxBulkBytes
	if maxArt <= 0 {
		maxArt = defaultMaxArticleBytes
	}
	if maxBulk <= 0 {
		maxBulk = defaultMaxBulkBytes
	}
	api.PUT("/articles/:id", s.writeAuth, s.checkID, s.bodyLimit(maxArt), s.handlePut)
	api.DELETE("/articles/:id", s.writeAuth, s.checkID, s.handleDelete)
	api.POST("/articles/_bulk", s.writeAuth, s.bodyLimit(maxBulk), s.handleBulk)
	api.GET("/suggest", s.handleSuggest)
	api.GET("/analyze", s.handleAnalyze)
	s.adminRoutes(r)
	r.GET("/healthz", s.handleHealth)
	r.GET("/metrics", gin.WrapH(s.metrics.handler()))

	page := gin.WrapH(web.Handler(web.Options{Fail: s.failWeb}))
	for _, path := range []string{"/", "/admin", "/static/*path", "/embed.js", "/opensearch.xml"} {
		r.GET(path, page)
		r.HEAD(path, page)
	}
	r.NoRoute(func(c *gin.Context) {
		s.fail(c, errs.Errorf(errs.NotFound, "not_found", "no such resource"))
	})
	r.NoMethod(func(c *gin.Context) {
		c.Header("Allow", "GET")
		s.fail(c, errs.Errorf(errs.NotAllowed, "method_not_allowed", "this method is not supported here"))
	})
	return r, nil
}

// statusOf maps error kinds to HTTP statuses: the one place where that is decided.
func statusOf(k errs.Kind) int {
	switch k {
	case errs.Invalid:
		return http.StatusBadRequest
	case errs.NotFound:
		return http.StatusNotFound
	case errs.NotAllowed:
		return http.StatusMethodNotAllowed
	case errs.TooLarge:
		return http.StatusRequestEntityTooLarge
	case errs.Unavailable:
		return http.StatusServiceUnavailable
	case errs.Unauthorized:
		return http.StatusUnauthorized
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.Timeout:
		return http.StatusRequestTimeout
	case errs.UnsupportedMedia:
		return http.StatusUnsupportedMediaType
	case errs.Insufficient:
		return http.StatusInsufficientStorage
	case errs.TooMany:
		return http.StatusTooManyRequests
	case errs.NotImplemented:
		return http.StatusNotImplemented
	}
	return http.StatusInternalServerError
}

func errorBody(code, msg string) gin.H {
	return gin.H{"error": gin.H{"code": code, "message": msg}}
}

// fail answers err as a JSON error and stops the handler chain.
func (s *srv) fail(c *gin.Context, err error) {
	c.Abort()
	s.writeError(c.Writer, c.Request, err)
}

// writeError writes err as a JSON error, with the status of its kind:
// every error answer of the server goes through here. Internal details go
// to the log only.
func (s *srv) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := errs.Of(err)
	status := statusOf(e.Kind)
	if status >= 500 {
		s.log.Error("request failed", "path", r.URL.Path, "code", e.Code, "err", err)
		if status == http.StatusServiceUnavailable {
			w.Header().Set("Retry-After", "1")
		}
	}
	msg := e.Message
	if e.Kind == errs.Internal {
		msg = "internal error"
	}
	body, mErr := json.Marshal(errorBody(e.Code, msg))
	if mErr != nil { // a map of strings always marshals
		panic(mErr)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}

// failWeb answers the refusals of the page handler (web.Options.Fail).
func (s *srv) failWeb(w http.ResponseWriter, r *http.Request, status int, msg string) {
	kind, code := errs.Invalid, "bad_request"
	switch status {
	case http.StatusNotFound:
		kind, code = errs.NotFound, "not_found"
	case http.StatusMethodNotAllowed:
		kind, code = errs.NotAllowed, "method_not_allowed"
	}
	s.writeError(w, r, errs.Errorf(kind, code, "%s", msg))
}

func (s *srv) recoverer(c *gin.Context) {
	defer func() {
		if p := recover(); p != nil {
			err := &errs.Error{Kind: errs.Internal, Code: "internal", Message: "panic serving request", Err: fmt.Errorf("panic: %v", p)}
			if c.Writer.Written() {
				s.log.Error("request failed", "path", c.Request.URL.Path, "code", err.Code, "err", err)
				c.Abort()
				return
			}
			s.fail(c, err)
		}
	}()
	c.Next()
}

// limitBody refuses a request body over MaxBodyBytes with 413: at once when
// Content-Length says so, otherwise when a handler reads past the limit
// (http.MaxBytesReader).
func (s *srv) limitBody(c *gin.Context) {
	if isWrite(c) {
		c.Next() // the write routes have limits of their own (write.go)
		return
	}
	if c.Request.ContentLength > s.maxBody {
		s.fail(c, errs.Errorf(errs.TooLarge, "body_too_large", "the request body is larger than %d bytes", s.maxBody))
		return
	}
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.maxBody)
	}
	c.Next()
}

// logRequests logs one line per request and records metrics.
func (s *srv) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	d := time.Since(start)
	route := c.FullPath()
	if route == "" {
		route = "other"
	}
	s.metrics.observe(route, c.Writer.Status(), d)
	s.log.Info("request", "method", c.Request.Method, "path", c.Request.URL.Path, "route", route,
		"status", c.Writer.Status(), "ms", float64(d.Microseconds())/1000, "bytes", c.Writer.Size())
}

func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	if strings.HasPrefix(c.Request.URL.Path, "/api/") || c.Request.URL.Path == "/healthz" {
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		h.Set("Cache-Control", "no-store")
	}
	c.Next()
}

// limited caps concurrent searches. A search over the cap waits for its
// turn in a bounded queue (first come, first served: blocked senders on a
// channel are woken in order), for at most QueueWait: a burst of clients is
// served (a little later) rather than refused. When the queue is full, or
// the wait runs out, it answers 503 with Retry-After.
func (s *srv) limited(c *gin.Context) {
	select {
	case s.sem <- struct{}{}: // a free slot: run now
	default:
		select {
		case s.queue <- struct{}{}:
		default:
			s.fail(c, errs.Errorf(errs.Unavailable, "overloaded", "too many searches at once; retry shortly"))
			return
		}
		t := time.NewTimer(s.wait)
		select {
		case s.sem <- struct{}{}:
			t.Stop()
			<-s.queue
		case <-t.C:
			<-s.queue
			s.fail(c, errs.Errorf(errs.Unavailable, "overloaded", "too many searches at once; retry shortly"))
			return
		case <-c.Request.Context().Done(): // the client went away
			t.Stop()
			<-s.queue
			c.AbortWithStatus(499) // nginx's "client closed request", for the log
			return
		}
	}
	defer func() { <-s.sem }()
	c.Next()
}

func (s *srv) handleSearch(c *gin.Context) {
	req, err := search.ParseRequest(c.Request.URL.Query())
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.timeout)
	defer cancel()
	resp, err := s.b.Search(ctx, req)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.recordSearch(c, req, resp)
	c.JSON(http.StatusOK, resp)
}

func (s *srv) handleArticle(c *gin.Context) {
	a, err := s.b.Article(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

func (s *srv) handleSuggest(c *gin.Context) {
	q := c.Query("q")
	if len([]rune(q)) > search.MaxQueryRunes {
		s.fail(c, errs.Errorf(errs.Invalid, "query_too_long", "prefix is too long"))
		return
	}
	sug, err := s.b.Suggest(c.Request.Context(), q, 8)
	if err != nil {
		s.fail(c, err)
		return
	}
	if sug == nil {
		sug = []string{}
	}
	c.JSON(http.StatusOK, gin.H{"suggestions": sug})
}

func (s *srv) handleHealth(c *gin.Context) {
	info := s.b.Info()
	c.JSON(http.StatusOK, gin.H{"status": "ok", "documents": info.Documents, "generation": info.Generation})
}

func (s *srv) handleAnalyze(c *gin.Context) {
	a, err := s.b.Analyze(c.Query("text"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}
