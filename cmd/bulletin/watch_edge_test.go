package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/wal"
	"github.com/govbulletin/bulletin/search/server"
)

// watchedServer serves a copy of the seeds with the write side on and
// follows a new folder; it returns the server, the index directory, the
// folder and the server's log.
func watchedServer(t *testing.T) (base, dir, watched string, logs *syncBuffer) {
	t.Helper()
	dir = seedIndex(t)
	logs = &syncBuffer{}
	lv, eng, err := openLive(dir, "", "", slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.New(eng, server.Options{Writer: liveWriter{lv}, Live: liveStats{lv, eng}, WriteKeys: []string{testKey}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(func() { ts.Close(); eng.Close(); lv.Close() })
	watched = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := lv.Watch(ctx, watched); err != nil {
		t.Fatal(err)
	}
	return ts.URL, dir, watched, logs
}

// waitTaken waits until a search for q finds the article titled title.
func waitTaken(t *testing.T, base, q, title string) {
	t.Helper()
	if !within(10*time.Second, func() bool {
		for _, h := range searchResp(t, base, "q="+url.QueryEscape(q)).Hits {
			if h.Title == title {
				return true
			}
		}
		return false
	}) {
		t.Fatalf("%q not taken in within 10 s", title)
	}
}

// TestWatchFollowsNoSymlink links files and a folder of the watched
// folder to files outside it (one of them /etc/passwd): none of them is
// read, the folder's own file is.
func TestWatchFollowsNoSymlink(t *testing.T) {
	base, dir, watched, _ := watchedServer(t)
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.txt")
	mustWriteFile(t, secret, "## 外部文件不应收录\n\n这是监视目录之外的秘密文件，标记词甲乙丙丁戊。\n")
	os.Mkdir(filepath.Join(outside, "sub"), 0o755)
	mustWriteFile(t, filepath.Join(outside, "sub", "more.txt"), "## 外部子目录文件\n\n监视目录之外的子目录文件，标记词甲乙丙丁戊。\n")
	for link, target := range map[string]string{
		"passwd.txt": "/etc/passwd",
		"secret.txt": secret,
		"sub":        filepath.Join(outside, "sub"),
	} {
		if err := os.Symlink(target, filepath.Join(watched, link)); err != nil {
			t.Fatal(err)
		}
	}
	mustWriteFile(t, filepath.Join(watched, "own.txt"), "## 大兴区举办西瓜节\n\n大兴区庞各庄镇举办西瓜节，瓜农展示新品种。\n")
	waitTaken(t, base, "西瓜节", "大兴区举办西瓜节")
	time.Sleep(3 * time.Second) // a rescan and a settling more: what was noticed is taken in
	logData, _ := os.ReadFile(filepath.Join(dir, wal.FileName))
	for _, name := range []string{"passwd.txt", "secret.txt", "sub/"} {
		if bytes.Contains(logData, []byte(filepath.Join(watched, name))) {
			t.Errorf("the link %s was followed: the log holds\n%s", name, logData)
		}
	}
	if n := len(searchResp(t, base, "q="+url.QueryEscape("甲乙丙丁戊")).Hits); n != 0 {
		t.Errorf("%d articles of files outside the watched folder are served", n)
	}
}

func mustWriteFile(t *testing.T, p, text string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// logCount counts the lines of the server's log holding all of words.
func logCount(logs *syncBuffer, words ...string) int {
	n := 0
	for _, line := range strings.Split(logs.String(), "\n") {
		all := true
		for _, w := range words {
			all = all && strings.Contains(line, w)
		}
		if all && line != "" {
			n++
		}
	}
	return n
}

// TestWatchRefusesOncePerChange puts a file over the size cap of
// `bulletin index` (a real sparse file of 65 MiB) and a corrupt .pdf in a
// watched folder: neither is served, and each is told in the log once per
// version, not at every rescan.
func TestWatchRefusesOncePerChange(t *testing.T) {
	base, _, watched, logs := watchedServer(t)
	big := filepath.Join(watched, "big.txt")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(65 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	broken := filepath.Join(watched, "broken.pdf")
	mustWriteFile(t, broken, "%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage without an end\n")
	mustWriteFile(t, filepath.Join(watched, "own.txt"), "## 大兴区举办西瓜节\n\n大兴区庞各庄镇举办西瓜节，瓜农展示新品种。\n")
	waitTaken(t, base, "西瓜节", "大兴区举办西瓜节")
	time.Sleep(5 * time.Second) // two rescans at least
	if n := logCount(logs, "file refused", "big.txt", "larger than"); n != 1 {
		t.Errorf("the file over the cap was told %d times, want once:\n%s", n, logs)
	}
	if n := logCount(logs, "file skipped", "broken.pdf"); n != 1 {
		t.Errorf("the corrupt .pdf was told %d times, want once:\n%s", n, logs)
	}
	// A new version of each is told again, once.
	if err := os.Truncate(big, 66<<20); err != nil {
		t.Fatal(err)
	}
	mustWriteFile(t, broken, "%PDF-1.4\nstill not a document\n")
	if !within(10*time.Second, func() bool {
		return logCount(logs, "file refused", "big.txt") == 2 && logCount(logs, "file skipped", "broken.pdf") == 2
	}) {
		t.Errorf("the new versions were not told once each:\n%s", logs)
	}
	time.Sleep(3 * time.Second)
	if a, b := logCount(logs, "file refused", "big.txt"), logCount(logs, "file skipped", "broken.pdf"); a != 2 || b != 2 {
		t.Errorf("told %d and %d times after the change, want 2 each", a, b)
	}
}

// TestWatchGB18030NameSurvivesRestart writes a file whose name is GB18030
// bytes (北京.txt, not valid UTF-8) into a watched folder, restarts the
// server, and checks the file is still known by its name: its article is
// served and never deleted.
func TestWatchGB18030NameSurvivesRestart(t *testing.T) {
	dir := seedIndex(t)
	watched := t.TempDir()
	name := filepath.Join(watched, "\xb1\xb1\xbe\xa9.txt")
	mustWriteFile(t, name, "## 北京市推进胡同微更新\n\n东城区胡同微更新项目完成，居民出行更加便利。\n")
	serveOnce := func() (base string, stop func()) {
		lv, eng, err := openLive(dir, "", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		h, err := server.New(eng, server.Options{Writer: liveWriter{lv}, Live: liveStats{lv, eng}, WriteKeys: []string{testKey}})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(h)
		ctx, cancel := context.WithCancel(context.Background())
		if err := lv.Watch(ctx, watched); err != nil {
			t.Fatal(err)
		}
		return ts.URL, func() { cancel(); ts.Close(); eng.Close(); lv.Close() }
	}
	base, stop := serveOnce()
	waitTaken(t, base, "胡同微更新", "北京市推进胡同微更新")
	stop()
	base, stop = serveOnce()
	defer stop()
	time.Sleep(4 * time.Second) // a settling and a rescan after the start
	waitTaken(t, base, "胡同微更新", "北京市推进胡同微更新")
	logData, _ := os.ReadFile(filepath.Join(dir, wal.FileName))
	if bytes.Contains(logData, []byte(`"op":"delete"`)) {
		t.Errorf("the restart took the file for a removed one:\n%s", logData)
	}
	if n := bytes.Count(logData, []byte(`"op":"put"`)); n != 1 {
		t.Errorf("%d puts in the log, want 1 (the file is the same):\n%s", n, logData)
	}
}

// TestWatchChecksArticlesAsEveryPath puts a file whose title is only a
// zero-width space in a watched folder: it is not served (the write API
// refuses such an article, and a replay or a full build would drop it),
// and a full build of the folder reports it skipped.
func TestWatchChecksArticlesAsEveryPath(t *testing.T) {
	base, dir, watched, logs := watchedServer(t)
	zw := filepath.Join(watched, "zw.txt")
	mustWriteFile(t, zw, "\u200b\n\n东城区胡同微更新项目完成，标记词庚辛壬癸。\n")
	mustWriteFile(t, filepath.Join(watched, "own.txt"), "## 大兴区举办西瓜节\n\n大兴区庞各庄镇举办西瓜节，瓜农展示新品种。\n")
	waitTaken(t, base, "西瓜节", "大兴区举办西瓜节")
	time.Sleep(3 * time.Second)
	if n := len(searchResp(t, base, "q="+url.QueryEscape("庚辛壬癸")).Hits); n != 0 {
		t.Errorf("the article titled only by a zero-width space is served (%d hits)", n)
	}
	logData, _ := os.ReadFile(filepath.Join(dir, wal.FileName))
	if bytes.Contains(logData, []byte(zw)) {
		t.Errorf("the article titled only by a zero-width space was logged:\n%s", logData)
	}
	if logCount(logs, "article skipped", "zw.txt", "title") != 1 {
		t.Errorf("the skipped article was not told once:\n%s", logs)
	}
	if a := call(t, "PUT", base+"/api/articles/zw", testKey, `{"title":"\u200b","body":"东城区胡同微更新项目完成。"}`); a.status != http.StatusBadRequest {
		t.Errorf("the API took the same article: %d %s", a.status, a.raw)
	}
	rep, err := indexer.Build(context.Background(), filepath.Join(t.TempDir(), "idx"), indexer.Config{}, watched)
	if err != nil {
		t.Fatal(err)
	}
	skipped := false
	for _, s := range rep.Skipped {
		skipped = skipped || (strings.HasSuffix(s.Path, "zw.txt") && strings.Contains(s.Reason, `"title" is empty`))
	}
	if !skipped || rep.Articles != 1 {
		t.Errorf("full build: %d articles, skipped %v; want 1 and zw.txt skipped", rep.Articles, rep.Skipped)
	}
}
