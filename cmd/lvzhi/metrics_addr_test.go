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

// TestMetricsOnSeparateAddress: with --metrics-addr the metrics are served
// there and the public address answers 404 for /metrics (before, /metrics
// was always on the public address, to be filtered by the proxy).
func TestMetricsOnSeparateAddress(t *testing.T) {
	f := &serveFlags{addr: "127.0.0.1:0", metricsAddr: "127.0.0.1:0"}
	f.dataDir = t.TempDir()
	f.dsn = filepath.Join(f.dataDir, "lvzhi.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d, err := f.open(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, f, d, func(a string) { addr <- a }) }()
	var public string
	select {
	case a := <-addr:
		public = "http://" + a
	case err := <-done:
		t.Fatalf("serve ended: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	get := func(url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get(public + "/metrics"); code != http.StatusNotFound {
		t.Errorf("public /metrics: %d, want 404", code)
	}
	if code, body := get(public + "/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("public /healthz: %d", code)
	}
	code, body := get("http://" + f.metricsBound + "/metrics")
	if code != http.StatusOK || !strings.Contains(body, "lvzhi_http_requests_total") {
		t.Errorf("metrics address: %d\n%.300s", code, body)
	}
	if code, _ := get("http://" + f.metricsBound + "/healthz"); code != http.StatusNotFound {
		t.Errorf("the metrics address serves more than /metrics: %d", code)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
