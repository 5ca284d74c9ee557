package db_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// scratch creates a small table of (id, v, version) rows 1..3 with v = 10*id.
func scratch(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	if _, err := d.ExecContext(ctx, `CREATE TABLE scratch (id INTEGER PRIMARY KEY, v INTEGER NOT NULL, version INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		if _, err := d.ExecContext(ctx, `INSERT INTO scratch (id, v, version) VALUES ($1, $2, 1)`, i, 10*i); err != nil {
			t.Fatal(err)
		}
	}
}

func TestArgsInAndQuery(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		scratch(t, d)
		ctx := context.Background()
		var a db.Args
		cond := "v >= " + a.Add(20) + " AND id IN " + db.In(&a, []int64{1, 2, 3})
		if cond != "v >= $1 AND id IN ($2, $3, $4)" || len(a) != 4 {
			t.Fatalf("built %q with %v", cond, a)
		}
		ids, err := db.Column[int64](ctx, d, `SELECT id FROM scratch WHERE `+cond+` ORDER BY id`, a...)
		if err != nil || !slices.Equal(ids, []int64{2, 3}) {
			t.Fatalf("ids %v, %v; want [2 3]", ids, err)
		}
		var b db.Args
		none, err := db.Column[int64](ctx, d, `SELECT id FROM scratch WHERE id IN `+db.In(&b, []int64(nil)), b...)
		if err != nil || len(none) != 0 {
			t.Fatalf("empty IN list matched %v, %v", none, err)
		}
		type row struct{ ID, V int64 }
		rs, err := db.Query(ctx, d, func(sc db.Scanner) (row, error) {
			var r row
			err := sc.Scan(&r.ID, &r.V)
			return r, err
		}, `SELECT id, v FROM scratch ORDER BY id DESC`)
		if err != nil || !slices.Equal(rs, []row{{3, 30}, {2, 20}, {1, 10}}) {
			t.Fatalf("rows %v, %v", rs, err)
		}
		boom := errors.New("boom")
		if _, err := db.Query(ctx, d, func(db.Scanner) (row, error) { return row{}, boom }, `SELECT id FROM scratch`); !errors.Is(err, boom) {
			t.Fatalf("scan error lost: %v", err)
		}
	})
}

func TestExecVersioned(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		scratch(t, d)
		ctx := context.Background()
		upd := `UPDATE scratch SET v = $1, version = version + 1 WHERE id = $2 AND version = $3`
		if err := db.ExecVersioned(ctx, d, upd, 11, 1, 1); err != nil {
			t.Fatal(err)
		}
		err := db.ExecVersioned(ctx, d, upd, 12, 1, 1) // stale version
		if e := apperr.As(err); e == nil || e.Code != apperr.Conflict || e.Key != "err.conflict" {
			t.Fatalf("stale update: %v, want conflict", err)
		}
		if err := db.ExecVersioned(ctx, d, `DELETE FROM scratch WHERE id = $1 AND version = $2`, 9, 1); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("delete of a missing row: %v, want conflict", err)
		}
		var v int
		if err := d.QueryRowContext(ctx, `SELECT v FROM scratch WHERE id = 1`).Scan(&v); err != nil || v != 11 {
			t.Fatalf("v = %d, %v; want 11", v, err)
		}
	})
}

// TestReadTxDoesNotWaitForWriter: a read transaction proceeds, on its snapshot,
// while a writer holds an open (on SQLite: immediate) transaction; and it refuses to write.
func TestReadTxDoesNotWaitForWriter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		scratch(t, d)
		ctx := context.Background()
		locked, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go func() {
			done <- d.Tx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `UPDATE scratch SET v = 99 WHERE id = 1`); err != nil {
					close(locked)
					return err
				}
				close(locked)
				<-release
				return nil
			})
		}()
		<-locked
		rctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		var v int
		err := d.ReadTx(rctx, func(tx *sql.Tx) error {
			return tx.QueryRowContext(rctx, `SELECT v FROM scratch WHERE id = 1`).Scan(&v)
		})
		close(release)
		if err != nil || v != 10 {
			t.Fatalf("read while a writer holds its transaction: v = %d, %v; want 10 without waiting", v, err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		err = d.ReadTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE scratch SET v = 1 WHERE id = 2`)
			return err
		})
		if err == nil {
			t.Fatal("a write inside ReadTx succeeded")
		}
		if err := d.ReadTx(ctx, func(tx *sql.Tx) error {
			return tx.QueryRowContext(ctx, `SELECT v FROM scratch WHERE id = 1`).Scan(&v)
		}); err != nil || v != 99 {
			t.Fatalf("after the writer committed: v = %d, %v; want 99", v, err)
		}
	})
}

// TestForUpdate: the clause is valid on each engine inside a transaction.
func TestForUpdate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		scratch(t, d)
		ctx := context.Background()
		want := map[db.Engine]string{db.Postgres: " FOR UPDATE OF s", db.SQLite: ""}[d.Engine]
		if d.ForUpdate("s") != want {
			t.Fatalf(`ForUpdate("s") = %q on %s`, d.ForUpdate("s"), d.Engine)
		}
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			var v int
			if err := tx.QueryRowContext(ctx, `SELECT v FROM scratch WHERE id = $1`+d.ForUpdate(), 2).Scan(&v); err != nil {
				return err
			}
			// Beside an outer join PostgreSQL locks only the named table's rows.
			return tx.QueryRowContext(ctx, `SELECT s.v FROM scratch s LEFT JOIN scratch o ON o.id = s.id + 10
				WHERE s.id = $1`+d.ForUpdate("s"), 2).Scan(&v)
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
