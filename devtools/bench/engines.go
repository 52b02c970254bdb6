package bench

import (
	"context"
	"fmt"
	"time"
)

// EngineQueries runs the fixed query mix against a server already running
// at base (either engine): a warm-up round, one client for at most n1
// requests, then clients clients for at most nN requests, each phase at
// most limit long. It returns p50/p99 of each phase, the throughput with
// clients clients and the number of answers other than 200.
func EngineQueries(ctx context.Context, v *Vocab, base string, clients, n1, nN int, limit time.Duration) map[string]float64 {
	m := newMix(v)
	phase(ctx, m, base, 1, 0, m.roundLen(), limit) // warm-up (caches, JIT)
	out := map[string]float64{}
	for _, ph := range []struct {
		name          string
		clients, from int
		count         int
	}{
		{"1c", 1, m.roundLen(), n1},
		{fmt.Sprintf("%dc", clients), clients, 1000 * m.roundLen(), nN},
	} {
		ss, wall := phase(ctx, m, base, ph.clients, ph.from, ph.count, limit)
		errs := 0
		for _, s := range ss {
			if s.status != 200 {
				errs++
			}
		}
		all := latencies(ss, func(sample) bool { return true })
		out["query_"+ph.name+"_p50_ms"] = percentile(all, 50)
		out["query_"+ph.name+"_p99_ms"] = percentile(all, 99)
		out["query_"+ph.name+"_qps"] = float64(len(ss)-errs) / wall.Seconds()
		out["query_"+ph.name+"_errors"] = float64(errs)
	}
	return out
}
