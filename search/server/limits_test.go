package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/internal/errs"
	"github.com/govbulletin/bulletin/search"
)

// blockingBackend is a Backend whose searches wait until released (or
// their deadline passes), to fill the server's slots at will.
type blockingBackend struct {
	Backend // methods not defined here are not called
	entered chan struct{}
	release chan struct{}
	queries chan string // if not nil, each search's query as it starts
	panics  bool
}

func (b *blockingBackend) Search(ctx context.Context, req search.Request) (*search.Response, error) {
	if b.panics {
		panic("/secret/internal/path.go: boom")
	}
	if b.queries != nil {
		b.queries <- req.Query
	}
	b.entered <- struct{}{}
	select {
	case <-b.release:
		return &search.Response{Query: req.Query, Hits: []search.Hit{}}, nil
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, &errs.Error{Kind: errs.Unavailable, Code: "timeout", Message: "the search took too long", Err: ctx.Err()}
		}
		return nil, ctx.Err()
	}
}
func (b *blockingBackend) Article(ctx context.Context, id string) (*schema.Article, error) {
	return nil, &errs.Error{Kind: errs.Internal, Code: "internal", Message: "x", Err: errors.New("open /secret/index/gen-1/articles.db: corrupt")}
}
func (b *blockingBackend) Suggest(ctx context.Context, prefix string, n int) ([]string, error) {
	return nil, nil
}
func (b *blockingBackend) Info() search.Info { return search.Info{} }

func newBlocking(t *testing.T, opts Options) (*blockingBackend, *httptest.Server) {
	b := &blockingBackend{entered: make(chan struct{}, 100), release: make(chan struct{})}
	h, err := New(b, opts)
	if err != nil {
		t.Fatal(err)
	}
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return b, s
}

type answer struct {
	status int
	code   string
	retry  string
	body   string
}

func fetch(url string) answer {
	resp, err := http.Get(url)
	if err != nil {
		return answer{status: -1, body: err.Error()}
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	json.Unmarshal(raw, &e)
	return answer{resp.StatusCode, e.Error.Code, resp.Header.Get("Retry-After"), string(raw)}
}

// TestConcurrencyCap: searches beyond the cap wait in a bounded queue and
// are served once a slot frees; beyond the queue they get 503 overloaded
// with Retry-After at once.
func TestConcurrencyCap(t *testing.T) {
	b, s := newBlocking(t, Options{MaxConcurrent: 2, MaxQueued: 2, QueueWait: 5 * time.Second})
	var wg sync.WaitGroup
	answers := make(chan answer, 4)
	for i := 0; i < 4; i++ { // 2 run, 2 wait
		wg.Add(1)
		go func() { defer wg.Done(); answers <- fetch(s.URL + "/api/search?q=x") }()
	}
	<-b.entered
	<-b.entered
	waitForGauge(t, s.URL, "bulletin_searches_waiting", 2)
	start := time.Now()
	a := fetch(s.URL + "/api/search?q=x")
	if a.status != http.StatusServiceUnavailable || a.code != "overloaded" || a.retry == "" {
		t.Fatalf("over the queue: %+v, want 503 overloaded with Retry-After", a)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the refusal took %v", d)
	}
	close(b.release)
	wg.Wait()
	close(answers)
	for a := range answers {
		if a.status != http.StatusOK {
			t.Errorf("a search within the cap and queue got %+v", a)
		}
	}
}

// TestQueueOrder: waiting searches run in the order they arrived.
func TestQueueOrder(t *testing.T) {
	b, s := newBlocking(t, Options{MaxConcurrent: 1, MaxQueued: 10, QueueWait: 10 * time.Second})
	b.queries = make(chan string, 10)
	var wg sync.WaitGroup
	get := func(q string) {
		wg.Add(1)
		go func() { defer wg.Done(); fetch(s.URL + "/api/search?q=" + q) }()
	}
	get("first")
	<-b.entered
	waiting := []string{"a", "b", "c", "d", "e"}
	for n, q := range waiting {
		get(q)
		waitForGauge(t, s.URL, "bulletin_searches_waiting", n+1) // in the queue before the next one comes
	}
	var order []string
	for range len(waiting) + 1 {
		order = append(order, <-b.queries)
		b.release <- struct{}{}
		if len(order) <= len(waiting) {
			<-b.entered
		}
	}
	wg.Wait()
	if got, want := strings.Join(order, " "), "first "+strings.Join(waiting, " "); got != want {
		t.Errorf("searches ran in the order %q, want %q", got, want)
	}
}

// waitForGauge polls /metrics until the gauge reads want.
func waitForGauge(t *testing.T, base, name string, want int) {
	t.Helper()
	line := fmt.Sprintf("%s %d\n", name, want)
	for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(5 * time.Millisecond) {
		if strings.Contains(fetch(base+"/metrics").body, line) {
			return
		}
	}
	t.Fatalf("%s never reached %d", name, want)
}

// TestQueueWait: a search that waits longer than QueueWait gets 503.
func TestQueueWait(t *testing.T) {
	b, s := newBlocking(t, Options{MaxConcurrent: 1, MaxQueued: 4, QueueWait: 100 * time.Millisecond})
	go fetch(s.URL + "/api/search?q=x")
	<-b.entered
	a := fetch(s.URL + "/api/search?q=y")
	if a.status != http.StatusServiceUnavailable || a.code != "overloaded" || a.retry == "" {
		t.Fatalf("after waiting: %+v, want 503 overloaded with Retry-After", a)
	}
	close(b.release)
}

// TestSearchDeadline: a search that runs past its deadline answers 503
// with code "timeout" instead of hanging.
func TestSearchDeadline(t *testing.T) {
	_, s := newBlocking(t, Options{Timeout: 50 * time.Millisecond})
	start := time.Now()
	a := fetch(s.URL + "/api/search?q=x")
	if a.status != http.StatusServiceUnavailable || a.code != "timeout" || a.retry == "" {
		t.Fatalf("%+v, want 503 timeout", a)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("answered after %v", d)
	}
}

// TestNoInternalsInErrors: a panic and an internal error answer 500 with a
// JSON error that holds neither a stack trace nor a file path.
func TestNoInternalsInErrors(t *testing.T) {
	b, s := newBlocking(t, Options{})
	b.panics = true
	for _, path := range []string{"/api/search?q=x", "/api/articles/abc"} {
		a := fetch(s.URL + path)
		if a.status != http.StatusInternalServerError || a.code != "internal" {
			t.Errorf("%s: %+v, want 500 internal", path, a)
		}
		for _, leak := range []string{"/secret", "goroutine", ".go:", "panic", "corrupt"} {
			if strings.Contains(a.body, leak) {
				t.Errorf("%s: body leaks %q: %s", path, leak, a.body)
			}
		}
	}
}
