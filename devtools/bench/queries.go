package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// The fixed query mix: each query is sent without filters and with a
// district, a topic and a year filter (values rotate from round to round so
// that the same request seldom repeats); empty queries come with filters
// only. Every answer carries the three facet lists.
var queryMix = []struct{ class, q string }{
	{"single", "养老"}, {"single", "学位"}, {"single", "医保"}, {"single", "公园"}, {"single", "地铁"}, {"single", "企业"},
	{"phrase", "养老驿站"}, {"phrase", "医保定点"}, {"phrase", "接诉即办"}, {"phrase", "人才公寓"}, {"phrase", "社区卫生服务中心"}, {"phrase", "老旧小区改造"},
	{"multi", "昌平 养老 驿站"}, {"multi", "朝阳 学位 幼儿园"}, {"multi", "海淀 医保 定点"}, {"multi", "通州 地铁 站点"}, {"multi", "大兴 公园 绿道"},
	{"pinyin", "yanglao"}, {"pinyin", "ylyz"}, {"pinyin", "xuewei"}, {"pinyin", "jiesujiban"},
}

var classes = []string{"single", "phrase", "multi", "pinyin", "empty"}

type qreq struct {
	class    string
	filtered bool
	params   url.Values
}

// mix is the request list of one round of the query mix.
type mix struct {
	districts, topics []string
	years             []string
}

func newMix(v *Vocab) *mix {
	m := &mix{}
	for _, d := range v.districts {
		m.districts = append(m.districts, d.full)
	}
	for _, t := range v.topics {
		m.topics = append(m.topics, t.name)
	}
	for _, y := range yearWeights {
		m.years = append(m.years, strconv.Itoa(y.year))
	}
	return m
}

func (m *mix) roundLen() int { return 4*len(queryMix) + 4 }

// request returns request number idx: round idx/roundLen, position idx%roundLen.
func (m *mix) request(idx int) qreq {
	round, pos := idx/m.roundLen(), idx%m.roundLen()
	d := func(k int) string { return m.districts[(round*5+k*3)%len(m.districts)] }
	t := func(k int) string { return m.topics[(round*3+k*7)%len(m.topics)] }
	y := func(k int) string { return m.years[(round+k*5)%len(m.years)] }
	p := url.Values{}
	if pos < 4*len(queryMix) {
		i, variant := pos/4, pos%4
		e := queryMix[i]
		p.Set("q", e.q)
		switch variant {
		case 1:
			p.Set("district", d(i))
		case 2:
			p.Set("topic", t(i))
		case 3:
			p.Set("year", y(i))
		}
		return qreq{class: e.class, filtered: variant > 0, params: p}
	}
	k := pos - 4*len(queryMix)
	p.Set("q", "")
	switch k {
	case 0:
		p.Set("district", d(k))
	case 1:
		p.Set("topic", t(k))
		p.Set("year", y(k))
	case 2:
		p.Set("district", d(k))
		p.Set("year", y(k))
	default:
		p.Set("district", d(k))
		p.Set("topic", t(k))
		p.Set("year", y(k))
	}
	return qreq{class: "empty", filtered: true, params: p}
}

type sample struct {
	class    string
	filtered bool
	lat      time.Duration
	status   int // 0: transport error
	tookMS   float64
	total    int
}

func newClient(conns int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			Proxy:               nil, // loopback only, never through a proxy
			MaxIdleConns:        conns * 2,
			MaxIdleConnsPerHost: conns * 2,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
	}
}

func doRequest(ctx context.Context, c *http.Client, base string, q qreq) sample {
	s := sample{class: q.class, filtered: q.filtered}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/search?"+q.params.Encode(), nil)
	if err != nil {
		return s
	}
	t := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		s.lat = time.Since(t)
		return s
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	resp.Body.Close()
	s.lat = time.Since(t)
	if err != nil {
		return s
	}
	s.status = resp.StatusCode
	var r struct {
		Total  int     `json:"total"`
		TookMS float64 `json:"took_ms"`
	}
	if json.Unmarshal(body, &r) == nil {
		s.total, s.tookMS = r.Total, r.TookMS
	}
	return s
}

// phase sends requests from -> from+count (at most) with the given number of
// clients until done or the time limit; it returns the samples and the wall time.
func phase(ctx context.Context, m *mix, base string, clients, from, count int, limit time.Duration) ([]sample, time.Duration) {
	c := newClient(clients)
	defer c.CloseIdleConnections()
	var next atomic.Int64
	next.Store(int64(from))
	deadline := time.Now().Add(limit)
	out := make([][]sample, clients)
	var wg sync.WaitGroup
	t := time.Now()
	for k := 0; k < clients; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			for ctx.Err() == nil && time.Now().Before(deadline) {
				i := int(next.Add(1) - 1)
				if i >= from+count {
					return
				}
				s := doRequest(ctx, c, base, m.request(i))
				if s.status == 0 && ctx.Err() != nil {
					// Cut by the bench itself (the bulk phase stops its
					// client when the load is done): not the server's error.
					return
				}
				out[k] = append(out[k], s)
			}
		}(k)
	}
	wg.Wait()
	wall := time.Since(t)
	var all []sample
	for _, s := range out {
		all = append(all, s...)
	}
	return all, wall
}

