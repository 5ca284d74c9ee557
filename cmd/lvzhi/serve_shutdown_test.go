package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"testing"
	"time"
)

// TestServeShutsDownGracefully runs the real server (SQLite, background jobs
// started), serves a request, then ends its context as SIGTERM does: serve
// must return without error well inside its 15 s budget, and stop listening.
func TestServeShutsDownGracefully(t *testing.T) {
	f := &serveFlags{addr: "127.0.0.1:0"}
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
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case err := <-done:
		t.Fatalf("serve ended before listening: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start listening")
	}
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "ok\n" {
		t.Fatalf("healthz: %d %q", resp.StatusCode, body)
	}
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not return within 20 s of the shutdown signal")
	}
	t.Logf("shut down in %v", time.Since(start))
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Fatal("still serving after shutdown")
	}
}
