package db_test

import (
	"context"
	"database/sql"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestDataVersionAtCommit: a write of a figure table moves the data version
// when it commits, not before (a reader must not keep values computed from
// the old rows under the new version) and not after a rollback; on
// PostgreSQL two writers in flight do not wait for each other through it.
func TestDataVersionAtCommit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		version := func() int64 {
			t.Helper()
			v, err := db.DataVersion(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		insert := func(tx *sql.Tx, code string) {
			t.Helper()
			if _, err := tx.ExecContext(ctx, `INSERT INTO committees (level, name, code, path, created_at) VALUES ('county', $1, $1, '/', $2)`,
				code, db.Now()); err != nil {
				t.Fatal(err)
			}
		}
		v0 := version()
		if v0 == 0 {
			t.Fatal("no data version")
		}
		tx, err := d.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		insert(tx, "1")
		if v := version(); v != v0 {
			t.Fatalf("version %d before commit, was %d", v, v0)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		v1 := version()
		if v1 <= v0 {
			t.Fatalf("version %d after commit, was %d", v1, v0)
		}
		tx, err = d.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		insert(tx, "2")
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		if v := version(); v != v1 {
			t.Fatalf("version %d after a rollback, was %d", v, v1)
		}
		if d.Engine != db.Postgres {
			return // SQLite has one writer at a time
		}
		a, err := d.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Rollback() //nolint:errcheck // committed below
		b, err := d.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Rollback() //nolint:errcheck
		insert(a, "3")
		insert(b, "4") // would wait for a if the version row were locked before commit
		insert(a, "5")
		if err := a.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := b.Commit(); err != nil {
			t.Fatal(err)
		}
		if v := version(); v != v1+2 {
			t.Fatalf("version %d after two commits, was %d", v, v1)
		}
	})
}
