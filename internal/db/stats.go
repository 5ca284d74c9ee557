package db

import (
	"context"
	"database/sql"
)

// SQLite re-prepares a statement on every run when the plan could depend on a
// bound value: with sqlite_stat4 present (ANALYZE with SQLite's STAT4, as
// modernc.org/sqlite is built), that is nearly every statement with a
// "committee_id = $1" condition, and the cached statement is compiled anew
// each time (a third of a list page's query time). The per-value samples are
// therefore dropped after ANALYZE and when a database is opened; the
// per-index statistics of sqlite_stat1, which the planner uses without
// looking at the values, stay.

// Analyze gathers the planner's statistics (after a bulk load): ANALYZE, and
// on SQLite without the per-value samples.
func (db *DB) Analyze(ctx context.Context) error {
	if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		return err
	}
	if db.Engine != SQLite {
		return nil
	}
	if err := dropValueStats(ctx, db.DB); err != nil {
		return err
	}
	// Pooled connections loaded the samples with the schema: open new ones.
	db.resetIdle()
	return nil
}

// resetIdle closes the pools' idle connections (their statements and loaded statistics).
func (db *DB) resetIdle() {
	for _, p := range []*sql.DB{db.DB, db.reader} {
		if p != nil {
			p.SetMaxIdleConns(0)
			p.SetMaxIdleConns(8)
		}
	}
}

// dropValueStats empties sqlite_stat4 when it exists.
func dropValueStats(ctx context.Context, q Querier) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat4'`).Scan(&n); err != nil || n == 0 {
		return err
	}
	var rows int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_stat4`).Scan(&rows); err != nil || rows == 0 {
		return err
	}
	_, err := q.ExecContext(ctx, `DELETE FROM sqlite_stat4`)
	return err
}
