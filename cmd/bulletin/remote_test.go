package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/search"
)

// TestSearchWhileServing runs `bulletin search --index DIR` against a DIR
// that a real live server holds open for writing: it answers (the server's
// answer, an article written through the API included); once the server is
// killed it reads the folder; a generation held by a server that says
// nothing gets a clear message naming the way out.
func TestSearchWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs servers")
	}
	bin := testBinary(t)
	dir := seedIndex(t)
	keys := filepath.Join(t.TempDir(), "keys")
	os.WriteFile(keys, []byte(testKey+"\n"), 0o600)
	cli := func(args ...string) (string, string, error) {
		c := exec.Command(bin, append([]string{"search", "--index", dir}, args...)...)
		var out, errb bytes.Buffer
		c.Stdout, c.Stderr = &out, &errb
		err := c.Run()
		return out.String(), errb.String(), err
	}

	// Held by a live engine that did not announce itself (in this process).
	live, eng, err := openLive(dir, "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, stderr, err := cli("养老驿站")
	if err == nil || !strings.Contains(stderr, "held open for writing") || !strings.Contains(stderr, "/api/search?") {
		t.Errorf("search of a held index without a server named: %v %s", err, stderr)
	}
	// A read-only server on it says so too.
	var sout, serr bytes.Buffer
	if code := run(context.Background(), []string{"serve", "--index", dir, "--addr", "127.0.0.1:0"}, &sout, &serr); code == 0 || !strings.Contains(serr.String(), "held open for writing") {
		t.Errorf("a read-only server on a held index: %d %s", code, serr.String())
	}
	eng.Close()
	live.Close()

	cmd, base, _ := startServer(t, bin, dir, nil, "--write-keys", keys)
	if a := call(t, "PUT", base+"/api/articles/cli-1", testKey, `{"title":"怀柔区雁栖湖冰雪嘉年华开幕","body":"怀柔区雁栖湖冰雪嘉年华今日开幕，设置冰滑梯等项目。"}`); a.status != 200 {
		t.Fatalf("PUT: %d %s", a.status, a.raw)
	}
	if !within(2*time.Second, func() bool { return searchResp(t, base, "q=%E5%86%B0%E6%BB%91%E6%A2%AF").Total > 0 }) {
		t.Fatal("written article not visible")
	}
	out, stderr, err := cli("--json", "冰滑梯")
	var r search.Response
	if err != nil || json.Unmarshal([]byte(out), &r) != nil || len(r.Hits) == 0 || r.Hits[0].ID != "cli-1" {
		t.Errorf("search of a served index: %v %s %s", err, stderr, out)
	}
	out, _, err = cli("养老驿站")
	if err != nil || !strings.Contains(out, "results for") {
		t.Errorf("text search of a served index: %v %s", err, out)
	}

	// Killed: its SERVING names a dead process; the folder is read.
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if _, err := os.Stat(filepath.Join(dir, schema.ServingFile)); err != nil {
		t.Logf("SERVING after SIGKILL: %v", err)
	}
	out, stderr, err = cli("--json", "养老驿站")
	if err != nil || json.Unmarshal([]byte(out), &r) != nil || r.Total == 0 {
		t.Errorf("search after the server was killed: %v %s %s", err, stderr, out)
	}

	// A server stopped gracefully removes its SERVING.
	cmd, _, _ = startServer(t, bin, dir, nil, "--write-keys", keys)
	if _, err := os.Stat(filepath.Join(dir, schema.ServingFile)); err != nil {
		t.Errorf("a live server does not announce itself: %v", err)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	if _, err := os.Stat(filepath.Join(dir, schema.ServingFile)); !os.IsNotExist(err) {
		t.Errorf("SERVING left by a server stopped gracefully: %v", err)
	}
}
