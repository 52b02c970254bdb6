package server

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/search/editors"
	"github.com/govbulletin/bulletin/search/embedded"
)

// BenchmarkSearchQueryLog measures searches over real HTTP with the query
// log off and on, one client at a time, and reports the latency
// percentiles (p50-ms, p99-ms). The mix repeats a few queries and adds a
// long tail of distinct ones, as a day's searches do.
//
//	go test ./search/server -run '^$' -bench SearchQueryLog -benchtime 4000x -count 3
func BenchmarkSearchQueryLog(b *testing.B) {
	mix := []string{"养老驿站", "回天", "学位 医保", "接诉即办", "天通苑 文化", "人才公寓", "停车"}
	for _, on := range []bool{false, true} {
		name := "off"
		if on {
			name = "on"
		}
		b.Run(name, func(b *testing.B) {
			eng, err := embedded.Open(indexDir, embedded.Options{Poll: -1})
			if err != nil {
				b.Fatal(err)
			}
			defer eng.Close()
			var opts Options
			if on {
				st, err := editors.Open(b.TempDir(), eng.Planner(), editors.Options{})
				if err != nil {
					b.Fatal(err)
				}
				defer st.Close()
				opts.Editors = st
			}
			h, err := New(eng, opts)
			if err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			durs := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				q := mix[i%len(mix)]
				if i%3 == 0 {
					q = fmt.Sprintf("%s %d", q, i)
				}
				start := time.Now()
				resp, err := http.Get(srv.URL + "/api/search?q=" + url.QueryEscape(q))
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("%q: %d", q, resp.StatusCode)
				}
				durs = append(durs, time.Since(start))
			}
			b.StopTimer()
			sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
			at := func(p float64) float64 {
				return float64(durs[min(len(durs)-1, int(p*float64(len(durs))))].Microseconds()) / 1000
			}
			b.ReportMetric(at(0.50), "p50-ms")
			b.ReportMetric(at(0.99), "p99-ms")
		})
	}
}
