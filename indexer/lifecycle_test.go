package indexer_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/embedded"
)

// The index lifecycle with real processes: an index run is this test
// binary re-run as a helper (TestIndexHelperProcess), so it can hold the
// directory's lock while the test runs, and be killed with SIGKILL.

const (
	helperOut = "BULLETIN_HELPER_INDEX"
	helperIn  = "BULLETIN_HELPER_INPUT"
)

// TestIndexHelperProcess is not a test: it is the body of an index run
// started by indexProcess.
func TestIndexHelperProcess(t *testing.T) {
	out := os.Getenv(helperOut)
	if out == "" {
		t.Skip("helper process only")
	}
	_, err := indexer.Build(context.Background(), out, indexer.Config{}, os.Getenv(helperIn))
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// indexProcess starts `index in → out` in a child process.
func indexProcess(t *testing.T, out, in string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestIndexHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperOut+"="+out, helperIn+"="+in)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

var corpusSentences = []string{
	"区卫健委组织开展社区义诊活动，为辖区居民提供免费体检服务。",
	"街道养老驿站新增助餐点，每天为老年人提供午餐和晚餐。",
	"区教委今年新增中小学学位，缓解了适龄儿童入学压力。",
	"地铁新线开通后，沿线居民出行时间明显缩短。",
	"老旧小区综合整治完成外墙保温、管线改造和加装电梯。",
	"接诉即办工作机制不断完善，群众诉求响应率持续提高。",
	"新建口袋公园和绿道，让居民出门见绿、推窗见景。",
	"科技园区引进高新技术企业，营商环境进一步优化。",
	"农业合作社带动农民增收，乡村振兴取得新进展。",
	"文化馆举办非遗展览，吸引大批市民前来参观。",
}

var corpusPlaces = []string{"昌平区回龙观街道", "朝阳区望京街道", "海淀区中关村街道", "大兴区西红门镇", "通州区永顺镇", "丰台区卢沟桥街道"}

// writeCorpus writes n articles as bulletin pages of five articles each.
func writeCorpus(t *testing.T, dir string, n int, tag string) {
	t.Helper()
	r := rand.New(rand.NewPCG(uint64(n), 7))
	var b strings.Builder
	page := 0
	flush := func() {
		if b.Len() > 0 {
			mustWrite(t, filepath.Join(dir, fmt.Sprintf("%03d", page/100), fmt.Sprintf("page-%05d.txt", page)), []byte(b.String()))
			b.Reset()
			page++
		}
	}
	for i := 0; i < n; i++ {
		place := corpusPlaces[r.IntN(len(corpusPlaces))]
		fmt.Fprintf(&b, "\n\n\n%s%s第%d期工作简报\n\n□本报记者 张明\n\n", place, tag, i)
		fmt.Fprintf(&b, "本报讯 %d年%d月，%s", 2018+r.IntN(8), 1+r.IntN(12), place)
		for k := 0; k < 12+r.IntN(12); k++ {
			b.WriteString(corpusSentences[r.IntN(len(corpusSentences))])
			if k%4 == 3 {
				b.WriteString("\n\n")
			}
		}
		b.WriteString("\n")
		if i%5 == 4 {
			flush()
		}
	}
	flush()
}

// TestConcurrentBuildLocked: while one index run writes a directory, a
// second Build on it fails at once with ErrLocked (it never waits for the
// lock, nor for bleve's).
func TestConcurrentBuildLocked(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	writeCorpus(t, in, 3000, "")
	cmd := indexProcess(t, out, in)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() { cmd.Process.Kill(); <-exited }()

	// The child has the lock once its generation folder exists.
	deadline := time.Now().Add(60 * time.Second)
	for !hasGeneration(out) {
		if time.Now().After(deadline) {
			t.Fatal("the index process did not start a generation in 60 s")
		}
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("the index process ended early: %v", err)
		default:
		}
		time.Sleep(5 * time.Millisecond)
	}
	start := time.Now()
	_, err := indexer.Build(context.Background(), out, indexer.Config{}, in)
	took := time.Since(start)
	select {
	case err := <-exited:
		exited <- err
		t.Fatalf("the index process ended during the test (%v): make the input larger", err)
	default:
	}
	if !errors.Is(err, indexer.ErrLocked) {
		t.Fatalf("second Build: err %v, want ErrLocked", err)
	}
	if took > 2*time.Second {
		t.Errorf("second Build took %v to fail", took)
	}
	if err != nil && !strings.Contains(err.Error(), "another `bulletin index`") {
		t.Errorf("unclear message: %v", err)
	}
	t.Logf("second Build: %v after %v", err, took)
}

func hasGeneration(dir string) bool {
	m, _ := filepath.Glob(filepath.Join(dir, "gen-*"))
	return len(m) > 0
}

