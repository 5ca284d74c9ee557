package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startServe runs serve with f on a fresh SQLite database until the test
// ends, and returns the public base URL.
func startServe(t *testing.T, f *serveFlags) string {
	t.Helper()
	f.dataDir = t.TempDir()
	f.dsn = filepath.Join(f.dataDir, "lvzhi.db")
	ctx, cancel := context.WithCancel(context.Background())
	d, err := f.open(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, f, d, func(a string) { addr <- a }) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
		d.Close()
	})
	select {
	case a := <-addr:
		return "http://" + a
	case err := <-done:
		done <- err
		t.Fatalf("serve ended: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	return ""
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestMetricsOnSeparateAddress: with --metrics-addr the metrics are served
// there and the public address answers 404 for /metrics (before, /metrics
// was always on the public address, to be filtered by the proxy). Without
// --pprof the profiler is served nowhere.
func TestMetricsOnSeparateAddress(t *testing.T) {
	f := &serveFlags{addr: "127.0.0.1:0", metricsAddr: "127.0.0.1:0"}
	public := startServe(t, f)
	if code, _ := httpGet(t, public+"/metrics"); code != http.StatusNotFound {
		t.Errorf("public /metrics: %d, want 404", code)
	}
	if code, body := httpGet(t, public+"/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("public /healthz: %d", code)
	}
	code, body := httpGet(t, "http://"+f.metricsBound+"/metrics")
	if code != http.StatusOK || !strings.Contains(body, "lvzhi_http_requests_total") {
		t.Errorf("metrics address: %d\n%.300s", code, body)
	}
	for _, p := range []string{"/healthz", "/debug/pprof/"} {
		if code, _ := httpGet(t, "http://"+f.metricsBound+p); code != http.StatusNotFound {
			t.Errorf("the metrics address serves more than /metrics: %s %d", p, code)
		}
	}
	if code, _ := httpGet(t, public+"/debug/pprof/"); code != http.StatusNotFound {
		t.Errorf("public /debug/pprof/: %d, want 404", code)
	}
}

// TestPprofOnMetricsAddress: --pprof serves Go's profiler on the metrics
// listener only, and is refused without one (it must never be public).
func TestPprofOnMetricsAddress(t *testing.T) {
	f := &serveFlags{addr: "127.0.0.1:0", metricsAddr: "127.0.0.1:0", pprof: true}
	public := startServe(t, f)
	code, body := httpGet(t, "http://"+f.metricsBound+"/debug/pprof/")
	if code != http.StatusOK || !strings.Contains(body, "goroutine") {
		t.Errorf("metrics /debug/pprof/: %d\n%.200s", code, body)
	}
	if code, body := httpGet(t, "http://"+f.metricsBound+"/debug/pprof/heap?debug=1"); code != http.StatusOK || !strings.Contains(body, "heap profile") {
		t.Errorf("heap profile: %d\n%.200s", code, body)
	}
	if code, _ := httpGet(t, public+"/debug/pprof/"); code != http.StatusNotFound {
		t.Errorf("public /debug/pprof/: %d, want 404", code)
	}

	alone := &serveFlags{pprof: true}
	if _, err := serveMetrics(alone, nil, nil); err == nil || !strings.Contains(err.Error(), "--metrics-addr") {
		t.Errorf("--pprof without --metrics-addr: %v, want a refusal naming --metrics-addr", err)
	}
}
