package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lvzhi/internal/audit"
	"lvzhi/internal/db"
	"lvzhi/internal/secret"
)

// TestAuditCommand runs `lvzhi audit checkpoint` and `verify` on a SQLite
// database written with the audit key derived from LVZHI_KEY: intact passes;
// after a committee's chain is deleted, verify fails naming it.
func TestAuditCommand(t *testing.T) {
	ctx := context.Background()
	t.Setenv(secret.EnvKey, secret.NewKey())
	t.Setenv(audit.EnvKey, "")
	t.Cleanup(func() { audit.SetKey(nil) })
	dir := t.TempDir()
	path := filepath.Join(dir, "lvzhi.db")
	marks := filepath.Join(dir, "checkpoints.jsonl")
	args := func(cmd string) []string { return []string{cmd, "--db", path, "--checkpoints", marks} }
	if err := runCommittee(ctx, []string{"create", "--db", path, "--code", "fy", "--name", "富源县政协", "--level", "county"}); err != nil {
		t.Fatal(err)
	}
	if err := runUser(ctx, []string{"create", "--db", path, "--committee", "fy", "--username", "admin", "--name", "管理员", "--role", "admin"}); err != nil {
		t.Fatal(err)
	}
	if err := runAudit(ctx, args("checkpoint")); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(marks); err != nil || !strings.Contains(string(b), `"hash":"k1:`) {
		t.Fatalf("checkpoint file %q %v (want keyed hashes)", b, err)
	}
	if err := runAudit(ctx, args("verify")); err != nil {
		t.Fatalf("intact: %v", err)
	}
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var cid int64
	d.QueryRow(`SELECT committee_id FROM users`).Scan(&cid)
	d.Exec(`DELETE FROM audit_log WHERE committee_id = $1`, cid)
	d.Exec(`DELETE FROM audit_head WHERE committee_id = $1`, cid)
	d.Close()
	if err := runAudit(ctx, args("verify")); err == nil || !strings.Contains(err.Error(), "tampered") {
		t.Fatalf("verify after deleting a chain: %v", err)
	}
}
