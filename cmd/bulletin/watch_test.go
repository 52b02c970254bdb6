package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/indexer/wal"
	"github.com/govbulletin/bulletin/search/server"
)

// TestWatchStartSettles starts watching a folder while a file in it is
// still being written: it is taken in once whole, not half-done at start.
// A file that was there whole is taken in too.
func TestWatchStartSettles(t *testing.T) {
	dir := seedIndex(t)
	ts, _, live := liveServer(t, dir, server.Options{})
	watched := t.TempDir()
	os.WriteFile(filepath.Join(watched, "done.txt"), []byte("## 大兴区举办西瓜节\n\n大兴区庞各庄镇举办西瓜节，瓜农展示新品种。\n"), 0o644)
	p := filepath.Join(watched, "growing.txt")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("## 通州区运河沿线新建绿道\n\n通州区运河沿线新建滨水绿道，")
	f.Sync()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := live.Watch(ctx, watched); err != nil {
		t.Fatal(err)
	}
	time.Sleep(600 * time.Millisecond)
	f.WriteString("沿途设置骑行驿站。\n")
	f.Close()

	found := func(q, title string) bool {
		for _, h := range searchResp(t, ts.URL, "q="+url.QueryEscape(q)).Hits {
			if h.Title == title && strings.Contains(h.Snippet, q) {
				return true
			}
		}
		return false
	}
	if !within(5*time.Second, func() bool {
		return found("骑行驿站", "通州区运河沿线新建绿道") && found("西瓜节", "大兴区举办西瓜节")
	}) {
		t.Fatal("files present at start not taken in within 5 s")
	}
	logData, _ := os.ReadFile(filepath.Join(dir, wal.FileName))
	if n := bytes.Count(logData, []byte(`"origin":"`+p+`"`)); n != 1 {
		t.Errorf("%d versions of the file written at start in the log, want 1 (read half-written?)\n%s", n, logData)
	}
}
