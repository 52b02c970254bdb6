package opensearch

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/devtools/oscluster"
	"github.com/govbulletin/bulletin/indexer/store"
	"github.com/govbulletin/bulletin/internal/osconn"
	"github.com/govbulletin/bulletin/search/server"
)

// TestOpenSearchLongIDs: every id an article can have (up to
// store.MaxIDLen bytes, with characters that need escaping in a path) is
// read through GET /api/articles/{id} from both engines alike; a longer
// id is not found by either.
func TestOpenSearchLongIDs(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an OpenSearch node")
	}
	cluster := oscluster.Start(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c, err := osconn.New(osconn.Config{URLs: cluster.URLs(), Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	ids := []string{"short-1", strings.Repeat("a", 64), strings.Repeat("b", 65), "http://example.gov.cn/" + strings.Repeat("c", 200) + "?x=1&y=2",
		strings.Repeat("文", 100), strings.Repeat("d", store.MaxIDLen)}
	var lines strings.Builder
	for i, id := range ids {
		b, _ := json.Marshal(map[string]any{"id": id, "title": fmt.Sprintf("长编号文章%d", i), "body": "社区食堂开张，欢迎居民前来就餐。", "date": "2024-05-01"})
		lines.Write(append(b, '\n'))
	}
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "ids.jsonl"), []byte(lines.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	p := indexBoth(t, ctx, c, "longids", src)

	for name, b := range map[string]server.Backend{"embedded": p.emb, "opensearch": p.ose} {
		h, err := server.New(b, server.Options{})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		get := func(id string) (int, string) {
			resp, err := http.Get(srv.URL + "/api/articles/" + url.PathEscape(id))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var a struct {
				ID string `json:"id"`
			}
			json.NewDecoder(resp.Body).Decode(&a)
			return resp.StatusCode, a.ID
		}
		for _, id := range ids {
			if code, got := get(id); code != http.StatusOK || got != id {
				t.Errorf("%s: GET the article of a %d-byte id: %d, id %.40q", name, len(id), code, got)
			}
		}
		// An id no article can have is a bad request on both engines.
		if code, _ := get(strings.Repeat("e", store.MaxIDLen+1)); code != http.StatusBadRequest {
			t.Errorf("%s: an id over %d bytes: %d, want 400", name, store.MaxIDLen, code)
		}
		srv.Close()
	}
}
