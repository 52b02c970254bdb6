package load

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/govbulletin/bulletin/devtools/bench"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/seeds"
)

// Options configure a load test.
type Options struct {
	Bin      string        // the bulletin binary
	Work     string        // folder for the corpus, index and server log
	N        int           // generated articles (beside the seeds)
	Clients  int           // concurrent clients
	Duration time.Duration // length of one run
	Runs     int           // runs in a row against the same server
	Reindex  bool          // rebuild the index even if one is there
	Out      io.Writer     // JSON lines
	Log      io.Writer     // progress
}

// Figure is one measured value, printed as a JSON line.
type Figure struct {
	Figure string  `json:"figure"`
	Run    int     `json:"run,omitempty"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
}

// Result sums up a load test.
type Result struct {
	Errors5xx   int // answers 500–599, all runs
	ErrorsOther int // transport errors and unexpected statuses, all runs
}

// Run prepares the index, starts the server and runs the load.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Clients <= 0 {
		o.Clients = 32
	}
	if o.Duration <= 0 {
		o.Duration = 60 * time.Second
	}
	if o.Runs <= 0 {
		o.Runs = 2
	}
	if o.N <= 0 {
		o.N = 2000
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	idx := filepath.Join(o.Work, "index")
	if err := prepare(ctx, o, idx); err != nil {
		return nil, err
	}
	srv, err := startServer(ctx, o.Bin, idx, filepath.Join(o.Work, "serve.log"))
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	fmt.Fprintf(o.Log, "load: server pid %d at %s serving %d articles\n", srv.cmd.Process.Pid, srv.base, srv.docs)

	mix, err := newMix(srv.base)
	if err != nil {
		return nil, err
	}
	emit := func(f Figure) {
		line, _ := json.Marshal(f)
		fmt.Fprintln(o.Out, string(line))
	}
	emit(Figure{Figure: "documents", Value: float64(srv.docs), Unit: "articles"})
	emit(Figure{Figure: "clients", Value: float64(o.Clients), Unit: "clients"})
	res := &Result{}
	var rss []float64
	for run := 1; run <= o.Runs; run++ {
		before, _ := rssMB(srv.cmd.Process.Pid)
		fmt.Fprintf(o.Log, "load: run %d: %d clients for %v\n", run, o.Clients, o.Duration)
		st := runClients(ctx, mix, o.Clients, o.Duration)
		after, _ := rssMB(srv.cmd.Process.Pid)
		if err := srv.alive(); err != nil {
			return res, err
		}
		res.Errors5xx += st.status5xx
		res.ErrorsOther += st.transport + st.unexpected
		secs := st.elapsed.Seconds()
		emit(Figure{"requests", run, float64(st.requests), "requests"})
		emit(Figure{"throughput", run, round(float64(st.requests) / secs), "req/s"})
		emit(Figure{"search_throughput", run, round(float64(st.searches) / secs), "req/s"})
		emit(Figure{"latency_p50", run, round(st.pct(0.50)), "ms"})
		emit(Figure{"latency_p99", run, round(st.pct(0.99)), "ms"})
		emit(Figure{"latency_max", run, round(st.pct(1)), "ms"})
		emit(Figure{"bad_requests_answered_400", run, float64(st.bad400), "requests"})
		emit(Figure{"errors_5xx", run, float64(st.status5xx), "requests"})
		emit(Figure{"errors_other", run, float64(st.transport + st.unexpected), "requests"})
		emit(Figure{"rss_before", run, round(before), "MB"})
		emit(Figure{"rss_after", run, round(after), "MB"})
		for _, e := range st.samples {
			fmt.Fprintf(o.Log, "load: run %d: %s\n", run, e)
		}
		rss = append(rss, after)
	}
	if len(rss) >= 2 {
		emit(Figure{Figure: "rss_growth_last_run", Value: round(rss[len(rss)-1] - rss[len(rss)-2]), Unit: "MB"})
	}
	return res, nil
}

func round(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }

// ---- index ----

type marker struct {
	N      int    `json:"n"`
	Seed   uint64 `json:"seed"`
	Schema int    `json:"schema"`
}

// prepare builds the index of the seeds plus N generated articles with the
// real binary, unless an index of the same corpus is already there.
func prepare(ctx context.Context, o Options, idx string) error {
	want := marker{N: o.N, Seed: bench.DefaultSeed, Schema: schema.Version}
	markerPath := filepath.Join(o.Work, "corpus.json")
	if !o.Reindex {
		var have marker
		if raw, err := os.ReadFile(markerPath); err == nil && json.Unmarshal(raw, &have) == nil && have == want {
			if _, _, err := schema.Current(idx); err == nil {
				fmt.Fprintf(o.Log, "load: reusing the index in %s\n", idx)
				return nil
			}
		}
	}
	corpus := filepath.Join(o.Work, "corpus")
	if err := os.RemoveAll(corpus); err != nil {
		return err
	}
	root, err := bench.FindRoot()
	if err != nil {
		return err
	}
	v, err := bench.LoadVocab(root)
	if err != nil {
		return err
	}
	st, err := bench.Write(corpus, v, bench.GenConfig{N: o.N, Seed: want.Seed})
	if err != nil {
		return err
	}
	if err := copySeeds(filepath.Join(corpus, "seeds")); err != nil {
		return err
	}
	fmt.Fprintf(o.Log, "load: indexing the seeds and %d generated articles (%.1f MB)\n", st.Articles, float64(st.FileBytes)/1e6)
	cmd := exec.CommandContext(ctx, o.Bin, "index", "--index", idx, corpus)
	cmd.Stdout, cmd.Stderr = o.Log, o.Log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("load: bulletin index: %w", err)
	}
	raw, _ := json.Marshal(want)
	return os.WriteFile(markerPath, raw, 0o644)
}

func copySeeds(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return fs.WalkDir(seeds.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".txt") {
			return err
		}
		data, err := fs.ReadFile(seeds.FS, p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, filepath.Base(p)), data, 0o644)
	})
}

// ---- server ----

type server struct {
	cmd    *exec.Cmd
	base   string
	docs   int
	exited chan error
	log    *os.File
}

// startServer starts `bulletin serve` on a port the kernel picks and waits
// until /healthz answers.
func startServer(ctx context.Context, bin, idx, logPath string) (*server, error) {
	lf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve", "--index", idx, "--addr", "127.0.0.1:0", "--log-json")
	cmd.Stderr = lf
	out, err := cmd.StdoutPipe()
	if err != nil {
		lf.Close()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		lf.Close()
		return nil, err
	}
	s := &server{cmd: cmd, exited: make(chan error, 1), log: lf}
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
	}()
	go func() { s.exited <- cmd.Wait() }()

	// "serving N articles at http://ADDR/"
	timeout := time.After(2 * time.Minute)
	for s.base == "" {
		select {
		case l := <-lines:
			if i := strings.Index(l, "http://"); i >= 0 {
				s.base = strings.TrimRight(strings.Fields(l[i:])[0], "/")
			}
		case err := <-s.exited:
			s.exited <- err
			return nil, fmt.Errorf("load: bulletin serve exited: %v (log %s)", err, logPath)
		case <-timeout:
			s.stop()
			return nil, errors.New("load: bulletin serve printed no address in 2 minutes")
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		}
	}
	for i := 0; ; i++ {
		resp, err := http.Get(s.base + "/healthz")
		if err == nil {
			var h struct{ Documents int }
			json.NewDecoder(resp.Body).Decode(&h)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.docs = h.Documents
				return s, nil
			}
		}
		if i > 200 {
			s.stop()
			return nil, fmt.Errorf("load: /healthz not ready: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *server) alive() error {
	select {
	case err := <-s.exited:
		s.exited <- err
		return fmt.Errorf("load: the server died: %v", err)
	default:
		return nil
	}
}

// stop ends the server this test started, by its pid: SIGTERM, then
// SIGKILL if it has not exited within 15 s.
func (s *server) stop() {
	defer s.log.Close()
	if s.alive() != nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.exited:
		s.exited <- err
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
	}
}

// rssMB reads the resident set size of a process from /proc.
func rssMB(pid int) (float64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			f := strings.Fields(l)
			if len(f) >= 2 {
				kb, err := strconv.ParseFloat(f[1], 64)
				return kb / 1024, err
			}
		}
	}
	return 0, errors.New("no VmRSS")
}

// ---- the request mix ----

// request is one request with the status it must get.
type request struct {
	path   string
	want   int
	search bool
}

type mix struct {
	base      string
	districts []string
	topics    []string
	years     []string
	ids       []string
}

var words = []string{
	"养老驿站", "接诉即办", "医保", "学位", "地铁", "垃圾分类", "老旧小区", "加装电梯", "回龙观", "望京",
	"人才公寓", "口袋公园", "12345", "卫健委", "乡村振兴", "营商环境", "冰雪运动", "社区卫生服务中心",
}
var phrases = []string{
	"社区养老驿站", "老旧小区综合整治", "接诉即办 回天", "医保定点 医院", "地铁 站点 开通", "養老驛站", "养老驿战", "yanglao", "ylyz",
}

// newMix reads facet values and some article ids from the server.
func newMix(base string) (*mix, error) {
	m := &mix{base: base}
	resp, err := http.Get(base + "/api/search?size=50")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var r struct {
		Hits []struct {
			ID string `json:"id"`
		} `json:"hits"`
		Facets map[string][]struct {
			Value string `json:"value"`
		} `json:"facets"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, fmt.Errorf("load: first search: %w", err)
	}
	for _, h := range r.Hits {
		m.ids = append(m.ids, h.ID)
	}
	for _, f := range r.Facets["district"] {
		m.districts = append(m.districts, f.Value)
	}
	for _, f := range r.Facets["topic"] {
		m.topics = append(m.topics, f.Value)
	}
	for _, f := range r.Facets["year"] {
		m.years = append(m.years, f.Value)
	}
	if len(m.ids) == 0 || len(m.districts) == 0 || len(m.topics) == 0 {
		return nil, errors.New("load: the index has no articles or facets")
	}
	return m, nil
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// next returns a request: ~88% valid searches, suggestions and article
// reads, ~12% bad requests (400) and unknown articles (404).
func (m *mix) next(r *rand.Rand) request {
	q := url.Values{}
	search := func() request { return request{path: "/api/search?" + q.Encode(), want: 200, search: true} }
	switch n := r.IntN(100); {
	case n < 30:
		q.Set("q", pick(r, words))
		return search()
	case n < 42:
		q.Set("q", pick(r, phrases))
		return search()
	case n < 60:
		q.Set("q", pick(r, words))
		q.Add("district", pick(r, m.districts))
		if r.IntN(2) == 0 {
			q.Add("district", pick(r, m.districts))
		}
		if r.IntN(2) == 0 {
			q.Set("topic", pick(r, m.topics))
		}
		if len(m.years) > 0 && r.IntN(2) == 0 {
			q.Set("year", pick(r, m.years))
		}
		return search()
	case n < 70: // browse: no query, filters, newest first
		q.Set("topic", pick(r, m.topics))
		if len(m.years) > 0 {
			q.Set("year", pick(r, m.years))
		}
		q.Set("sort", "date")
		q.Set("date_from", "2019-01-01")
		return search()
	case n < 76: // deeper pages, bigger pages
		q.Set("q", pick(r, words))
		q.Set("page", strconv.Itoa(2+r.IntN(4)))
		q.Set("size", pick(r, []string{"10", "20", "50"}))
		return search()
	case n < 82:
		w := []rune(pick(r, words))
		return request{path: "/api/suggest?q=" + url.QueryEscape(string(w[:1+r.IntN(len(w))])), want: 200}
	case n < 88:
		return request{path: "/api/articles/" + pick(r, m.ids), want: 200}
	case n < 89:
		return request{path: "/api/articles/0000000000000000", want: 404}
	}
	bad := []string{
		"size=51", "size=0", "page=0", "page=201&size=50", "page=x", "date_from=2023-13-01",
		"date_from=2023-05-01&date_to=2022-01-01", "year=abc", "year=1800", "q=a&q=b", "sort=score",
		"q=" + url.QueryEscape(strings.Repeat("养", 201)),
		"district=" + url.QueryEscape(strings.Repeat("区", 41)),
	}
	return request{path: "/api/search?" + pick(r, bad), want: 400, search: true}
}

