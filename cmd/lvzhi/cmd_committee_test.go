package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"lvzhi/internal/db"
)

// TestCommitteeCommand sets up a new installation from the command line: the
// top committee, one below it, refusals, and the first administrator.
func TestCommitteeCommand(t *testing.T) {
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "lvzhi.db")
	run := func(args ...string) error { return runCommittee(ctx, append(args, "--db", dsn)) }
	if err := run("create", "--code", "yn", "--name", "云南省政协", "--level", "province"); err != nil {
		t.Fatal(err)
	}
	if err := run("create", "--code", "fy", "--name", "富源县政协", "--level", "county", "--parent", "yn"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"create", "--code", "fy", "--name", "重复", "--level", "county", "--parent", "yn"}, "--code"},
		{[]string{"create", "--code", "x1", "--name", "", "--level", "county"}, "--name"},
		{[]string{"create", "--code", "x2", "--name", "某", "--level", "town"}, "--level"},
		{[]string{"create", "--code", "x3", "--name", "某", "--level", "province", "--parent", "fy"}, "--level"}, // not below its parent
		{[]string{"create", "--code", "x4", "--name", "某", "--level", "county", "--parent", "nope"}, "nope"},
		{[]string{"delete"}, "unknown"},
	} {
		if err := run(c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err %v, want one naming %s", c.args, err, c.want)
		}
	}
	if err := run("list"); err != nil {
		t.Fatal(err)
	}
	if err := runUser(ctx, []string{"create", "--committee", "fy", "--username", "admin", "--name", "管理员", "--role", "admin",
		"--password", "first-admin-pw", "--db", dsn}); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var parent, committees, audited int
	d.QueryRow(`SELECT COUNT(*) FROM committees`).Scan(&committees)
	d.QueryRow(`SELECT c.parent_id FROM committees c WHERE c.code = 'fy'`).Scan(&parent)
	d.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'committee'`).Scan(&audited)
	if committees != 2 || parent == 0 || audited != 2 {
		t.Fatalf("committees %d, parent of fy %d, audited %d", committees, parent, audited)
	}
}
