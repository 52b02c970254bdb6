package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/yanyiwu/gojieba"
)

// Options configure one benchmark run. Zero values take the defaults noted.
type Options struct {
	N         int           // articles (20,000)
	Seed      uint64        // corpus seed (DefaultSeed)
	Root      string        // module root: vocabulary sources (found from the working directory)
	Bin       string        // the bulletin binary (Root/bin/bulletin)
	Work      string        // work folder; "" makes one under the temp dir, removed after
	Keep      bool          // keep the work folder
	Clients   int           // concurrent clients of the second query phase (8)
	Queries1  int           // most queries of the one-client phase (2,000)
	QueriesN  int           // most queries of the concurrent phase, all clients together (6,000)
	PhaseTime time.Duration // longest time of each query phase (60 s)
	Timeout   time.Duration // whole run (20 min + 10 ms per article)
	Profile   string        // if set, in-process pprof experiments are written here
	// BulkN, when > 0, adds a phase: the one-client query mix again while
	// BulkN more articles stream in through the write API (_bulk).
	BulkN int
	Out   io.Writer // JSON lines, one per figure (stdout)
	Log   io.Writer // progress (stderr)
}

func (o *Options) defaults() error {
	if o.N <= 0 {
		o.N = 20000
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Root == "" {
		r, err := FindRoot()
		if err != nil {
			return err
		}
		o.Root = r
	}
	if o.Bin == "" {
		o.Bin = filepath.Join(o.Root, "bin", "bulletin")
	}
	if o.Clients <= 0 {
		o.Clients = 8
	}
	if o.Queries1 <= 0 {
		o.Queries1 = 2000
	}
	if o.QueriesN <= 0 {
		o.QueriesN = 6000
	}
	if o.PhaseTime <= 0 {
		o.PhaseTime = 60 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 20*time.Minute + time.Duration(o.N)*10*time.Millisecond
	}
	if o.Out == nil {
		o.Out = os.Stdout
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	return nil
}

// Figure is one measured value, printed as one JSON line.
type Figure struct {
	Figure string  `json:"figure"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	N      int     `json:"n"`
}

type runner struct {
	o       Options
	enc     *json.Encoder
	figures []Figure
}

func (r *runner) emit(name string, v float64, unit string) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = -1
	}
	f := Figure{Figure: name, Value: round3(v), Unit: unit, N: r.o.N}
	r.figures = append(r.figures, f)
	r.enc.Encode(f)
}

func (r *runner) logf(format string, args ...any) {
	fmt.Fprintf(r.o.Log, "bench: "+format+"\n", args...)
}

// round3 keeps three decimals (and whole numbers for large values).
func round3(v float64) float64 {
	if math.Abs(v) >= 1000 {
		return math.Round(v*10) / 10
	}
	return math.Round(v*1000) / 1000
}

const mb = 1e6

// Run generates the corpus, measures the floor, the indexer and the server
// on it, and prints one JSON line per figure to o.Out.
func Run(ctx context.Context, o Options) ([]Figure, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	r := &runner{o: o, enc: json.NewEncoder(o.Out)}
	if o.Profile != "" && !profileBuilt {
		return nil, errors.New("bench: -profile needs a build with -tags benchprof")
	}
	if _, err := os.Stat(o.Bin); err != nil {
		return nil, fmt.Errorf("bench: binary %s: %w (run `make build`)", o.Bin, err)
	}
	work := o.Work
	made := false
	if work == "" {
		w, err := os.MkdirTemp("", "bulletin-bench-")
		if err != nil {
			return nil, err
		}
		work, made = w, true
	} else if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, err
	}
	corpus := filepath.Join(work, "corpus")
	indexDir := filepath.Join(work, "index")
	// Only what the bench writes is removed; a folder given with -work stays.
	ours := []string{corpus, indexDir, filepath.Join(work, "index-prof"), filepath.Join(work, "serve.log")}
	for _, p := range ours {
		os.RemoveAll(p)
	}
	if o.Keep {
		r.logf("work folder kept: %s", work)
	} else {
		defer func() {
			for _, p := range ours {
				os.RemoveAll(p)
			}
			if made {
				os.Remove(work)
			}
		}()
	}

	// 1. Corpus.
	v, err := LoadVocab(o.Root)
	if err != nil {
		return nil, err
	}
	cfg := GenConfig{N: o.N, Seed: o.Seed}
	r.logf("generating %d articles into %s", o.N, corpus)
	t0 := time.Now()
	st, err := Write(corpus, v, cfg)
	if err != nil {
		return nil, err
	}
	r.emit("corpus_articles", float64(st.Articles), "articles")
	r.emit("corpus_pages", float64(st.Pages), "files")
	r.emit("corpus_mb", float64(st.FileBytes)/mb, "MB")
	r.emit("corpus_text_mb", float64(st.TextBytes)/mb, "MB")
	r.emit("corpus_mean_article_chars", float64(st.TextRunes)/float64(max(st.Articles, 1)), "chars")
	r.emit("corpus_gen_s", time.Since(t0).Seconds(), "s")

	// Other work on the machine skews every figure: record the load.
	r.emit("host_cpus", float64(runtime.NumCPU()), "cpus")
	r.emit("host_load_1m_before_floor", loadavg(), "load")

	// 2. The floor: bare gojieba, search mode, HMM off, one goroutine.
	// prefix names its figures ("floor_gojieba", or "..._after_index").
	measureFloor := func(prefix string) (float64, error) {
		r.logf("%s: bare gojieba on one goroutine", prefix)
		fl, err := floor(ctx, v, cfg, o.Timeout/4)
		if err != nil {
			return 0, err
		}
		if fl.articles < o.N {
			r.logf("floor stopped early at %d articles (time limit)", fl.articles)
		}
		rate := float64(fl.articles) / fl.d.Seconds()
		r.emit(prefix+"_articles_per_s", rate, "articles/s")
		r.emit(prefix+"_mb_per_s", float64(fl.bytes)/mb/fl.d.Seconds(), "MB/s")
		r.emit(prefix+"_s", fl.d.Seconds(), "s")
		return rate, nil
	}
	floorRate, err := measureFloor("floor_gojieba")
	if err != nil {
		return nil, err
	}

	// 3. Indexing, as a subprocess: wall clock including start-up, peak RSS.
	r.emit("host_load_1m_before_index", loadavg(), "load")
	r.logf("indexing with %s", o.Bin)
	ix, err := indexRun(ctx, o.Bin, indexDir, corpus, st.FileBytes)
	if err != nil {
		return nil, err
	}
	rate := float64(st.Articles) / ix.wall.Seconds()
	r.emit("index_articles_per_s", rate, "articles/s")
	r.emit("index_mb_per_s", float64(st.FileBytes)/mb/ix.wall.Seconds(), "MB/s")
	r.emit("index_wall_s", ix.wall.Seconds(), "s")
	r.emit("index_cpu_s", ix.cpu.Seconds(), "s")
	r.emit("index_cpu_cores", ix.cpu.Seconds()/ix.wall.Seconds(), "cores")
	if ix.afterRead > 0 {
		// From the moment all input was read to exit: the final flush,
		// merge and sync (time sampled every 200 ms).
		r.emit("index_after_input_read_s", ix.afterRead.Seconds(), "s")
	}
	r.emit("index_peak_rss_mb", float64(ix.maxRSS)/mb, "MB")
	r.emit("index_peak_rss_anon_mb", float64(ix.peakAnon)/mb, "MB")
	r.emit("index_peak_rss_file_mb", float64(ix.peakFile)/mb, "MB")
	r.emit("index_articles_indexed", float64(ix.articles), "articles")
	if ix.articles != st.Articles {
		r.logf("WARNING: generated %d articles, the indexer reports %d", st.Articles, ix.articles)
	}
	size := dirSize(indexDir)
	r.emit("index_size_mb", float64(size)/mb, "MB")
	r.emit("index_size_ratio", float64(size)/float64(st.FileBytes), "x raw")

	// The floor again, right after indexing: the host's speed drifts (by
	// 10-15 % within minutes on a shared machine), so the ratio is taken
	// against the faster of the two floors, the conservative choice.
	floorAfter, err := measureFloor("floor_gojieba_after_index")
	if err != nil {
		return nil, err
	}
	r.emit("index_ratio_to_floor", rate/max(floorRate, floorAfter), "x")
	r.emit("index_ratio_to_floor_before", rate/floorRate, "x")
	r.emit("index_ratio_to_floor_after", rate/floorAfter, "x")

	// 4. Queries over HTTP.
	r.emit("host_load_1m_before_queries", loadavg(), "load")
	if err := r.queries(ctx, v, indexDir, work); err != nil {
		return r.figures, err
	}
	r.emit("host_load_1m_at_end", loadavg(), "load")

	// 5. Optional in-process profiles.
	if o.Profile != "" {
		if err := r.profile(ctx, v, corpus, filepath.Join(work, "index-prof")); err != nil {
			return r.figures, err
		}
	}
	return r.figures, nil
}

type floorResult struct {
	articles int
	bytes    int64
	d        time.Duration
}

// floor segments the corpus's article texts (title and body) with a bare
// gojieba (its default dictionaries), search mode, HMM off, on one
// goroutine. Only the cutting is timed; the pages are generated again
// (same seed, same text) on the way rather than held in memory.
func floor(ctx context.Context, v *Vocab, cfg GenConfig, limit time.Duration) (floorResult, error) {
	var res floorResult
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	jb := gojieba.NewJieba()
	defer jb.Free()
	jb.CutForSearch("预热分词器：北京市昌平区回龙观街道养老驿站", false)
	g := v.NewGenerator(cfg)
	deadline := time.Now().Add(limit)
	for p, ok := g.Next(); ok; p, ok = g.Next() {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if time.Now().After(deadline) {
			break
		}
		for _, a := range p.Articles {
			t := time.Now()
			jb.CutForSearch(a.Title, false)
			jb.CutForSearch(a.Body, false)
			res.d += time.Since(t)
			res.articles++
			res.bytes += int64(len(a.Title) + len(a.Body))
		}
	}
	if res.articles == 0 || res.d <= 0 {
		return res, errors.New("bench: floor measured nothing")
	}
	return res, nil
}

type indexResult struct {
	wall         time.Duration
	cpu          time.Duration
	maxRSS       int64 // bytes
	peakAnon     int64 // sampled RssAnon, bytes
	peakFile     int64 // sampled RssFile, bytes
	afterRead    time.Duration
	articles     int
	reportedSecs float64
}

var reportRe = regexp.MustCompile(`indexed (\d+) articles from \d+ files \([\d.]+ MB\) in ([\d.]+)s`)

func indexRun(ctx context.Context, bin, indexDir, corpus string, corpusBytes int64) (indexResult, error) {
	var res indexResult
	var out tailBuffer
	cmd := exec.CommandContext(ctx, bin, "index", "--index", indexDir, corpus)
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM} // never outlive the bench
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 30 * time.Second
	t := time.Now()
	if err := cmd.Start(); err != nil {
		return res, fmt.Errorf("bench: %s index: %w", bin, err)
	}
	// Sample the split of resident memory: anonymous (heap) against
	// file-backed (mapped index segments), every 200 ms while it runs.
	// Also note when the process has read as many bytes as the corpus holds:
	// what follows is flushing and merging the index.
	stop := make(chan struct{})
	sampled := make(chan [2]int64, 1)
	var readAll atomic.Int64 // ns after start; 0: not seen
	go func() {
		var peak [2]int64
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			anon, file := procRSS(cmd.Process.Pid)
			peak[0], peak[1] = max(peak[0], anon), max(peak[1], file)
			if readAll.Load() == 0 && procReadBytes(cmd.Process.Pid) >= corpusBytes {
				readAll.Store(int64(time.Since(t)))
			}
			select {
			case <-stop:
				sampled <- peak
				return
			case <-tick.C:
			}
		}
	}()
	err := cmd.Wait()
	res.wall = time.Since(t)
	close(stop)
	peak := <-sampled
	res.peakAnon, res.peakFile = peak[0], peak[1]
	if ns := readAll.Load(); ns > 0 {
		res.afterRead = res.wall - time.Duration(ns)
	}
	if err != nil {
		return res, fmt.Errorf("bench: %s index: %w\n%s", bin, err, out.String())
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.maxRSS = int64(ru.Maxrss) * 1024 // KiB on Linux
		res.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	if m := reportRe.FindStringSubmatch(out.String()); m != nil {
		res.articles, _ = strconv.Atoi(m[1])
		res.reportedSecs, _ = strconv.ParseFloat(m[2], 64)
	}
	return res, nil
}

// tailBuffer keeps the last 64 KiB written to it.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 64<<10 {
		t.b = append(t.b[:0], t.b[len(t.b)-64<<10:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.b) }

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// serveProc is a running `bulletin serve`.
type serveProc struct {
	cmd    *exec.Cmd
	base   string
	log    *os.File
	exited <-chan error
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func startServer(ctx context.Context, bin, indexDir, logPath string, want int, extra ...string) (*serveProc, time.Duration, error) {
	port, err := freePort()
	if err != nil {
		return nil, 0, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	lf, err := os.Create(logPath)
	if err != nil {
		return nil, 0, err
	}
	cmd := exec.Command(bin, append([]string{"serve", "--index", indexDir, "--addr", addr}, extra...)...)
	cmd.Stdout, cmd.Stderr = lf, lf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	t := time.Now()
	if err := cmd.Start(); err != nil {
		lf.Close()
		return nil, 0, err
	}
	s := &serveProc{cmd: cmd, base: "http://" + addr, log: lf}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: nil}}
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return nil, 0, fmt.Errorf("bench: serve exited: %v (log %s)", err, logPath)
		case <-ctx.Done():
			s.stop(exited)
			return nil, 0, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		resp, err := client.Get(s.base + "/healthz")
		if err != nil {
			continue
		}
		var h struct {
			Status    string `json:"status"`
			Documents int    `json:"documents"`
		}
		json.NewDecoder(resp.Body).Decode(&h)
		resp.Body.Close()
		if resp.StatusCode == 200 && h.Status == "ok" {
			if h.Documents != want {
				s.stop(exited)
				return nil, 0, fmt.Errorf("bench: server has %d documents, want %d", h.Documents, want)
			}
			s.exited = exited
			return s, time.Since(t), nil
		}
	}
	s.stop(exited)
	return nil, 0, errors.New("bench: server not ready after 3 minutes")
}

// stop ends the server process this run started (by its pid): SIGTERM,
// then SIGKILL if it has not exited within 15 s.
func (s *serveProc) stop(exited <-chan error) {
	if exited == nil {
		exited = s.exited
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-exited
	}
	s.log.Close()
}

// procReadBytes is how many bytes a process has read (rchar of /proc/PID/io).
func procReadBytes(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid))
	if err != nil {
		return 0
	}
	for _, l := range bytes.Split(b, []byte("\n")) {
		if v, ok := bytes.CutPrefix(l, []byte("rchar:")); ok {
			n, _ := strconv.ParseInt(string(bytes.TrimSpace(v)), 10, 64)
			return n
		}
	}
	return 0
}

// procRSS reads the anonymous and file-backed resident memory of a process.
func procRSS(pid int) (anon, file int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for _, l := range bytes.Split(b, []byte("\n")) {
		f := bytes.Fields(l)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(string(f[1]), 10, 64)
		switch string(f[0]) {
		case "RssAnon:":
			anon = kb * 1024
		case "RssFile:":
			file = kb * 1024
		}
	}
	return anon, file
}

// selfCPU is the CPU time this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// hostCPU returns the busy and total jiffies of all CPUs (/proc/stat).
func hostCPU() (busy, total int64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := bytes.Fields(line)
	if len(f) < 5 || string(f[0]) != "cpu" {
		return 0, 0
	}
	for i, x := range f[1:min(len(f), 9)] { // guest time is counted in user already
		v, _ := strconv.ParseInt(string(x), 10, 64)
		total += v
		if i != 3 && i != 4 { // idle, iowait
			busy += v
		}
	}
	return busy, total
}

// loadavg is the host's one-minute load average (-1 if unknown).
func loadavg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := bytes.Fields(b)
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(string(f[0]), 64)
	if err != nil {
		return -1
	}
	return v
}

// procStat reads the CPU time and peak RSS of a process from /proc.
func procStat(pid int) (cpu time.Duration, hwm int64) {
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		if i := bytes.LastIndexByte(b, ')'); i >= 0 {
			f := bytes.Fields(b[i+1:])
			if len(f) > 13 {
				ut, _ := strconv.ParseInt(string(f[11]), 10, 64)
				st, _ := strconv.ParseInt(string(f[12]), 10, 64)
				cpu = time.Duration(ut+st) * time.Second / 100 // USER_HZ
			}
		}
	}
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
		for _, l := range bytes.Split(b, []byte("\n")) {
			if bytes.HasPrefix(l, []byte("VmHWM:")) {
				f := bytes.Fields(l)
				if len(f) >= 2 {
					kb, _ := strconv.ParseInt(string(f[1]), 10, 64)
					hwm = kb * 1024
				}
			}
		}
	}
	return cpu, hwm
}
