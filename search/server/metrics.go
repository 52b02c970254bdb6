package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, in a registry of its own
// (no package-global registry).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// newMetrics registers the server's metrics; sem and queue are the tokens
// of running and waiting searches (see srv.limited).
func newMetrics(b Backend, sem, queue chan struct{}, live LiveStats, ed Editors) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bulletin_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "bulletin_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
	}
	docs := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "bulletin_index_documents", Help: "Articles in the index generation being served.",
	}, func() float64 { return float64(b.Info().Documents) })
	gen := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "bulletin_index_generation_timestamp_seconds", Help: "Creation time of the generation being served (from its name).",
	}, func() float64 {
		name := b.Info().Generation
		if len(name) > 4 {
			if t, err := time.Parse("20060102T150405.000000000", name[4:]); err == nil {
				return float64(t.Unix())
			}
		}
		return 0
	})
	running := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "bulletin_searches_running", Help: "Searches running now (at most the concurrency cap).",
	}, func() float64 { return float64(len(sem)) })
	waiting := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "bulletin_searches_waiting", Help: "Searches waiting for their turn in the queue.",
	}, func() float64 { return float64(len(queue)) })
	if live != nil {
		m.reg.MustRegister(
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "bulletin_documents_written_total", Help: "Articles written (put) through the write API and watched folders.",
			}, func() float64 { return float64(live.Written()) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "bulletin_documents_deleted_total", Help: "Articles deleted through the write API and watched folders.",
			}, func() float64 { return float64(live.Deleted()) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "bulletin_write_log_bytes", Help: "Size of the write-ahead log (api.log).",
			}, func() float64 { return float64(live.LogSize()) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "bulletin_write_log_folds_total", Help: "Times the write-ahead log was folded (only the last record of each id kept) since the server started.",
			}, func() float64 { return float64(live.LogFolds()) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "bulletin_visibility_lag_seconds", Help: "Time from the last write being applied until a view of the index showed it to searches.",
			}, func() float64 { return live.VisibilityLag().Seconds() }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "bulletin_view_build_seconds", Help: "Time the last view of the index (snapshot and facet columns) took to make after writes.",
			}, func() float64 { return live.ViewCost().Seconds() }),
		)
	}
	if d, ok := ed.(droppedCounter); ok {
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "bulletin_query_log_dropped_total", Help: "Searches and clicks the query log left out: its writer was behind, or the day held its most queries.",
		}, func() float64 { return float64(d.Dropped()) }))
	}
	m.reg.MustRegister(m.requests, m.latency, docs, gen, running, waiting,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// droppedCounter is a query log that counts what it left out.
type droppedCounter interface{ Dropped() int64 }

// LiveStats are the write side's figures for /metrics.
type LiveStats interface {
	Written() int64
	Deleted() int64
	LogSize() int64
	LogFolds() int64
	VisibilityLag() time.Duration
	ViewCost() time.Duration
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
