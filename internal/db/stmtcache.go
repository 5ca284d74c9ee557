package db

import (
	"container/list"
	"context"
	"database/sql"
	"database/sql/driver"
	"reflect"
	"sync/atomic"
)

// Prepared statements are kept, per connection, on SQLite.
//
// database/sql with modernc.org/sqlite prepares the SQL text again for every
// query (parse, plan, code generation: ~10% of a list page's CPU). The SQLite
// pools therefore open their connections through stmtConnector, whose
// connections keep the statements they prepared in a small LRU cache keyed by
// the SQL text, and run a query on the cached statement when the same text
// comes again. It works below database/sql, so every query benefits: db.Query,
// QueryRowContext, ExecContext, inside a transaction or not (a transaction
// runs on one connection, whose cache it uses).
//
// SQLite re-prepares a statement itself when the schema changed since it was
// prepared (sqlite3_prepare_v2 semantics), so a cached statement stays correct
// after a migration. A statement still being read (its rows not closed) is not
// shared: the same text run again meanwhile on that connection is prepared
// once, apart, as before.
//
// PostgreSQL needs none of this: pgx's database/sql driver already keeps a
// cache of prepared statements per connection (QueryExecModeCacheStatement,
// 512 statements), which StatementsPrepared tests.

const (
	// stmtCacheSize bounds the statements kept per connection. A page runs
	// 5-20 distinct statements; each costs SQLite a few KB.
	stmtCacheSize = 96
	// stmtMaxLen is the longest SQL text cached: bulk statements (multi-row
	// inserts, migrations) are neither repeated nor small.
	stmtMaxLen = 4096
)

// StmtStats counts a pool's statement cache use.
type StmtStats struct {
	// Prepared counts statements prepared (and cached); Reused counts queries
	// run on a cached statement; Uncached counts queries run without the cache
	// (long texts, a statement in use).
	Prepared, Reused, Uncached atomic.Int64
}

// stmtConnector opens connections of the inner driver that cache statements.
type stmtConnector struct {
	drv   driver.Driver
	dsn   string
	stats *StmtStats
}

func (c *stmtConnector) Connect(ctx context.Context) (driver.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	inner, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &stmtConn{inner: inner, lru: list.New(), byText: map[string]*list.Element{}, stats: c.stats}, nil
}

func (c *stmtConnector) Driver() driver.Driver { return c.drv }

// openCachedSQLite opens a SQLite pool whose connections cache statements.
func openCachedSQLite(dsn string, stats *StmtStats) (*sql.DB, error) {
	probe, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	drv := probe.Driver()
	_ = probe.Close()
	return sql.OpenDB(&stmtConnector{drv: drv, dsn: dsn, stats: stats}), nil
}

// cachedStmt is a statement kept by a connection.
type cachedStmt struct {
	text    string
	ds      driver.Stmt
	busy    bool // rows of it are open
	evicted bool // out of the cache: close when its rows close
}

// stmtConn is a connection that keeps its prepared statements. database/sql
// never uses a driver connection from two goroutines at once (it holds the
// connection's lock around every call, rows' Close included), so no lock.
type stmtConn struct {
	inner  driver.Conn
	lru    *list.List // of *cachedStmt, most recently used first
	byText map[string]*list.Element
	stats  *StmtStats
}

// stmt returns the cached statement for query, preparing it if needed; nil
// (and no error) when query is not to be cached or its statement is in use.
func (c *stmtConn) stmt(ctx context.Context, query string) (*cachedStmt, error) {
	if len(query) > stmtMaxLen {
		return nil, nil
	}
	if e, ok := c.byText[query]; ok {
		cs := e.Value.(*cachedStmt)
		if cs.busy {
			return nil, nil
		}
		c.lru.MoveToFront(e)
		c.stats.Reused.Add(1)
		return cs, nil
	}
	ds, err := c.inner.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stats.Prepared.Add(1)
	cs := &cachedStmt{text: query, ds: ds}
	c.byText[query] = c.lru.PushFront(cs)
	for c.lru.Len() > stmtCacheSize {
		old := c.lru.Back()
		c.lru.Remove(old)
		o := old.Value.(*cachedStmt)
		delete(c.byText, o.text)
		if o.busy {
			o.evicted = true
		} else {
			_ = o.ds.Close()
		}
	}
	return cs, nil
}

func (c *stmtConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		c.stats.Uncached.Add(1)
		return c.inner.(driver.QueryerContext).QueryContext(ctx, query, args)
	}
	rows, err := cs.ds.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	cs.busy = true
	return &stmtRows{Rows: rows, s: cs}, nil
}

func (c *stmtConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		c.stats.Uncached.Add(1)
		return c.inner.(driver.ExecerContext).ExecContext(ctx, query, args)
	}
	return cs.ds.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *stmtConn) Prepare(query string) (driver.Stmt, error) { return c.inner.Prepare(query) }

func (c *stmtConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.inner.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

func (c *stmtConn) Begin() (driver.Tx, error) { return c.inner.Begin() } //nolint:staticcheck // driver.Conn requires it

func (c *stmtConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.inner.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

// Close finalizes the cached statements, then closes the connection.
func (c *stmtConn) Close() error {
	for e := c.lru.Front(); e != nil; e = e.Next() {
		_ = e.Value.(*cachedStmt).ds.Close()
	}
	c.lru.Init()
	clear(c.byText)
	return c.inner.Close()
}

func (c *stmtConn) Ping(ctx context.Context) error {
	if p, ok := c.inner.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *stmtConn) ResetSession(ctx context.Context) error {
	if r, ok := c.inner.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *stmtConn) IsValid() bool {
	if v, ok := c.inner.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// stmtRows marks its statement free again when closed.
type stmtRows struct {
	driver.Rows
	s *cachedStmt
}

func (r *stmtRows) Close() error {
	err := r.Rows.Close()
	if r.s != nil {
		r.s.busy = false
		if r.s.evicted {
			_ = r.s.ds.Close()
		}
		r.s = nil
	}
	return err
}

// The column type methods database/sql's ColumnTypes asks the driver's rows for.

func (r *stmtRows) ColumnTypeDatabaseTypeName(i int) string {
	if x, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return x.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *stmtRows) ColumnTypeScanType(i int) reflect.Type {
	if x, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return x.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

func (r *stmtRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if x, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return x.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *stmtRows) ColumnTypeLength(i int) (int64, bool) {
	if x, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return x.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *stmtRows) ColumnTypePrecisionScale(i int) (precision, scale int64, ok bool) {
	if x, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return x.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}
