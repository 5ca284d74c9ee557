package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoUnknownScenario: an unknown --scenario is refused with the known
// names before anything is created.
func TestDemoUnknownScenario(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	err := runDemo(context.Background(), []string{"--scenario", "atlantis-1999", "--data", dir})
	if err == nil || !strings.Contains(err.Error(), "atlantis-1999") || !strings.Contains(err.Error(), "fuyuan-2018") {
		t.Fatalf("got %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the data directory was created: %v", err)
	}
}
