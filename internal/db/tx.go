package db

import (
	"context"
	"database/sql"
	"strings"
)

// Tx runs fn in a read-write transaction, committing if fn returns nil and
// rolling back otherwise. On SQLite it begins IMMEDIATE: it takes the write
// lock at once, so use cases that read then write never fail with "database is
// locked" halfway (they wait for the lock instead).
func (db *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	return run(tx, fn)
}

// ReadTx runs fn in a read-only transaction: one consistent snapshot for a use
// case that only reads (a page view), which never waits for writers. On SQLite
// it is a deferred transaction on the query-only reader pool (WAL lets it read
// while a writer holds its immediate transaction); on PostgreSQL it is
// BEGIN READ ONLY. A write inside fn fails on both engines.
func (db *DB) ReadTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	pool := db.DB
	if db.reader != nil {
		pool = db.reader
	}
	tx, err := pool.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	return run(tx, fn)
}

// run runs fn in tx, committing on success and rolling back on an error or a panic.
func run(tx *sql.Tx, fn func(tx *sql.Tx) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// ForUpdate is the clause that locks the rows a SELECT reads until the
// transaction ends: " FOR UPDATE" on PostgreSQL (" FOR UPDATE OF p" given the
// alias p: only those tables' rows, needed beside outer joins); nothing on
// SQLite, where the immediate transaction of Tx already holds the database's
// write lock. Append it to the SELECT: `SELECT … WHERE id = $1` + d.ForUpdate().
func (db *DB) ForUpdate(of ...string) string {
	if db.Engine != Postgres {
		return ""
	}
	if len(of) > 0 {
		return " FOR UPDATE OF " + strings.Join(of, ", ")
	}
	return " FOR UPDATE"
}
