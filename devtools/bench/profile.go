//go:build benchprof

package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/search/embedded"
	"github.com/govbulletin/bulletin/search/server"
)

const profileBuilt = true

// profile is a separate experiment (-profile DIR, built with -tags benchprof): the product's indexer
// and HTTP handler run in this process under the CPU profiler, on the same
// corpus, so that the bottlenecks behind the subprocess figures can be seen.
// Its figures are prefixed "prof_" and are not the benchmark's own.
func (r *runner) profile(ctx context.Context, v *Vocab, corpus, indexDir string) error {
	dir := r.o.Profile
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	defer os.RemoveAll(indexDir)

	r.logf("profile: in-process indexer.Build → %s", filepath.Join(dir, "index.cpu.pprof"))
	f, err := os.Create(filepath.Join(dir, "index.cpu.pprof"))
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return err
	}
	t := time.Now()
	rep, err := indexer.Build(ctx, indexDir, indexer.Config{}, corpus)
	pprof.StopCPUProfile()
	f.Close()
	if err != nil {
		return fmt.Errorf("bench: in-process build: %w", err)
	}
	r.emit("prof_index_articles_per_s", float64(rep.Articles)/time.Since(t).Seconds(), "articles/s")
	runtime.GC()
	if hf, err := os.Create(filepath.Join(dir, "index.heap.pprof")); err == nil {
		pprof.Lookup("allocs").WriteTo(hf, 0)
		hf.Close()
	}

	eng, err := embedded.Open(indexDir, embedded.Options{Poll: -1})
	if err != nil {
		return err
	}
	defer eng.Close()
	h, err := server.New(eng, server.Options{})
	if err != nil {
		return err
	}
	m := newMix(v)
	// Warm up with one round, then profile the one-client request sequence.
	for i := 0; i < m.roundLen(); i++ {
		serveOne(h, m.request(i))
	}
	r.logf("profile: in-process queries → %s", filepath.Join(dir, "query.cpu.pprof"))
	qf, err := os.Create(filepath.Join(dir, "query.cpu.pprof"))
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(qf); err != nil {
		qf.Close()
		return err
	}
	t = time.Now()
	n := 0
	deadline := t.Add(r.o.PhaseTime)
	for i := m.roundLen(); i < m.roundLen()+r.o.Queries1 && time.Now().Before(deadline) && ctx.Err() == nil; i++ {
		serveOne(h, m.request(i))
		n++
	}
	d := time.Since(t)
	pprof.StopCPUProfile()
	qf.Close()
	r.emit("prof_query_inprocess_mean_ms", float64(d.Microseconds())/1000/float64(max(n, 1)), "ms")
	return nil
}

func serveOne(h http.Handler, q qreq) int {
	req := httptest.NewRequest(http.MethodGet, "/api/search?"+q.params.Encode(), nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Code
}
