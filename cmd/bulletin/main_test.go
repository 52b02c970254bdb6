package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/embedded"
	"github.com/govbulletin/bulletin/search/server"
)

// TestBinaryRunsElsewhere builds the binary, copies it into an empty
// directory and runs it there with an empty Go module cache: the jieba
// dictionaries must come from the binary, not from gojieba's source path.
func TestBinaryRunsElsewhere(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	tmp := t.TempDir()
	built := filepath.Join(tmp, "build", "bulletin")
	cmd := exec.Command("go", "build", "-o", built, ".")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go build: %v", err)
	}
	work := filepath.Join(tmp, "elsewhere")
	os.MkdirAll(work, 0o755)
	bin := filepath.Join(work, "bulletin")
	data, _ := os.ReadFile(built)
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(tmp, "build"))
	src := filepath.Join(work, "in")
	os.MkdirAll(src, 0o755)
	for _, name := range []string{"000_270e88606a5143bb.txt", "003_c5e2f914036a15d8.txt"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "seeds", name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(src, name), b, 0o644)
	}
	env := []string{"HOME=" + work, "GOPATH=" + filepath.Join(work, "nogopath"), "GOMODCACHE=" + filepath.Join(work, "nomodcache"), "PATH=/usr/bin:/bin"}
	runIn := func(args ...string) string {
		c := exec.Command(bin, args...)
		c.Dir, c.Env = work, env
		var out, errb bytes.Buffer
		c.Stdout, c.Stderr = &out, &errb
		if err := c.Run(); err != nil {
			t.Fatalf("bulletin %v: %v\n%s", args, err, errb.String())
		}
		return out.String()
	}
	runIn("index", "--index", "idx", "in")
	out := runIn("search", "--index", "idx", "--json", "接诉即办")
	var r struct {
		Total int
		Hits  []struct{ Title string }
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Total == 0 || !strings.Contains(r.Hits[0].Title, "回天") {
		t.Fatalf("search from the copied binary: %v %s", err, out)
	}
}

// TestSearchJSONMatchesAPI checks that `bulletin search --json` prints the
// API's JSON (apart from took_ms).
func TestSearchJSONMatchesAPI(t *testing.T) {
	dir := t.TempDir()
	idx := filepath.Join(dir, "idx")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"index", "--index", idx, "../../seeds"}, &out, &errb); code != 0 {
		t.Fatalf("index: %d %s", code, errb.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"search", "--index", idx, "--json", "养老驿站"}, &out, &errb); code != 0 {
		t.Fatalf("search: %s", errb.String())
	}
	cli := out.String()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		serveAddr(ctx, idx, "127.0.0.1:0", addrc)
	}()
	var addr string
	select {
	case addr = <-addrc:
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start")
	}
	resp, err := http.Get("http://" + addr + "/api/search?q=" + url.QueryEscape("养老驿站"))
	if err != nil {
		t.Fatal(err)
	}
	api, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	cancel()
	<-done
	if a, b := dropTook(t, cli), dropTook(t, string(api)); a != b {
		t.Errorf("CLI and API differ:\ncli %s\napi %s", a, b)
	}
}

func dropTook(t *testing.T, s string) string {
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("%v: %s", err, s)
	}
	delete(m, "took_ms")
	b, _ := json.Marshal(m)
	return string(b)
}

// serveAddr serves dir on addr quietly and reports the bound address (tests).
func serveAddr(ctx context.Context, dir, addr string, bound chan<- string) error {
	log := newLogger(io.Discard, false)
	eng, err := embedded.Open(dir, embedded.Options{Logger: log})
	if err != nil {
		return err
	}
	defer eng.Close()
	h, err := server.New(eng, server.Options{Logger: log})
	if err != nil {
		return err
	}
	return server.Serve(ctx, addr, h, log, func(a string) { bound <- a })
}

// TestIndexDistrictFlag: `index --district D` puts D first on every article;
// an unknown district is refused with a message naming it.
func TestIndexDistrictFlag(t *testing.T) {
	idx := t.TempDir()
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"index", "--index", idx, "--district", "延庆区", "../../seeds"}, &out, &errb); code != 0 {
		t.Fatalf("index: %d\n%s", code, errb.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"search", "--index", idx, "--json", "--district", "延庆区", ""}, &out, &errb); code != 0 {
		t.Fatalf("search: %d\n%s", code, errb.String())
	}
	var resp search.Response
	if err := json.Unmarshal(out.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Total == 0 {
		t.Fatal("no article has the given district")
	}
	for _, h := range resp.Hits {
		if len(h.Districts) == 0 || h.Districts[0] != "延庆区" {
			t.Errorf("%q: districts %v, want 延庆区 first", h.Title, h.Districts)
		}
	}
	errb.Reset()
	if code := run(context.Background(), []string{"index", "--index", t.TempDir(), "--district", "火星区", "../../seeds"}, &out, &errb); code == 0 || !strings.Contains(errb.String(), "火星区") {
		t.Errorf("unknown district: exit %d, stderr %q", code, errb.String())
	}
}

// TestSearchIssuerAndTypeFlags: `search --issuer --type` filter as the
// API's parameters do (the seeds are news without an issuer), and a bad
// value is refused naming its flag.
func TestSearchIssuerAndTypeFlags(t *testing.T) {
	idx := t.TempDir()
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"index", "--index", idx, "../../seeds"}, &out, &errb); code != 0 {
		t.Fatalf("index: %d\n%s", code, errb.String())
	}
	out.Reset()
	args := []string{"search", "--index", idx, "--json", "--issuer", "无此机关甲", "--issuer", "无此机关乙", "--type", "政策文件", ""}
	if code := run(context.Background(), args, &out, &errb); code != 0 {
		t.Fatalf("search: %d\n%s", code, errb.String())
	}
	var resp struct {
		Total  uint64
		Facets map[string]json.RawMessage
	}
	if err := json.Unmarshal(out.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Total != 0 || resp.Facets["issuer"] == nil || resp.Facets["type"] == nil {
		t.Errorf("an issuer no article has: total %d, facets %v", resp.Total, resp.Facets)
	}
	errb.Reset()
	long := strings.Repeat("类", search.MaxFilterRunes+1)
	if code := run(context.Background(), []string{"search", "--index", idx, "--type", long, "养老"}, &out, &errb); code == 0 || !strings.Contains(errb.String(), "type") {
		t.Errorf("a type too long: exit %d, stderr %q", code, errb.String())
	}
}
