package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/wal"
	"github.com/govbulletin/bulletin/search"
)

// logRecords reads the write log of dir: how many records each id has.
func logRecords(t *testing.T, dir string) map[string]int {
	t.Helper()
	ids := map[string]int{}
	if _, err := wal.Read(filepath.Join(dir, indexer.LogFile), 0, func(_ int64, raw []byte) error {
		var r indexer.Record
		if err := json.Unmarshal(raw, &r); err != nil {
			return err
		}
		ids[r.ID]++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestFoldKeepsWhatTheLogSays writes many versions of articles, deletes
// some (one of them an article of the files), folds the log, and checks
// that the folded log says the same: after a restart (a replay), after a
// full `bulletin index` of the files, and to a watched folder (its file is
// not taken in again).
func TestFoldKeepsWhatTheLogSays(t *testing.T) {
	dir := seedIndex(t)
	ctx := context.Background()
	live, eng, err := openLive(dir, "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	// An article of the files, deleted through the API.
	hits, err := eng.Search(ctx, mustRequest(t, "q="+url.QueryEscape("养老驿站")))
	if err != nil || len(hits.Hits) == 0 {
		t.Fatalf("no seed article to delete: %v", err)
	}
	fileArticle := hits.Hits[0].ID

	watched := t.TempDir()
	page := filepath.Join(watched, "page.txt")
	os.WriteFile(page, []byte("## 密云区水库周边开展巡河\n\n密云区组织志愿者在水库周边开展巡河护水活动。\n"), 0o644)
	wctx, stopWatch := context.WithCancel(ctx)
	if err := live.Watch(wctx, watched); err != nil {
		t.Fatal(err)
	}
	if !within(5*time.Second, func() bool {
		r, _ := eng.Search(ctx, mustRequest(t, "q="+url.QueryEscape("巡河护水")))
		return r != nil && r.Total == 1
	}) {
		t.Fatal("watched file not taken in")
	}

	for v := 1; v <= 6; v++ {
		var b strings.Builder
		for i := 0; i < 20; i++ {
			fmt.Fprintf(&b, `{"id":"f-%d","title":"昌平区回龙观第%d版通报%d","body":"昌平区回龙观街道发布第%d版社区通报，编号%d。"}`+"\n", i, v, i, v, i)
		}
		if n, bad, err := live.Bulk(ctx, strings.NewReader(b.String())); err != nil || n != 20 || len(bad) > 0 {
			t.Fatalf("bulk v%d: %d %v %v", v, n, bad, err)
		}
	}
	for i := 0; i < 5; i++ {
		if err := live.DeleteID(ctx, fmt.Sprintf("f-%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := live.DeleteID(ctx, fileArticle); err != nil {
		t.Fatal(err)
	}
	before := live.LogSize()
	if err := live.Fold(); err != nil {
		t.Fatal(err)
	}
	after := live.LogSize()
	t.Logf("log folded from %d to %d bytes", before, after)
	if after*4 > before {
		t.Errorf("log folded from %d to %d bytes only", before, after)
	}
	for id, n := range logRecords(t, dir) {
		if n != 1 {
			t.Errorf("id %s has %d records in the folded log", id, n)
		}
	}
	// Writes after the fold go on.
	if _, err := live.PutJSON(ctx, "f-19", []byte(`{"title":"昌平区回龙观第7版通报19","body":"昌平区回龙观街道发布第7版社区通报。"}`)); err != nil {
		t.Fatal(err)
	}
	stopWatch()
	eng.Close()
	live.Close()

	check := func(stage string, eng *search.Engine) {
		t.Helper()
		for i := 0; i < 20; i++ {
			a, err := eng.Article(ctx, fmt.Sprintf("f-%d", i))
			want := fmt.Sprintf("第6版通报%d", i)
			if i == 19 {
				want = "第7版通报19"
			}
			switch {
			case i < 5 && err == nil:
				t.Errorf("%s: deleted f-%d is there", stage, i)
			case i >= 5 && (err != nil || !strings.Contains(a.Title, want)):
				t.Errorf("%s: f-%d: %v %v, want the title with %s", stage, i, a, err, want)
			}
		}
		if _, err := eng.Article(ctx, fileArticle); err == nil {
			t.Errorf("%s: the file article deleted through the API is back", stage)
		}
		r, err := eng.Search(ctx, mustRequest(t, "q="+url.QueryEscape("巡河护水")))
		if err != nil || r.Total != 1 {
			t.Errorf("%s: the watched file's article: %v %v", stage, r, err)
		}
	}

	// A restart replays the folded log.
	live, eng, err = openLive(dir, "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	check("after a restart", eng)
	// The watched folder knows its file from the folded log: not taken in again.
	puts := bytes.Count(mustRead(t, filepath.Join(dir, indexer.LogFile)), []byte(page))
	wctx, stopWatch = context.WithCancel(ctx)
	if err := live.Watch(wctx, watched); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2500 * time.Millisecond)
	stopWatch()
	if n := bytes.Count(mustRead(t, filepath.Join(dir, indexer.LogFile)), []byte(page)); n != puts {
		t.Errorf("the watched file was taken in again after the fold (%d records name it, %d before)", n, puts)
	}
	eng.Close()
	live.Close()

	// A full index of the files (the watched folder too: its article has
	// the id the log gives it, and is there once) keeps what came through
	// the API.
	if _, err := indexer.Build(ctx, dir, indexer.Config{}, filepath.Join("..", "..", "seeds"), watched); err != nil {
		t.Fatal(err)
	}
	ro, err := search.Open(dir, search.Options{Poll: -1})
	if err != nil {
		t.Fatal(err)
	}
	check("after a full index", ro)
	ro.Close()
	// And a server on that generation replays nothing twice: still right.
	live, eng, err = openLive(dir, "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	check("serving the new generation", eng)
	eng.Close()
	live.Close()
}

// TestLogHeldByOneServer: a second server on the same index cannot open
// the write log (it would cut a record being appended as a torn tail).
func TestLogHeldByOneServer(t *testing.T) {
	dir := seedIndex(t)
	live, eng, err := openLive(dir, "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { eng.Close(); live.Close() }()
	if _, _, err := openLive(dir, "", "", nil); err == nil || !strings.Contains(err.Error(), "held") {
		t.Errorf("a second live server: %v, want the log held", err)
	}
}

func mustRequest(t *testing.T, q string) search.Request {
	t.Helper()
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	r, err := search.ParseRequest(v)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
