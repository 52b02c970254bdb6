package embedded_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/internal/errs"
	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/embedded"
)

// writePages writes n one-article bulletin pages whose titles and bodies
// carry tag (a word found in no other generation).
func writePages(t *testing.T, dir, tag string, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		text := fmt.Sprintf("%s社区养老驿站第%d期\n\n□本报记者 张明\n\n本报讯 昌平区回龙观街道推进%s，新建社区养老驿站%d处，"+
			"为辖区老年人提供助餐、助浴和日间照料服务。街道负责人表示，%s将覆盖全部社区。\n", tag, i, tag, i+1, tag)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%03d.txt", tag, i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func buildGen(t *testing.T, dir, tag string, n int) *schema.Meta {
	t.Helper()
	in := t.TempDir()
	writePages(t, in, tag, n)
	if _, err := indexer.Build(context.Background(), dir, indexer.Config{}, in); err != nil {
		t.Fatal(err)
	}
	_, m, err := schema.Current(dir)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestReloadUnderLoad: a running Engine notices each newly published
// generation and switches to it while searches run concurrently: no
// search fails, results switch to the new content, and generations that
// the indexer deletes while they are still open keep serving until
// released.
func TestReloadUnderLoad(t *testing.T) {
	dir := t.TempDir()
	a := buildGen(t, dir, "xqalpha", 20)
	eng, err := embedded.Open(dir, embedded.Options{Poll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	if eng.Info().Generation != a.Name {
		t.Fatalf("serving %q, want %q", eng.Info().Generation, a.Name)
	}

	var (
		stop     atomic.Bool
		searches atomic.Int64
		errMu    sync.Mutex
		failures []error
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		errMu.Lock()
		if len(failures) < 10 {
			failures = append(failures, err)
		}
		errMu.Unlock()
	}
	queries := []search.Request{
		{Query: "养老驿站"}, {Query: "xqalpha"}, {Query: "xqbeta"}, {Query: "xqgamma"},
		{}, {Query: "养老", Districts: []string{"昌平区"}}, {Sort: "date", Size: 50},
	}
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; !stop.Load(); i++ {
				resp, err := eng.Search(context.Background(), queries[i%len(queries)])
				if err != nil {
					fail(fmt.Errorf("search %d: %w", i, err))
					continue
				}
				searches.Add(1)
				if len(resp.Hits) > 0 {
					// errs.NotFound is right when the generation switched
					// in between to one without this article.
					if _, err := eng.Article(context.Background(), resp.Hits[0].ID); err != nil && errs.KindOf(err) != errs.NotFound {
						fail(fmt.Errorf("article %s: %w", resp.Hits[0].ID, err))
					}
				}
			}
		}(w)
	}

	waitFor := func(name string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for eng.Info().Generation != name {
			if time.Now().After(deadline) {
				t.Fatalf("still serving %q 10 s after %q was published", eng.Info().Generation, name)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	hits := func(q string) uint64 {
		t.Helper()
		resp, err := eng.Search(context.Background(), search.Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		return resp.Total
	}
	if hits("xqalpha") == 0 || hits("xqbeta") != 0 {
		t.Fatal("generation A: wrong content")
	}

	b := buildGen(t, dir, "xqbeta", 30)
	waitFor(b.Name)
	if hits("xqbeta") == 0 || hits("xqalpha") != 0 {
		t.Error("after the switch to B: results are not B's")
	}
	if eng.Info().Documents != 30 {
		t.Errorf("B: %d documents, want 30", eng.Info().Documents)
	}
	// Two more generations in quick succession: the indexer deletes A and
	// perhaps B while the engine may still hold them.
	buildGen(t, dir, "xqgamma", 10)
	d := buildGen(t, dir, "xqdelta", 40)
	waitFor(d.Name)
	time.Sleep(100 * time.Millisecond) // searches on the last one too
	stop.Store(true)
	wg.Wait()

	if hits("xqdelta") == 0 || hits("xqbeta") != 0 {
		t.Error("after the switch to D: results are not D's")
	}
	for _, err := range failures {
		t.Error(err)
	}
	if searches.Load() < 10 {
		t.Errorf("only %d searches ran", searches.Load())
	}
	t.Logf("%d searches during 3 switches", searches.Load())
}

// TestReloadRefusesSchemaMismatch: a published generation with another
// schema version is not switched to; the engine says why and keeps
// serving the generation it has.
func TestReloadRefusesSchemaMismatch(t *testing.T) {
	dir := t.TempDir()
	a := buildGen(t, dir, "xqalpha", 5)
	eng, err := embedded.Open(dir, embedded.Options{Poll: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()

	b := buildGen(t, dir, "xqbeta", 5)
	p := filepath.Join(dir, b.Name, schema.MetaFile)
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	raw = []byte(strings.Replace(string(raw), fmt.Sprintf(`"schema": %d`, schema.Version), `"schema": 999`, 1))
	if err := os.WriteFile(p, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	err = eng.Reload()
	if err == nil || !strings.Contains(err.Error(), "schema version 999") {
		t.Fatalf("Reload: %v, want a schema version error", err)
	}
	if eng.Info().Generation != a.Name {
		t.Fatalf("serving %q, want %q", eng.Info().Generation, a.Name)
	}
	resp, err := eng.Search(context.Background(), search.Request{Query: "xqalpha"})
	if err != nil || resp.Total == 0 {
		t.Fatalf("still serving A: %v, %d hits", err, resp.Total)
	}
	if _, err := embedded.Open(dir, embedded.Options{Poll: -1}); err == nil || !strings.Contains(err.Error(), "schema version 999") {
		t.Fatalf("Open: %v, want a schema version error", err)
	}
}
