package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/devtools/oscluster"
	"github.com/govbulletin/bulletin/internal/osconn"
	"github.com/govbulletin/bulletin/search"
	osengine "github.com/govbulletin/bulletin/search/opensearch"
	"github.com/govbulletin/bulletin/search/server"
)

// TestOpenSearchCommands runs `bulletin index --opensearch` twice and
// `bulletin search --opensearch --json` against a real one-node cluster and
// compares the answers with the embedded engine's; then it serves the API
// from the cluster over real HTTP, stops the cluster, and expects 503 with
// the JSON error, never a 500.
func TestOpenSearchCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an OpenSearch node")
	}
	cluster := oscluster.Start(t, 1)
	osURL := cluster.URLs()[0]
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	seeds := filepath.Join("..", "..", "seeds")
	dir := t.TempDir()
	cli := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if code := run(ctx, args, &out, &errb); code != 0 {
			t.Fatalf("bulletin %s: exit %d\n%s", strings.Join(args, " "), code, errb.String())
		}
		return out.String()
	}
	cli("index", "--index", dir, seeds)
	cli("index", "--opensearch", osURL, seeds)
	cli("index", "--opensearch", osURL, "--opensearch-index", "bulletins", seeds) // a second generation replaces the first

	c, err := osconn.New(osconn.Config{URLs: []string{osURL}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var aliases map[string]any
	if err := c.Do(ctx, http.MethodGet, "/_alias/bulletins", nil, &aliases); err != nil || len(aliases) != 1 {
		t.Fatalf("alias bulletins names %v (%v), want one index", aliases, err)
	}
	var indices []map[string]string
	if err := c.Do(ctx, http.MethodGet, "/_cat/indices/bulletins-*?format=json", nil, &indices); err != nil {
		t.Fatal(err)
	}
	if len(indices) != 2 { // the generation and its vocabulary
		t.Errorf("indexes after two runs: %v, want the current generation and its vocabulary only", indices)
	}

	for _, q := range []string{"养老驿站", "回龙观 体育", "ylyz", "养老驿战"} {
		norm := func(s string) string {
			var r search.Response
			if err := json.Unmarshal([]byte(s), &r); err != nil {
				t.Fatalf("%q: %v in %s", q, err, s)
			}
			r.TookMS = 0
			for i := range r.Hits {
				r.Hits[i].Score = 0
			}
			b, _ := json.Marshal(r)
			return string(b)
		}
		emb := norm(cli("search", "--index", dir, "--json", q))
		got := norm(cli("search", "--opensearch", osURL, "--json", q))
		if got != emb {
			t.Errorf("search %q:\n opensearch %s\n embedded   %s", q, got, emb)
		}
	}

	eng, err := osengine.Open(ctx, c, osengine.Options{Poll: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	h, err := server.New(eng, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	get := func(path string) (int, []byte) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	code, body := get("/api/search?q=" + url.QueryEscape("养老驿站"))
	var r search.Response
	if code != 200 || json.Unmarshal(body, &r) != nil || r.Total == 0 {
		t.Fatalf("GET /api/search: %d %s", code, body)
	}
	if code, body := get("/api/articles/" + r.Hits[0].ID); code != 200 || !strings.Contains(string(body), r.Hits[0].Title) {
		t.Errorf("GET /api/articles/%s: %d %s", r.Hits[0].ID, code, body)
	}
	if code, _ := get("/api/articles/nope"); code != 404 {
		t.Errorf("unknown article: %d, want 404", code)
	}
	if code, body := get("/api/suggest?q=" + url.QueryEscape("补齐")); code != 200 || !strings.Contains(string(body), "补齐") {
		t.Errorf("suggest: %d %s", code, body)
	}

	cluster.Stop()
	code, body = get("/api/search?q=" + url.QueryEscape("学位"))
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if code != http.StatusServiceUnavailable || json.Unmarshal(body, &e) != nil || e.Error.Code == "" {
		t.Errorf("search with the cluster down: %d %s, want 503 with a JSON error", code, body)
	}
}
