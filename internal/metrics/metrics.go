// Package metrics exposes Prometheus metrics at GET /metrics: HTTP requests by
// route pattern and status, request latency, the database pool, the Go runtime
// and the background job queue.
//
// The server wires it in cmd/lvzhi/wire.go:
//
//	m := metrics.New(srv.DB)
//	srv.Wrap = m.Middleware(srv.Route)
//	srv.Extra["GET /metrics"] = m.Handler()
//
// Routes are labelled by their mux pattern ("GET /proposals/{id}"), never by
// the raw path, so the number of series stays bounded; a path no pattern
// serves is labelled "unmatched". /metrics carries no personal data but should
// still be reachable only from the monitoring network (see docs/DEPLOY.md).
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"lvzhi/internal/db"
)

// Metrics is one registry with the platform's collectors.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inflight prometheus.Gauge
}

// New registers the collectors for d on a fresh registry.
func New(d *db.DB) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "lvzhi_http_requests_total",
		Help: "HTTP requests served, by method, route pattern and status code.",
	}, []string{"method", "route", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "lvzhi_http_request_duration_seconds",
		Help:    "Time to serve an HTTP request, by route pattern.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route"})
	m.inflight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "lvzhi_http_requests_in_flight",
		Help: "HTTP requests being served now.",
	})
	m.reg.MustRegister(m.requests, m.duration, m.inflight,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(d.DB, string(d.Engine)),
		&jobCollector{d: d},
	)
	return m
}

// Registry is where further collectors can be registered.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Middleware counts and times every request. route names the pattern that
// serves a request (web.Server.Route); it is asked after the request is
// served, and "" is recorded as "unmatched".
func (m *Metrics) Middleware(route func(*http.Request) string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			m.inflight.Inc()
			defer m.inflight.Dec()
			sw := &statusWriter{ResponseWriter: w}
			next.ServeHTTP(sw, r)
			p := route(r)
			if p == "" {
				p = "unmatched"
			}
			if sw.status == 0 {
				sw.status = http.StatusOK
			}
			m.requests.WithLabelValues(method(r.Method), p, strconv.Itoa(sw.status)).Inc()
			m.duration.WithLabelValues(p).Observe(time.Since(start).Seconds())
		})
	}
}

// method bounds the method label to the standard verbs.
func method(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer (flush, deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// jobCollector reports River's jobs by state at scrape time. Finished jobs are
// deleted by River after a day, so the table stays small and the query cheap.
type jobCollector struct{ d *db.DB }

var (
	jobsDesc = prometheus.NewDesc("lvzhi_jobs", "Background jobs in the queue, by state.", []string{"state"}, nil)
	jobsUp   = prometheus.NewDesc("lvzhi_jobs_scrape_ok", "1 if the job counts could be read.", nil, nil)
)

func (c *jobCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- jobsDesc
	ch <- jobsUp
}

func (c *jobCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := jobCounts(ctx, c.d)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(jobsUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(jobsUp, prometheus.GaugeValue, 1)
	for state, n := range counts {
		ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, float64(n), state)
	}
}

// jobStates are River's job states, always reported (zero when empty).
var jobStates = []string{"available", "cancelled", "completed", "discarded", "pending", "retryable", "running", "scheduled"}

func jobCounts(ctx context.Context, d *db.DB) (map[string]int64, error) {
	rows, err := d.QueryContext(ctx, `SELECT CAST(state AS TEXT), count(*) FROM river_job GROUP BY state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for _, s := range jobStates {
		out[s] = 0
	}
	for rows.Next() {
		var s string
		var n int64
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}
