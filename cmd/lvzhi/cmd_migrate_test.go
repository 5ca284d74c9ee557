package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"lvzhi/internal/audit"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/demo"
	"lvzhi/internal/secret"
)

// sqliteFile returns a migrated SQLite database in a temporary directory and its path.
func sqliteFile(t *testing.T) (*db.DB, string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "lvzhi.db")
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return d, path
}

// TestMigrateFromSQLite moves the demo county (members with encrypted ID
// numbers, users, proposals through their workflow, the audit chain) from
// SQLite into PostgreSQL with `lvzhi migrate --from`: every table compares
// equal, the audit chain verifies on PostgreSQL, ID numbers still decrypt
// (they are bound to the copied ids), and new rows get fresh ids.
func TestMigrateFromSQLite(t *testing.T) {
	ctx := context.Background()
	pg := dbtest.Postgres(t)
	src, path := sqliteFile(t)
	box, err := secret.New([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := demo.Seed(ctx, src, box)
	if err != nil {
		t.Fatal(err)
	}
	if err := copyFrom(ctx, path, pg); err != nil {
		t.Fatalf("copy: %v", err)
	}
	left, right, differ, err := db.Compare(ctx, src, pg)
	if err != nil || len(differ) > 0 {
		t.Fatalf("compare: %v, differ %v", err, differ)
	}
	rows := map[string]int64{}
	for i, l := range left {
		if l.Rows != right[i].Rows {
			t.Errorf("%s: %d rows on SQLite, %d on PostgreSQL", l.Table, l.Rows, right[i].Rows)
		}
		rows[l.Table] = l.Rows
	}
	for _, table := range []string{"committees", "people", "memberships", "users", "proposals", "proposal_events", "audit_log"} {
		if rows[table] == 0 {
			t.Errorf("%s: nothing copied (the demo has some)", table)
		}
	}
	if res.Proposals == 0 {
		t.Error("demo seeded no proposals")
	}
	checked, problems, err := audit.Verify(ctx, pg)
	if err != nil || len(problems) > 0 || checked != rows["audit_log"] {
		t.Errorf("audit chain on PostgreSQL: %d of %d checked, problems %v, err %v", checked, rows["audit_log"], problems, err)
	}
	var id int64
	var sealed []byte
	if err := pg.QueryRowContext(ctx, `SELECT id, id_number_enc FROM identities WHERE octet_length(id_number_enc) > 0 ORDER BY id LIMIT 1`).Scan(&id, &sealed); err != nil {
		t.Fatal(err)
	}
	if n, err := box.Open(sealed, id); err != nil || len(n) != 18 {
		t.Errorf("ID number of identity %d after the copy: %q, %v", id, n, err)
	}
	var maxID, newID int64
	if err := pg.QueryRowContext(ctx, `SELECT MAX(id) FROM committees`).Scan(&maxID); err != nil {
		t.Fatal(err)
	}
	if err := pg.QueryRowContext(ctx, `INSERT INTO committees (level, name, code, path, created_at) VALUES ('county', '新县', 'NEW1', '/', $1) RETURNING id`,
		db.Now()).Scan(&newID); err != nil || newID <= maxID {
		t.Errorf("new committee id %d after copied max %d: %v", newID, maxID, err)
	}
	if err := copyFrom(ctx, path, pg); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("second copy into the same database: %v", err)
	}
}

// TestMigrateRefusesBadText: a SQLite database written before the input gate
// may hold text PostgreSQL refuses (NUL, invalid UTF-8). The copy names each
// such value and writes nothing.
func TestMigrateRefusesBadText(t *testing.T) {
	ctx := context.Background()
	pg := dbtest.Postgres(t)
	src, path := sqliteFile(t)
	for i, name := range []string{"坏\x00县", "坏\xff县", "好县"} {
		if _, err := src.ExecContext(ctx, `INSERT INTO committees (level, name, code, path, created_at) VALUES ('county', $1, $2, '/', $3)`,
			name, "C"+string(rune('A'+i)), db.Now()); err != nil {
			t.Fatal(err)
		}
	}
	err := copyFrom(ctx, path, pg)
	var bad *db.BadTextError
	if !errors.As(err, &bad) || len(bad.Values) != 2 || bad.Values[0].Table != "committees" || bad.Values[0].Column != "name" ||
		!strings.Contains(err.Error(), "committees.name of row 1") {
		t.Fatalf("copy of bad text: %v", err)
	}
	var n int
	if err := pg.QueryRowContext(ctx, `SELECT COUNT(*) FROM committees`).Scan(&n); err != nil || n != 0 {
		t.Errorf("refused copy wrote %d committees (%v)", n, err)
	}
}
