package db_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestStatementCacheReuses: the same SQL text run again, through db.Query,
// QueryRowContext and ExecContext, outside and inside both kinds of
// transaction, runs on a statement prepared once per connection, and gives the
// right rows for each run's arguments.
func TestStatementCacheReuses(t *testing.T) {
	d := dbtest.SQLite(t)
	ctx := context.Background()
	scratch(t, d)
	st := d.StatementStats()
	if st == nil {
		t.Fatal("SQLite has no statement cache")
	}
	const q = `SELECT v FROM scratch WHERE id >= $1 ORDER BY id`
	check := func(qr db.Querier, from int64) {
		t.Helper()
		vs, err := db.Column[int64](ctx, qr, q, from)
		if err != nil {
			t.Fatal(err)
		}
		if want := int(4 - from); len(vs) != want || vs[0] != 10*from {
			t.Fatalf("from %d: %v", from, vs)
		}
	}
	p0, r0 := st.Prepared.Load(), st.Reused.Load()
	for i := range 30 {
		check(d, int64(i%3+1))
	}
	for i := range 10 {
		if err := d.ReadTx(ctx, func(tx *sql.Tx) error { check(tx, int64(i%3+1)); return nil }); err != nil {
			t.Fatal(err)
		}
		if err := d.Tx(ctx, func(tx *sql.Tx) error {
			check(tx, int64(i%3+1))
			_, err := tx.ExecContext(ctx, `UPDATE scratch SET version = version + 1 WHERE id = $1`, i%3+1)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	prepared, reused := st.Prepared.Load()-p0, st.Reused.Load()-r0
	// 60 runs of the query and 10 of the update over at most 16 connections.
	if prepared > 2*16 || reused < 70-2*16 {
		t.Errorf("prepared %d, reused %d: the cache is not used", prepared, reused)
	}
	var sum int64
	if err := d.QueryRowContext(ctx, `SELECT SUM(version) FROM scratch`).Scan(&sum); err != nil || sum != 3+10 {
		t.Errorf("versions after 10 cached updates: %d, %v", sum, err)
	}
}

// TestStatementCacheNested: a query run again on the same connection while its
// first run's rows are still open (a transaction reading row by row) gets its
// own statement: both row sets stay right.
func TestStatementCacheNested(t *testing.T) {
	d := dbtest.SQLite(t)
	ctx := context.Background()
	scratch(t, d)
	const q = `SELECT id, v FROM scratch WHERE id >= $1 ORDER BY id`
	err := d.ReadTx(ctx, func(tx *sql.Tx) error {
		outer, err := tx.QueryContext(ctx, q, 1)
		if err != nil {
			return err
		}
		defer outer.Close()
		n := 0
		for outer.Next() {
			var id, v int64
			if err := outer.Scan(&id, &v); err != nil {
				return err
			}
			n++
			if id != int64(n) || v != 10*id {
				t.Errorf("outer row %d: %d, %d", n, id, v)
			}
			inner, err := db.Query(ctx, tx, func(sc db.Scanner) (int64, error) {
				var a, b int64
				err := sc.Scan(&a, &b)
				return a, err
			}, q, id)
			if err != nil {
				return err
			}
			if len(inner) != 4-int(id) || inner[0] != id {
				t.Errorf("inner from %d: %v", id, inner)
			}
		}
		if n != 3 {
			t.Errorf("outer rows: %d", n)
		}
		return outer.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	// The statement is free again and cached.
	vs, err := db.Column[int64](ctx, d, `SELECT v FROM scratch WHERE id >= $1 ORDER BY id`, 2)
	if err != nil || len(vs) != 2 {
		t.Fatalf("%v %v", vs, err)
	}
}

// TestStatementCacheBounded: a connection keeps at most a bounded number of
// statements, and queries stay right while old ones are evicted.
func TestStatementCacheBounded(t *testing.T) {
	d := dbtest.SQLite(t)
	ctx := context.Background()
	scratch(t, d)
	conn, err := d.Conn(ctx) // one connection: one cache
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	st := d.StatementStats()
	p0 := st.Prepared.Load()
	for round := range 2 {
		for i := range 300 {
			var v int64
			if err := conn.QueryRowContext(ctx, fmt.Sprintf(`SELECT v + %d FROM scratch WHERE id = $1`, i), i%3+1).Scan(&v); err != nil {
				t.Fatal(err)
			}
			if want := int64(10*(i%3+1) + i); v != want {
				t.Fatalf("round %d, statement %d: %d, want %d", round, i, v, want)
			}
		}
	}
	// Cycling through 300 texts with room for fewer prepares every run again.
	if p := st.Prepared.Load() - p0; p != 600 {
		t.Errorf("prepared %d statements for 600 runs of 300 texts", p)
	}
	n := db.CachedStatements(t, conn)
	if n == 0 || n > 96 {
		t.Errorf("the connection keeps %d statements", n)
	}
}

// TestStatementsAfterMigration: statements prepared before a migration changes
// the table they read see the new schema afterwards, on both engines (SQLite:
// this package's cache; PostgreSQL: pgx's own per-connection cache).
func TestStatementsAfterMigration(t *testing.T) {
	ctx := context.Background()
	const q = `SELECT * FROM api_tokens WHERE id > $1`
	columns := func(t *testing.T, conn *sql.Conn) int {
		t.Helper()
		rows, err := conn.QueryContext(ctx, q, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cs, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		return len(cs)
	}
	t.Run("sqlite", func(t *testing.T) {
		d, err := db.Open(ctx, filepath.Join(t.TempDir(), "m.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		if err := d.MigrateTo(ctx, 13); err != nil {
			t.Fatal(err)
		}
		conn, err := d.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		r0 := d.StatementStats().Reused.Load()
		before := columns(t, conn)
		before2 := columns(t, conn) // from the cache
		if err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		after := columns(t, conn) // the same cached statement
		if before != before2 || after != before+1 {
			t.Errorf("columns before %d/%d, after migration 00014 %d (want one more: expires_at)", before, before2, after)
		}
		if d.StatementStats().Reused.Load()-r0 < 2 {
			t.Error("the statements did not go through the cache")
		}
	})
	t.Run("postgres", func(t *testing.T) {
		d := dbtest.Postgres(t)
		if err := d.MigrateDownTo(ctx, 13); err != nil {
			t.Fatal(err)
		}
		// Every pooled connection runs the query once: pgx keeps it prepared.
		var conns []*sql.Conn
		for range 3 {
			conn, err := d.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, conn)
		}
		before := 0
		for _, c := range conns {
			before = columns(t, c)
		}
		conns[0].Close()
		conns[1].Close()
		if err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		// The pool's connections: Migrate closed the idle ones, and their statements.
		for range 3 {
			conn, err := d.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if after := columns(t, conn); after != before+1 {
				t.Errorf("pool: columns before %d, after migration 00014 %d", before, after)
			}
			defer conn.Close()
		}
		// A connection held through the migration fails once (pgx's cache,
		// not ours; pgx then forgets the statement), then reads the new shape.
		c := conns[2]
		defer c.Close()
		if rows, err := c.QueryContext(ctx, q, 0); err == nil {
			cs, _ := rows.Columns()
			rows.Close()
			if len(cs) != before+1 {
				t.Errorf("held connection: %d columns", len(cs))
			}
		}
		if after := columns(t, c); after != before+1 {
			t.Errorf("held connection: columns before %d, after %d", before, after)
		}
	})
}

// TestPostgresKeepsStatements: on PostgreSQL the driver (pgx) keeps the
// statements a connection ran prepared, so the text is parsed once per
// connection there too.
func TestPostgresKeepsStatements(t *testing.T) {
	d := dbtest.Postgres(t)
	ctx := context.Background()
	scratch(t, d)
	conn, err := d.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const q = `SELECT v FROM scratch WHERE id = $1`
	for i := range 5 {
		var v int64
		if err := conn.QueryRowContext(ctx, q, i%3+1).Scan(&v); err != nil || v != int64(10*(i%3+1)) {
			t.Fatalf("%d %v", v, err)
		}
	}
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_prepared_statements WHERE statement = $1`, q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d prepared statements for the query on the connection, want 1", n)
	}
}
