package dbtest

import (
	"context"
	"os"
	"strings"
	"testing"

	"lvzhi/internal/db"
)

// insertCommittee adds a committee and returns its id (the identity sequence's next value).
func insertCommittee(t *testing.T, d *db.DB, code string) int64 {
	t.Helper()
	var id int64
	err := d.QueryRowContext(context.Background(),
		`INSERT INTO committees (level, name, code, path, created_at) VALUES ('county', 'x', $1, '/', $2) RETURNING id`,
		code, db.Now()).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func count(t *testing.T, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestClonesAreFreshAndIndependent: every test gets an up-to-date schema with
// no rows and sequences at their start, whatever the previous test left.
func TestClonesAreFreshAndIndependent(t *testing.T) {
	ctx := context.Background()
	var firstIDs []int64
	for round := range 3 {
		t.Run("round", func(t *testing.T) {
			Each(t, func(t *testing.T, d *db.DB) {
				if err := d.CheckSchema(ctx); err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
				if n := count(t, d, "committees"); n != 0 {
					t.Fatalf("round %d: %d committees left by an earlier test", round, n)
				}
				id := insertCommittee(t, d, "A")
				insertCommittee(t, d, "B")
				if _, err := d.ExecContext(ctx, `INSERT INTO audit_head (committee_id, seq, hash) VALUES ($1, 1, 'h')`, id); err != nil {
					t.Fatal(err)
				}
				if round == 0 {
					firstIDs = append(firstIDs, id)
				} else if id != firstIDs[0] {
					t.Fatalf("round %d: first id %d, want %d as on a fresh schema", round, id, firstIDs[0])
				}
			})
		})
	}
}

// TestSQLiteCopiesAreSeparate: two databases in one test do not share rows.
func TestSQLiteCopiesAreSeparate(t *testing.T) {
	a, b := SQLite(t), SQLite(t)
	insertCommittee(t, a, "A")
	if n := count(t, b, "committees"); n != 0 {
		t.Fatalf("second copy sees %d committees", n)
	}
	if a.Path == b.Path {
		t.Fatal("same file")
	}
}

// TestChangedSchemaIsNotReused: a schema a test altered is dropped, not handed on.
func TestChangedSchemaIsNotReused(t *testing.T) {
	if os.Getenv(EnvPG) == "" {
		t.Skip(EnvPG + " not set")
	}
	var altered string
	t.Run("alter", func(t *testing.T) {
		d := Postgres(t)
		if _, err := d.ExecContext(context.Background(), `CREATE TABLE stray (id INT)`); err != nil {
			t.Fatal(err)
		}
		altered = currentSchema(t, d)
	})
	t.Run("next", func(t *testing.T) {
		d := Postgres(t)
		if s := currentSchema(t, d); s == altered {
			t.Fatalf("got the altered schema %s again", s)
		}
		var n int
		if err := d.QueryRowContext(context.Background(), `SELECT count(*) FROM pg_namespace WHERE nspname = $1`, altered).Scan(&n); err != nil || n != 0 {
			t.Fatalf("altered schema still exists (%d, %v)", n, err)
		}
	})
}

func currentSchema(t *testing.T, d *db.DB) string {
	t.Helper()
	var s string
	if err := d.QueryRowContext(context.Background(), `SELECT current_schema()`).Scan(&s); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s, "dbtest_") {
		t.Fatalf("schema %q is not a pooled test schema", s)
	}
	return s
}

func TestChildrenFirst(t *testing.T) {
	got, err := childrenFirst([]string{"a", "b", "c"}, map[string][]string{"a": {"b"}, "b": {"c"}})
	if err != nil || strings.Join(got, ",") != "c,b,a" {
		t.Fatalf("got %v, %v", got, err)
	}
	if _, err := childrenFirst([]string{"a", "b"}, map[string][]string{"a": {"b"}, "b": {"a"}}); err == nil {
		t.Fatal("cycle not reported")
	}
}

// TestSQLitePathWithHash: a subtest named "x#01" gets a temporary directory
// with '#' in its name; the database must still be that file, not one cut at '#'.
func TestSQLitePathWithHash(t *testing.T) {
	for range 2 {
		t.Run("x", func(t *testing.T) {
			d := SQLite(t)
			if !strings.Contains(t.Name(), "#") {
				return
			}
			if err := d.CheckSchema(context.Background()); err != nil {
				t.Fatalf("%s: %v", d.Path, err)
			}
			if _, err := os.Stat(d.Path + "-wal"); err != nil {
				t.Fatalf("the database is not at %s: %v", d.Path, err)
			}
		})
	}
}

// TestPostgresCommitsWithoutWaiting: test connections do not wait for WAL flushes.
func TestPostgresCommitsWithoutWaiting(t *testing.T) {
	if os.Getenv(EnvPG) == "" {
		t.Skip(EnvPG + " not set")
	}
	d := Postgres(t)
	var v string
	if err := d.QueryRowContext(context.Background(), `SHOW synchronous_commit`).Scan(&v); err != nil || v != "off" {
		t.Fatalf("synchronous_commit = %q, %v", v, err)
	}
}
