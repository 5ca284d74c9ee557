// Package dbtest opens real, migrated, empty databases for tests: SQLite always,
// and PostgreSQL when LVZHI_TEST_PG holds a server URL (CI sets it).
//
// Migrating is the slow part of opening a test database, so it happens once
// and every test gets a clone (see template.go): on SQLite a copy of a migrated
// template file, on PostgreSQL a fresh schema into which the statements that
// migrating ran once are replayed in one transaction.
package dbtest

import (
	"context"
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

// SQLite returns a migrated SQLite database in a temporary directory: a copy
// of the template migrated once per schema version.
func SQLite(t testing.TB) *db.DB {
	t.Helper()
	ctx := context.Background()
	tmpl, err := sqliteTemplate()
	if err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/test.db"
	if err := copyFile(tmpl, path); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// Postgres returns a migrated, empty PostgreSQL database: a schema of the
// server at LVZHI_TEST_PG, emptied for the next test when this one ends (see
// pgpool.go); it skips without LVZHI_TEST_PG.
func Postgres(t testing.TB) *db.DB {
	t.Helper()
	base := os.Getenv(EnvPG)
	if base == "" {
		t.Skip(EnvPG + " not set: skipped PostgreSQL")
	}
	ctx := context.Background()
	if err := pgInit(ctx, base); err != nil {
		t.Fatal(err)
	}
	schema, migrated, err := pgAcquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pgRelease(schema) })
	d, err := db.Open(ctx, noSyncCommit(WithSearchPath(base, schema)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if !migrated {
		if err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := pgMigrated(ctx, schema); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// noSyncCommit sets synchronous_commit off for the connections of a test:
// a commit no longer waits for its WAL to reach the disk, which is most of a
// test's time on a loaded server. Only crash durability differs, which no
// test relies on; what other connections see is the same.
func noSyncCommit(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	q := p.Query()
	q.Set("synchronous_commit", "off")
	p.RawQuery = q.Encode()
	return p.String()
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
