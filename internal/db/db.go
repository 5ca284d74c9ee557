// Package db opens the embedded SQLite database or PostgreSQL, runs migrations
// and provides the small dialect differences the area packages need.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
	_ "modernc.org/sqlite"             // driver "sqlite"
)

// Engine names a database engine.
type Engine string

// The two supported engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is a database handle that knows its engine.
type DB struct {
	*sql.DB
	Engine Engine
	// Path is the SQLite file path (empty for PostgreSQL).
	Path string
	// reader is SQLite's second pool for ReadTx: deferred, query-only
	// connections on the same file (nil for PostgreSQL).
	reader *sql.DB
	// stmts counts the SQLite pools' statement cache use (see stmtcache.go).
	stmts *StmtStats
}

// Querier is satisfied by *sql.DB, *sql.Tx and *DB, so store functions
// work inside or outside a transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// IsPostgresURL reports whether dsn addresses PostgreSQL rather than a SQLite file.
func IsPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens dsn: a postgres:// URL, or else a SQLite file path (created if missing).
func Open(ctx context.Context, dsn string) (*DB, error) {
	if IsPostgresURL(dsn) {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, dsn)
}

// pgMaxIdle is the PostgreSQL pool's number of idle connections kept.
const pgMaxIdle = 10

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	sqldb, err := sql.Open("pgx", withUTC(dsn))
	if err != nil {
		return nil, err
	}
	sqldb.SetMaxOpenConns(20)
	sqldb.SetMaxIdleConns(pgMaxIdle)
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	return &DB{DB: sqldb, Engine: Postgres}, nil
}

// withUTC sets the session time zone of every pooled connection to UTC (as a
// startup parameter), so timestamps are stored and compared in UTC on both engines.
func withUTC(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	if q.Get("timezone") == "" {
		q.Set("timezone", "UTC")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("empty database path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, err
		}
	}
	// Immediate transactions: with deferred locking, concurrent read-then-write
	// transactions fail with "database is locked" instead of waiting.
	stats := &StmtStats{}
	// A database analysed with per-value samples gets them dropped (see
	// stats.go) before the pools' connections load the schema. Best effort:
	// a read-only file keeps them.
	if pre, err := openSQLitePool(ctx, path, "_txlock=immediate&_pragma=journal_mode(WAL)", &StmtStats{}); err == nil {
		_ = dropValueStats(ctx, pre)
		pre.Close()
	}
	sqldb, err := openSQLitePool(ctx, path, "_txlock=immediate&_pragma=journal_mode(WAL)", stats)
	if err != nil {
		return nil, err
	}
	// Readers get their own pool of deferred, query-only connections: in WAL
	// mode they read a snapshot without waiting for a writer, and they do not
	// queue for the connections writers hold while waiting for the lock.
	reader, err := openSQLitePool(ctx, path, "_txlock=deferred&_query_only=1", stats)
	if err != nil {
		sqldb.Close()
		return nil, err
	}
	return &DB{DB: sqldb, Engine: SQLite, Path: path, reader: reader, stmts: stats}, nil
}

// openSQLitePool opens a pool on the SQLite file with the common pragmas and extra DSN parameters.
func openSQLitePool(ctx context.Context, path, extra string, stats *StmtStats) (*sql.DB, error) {
	// The path is URI-escaped: a '#' or '?' in it (a test directory named
	// after a subtest "x#01") would otherwise end the file name.
	escaped := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	dsn := "file:" + escaped + "?" + extra + "&_pragma=synchronous(NORMAL)" +
		"&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)&_time_format=sqlite"
	sqldb, err := openCachedSQLite(dsn, stats)
	if err != nil {
		return nil, err
	}
	sqldb.SetMaxOpenConns(8)
	sqldb.SetMaxIdleConns(8)
	sqldb.SetConnMaxLifetime(0)
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open SQLite %s: %w", path, err)
	}
	return sqldb, nil
}

// StatementStats returns the counters of the SQLite statement cache (nil on
// PostgreSQL, where pgx caches statements itself).
func (db *DB) StatementStats() *StmtStats { return db.stmts }

// Close closes the database's pools.
func (db *DB) Close() error {
	if db.reader != nil {
		_ = db.reader.Close()
	}
	return db.DB.Close()
}

// ILike returns a case-insensitive LIKE operator for the engine
// (SQLite's LIKE is already case-insensitive for ASCII).
func (db *DB) ILike() string {
	if db.Engine == Postgres {
		return "ILIKE"
	}
	return "LIKE"
}

// EscapeLike escapes the LIKE wildcards in s; use with ESCAPE '\'.
func EscapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
