// Package dbtest opens real, migrated, empty databases for tests: SQLite always,
// and PostgreSQL when LVZHI_TEST_PG holds a server URL (CI sets it).
package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"testing"

	"lvzhi/internal/db"
)

// EnvPG names the environment variable holding the PostgreSQL test server URL.
const EnvPG = "LVZHI_TEST_PG"

// Each runs fn as a subtest once per engine: "sqlite" and "postgres".
// Without LVZHI_TEST_PG the postgres subtest is skipped, saying so.
func Each(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns a migrated SQLite database in a temporary directory.
func SQLite(t testing.TB) *db.DB {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, t.TempDir()+"/test.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return d
}

// Postgres returns a migrated PostgreSQL database in a fresh schema of the
// server at LVZHI_TEST_PG, dropped when the test ends; it skips without one.
func Postgres(t testing.TB) *db.DB {
	t.Helper()
	base := os.Getenv(EnvPG)
	if base == "" {
		t.Skip(EnvPG + " not set: skipped PostgreSQL")
	}
	ctx := context.Background()
	schema := fmt.Sprintf("t_%d", rand.Int64())
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema on %s: %v", base, err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err == nil {
			_, _ = a.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			a.Close()
		}
	})
	d, err := db.Open(ctx, WithSearchPath(base, schema))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return d
}

// WithSearchPath returns the URL with its search_path set to schema.
func WithSearchPath(base, schema string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
