package db

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

func (db *DB) provider() (*goose.Provider, error) {
	dialect, dir := goose.DialectSQLite3, "migrations/sqlite"
	if db.Engine == Postgres {
		dialect, dir = goose.DialectPostgres, "migrations/postgres"
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(dialect, db.DB, sub)
}

// Migrate brings the schema up to the newest version.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", db.Engine, err)
	}
	if len(res) > 0 && db.Engine == Postgres {
		// pgx keeps each connection's prepared statements; one prepared
		// before the schema changed can fail once ("cached plan must not
		// change result type"). Close the idle connections, and with them
		// their statements (SQLite re-prepares by itself).
		db.DB.SetMaxIdleConns(0)
		db.DB.SetMaxIdleConns(pgMaxIdle)
	}
	return db.migrateRiver(ctx)
}

// SchemaVersion returns the applied and the newest known schema versions.
func (db *DB) SchemaVersion(ctx context.Context) (current, latest int64, err error) {
	p, err := db.provider()
	if err != nil {
		return 0, 0, err
	}
	current, err = p.GetDBVersion(ctx)
	if err != nil {
		return 0, 0, err
	}
	srcs := p.ListSources()
	if len(srcs) > 0 {
		latest = srcs[len(srcs)-1].Version
	}
	return current, latest, nil
}

// CheckSchema refuses to run on an outdated schema.
func (db *DB) CheckSchema(ctx context.Context) error {
	cur, latest, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if cur < latest {
		return fmt.Errorf("database schema is at version %d but this binary needs %d: run `lvzhi migrate`", cur, latest)
	}
	if cur > latest {
		return fmt.Errorf("database schema version %d is newer than this binary knows (%d): upgrade lvzhi", cur, latest)
	}
	return db.checkRiver(ctx)
}

// MigrationsDigest identifies the schema Migrate builds on this database's
// engine: a hash of the engine's migration files and River's migrations. Test
// helpers key cached, migrated template databases by it.
func (db *DB) MigrationsDigest() (string, error) {
	h := sha256.New()
	dir := "migrations/sqlite"
	if db.Engine == Postgres {
		dir = "migrations/postgres"
	}
	err := fs.WalkDir(migrations, dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := migrations.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", err
	}
	m, err := db.riverMigrator()
	if err != nil {
		return "", err
	}
	for _, v := range m.AllVersions() {
		fmt.Fprintf(h, "river\x00%d\x00%d\x00", v.Version, len(v.SQLUp))
		h.Write([]byte(v.SQLUp))
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}