func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	k := int(p/100*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(k, 0), len(sorted)-1)]
}

func latencies(ss []sample, keep func(sample) bool) []float64 {
	var xs []float64
	for _, s := range ss {
		if s.status == 200 && keep(s) {
			xs = append(xs, float64(s.lat.Microseconds())/1000)
		}
	}
	sort.Float64s(xs)
	return xs
}

// queries starts the server, runs the cold pass, the one-client phase and
// the concurrent phase, and stops the server.
func (r *runner) queries(ctx context.Context, v *Vocab, indexDir, work string) error {
	o := r.o
	r.logf("starting %s serve", o.Bin)
	var extra []string
	if o.BulkN > 0 { // the write side on from the start: the idle phases run with it too
		keys := filepath.Join(work, "write-keys")
		if err := os.WriteFile(keys, []byte(benchKey+"\n"), 0o600); err != nil {
			return err
		}
		extra = []string{"--write-keys", keys}
	}
	srv, startup, err := startServer(ctx, o.Bin, indexDir, filepath.Join(work, "serve.log"), o.N, extra...)
	if err != nil {
		return err
	}
	defer srv.stop(nil)
	pid := srv.cmd.Process.Pid
	r.emit("serve_startup_s", startup.Seconds(), "s")
	_, rss0 := procStat(pid)
	r.emit("serve_rss_after_start_mb", float64(rss0)/mb, "MB")
	m := newMix(v)

	// Cold pass: the first round, one client, each request seen for the first time.
	r.logf("queries: cold pass (%d requests)", m.roundLen())
	cold, _ := phase(ctx, m, srv.base, 1, 0, m.roundLen(), o.PhaseTime)
	xs := latencies(cold, func(sample) bool { return true })
	r.emit("query_cold_p50_ms", percentile(xs, 50), "ms")
	r.emit("query_cold_p95_ms", percentile(xs, 95), "ms")
	r.emit("query_cold_max_ms", percentile(xs, 100), "ms")

	for _, ph := range []struct {
		name    string
		clients int
		from    int
		count   int
	}{
		{"1c", 1, m.roundLen(), o.Queries1},
		{fmt.Sprintf("%dc", o.Clients), o.Clients, 1000 * m.roundLen(), o.QueriesN},
	} {
		if err := ctx.Err(); err != nil {
			return err
		}
		r.logf("queries: %d client(s), at most %d requests or %s", ph.clients, ph.count, o.PhaseTime)
		cpu0, _ := procStat(pid)
		busy0, total0 := hostCPU()
		self0 := selfCPU()
		ss, wall := phase(ctx, m, srv.base, ph.clients, ph.from, ph.count, o.PhaseTime)
		cpu1, _ := procStat(pid)
		busy1, total1 := hostCPU()
		self1 := selfCPU()
		r.report(ph.name, ss, wall, cpu1-cpu0)
		if len(ss) > 0 {
			// The clients share the machine with the server: their cost.
			r.emit("client_cpu_ms_per_query_"+ph.name, float64((self1-self0).Microseconds())/1000/float64(len(ss)), "ms")
		}
		if total1 > total0 {
			// Near 0: the cores were all busy (the server, this client, or
			// other work on the host); well above 0 with the server under 2
			// cores: the server is waiting on something other than the CPU.
			r.emit("host_idle_share_"+ph.name, 1-float64(busy1-busy0)/float64(total1-total0), "share")
		}
	}
	if o.BulkN > 0 {
		if err := r.bulkPhase(ctx, v, m, srv.base, pid, work); err != nil {
			return err
		}
	}
	_, hwm := procStat(pid)
	r.emit("serve_peak_rss_mb", float64(hwm)/mb, "MB")
	return nil
}

const benchKey = "bench-write-key"

