package db

import (
	"context"
	"database/sql"
	"testing"
)

// MigrateTo brings the schema up to version v only, for tests of data migrations.
func (db *DB) MigrateTo(ctx context.Context, v int64) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, v)
	return err
}

// MigrateDownTo rolls the schema back to version v.
func (db *DB) MigrateDownTo(ctx context.Context, v int64) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	_, err = p.DownTo(ctx, v)
	return err
}

// CachedStatements returns how many statements conn's SQLite connection keeps.
func CachedStatements(t testing.TB, conn *sql.Conn) int {
	t.Helper()
	n := -1
	if err := conn.Raw(func(dc any) error {
		n = dc.(*stmtConn).lru.Len()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}
