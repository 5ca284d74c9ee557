package db

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// River (the background job queue, see internal/jobs) keeps its own tables
// (river_job, river_leader, …) with its own migration history. They are
// migrated and checked together with ours, so `lvzhi migrate` and the
// start-up schema check cover both.

// riverMigrator returns River's migrator for this database's engine.
func (db *DB) riverMigrator() (*rivermigrate.Migrator[*sql.Tx], error) {
	cfg := &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)}
	if db.Engine == Postgres {
		return rivermigrate.New(riverdatabasesql.New(db.DB), cfg)
	}
	return rivermigrate.New(riversqlite.New(db.DB), cfg)
}

// migrateRiver brings River's tables up to the version this binary needs.
func (db *DB) migrateRiver(ctx context.Context) error {
	m, err := db.riverMigrator()
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate job queue tables (%s): %w", db.Engine, err)
	}
	return nil
}

// checkRiver refuses to run when River's tables are missing or outdated.
func (db *DB) checkRiver(ctx context.Context) error {
	m, err := db.riverMigrator()
	if err != nil {
		return err
	}
	res, err := m.Validate(ctx, nil)
	if err != nil {
		return fmt.Errorf("check job queue tables: %w", err)
	}
	if !res.OK {
		return fmt.Errorf("job queue tables are outdated (%s): run `lvzhi migrate`", strings.Join(res.Messages, "; "))
	}
	return nil
}
