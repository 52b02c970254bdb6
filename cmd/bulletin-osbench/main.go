// Command bulletin-osbench compares the embedded engine with OpenSearch
// clusters of 1 and 3 nodes on one generated bench corpus, in one run:
// indexing rate (`bulletin index` wall time), query latency
// p50/p99 with one client and throughput with -clients clients, over HTTP
// (`bulletin serve`) on 127.0.0.1. The clusters are started here from the
// Maven-built launcher (deploy/opensearch) and killed at the end. One JSON
// line per figure on stdout, progress on stderr.
//
//	go run ./cmd/bulletin-osbench -n 5000 -bin bin/bulletin
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/govbulletin/bulletin/devtools/bench"
	"github.com/govbulletin/bulletin/devtools/oscluster"
)

func main() {
	n := flag.Int("n", 5000, "articles in the generated corpus")
	bin := flag.String("bin", "bin/bulletin", "bulletin binary")
	clients := flag.Int("clients", 8, "concurrent clients of the throughput phase")
	n1 := flag.Int("q1", 400, "most requests of the one-client phase")
	nN := flag.Int("qn", 1600, "most requests of the concurrent phase")
	limit := flag.Duration("phase", 60*time.Second, "longest phase")
	heap := flag.String("heap", "512m", "heap of each OpenSearch node")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *n, *bin, *clients, *n1, *nN, *limit, *heap); err != nil {
		fmt.Fprintln(os.Stderr, "bulletin-osbench:", err)
		os.Exit(1)
	}
}

func emit(engine, figure string, v float64, unit string, n int) {
	b, _ := json.Marshal(map[string]any{"figure": figure, "engine": engine, "value": float64(int64(v*1000+0.5)) / 1000, "unit": unit, "n": n})
	fmt.Println(string(b))
}

func run(ctx context.Context, n int, bin string, clients, n1, nN int, limit time.Duration, heap string) error {
	root, err := bench.FindRoot()
	if err != nil {
		return err
	}
	v, err := bench.LoadVocab(root)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "bulletin-osbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	corpus := filepath.Join(work, "corpus")
	fmt.Fprintf(os.Stderr, "generating %d articles\n", n)
	st, err := bench.Write(corpus, v, bench.GenConfig{N: n})
	if err != nil {
		return err
	}
	mb := float64(st.FileBytes) / 1e6

	type engine struct {
		name  string
		nodes int // 0: embedded
	}
	for _, e := range []engine{{"embedded", 0}, {"opensearch-1", 1}, {"opensearch-3", 3}} {
		if err := ctx.Err(); err != nil {
			return err
		}
		var target []string
		var cluster *oscluster.Cluster
		if e.nodes > 0 {
			cp, err := oscluster.ClasspathOf()
			if err != nil {
				return err
			}
			home := filepath.Join(work, e.name)
			if err := os.MkdirAll(home, 0o755); err != nil {
				return err
			}
			fmt.Fprintf(os.Stderr, "%s: starting %d node(s)\n", e.name, e.nodes)
			cluster, err = oscluster.Launch(ctx, cp, e.nodes, home, heap)
			if err != nil {
				if cluster != nil {
					cluster.Stop()
				}
				return err
			}
			target = []string{"--opensearch", strings.Join(cluster.URLs(), ",")}
		} else {
			target = []string{"--index", filepath.Join(work, "index")}
		}
		err := func() error {
			fmt.Fprintf(os.Stderr, "%s: indexing\n", e.name)
			t := time.Now()
			cmd := exec.CommandContext(ctx, bin, append(append([]string{"index"}, target...), corpus)...)
			cmd.Stderr = os.Stderr
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("%s: index: %w", e.name, err)
			}
			secs := time.Since(t).Seconds()
			emit(e.name, "index_articles_per_s", float64(st.Articles)/secs, "articles/s", n)
			emit(e.name, "index_mb_per_s", mb/secs, "MB/s", n)

			base, stopServe, err := serve(ctx, bin, target, filepath.Join(work, e.name+"-serve.log"))
			if err != nil {
				return fmt.Errorf("%s: %w", e.name, err)
			}
			defer stopServe()
			fmt.Fprintf(os.Stderr, "%s: queries\n", e.name)
			figs := bench.EngineQueries(ctx, v, base, clients, n1, nN, limit)
			for _, k := range []string{"query_1c_p50_ms", "query_1c_p99_ms", "query_1c_qps", "query_1c_errors"} {
				emit(e.name, k, figs[k], unitOf(k), n)
			}
			pre := fmt.Sprintf("query_%dc_", clients)
			for _, k := range []string{pre + "qps", pre + "p50_ms", pre + "p99_ms", pre + "errors"} {
				emit(e.name, k, figs[k], unitOf(k), n)
			}
			return nil
		}()
		if cluster != nil {
			cluster.Stop()
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func unitOf(k string) string {
	switch {
	case strings.HasSuffix(k, "_ms"):
		return "ms"
	case strings.HasSuffix(k, "_qps"):
		return "queries/s"
	}
	return "requests"
}

// serve starts `bulletin serve` (by its pid, stopped with SIGTERM) and
// waits for /healthz.
func serve(ctx context.Context, bin string, target []string, logPath string) (string, func(), error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := l.Addr().String()
	l.Close()
	lf, err := os.Create(logPath)
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(bin, append(append([]string{"serve"}, target...), "--addr", addr)...)
	cmd.Stdout, cmd.Stderr = lf, lf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		lf.Close()
		return "", nil, err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited); lf.Close() }()
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	base := "http://" + addr
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		select {
		case <-exited:
			return "", nil, fmt.Errorf("serve exited (log %s)", logPath)
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return base, stop, nil
			}
		}
	}
	stop()
	return "", nil, errors.New("serve not ready within 3 minutes")
}
