package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/devtools/oscluster"
	"github.com/govbulletin/bulletin/internal/osconn"
	osengine "github.com/govbulletin/bulletin/search/opensearch"
	"github.com/govbulletin/bulletin/search/server"
)

// TestMeasureOpenSearchWrites prints (asserts nothing about) the write
// API's latency and rate on a one-node cluster with default settings:
// sequential PUTs, 8 concurrent clients, one _bulk of 5,000 articles. Run
// on demand only (README): BULLETIN_MEASURE=1.
func TestMeasureOpenSearchWrites(t *testing.T) {
	if os.Getenv("BULLETIN_MEASURE") == "" {
		t.Skip("a measurement: BULLETIN_MEASURE=1 go test ./cmd/bulletin -run TestMeasureOpenSearchWrites -v")
	}
	cluster := oscluster.Start(t, 1)
	osURL := cluster.URLs()[0]
	ctx := context.Background()
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"index", "--opensearch", osURL, filepath.Join("..", "..", "seeds")}, &out, &errb); code != 0 {
		t.Fatal(errb.String())
	}
	c, err := osconn.New(osconn.Config{URLs: []string{osURL}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	keys := filepath.Join(t.TempDir(), "keys")
	os.WriteFile(keys, []byte(testKey+"\n"), 0o600)
	eng, err := osengine.Open(ctx, c, osengine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	opts := server.Options{}
	if err := osWriteSide(ctx, c, writeOptions{keysFile: keys}, slog.New(slog.NewTextHandler(io.Discard, nil)), &opts); err != nil {
		t.Fatal(err)
	}
	h, err := server.New(eng, opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	art := ts.URL + "/api/articles/"
	var lat []time.Duration
	for i := 0; i < 30; i++ {
		s := time.Now()
		a := call(t, "PUT", art+fmt.Sprintf("m-%d", i), testKey, fmt.Sprintf(`{"title":"海淀区第%d号社区卫生服务站开诊","body":"海淀区第%d号社区卫生服务站正式开诊，提供基本医疗和公共卫生服务。"}`, i, i))
		if a.status != 200 {
			t.Fatal(a.raw)
		}
		lat = append(lat, time.Since(s))
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	t.Logf("30 sequential PUTs: p50 %v, max %v", lat[15].Round(time.Millisecond), lat[29].Round(time.Millisecond))
	var wg sync.WaitGroup
	s := time.Now()
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				if a := call(t, "PUT", art+fmt.Sprintf("c-%d-%d", g, i), testKey, `{"title":"朝阳区社区养老驿站开放","body":"朝阳区社区养老驿站正式开放。"}`); a.status != 200 {
					t.Error(a.raw)
				}
			}
		}()
	}
	wg.Wait()
	t.Logf("8 clients x 10 PUTs: %v, %.1f PUT/s", time.Since(s).Round(time.Millisecond), 80/time.Since(s).Seconds())
	var b strings.Builder
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, `{"id":"bk-%d","title":"朝阳区第%d号社区养老驿站开放","body":"朝阳区第%d号社区养老驿站正式开放，为老年人提供助餐、日间照料等服务。%s"}`+"\n", i, i, i, strings.Repeat("街道持续推进老旧小区改造和便民服务设施建设。", 20))
	}
	s = time.Now()
	a := call(t, "POST", art+"_bulk", testKey, b.String())
	t.Logf("bulk of 5000 articles (%.1f MB): %d in %v, %.0f articles/s; %.100s", float64(b.Len())/1e6, a.status, time.Since(s).Round(time.Millisecond), 5000/time.Since(s).Seconds(), a.raw)
}
