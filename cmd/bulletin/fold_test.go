package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/wal"
	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/embedded"
	"github.com/govbulletin/bulletin/search/server"
)

// logRecords reads the write log of dir: how many records each id has.
func logRecords(t *testing.T, dir string) map[string]int {
	t.Helper()
	ids := map[string]int{}
	if _, err := wal.Read(filepath.Join(dir, wal.FileName), 0, func(_ int64, raw []byte) error {
		var r wal.Record
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

	check := func(stage string, eng *embedded.Engine) {
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
	puts := bytes.Count(mustRead(t, filepath.Join(dir, wal.FileName)), []byte(page))
	wctx, stopWatch = context.WithCancel(ctx)
	if err := live.Watch(wctx, watched); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2500 * time.Millisecond)
	stopWatch()
	if n := bytes.Count(mustRead(t, filepath.Join(dir, wal.FileName)), []byte(page)); n != puts {
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
	ro, err := embedded.Open(dir, embedded.Options{Poll: -1})
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

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// testBinary builds the bulletin binary once for the tests that run it as
// a real process.
func testBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		d, err := os.MkdirTemp("", "bulletin-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(d, "bulletin")
		build := exec.Command("go", "build", "-o", binPath, ".")
		build.Stderr = os.Stderr
		binErr = build.Run()
	})
	if binErr != nil {
		t.Fatalf("go build: %v", binErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	setGinMode("") // as serve does, for the servers the tests build in process
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// startServer runs `bulletin serve` on dir as a real process (env added to
// its environment) and returns it with its base URL and its stderr.
func startServer(t *testing.T, bin, dir string, env []string, args ...string) (*exec.Cmd, string, *syncBuffer) {
	t.Helper()
	return startServeArgs(t, bin, env, append([]string{"--index", dir}, args...)...)
}

// startServeArgs runs the binary's serve on a free loopback port with args
// (and env added to its environment) and returns it with its base URL and
// its stderr.
func startServeArgs(t *testing.T, bin string, env []string, args ...string) (*exec.Cmd, string, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	out, _ := cmd.StdoutPipe()
	errb := &syncBuffer{wrote: make(chan struct{}, 1)}
	cmd.Stderr = errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if i := strings.Index(sc.Text(), "http://"); i >= 0 {
				addr <- strings.TrimSuffix(sc.Text()[i:], "/")
			}
		}
	}()
	select {
	case a := <-addr:
		return cmd, a, errb
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("server did not start: %s", errb.String())
	}
	return nil, "", nil
}

// syncBuffer is a bytes.Buffer safe for a process's writes and the test's reads.
type syncBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	wrote chan struct{} // a token after each write
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.wrote != nil {
		select {
		case s.wrote <- struct{}{}:
		default:
		}
	}
	return s.b.Write(p)
}

// waitFor waits up to d for the count of s in the output to pass n.
func (s *syncBuffer) waitFor(sub string, n int, d time.Duration) bool {
	end := time.After(d)
	for {
		if strings.Count(s.String(), sub) > n {
			return true
		}
		select {
		case <-s.wrote:
		case <-end:
			return false
		}
	}
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestKillNineDuringFold runs a real server whose write log folds every
// few hundred kilobytes while clients rewrite the same articles again and
// again, kills it with SIGKILL at moments that fall during folds too (the
// unfinished copy beside the log shows it), restarts it, and checks that
// the last acknowledged version of every article (or a later one) is
// there, and that the log stays bounded by what it holds, not by what was
// written.
func TestKillNineDuringFold(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs servers")
	}
	bin := testBinary(t)
	dir := seedIndex(t)
	keys := filepath.Join(t.TempDir(), "keys")
	os.WriteFile(keys, []byte(testKey+"\n"), 0o600)
	env := []string{"BULLETIN_LOG_FOLD_BYTES=65536"}
	logPath := filepath.Join(dir, wal.FileName)
	filler := strings.Repeat("社区养老驿站开展助餐服务，", 160)

	var mu sync.Mutex
	acked := map[string]int{} // id → last version acknowledged
	version := func(title string) int {
		var v int
		fmt.Sscanf(title[strings.LastIndex(title, "版本")+len("版本"):], "%d", &v)
		return v
	}
	check := func(stage, base string) {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		for id, v := range acked {
			a := call(t, "GET", base+"/api/articles/"+id, "", "")
			title, _ := a.body["title"].(string)
			if a.status != 200 || version(title) < v {
				t.Fatalf("%s: article %s: %d %q, want version %d or later", stage, id, a.status, title, v)
			}
		}
	}

	// BULLETIN_KILL_ROUNDS and BULLETIN_KILL_SECONDS make it a longer run
	// (the durability figures: rounds of writing, each ended by SIGKILL).
	minRounds, extra := envInt(t, "BULLETIN_KILL_ROUNDS", 3), envInt(t, "BULLETIN_KILL_SECONDS", 0)
	midFold, folds, written := 0, 0, 0
	round := 0
	for ; round < max(10, minRounds) && (round < minRounds || midFold < 2); round++ {
		cmd, base, errb := startServer(t, bin, dir, env, "--write-keys", keys)
		if _, err := os.Stat(logPath + ".fold"); !os.IsNotExist(err) {
			t.Errorf("round %d: the unfinished copy of a fold is still there after a restart", round)
		}
		check(fmt.Sprintf("round %d, after SIGKILL", round), base)
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for c := 0; c < 2; c++ {
			wg.Add(1)
			go func(c int) {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					v := round*100000 + i
					var b strings.Builder
					var ids []string
					for k := 0; k < 8; k++ {
						id := fmt.Sprintf("c%d-%d", c, (i*8+k)%160)
						ids = append(ids, id)
						fmt.Fprintf(&b, `{"id":%q,"title":"海淀区通报%s版本%d","body":"海淀区%s%s"}`+"\n", id, id, v, id, filler)
					}
					req, _ := http.NewRequest("POST", base+"/api/articles/_bulk", strings.NewReader(b.String()))
					req.Header.Set("Authorization", "Bearer "+testKey)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						return // killed
					}
					var res server.BulkResult
					err = json.NewDecoder(resp.Body).Decode(&res)
					resp.Body.Close()
					if err == nil && resp.StatusCode == 200 && res.Indexed == len(ids) {
						mu.Lock()
						for _, id := range ids {
							acked[id] = v
						}
						written += len(ids)
						mu.Unlock()
					}
				}
			}(c)
		}
		time.Sleep(time.Duration(300+(round*389)%1000)*time.Millisecond + time.Duration(extra)*time.Second)
		if round > 0 {
			// At the start of the next fold (the first round: anywhere).
			errb.waitFor("folding the write log", strings.Count(errb.String(), "folding the write log"), 10*time.Second)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		close(stop)
		wg.Wait()
		cmd.Wait()
		folds += strings.Count(errb.String(), "folding the write log")
		if _, err := os.Stat(logPath + ".fold"); err == nil {
			midFold++
		}
		t.Logf("round %d: %d articles written so far, %d folds begun, %d kills during a fold", round, written, folds, midFold)
	}
	t.Logf("%d rounds: %d articles acknowledged, %d SIGKILLs (%d during a fold), %d folds begun", round, written, round, midFold, folds)
	if folds == 0 || midFold == 0 {
		t.Fatalf("in %d rounds: %d folds begun, %d kills during a fold: the test did not test the fold", round, folds, midFold)
	}
	cmd, base, _ := startServer(t, bin, dir, env, "--write-keys", keys)
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	check("last restart", base)
	if r := searchResp(t, base, "q="+url.QueryEscape("海淀区通报c1-7")); r.Total == 0 {
		t.Error("a written article is not found by search after the last restart")
	}
	// The log holds the last record of each id, twice over at most (it is
	// folded when it has doubled; the server folds at start when it is
	// due), however much was written.
	liveBytes := func() (size, live int64) {
		last := map[string]int64{}
		size, _ = wal.Read(logPath, 0, func(_ int64, raw []byte) error {
			var r wal.Record
			json.Unmarshal(raw, &r)
			last[r.ID] = int64(len(raw)) + 1
			return nil
		})
		for _, n := range last {
			live += n
		}
		return size, live
	}
	var size, live int64
	if !within(10*time.Second, func() bool {
		size, live = liveBytes()
		return size < max(65536, 2*live)
	}) {
		t.Errorf("log of %d bytes holding %d bytes of last records: not bounded", size, live)
	}
	t.Logf("log: %d bytes (last records: %d bytes) after %d articles written", size, live, written)
}

// TestLegacyLog opens a write log and a generation of the version before
// records were numbered: a record's number is its offset plus one, so the
// byte offset the generation recorded still says which records it holds;
// a fold writes the numbers down and changes nothing else.
func TestLegacyLog(t *testing.T) {
	dir := seedIndex(t)
	ctx := context.Background()
	rec := func(id, title string) string {
		return fmt.Sprintf(`{"op":"put","id":%q,"doc":{"id":%q,"title":%q,"body":"%s，延庆区八达岭镇。"},"origin":"api","t":1}`, id, id, title, title)
	}
	r1, r2 := rec("old-1", "延庆区旧记录一"), rec("old-2", "延庆区旧记录二")
	os.WriteFile(filepath.Join(dir, wal.FileName), []byte(r1+"\n"+r2+"\n"), 0o644)
	// The generation says it holds the first record (it does not: were
	// the offset misread, old-1 would be replayed and found).
	gen, meta, err := schema.Current(dir)
	if err != nil {
		t.Fatal(err)
	}
	meta.LogSeq, meta.LogOffset = 0, int64(len(r1)+1)
	raw, _ := json.Marshal(meta)
	os.WriteFile(filepath.Join(gen, schema.MetaFile), raw, 0o644)

	want := func(stage string, eng *embedded.Engine) {
		t.Helper()
		for id, there := range map[string]bool{"old-1": false, "old-2": true, "new-1": true} {
			if _, err := eng.Article(ctx, id); (err == nil) != there {
				t.Errorf("%s: article %s: %v, want present %v", stage, id, err, there)
			}
		}
	}
	live, eng, err := openLive(dir, "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := live.PutJSON(ctx, "new-1", []byte(`{"title":"延庆区新记录","body":"延庆区新记录正文。"}`)); err != nil {
		t.Fatal(err)
	}
	want("legacy log", eng)
	if err := live.Fold(); err != nil {
		t.Fatal(err)
	}
	eng.Close()
	live.Close()
	data := string(mustRead(t, filepath.Join(dir, wal.FileName)))
	if !strings.HasPrefix(data, `{"seq":1,"op":"put","id":"old-1"`) || strings.Count(data, `{"seq":`) != 3 {
		t.Errorf("folded legacy log:\n%s", data)
	}
	live, eng, err = openLive(dir, "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	want("folded log", eng)
	eng.Close()
	live.Close()
}

// TestFoldWhileWriting folds the log again and again while writers put
// and delete and a full `bulletin index` reads the log: every write
// acknowledged is in the folded log as its last version, and a restart
// (on the new generation, replaying what it does not hold) shows them.
func TestFoldWhileWriting(t *testing.T) {
	dir := seedIndex(t)
	ctx := context.Background()
	live, eng, err := openLive(dir, "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	last := make([]map[string]int, 3) // writer → id → last version acknowledged (-1: deleted)
	for w := range last {
		last[w] = map[string]int{}
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for v := 0; v < 60; v++ {
				id := fmt.Sprintf("w%d-%d", w, v%7)
				if v%5 == 4 && last[w][id] >= 0 {
					if _, ok := last[w][id]; ok {
						if err := live.DeleteID(ctx, id); err != nil {
							t.Error(err)
							return
						}
						last[w][id] = -1
						continue
					}
				}
				body := fmt.Sprintf(`{"title":"朝阳区通报%s版本%d","body":"朝阳区望京街道通报%s，版本%d。"}`, id, v, id, v)
				if _, err := live.PutJSON(ctx, id, []byte(body)); err != nil {
					t.Error(err)
					return
				}
				last[w][id] = v
			}
		}(w)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, err := indexer.Build(ctx, dir, indexer.Config{}, filepath.Join("..", "..", "seeds")); err != nil {
			t.Error(err)
		}
	}()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	folds := 0
	for running := true; running; folds++ {
		select {
		case <-done:
			running = false
		default:
		}
		if err := live.Fold(); err != nil {
			t.Fatal(err)
		}
	}
	eng.Close()
	live.Close()
	_, meta, err := schema.Current(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d folds while writing; the build read the log up to record %d", folds, meta.LogSeq)
	if meta.LogSeq == 0 {
		t.Error("the build read no record of the log")
	}
	for id, n := range logRecords(t, dir) {
		if n != 1 {
			t.Errorf("id %s has %d records after the last fold", id, n)
		}
	}
	live, eng, err = openLive(dir, "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { eng.Close(); live.Close() }()
	for _, m := range last {
		for id, v := range m {
			a, err := eng.Article(ctx, id)
			switch {
			case v < 0 && err == nil:
				t.Errorf("deleted %s is there", id)
			case v >= 0 && (err != nil || !strings.HasSuffix(a.Title, fmt.Sprintf("版本%d", v))):
				t.Errorf("%s: %v %v, want version %d", id, a, err, v)
			}
		}
	}
}

// envInt reads a whole number from the environment (def when unset).
func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		t.Fatalf("%s=%q: want a whole number", name, v)
	}
	return n
}