// ---- clients ----

type stats struct {
	requests, searches    int
	bad400                int
	status5xx             int
	transport, unexpected int
	latencies             []float64 // ms, all requests answered
	elapsed               time.Duration
	samples               []string // a few error descriptions
	mu                    sync.Mutex
}

func (s *stats) pct(p float64) float64 {
	if len(s.latencies) == 0 {
		return 0
	}
	i := int(p*float64(len(s.latencies)-1) + 0.5)
	return s.latencies[i]
}

// runClients runs clients concurrent clients for d.
func runClients(ctx context.Context, m *mix, clients int, d time.Duration) *stats {
	tr := &http.Transport{MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2, IdleConnTimeout: 90 * time.Second}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	total := &stats{}
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(c)+1, uint64(time.Now().UnixNano())))
			local := &stats{}
			for ctx.Err() == nil {
				req := m.next(r)
				t0 := time.Now()
				status, err := get(hc, m.base+req.path)
				ms := float64(time.Since(t0).Microseconds()) / 1000
				if ctx.Err() != nil && err != nil {
					break // the run ended during this request
				}
				local.requests++
				if req.search {
					local.searches++
				}
				switch {
				case err != nil:
					local.transport++
					local.sample(fmt.Sprintf("%s: %v", req.path, err))
					continue
				case status >= 500:
					local.status5xx++
					local.sample(fmt.Sprintf("%s: status %d", req.path, status))
				case status != req.want:
					local.unexpected++
					local.sample(fmt.Sprintf("%s: status %d, want %d", req.path, status, req.want))
				case status == 400:
					local.bad400++
				}
				local.latencies = append(local.latencies, ms)
			}
			total.mu.Lock()
			total.requests += local.requests
			total.searches += local.searches
			total.bad400 += local.bad400
			total.status5xx += local.status5xx
			total.transport += local.transport
			total.unexpected += local.unexpected
			total.latencies = append(total.latencies, local.latencies...)
			for _, s := range local.samples {
				total.sample(s)
			}
			total.mu.Unlock()
		}(c)
	}
	wg.Wait()
	total.elapsed = time.Since(start)
	sort.Float64s(total.latencies)
	return total
}

func (s *stats) sample(e string) {
	if len(s.samples) < 5 {
		s.samples = append(s.samples, e)
	}
}

// get fetches url and reads the whole body (so the connection is reused).
func get(hc *http.Client, u string) (int, error) {
	resp, err := hc.Get(u)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, err
}
