package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lvzhi/internal/secret"
)

// TestServeRefusesBadKey: an invalid LVZHI_KEY stops serve before it opens
// the database, naming the variable.
func TestServeRefusesBadKey(t *testing.T) {
	t.Setenv(secret.EnvKey, "not a key!")
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // were the key accepted, serve would start and stop at once
	err := runServe(ctx, []string{"--data", dir, "--addr", "127.0.0.1:0"})
	if err == nil || !strings.Contains(err.Error(), secret.EnvKey) {
		t.Fatalf("err = %v, want one naming %s", err, secret.EnvKey)
	}
	if _, err := os.Stat(filepath.Join(dir, "lvzhi.db")); !os.IsNotExist(err) {
		t.Fatalf("database created before the key was checked (%v)", err)
	}
}