// TestKillDuringIndex kills real index runs with SIGKILL at random moments
// (loading the dictionaries, indexing, merging, syncing, switching, cleaning
// up): after each kill the directory serves a complete generation (the
// previous one, or the new one if it was switched in), and a later run
// succeeds and removes the partial generations.
func TestKillDuringIndex(t *testing.T) {
	kills, n := 10, 600
	if testing.Short() {
		kills, n = 3, 300
	}
	small, big, out := t.TempDir(), t.TempDir(), t.TempDir()
	writeCorpus(t, small, 10, "小样")
	writeCorpus(t, big, n, "")

	// A first complete generation, then the time of a full run.
	if _, err := indexer.Build(context.Background(), out, indexer.Config{}, small); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	cmd := indexProcess(t, out, big)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("full index run: %v", err)
	}
	full := time.Since(start)
	_, bigMeta, err := schema.Current(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("full run: %v, %d articles", full, bigMeta.Articles)
	// Back to the small corpus as the generation being served.
	if _, err := indexer.Build(context.Background(), out, indexer.Config{}, small); err != nil {
		t.Fatal(err)
	}

	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	partial := 0
	for i := 0; i < kills; i++ {
		before, beforeMeta, err := schema.Current(out)
		if err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(r.Int64N(int64(full + full/10)))
		cmd := indexProcess(t, out, big)
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		after, meta, err := schema.Current(out)
		if err != nil {
			t.Fatalf("kill %d after %v: no servable generation: %v", i, delay, err)
		}
		switch {
		case after == before:
			if meta.Articles != beforeMeta.Articles {
				t.Fatalf("kill %d: generation %s changed", i, after)
			}
		case meta.Articles != bigMeta.Articles:
			t.Fatalf("kill %d: switched to %s with %d articles, want %d", i, after, meta.Articles, bigMeta.Articles)
		}
		assertServes(t, out, meta)
		gens, _ := filepath.Glob(filepath.Join(out, "gen-*"))
		for _, g := range gens {
			if _, err := schema.ReadMeta(g); err != nil {
				partial++
			}
		}
		t.Logf("kill %d after %v: serving %s (%d articles)", i, delay, filepath.Base(after), meta.Articles)
		if after != before {
			// Switch back so that later kills start from the small one.
			if _, err := indexer.Build(context.Background(), out, indexer.Config{}, small); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Logf("%d partial generations seen after kills", partial)

	// A later run completes and leaves only complete generations.
	cmd = indexProcess(t, out, big)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("index run after kills: %v", err)
	}
	_, meta, err := schema.Current(out)
	if err != nil || meta.Articles != bigMeta.Articles {
		t.Fatalf("after kills: %v, %+v", err, meta)
	}
	gens, _ := filepath.Glob(filepath.Join(out, "gen-*"))
	if len(gens) > 2 {
		t.Errorf("%d generations left, want the current one and the one before: %v", len(gens), gens)
	}
	for _, g := range gens {
		if _, err := schema.ReadMeta(g); err != nil {
			t.Errorf("partial generation left: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "CURRENT.tmp")); err == nil {
		t.Error("CURRENT.tmp left")
	}
	assertServes(t, out, meta)
}

// assertServes opens dir as the server does and checks that it serves
// meta's generation: all its documents, searchable.
func assertServes(t *testing.T, dir string, meta *schema.Meta) {
	t.Helper()
	eng, err := embedded.Open(dir, embedded.Options{Poll: -1})
	if err != nil {
		t.Fatalf("embedded.Open: %v", err)
	}
	defer eng.Close()
	if info := eng.Info(); info.Generation != meta.Name || info.Documents != meta.Articles {
		t.Fatalf("serving %+v, want %s", info, meta.Name)
	}
	resp, err := eng.Search(context.Background(), search.Request{Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	if int(resp.Total) != meta.Articles {
		t.Fatalf("match-all finds %d of %d articles", resp.Total, meta.Articles)
	}
	resp, err = eng.Search(context.Background(), search.Request{Query: "工作简报"})
	if err != nil || resp.Total == 0 {
		t.Fatalf("search: %v, %d hits", err, resp.Total)
	}
}

// TestSchemaMismatch: a generation written with another schema version is
// refused with a message that says what to do, by the indexer's reader and
// by the search engine.
func TestSchemaMismatch(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	writeCorpus(t, in, 5, "")
	if _, err := indexer.Build(context.Background(), out, indexer.Config{}, in); err != nil {
		t.Fatal(err)
	}
	gen, _, err := schema.Current(out)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(gen, schema.MetaFile)
	raw, _ := os.ReadFile(p)
	old := fmt.Sprintf(`"schema": %d`, schema.Version)
	if !strings.Contains(string(raw), old) {
		t.Fatalf("meta.json has no %s: %s", old, raw)
	}
	raw = []byte(strings.Replace(string(raw), old, fmt.Sprintf(`"schema": %d`, schema.Version+1), 1))
	if err := os.WriteFile(p, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{
		"Current": func() error { _, _, err := schema.Current(out); return err }(),
		"Open": func() error {
			e, err := embedded.Open(out, embedded.Options{Poll: -1})
			if err == nil {
				e.Close()
			}
			return err
		}(),
	} {
		if err == nil {
			t.Errorf("%s accepted schema %d", name, schema.Version+1)
			continue
		}
		msg := err.Error()
		want := fmt.Sprintf("schema version %d; this binary reads version %d", schema.Version+1, schema.Version)
		if !strings.Contains(msg, want) || !strings.Contains(msg, "bulletin index") {
			t.Errorf("%s: unclear message %q", name, msg)
		}
		if !errors.Is(err, schema.ErrOtherVersion) {
			t.Errorf("%s: %v is not schema.ErrOtherVersion", name, err)
		}
	}
	// Re-indexing replaces it.
	if _, err := indexer.Build(context.Background(), out, indexer.Config{}, in); err != nil {
		t.Fatalf("re-index over a mismatched generation: %v", err)
	}
	if _, _, err := schema.Current(out); err != nil {
		t.Fatal(err)
	}
}
