package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"lvzhi/internal/db"
)

// TestUserCommand drives the user subcommands against a SQLite file (the
// service behind them is tested on both engines in internal/auth).
func TestUserCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dsn := filepath.Join(dir, "lvzhi.db")
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(`INSERT INTO committees (level, name, code, path, created_at) VALUES ('county', '富源县政协', 'FY', '/1/', $1)`, db.Now()); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) error { return runUser(ctx, append(args, "--db", dsn)) }
	if err := run("create", "--committee", "FY", "--username", "Wang", "--name", "王芳", "--role", "admin,staff", "--password", "cli-password-1"); err != nil {
		t.Fatal(err)
	}
	err = run("create", "--committee", "FY", "--username", "wang", "--name", "", "--role", "root", "--password", "x")
	for _, want := range []string{"--username", "--name", "--role", "--password"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("bad create: %v lacks %s", err, want)
		}
	}
	if err := run("create", "--committee", "NOPE", "--username", "li", "--name", "李", "--role", "staff"); err == nil {
		t.Error("unknown committee accepted")
	}
	if err := run("disable", "--username", "WANG"); err != nil {
		t.Fatal(err)
	}
	var disabled bool
	var roles int
	d.QueryRow(`SELECT disabled FROM users WHERE username = 'wang'`).Scan(&disabled)
	d.QueryRow(`SELECT COUNT(*) FROM user_roles`).Scan(&roles)
	if !disabled || roles != 2 {
		t.Fatalf("disabled %v roles %d", disabled, roles)
	}
	if err := run("enable", "--username", "wang"); err != nil {
		t.Fatal(err)
	}
	if err := run("reset-password", "--username", "wang"); err != nil {
		t.Fatal(err)
	}
	if err := run("reset-password", "--username", "ghost"); err == nil {
		t.Error("unknown user reset")
	}
	if err := run("list", "--committee", "FY"); err != nil {
		t.Fatal(err)
	}
	if err := run("token", "--username", "wang", "--name", "报表系统", "--days", "30"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]string{{"token", "--username", "ghost"}, {"token", "--username", "wang", "--days", "0"}} {
		if err := run(bad...); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	var tokens int
	var name string
	d.QueryRow(`SELECT COUNT(*), MIN(name) FROM api_tokens`).Scan(&tokens, &name)
	if tokens != 1 || name != "报表系统" {
		t.Fatalf("tokens %d named %q, want one named 报表系统", tokens, name)
	}
	var audited int
	d.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE actor_name = 'cli'`).Scan(&audited)
	if audited != 5 { // create, disable, enable, reset_password, token
		t.Fatalf("audited %d", audited)
	}
}
