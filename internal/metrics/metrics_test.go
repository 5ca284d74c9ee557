package metrics_test

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/jobs"
	"lvzhi/internal/metrics"
)

type pingArgs struct{}

func (pingArgs) Kind() string { return "metrics.ping" }

func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("scrape status %d", rec.Code)
	}
	return rec.Body.String()
}

// TestMetrics: requests are counted by route pattern (not raw path) and status,
// timed, and the pool, runtime and job queue are reported; on both engines.
func TestMetrics(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m := metrics.New(d)
		mux := http.NewServeMux()
		mux.HandleFunc("GET /proposals/{id}", func(w http.ResponseWriter, r *http.Request) {
			if r.PathValue("id") == "0" {
				http.Error(w, "no", http.StatusNotFound)
				return
			}
			_, _ = io.WriteString(w, "ok")
		})
		route := func(r *http.Request) string { _, p := mux.Handler(r); return p }
		ts := httptest.NewServer(m.Middleware(route)(mux))
		defer ts.Close()
		for _, p := range []string{"/proposals/1", "/proposals/2", "/proposals/0", "/nowhere/x"} {
			resp, err := http.Get(ts.URL + p)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		if err := d.Tx(ctx, func(tx *sql.Tx) error { return jobs.Enqueue(ctx, d, tx, pingArgs{}) }); err != nil {
			t.Fatal(err)
		}

		out := scrape(t, m)
		for _, want := range []string{
			`lvzhi_http_requests_total{method="GET",route="GET /proposals/{id}",status="200"} 2`,
			`lvzhi_http_requests_total{method="GET",route="GET /proposals/{id}",status="404"} 1`,
			`lvzhi_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
			`lvzhi_http_request_duration_seconds_count{route="GET /proposals/{id}"} 3`,
			`lvzhi_jobs{state="available"} 1`,
			`lvzhi_jobs{state="running"} 0`,
			`lvzhi_jobs_scrape_ok 1`,
			`go_sql_max_open_connections{db_name="` + string(d.Engine) + `"}`,
			`go_goroutines `,
		} {
			if !strings.Contains(out, want) {
				t.Errorf("metrics lack %q", want)
			}
		}
		if strings.Contains(out, `route="/proposals/1"`) {
			t.Error("raw path used as a label")
		}
	})
}
