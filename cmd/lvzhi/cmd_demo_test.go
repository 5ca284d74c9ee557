package main

import (
	"context"
	"errors"
	"flag"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDemoFailsFastOnABusyPort: with its port taken, the demo stops at once
// with a hint, before making a data directory or seeding anything.
func TestDemoFailsFastOnABusyPort(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	start := time.Now()
	err = runDemo(context.Background(), []string{"--addr", ln.Addr().String()})
	if err == nil || !strings.Contains(err.Error(), "--addr") || !strings.Contains(err.Error(), "端口可能已被占用") {
		t.Fatalf("err = %v, want the busy-port hint", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s: seeded before listening?", d)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left %d entries in the temporary directory", len(left))
	}
}

// TestDemoHelpTellsTheDataDirectory: demo --help gives the true default of
// --data (a temporary directory, removed on stop), not serve's "data".
func TestDemoHelpTellsTheDataDirectory(t *testing.T) {
	out, err := captureStderr(t, func() error { return runDemo(context.Background(), []string{"--help"}) })
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(out, "new temporary directory, removed when the demo stops") || strings.Contains(out, `(default "data")`) {
		t.Errorf("--data help:\n%s", out)
	}
}

// TestDemoDataDirectory: without --data the demo's data live in a temporary
// directory removed when it stops; a given --data directory is kept.
func TestDemoDataDirectory(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	parse := func(args ...string) (*flag.FlagSet, *serveFlags) {
		var f serveFlags
		fs := flag.NewFlagSet("demo", flag.ContinueOnError)
		f.bind(fs, "127.0.0.1:0")
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return fs, &f
	}
	fs, f := parse()
	cleanup, err := demoDataDir(fs, f)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(filepath.Base(f.dataDir), "lvzhi-demo-") {
		t.Fatalf("data dir %q", f.dataDir)
	}
	if err := os.WriteFile(filepath.Join(f.dataDir, "lvzhi.db"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	cleanup()
	if _, err := os.Stat(f.dataDir); !os.IsNotExist(err) {
		t.Errorf("temporary data dir kept: %v", err)
	}
	keep := t.TempDir()
	fs, f = parse("--data", keep)
	cleanup, err = demoDataDir(fs, f)
	if err != nil {
		t.Fatal(err)
	}
	cleanup()
	if _, err := os.Stat(keep); err != nil || f.dataDir != keep {
		t.Errorf("given data dir %q removed or replaced (%q): %v", keep, f.dataDir, err)
	}
}