// bulkPhase streams BulkN new articles into the server through the write
// API (JSON Lines of 1,000 articles a request, one request at a time)
// while one client runs the query mix, as in the 1c phase, until the load
// is done. Figures: query_1c_bulk_* and bulk_articles_per_s.
func (r *runner) bulkPhase(ctx context.Context, v *Vocab, m *mix, base string, pid int, work string) error {
	o := r.o
	dir := filepath.Join(work, "bulk")
	os.RemoveAll(dir)
	defer os.RemoveAll(dir)
	st, err := WriteJSONL(dir, v, GenConfig{N: o.BulkN, Seed: o.Seed + 1}, 1000)
	if err != nil {
		return err
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	r.logf("queries: 1 client while %d articles (%.1f MB) stream in through _bulk", st.Articles, float64(st.FileBytes)/mb)
	qctx, stop := context.WithCancel(ctx)
	defer stop()
	type bulkRes struct {
		n    int
		wall time.Duration
		err  error
	}
	done := make(chan bulkRes, 1)
	cpu0, _ := procStat(pid)
	go func() {
		defer stop()
		client := &http.Client{Transport: &http.Transport{Proxy: nil}}
		t := time.Now()
		n := 0
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				done <- bulkRes{err: err}
				return
			}
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/articles/_bulk", bytes.NewReader(data))
			req.Header.Set("Authorization", "Bearer "+benchKey)
			resp, err := client.Do(req)
			if err != nil {
				done <- bulkRes{err: err}
				return
			}
			var res struct{ Indexed int }
			json.NewDecoder(resp.Body).Decode(&res)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				done <- bulkRes{err: fmt.Errorf("bench: _bulk answered %d", resp.StatusCode)}
				return
			}
			n += res.Indexed
		}
		done <- bulkRes{n: n, wall: time.Since(t)}
	}()
	ss, wall := phase(qctx, m, base, 1, m.roundLen(), 1<<30, o.PhaseTime*10)
	b := <-done
	cpu1, _ := procStat(pid)
	if b.err != nil {
		return b.err
	}
	r.report("1c_bulk", ss, wall, cpu1-cpu0)
	r.emit("bulk_articles", float64(b.n), "articles")
	r.emit("bulk_articles_per_s", float64(b.n)/b.wall.Seconds(), "articles/s")
	r.emit("bulk_mb_per_s", float64(st.FileBytes)/mb/b.wall.Seconds(), "MB/s")
	r.emit("bulk_wall_s", b.wall.Seconds(), "s")
	return nil
}

func (r *runner) report(name string, ss []sample, wall, cpu time.Duration) {
	pre := "query_" + name + "_"
	errs, overloaded := 0, 0
	for _, s := range ss {
		switch {
		case s.status == 503:
			overloaded++
			errs++
		case s.status != 200:
			errs++
		}
	}
	all := latencies(ss, func(sample) bool { return true })
	r.emit(pre+"requests", float64(len(ss)), "requests")
	r.emit(pre+"errors", float64(errs), "requests")
	if overloaded > 0 {
		r.emit(pre+"overloaded_503", float64(overloaded), "requests")
	}
	r.emit(pre+"qps", float64(len(ss)-errs)/wall.Seconds(), "queries/s")
	r.emit(pre+"p50_ms", percentile(all, 50), "ms")
	r.emit(pre+"p95_ms", percentile(all, 95), "ms")
	r.emit(pre+"p99_ms", percentile(all, 99), "ms")
	r.emit(pre+"max_ms", percentile(all, 100), "ms")
	for _, f := range []struct {
		n string
		b bool
	}{{"unfiltered", false}, {"filtered", true}} {
		xs := latencies(ss, func(s sample) bool { return s.filtered == f.b })
		r.emit(pre+f.n+"_p50_ms", percentile(xs, 50), "ms")
		r.emit(pre+f.n+"_p99_ms", percentile(xs, 99), "ms")
	}
	for _, c := range classes {
		xs := latencies(ss, func(s sample) bool { return s.class == c })
		r.emit(pre+c+"_p50_ms", percentile(xs, 50), "ms")
		r.emit(pre+c+"_p99_ms", percentile(xs, 99), "ms")
		if name == "1c" && c != "empty" {
			n, zero := 0, 0
			for _, s := range ss {
				if s.class == c && s.status == 200 {
					n++
					if s.total == 0 {
						zero++
					}
				}
			}
			if n > 0 {
				r.emit(pre+c+"_zero_hit_share", float64(zero)/float64(n), "share")
			}
		}
	}
	var took []float64
	hits := 0
	for _, s := range ss {
		if s.status == 200 {
			took = append(took, s.tookMS)
			hits += s.total
		}
	}
	if len(took) > 0 {
		// Per-hit work (scoring, sorting, facets) grows with this.
		r.emit(pre+"mean_total_hits", float64(hits)/float64(len(took)), "hits")
	}
	sort.Float64s(took)
	r.emit(pre+"engine_took_p50_ms", percentile(took, 50), "ms")
	r.emit(pre+"engine_took_p99_ms", percentile(took, 99), "ms")
	if len(ss) > 0 {
		r.emit("serve_cpu_ms_per_query_"+name, float64(cpu.Microseconds())/1000/float64(len(ss)), "ms")
		r.emit("serve_cpu_cores_"+name, cpu.Seconds()/wall.Seconds(), "cores")
	}
}
