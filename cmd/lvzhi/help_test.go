package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"strings"
	"testing"
)

// TestHelp asks every subcommand for --help: it must succeed (flag.ErrHelp,
// which main treats as success) and print the command's flags.
func TestHelp(t *testing.T) {
	cases := [][]string{{"audit", "verify", "--help"}, {"user", "create", "--help"}, {"import", "members", "--help"}}
	for name := range commands {
		cases = append(cases, []string{name, "--help"}, []string{name, "-h"})
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, err := captureStderr(t, func() error { return commands[args[0]].run(context.Background(), args[1:]) })
			if !errors.Is(err, flag.ErrHelp) {
				t.Fatalf("err = %v, want flag.ErrHelp", err)
			}
			if !strings.Contains(out, "lvzhi "+args[0]) || !strings.Contains(out, "-db") {
				t.Errorf("help lacks the command name or its flags:\n%s", out)
			}
		})
	}
}

// captureStderr runs fn with os.Stderr redirected and returns what it wrote.
func captureStderr(t *testing.T, fn func() error) (string, error) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stderr
	os.Stderr = w
	done := make(chan string)
	go func() { b, _ := io.ReadAll(r); done <- string(b) }()
	ferr := fn()
	os.Stderr = old
	w.Close()
	return <-done, ferr
}
