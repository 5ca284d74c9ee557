package gen

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"lvzhi/internal/db"
)

// table buffers generated rows of one table until they are written.
type table struct {
	name string
	cols []string
	rows [][]any
	n    int64 // rows written so far
}

func (t *table) add(row ...any) {
	if len(row) != len(t.cols) {
		panic(fmt.Sprintf("gen: %s: %d values for %d columns", t.name, len(row), len(t.cols)))
	}
	t.rows = append(t.rows, row)
}

// writer writes a table's buffered rows inside the generator's transaction.
type writer interface {
	write(ctx context.Context, t *table) error
	// exec runs a statement in the same transaction.
	exec(ctx context.Context, q string, args ...any) error
}

// withWriter opens one transaction on one connection and hands fn a writer for
// it: COPY on PostgreSQL, multi-row INSERT on SQLite. fn's error rolls back.
func withWriter(ctx context.Context, d *db.DB, fn func(w writer) error) error {
	conn, err := d.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if d.Engine == db.Postgres {
		return conn.Raw(func(dc any) error {
			pc := dc.(*stdlib.Conn).Conn()
			tx, err := pc.Begin(ctx)
			if err != nil {
				return err
			}
			defer tx.Rollback(ctx) //nolint:errcheck // after Commit this is a no-op
			if err := fn(&pgWriter{tx: tx}); err != nil {
				return err
			}
			return tx.Commit(ctx)
		})
	}
	// A generator owns the file: trade durability during the load for speed.
	for _, p := range []string{"PRAGMA synchronous=OFF", "PRAGMA cache_size=-65536"} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return err
		}
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA synchronous=NORMAL") //nolint:errcheck
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	w := &sqliteWriter{tx: tx, stmts: map[string]*sql.Stmt{}}
	if err := fn(w); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

type pgWriter struct{ tx pgx.Tx }

func (w *pgWriter) write(ctx context.Context, t *table) error {
	if len(t.rows) == 0 {
		return nil
	}
	n, err := w.tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(t.rows))
	if err != nil {
		return fmt.Errorf("copy %s: %w", t.name, err)
	}
	t.n += n
	t.rows = t.rows[:0]
	return nil
}

func (w *pgWriter) exec(ctx context.Context, q string, args ...any) error {
	_, err := w.tx.Exec(ctx, q, args...)
	return err
}

// sqliteWriter inserts many rows per statement, keeping one prepared statement
// per table for full batches.
type sqliteWriter struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

// maxVars stays below SQLite's limit of bound parameters per statement.
const maxVars = 30000

// insertSQL uses "?" placeholders: modernc.org/sqlite binds numbered "$n"
// parameters in time quadratic in their count (30,000 rows took 36 s, with "?" 0.9 s).
func insertSQL(t *table, rows int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", t.name, strings.Join(t.cols, ","))
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for j := range t.cols {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('?')
		}
		b.WriteByte(')')
	}
	return b.String()
}

func (w *sqliteWriter) write(ctx context.Context, t *table) error {
	per := min(maxVars/len(t.cols), 1000)
	args := make([]any, 0, per*len(t.cols))
	for start := 0; start < len(t.rows); start += per {
		end := min(start+per, len(t.rows))
		args = args[:0]
		for _, r := range t.rows[start:end] {
			args = append(args, r...)
		}
		var err error
		if end-start == per {
			st := w.stmts[t.name]
			if st == nil {
				if st, err = w.tx.PrepareContext(ctx, insertSQL(t, per)); err != nil {
					return fmt.Errorf("insert %s: %w", t.name, err)
				}
				w.stmts[t.name] = st
			}
			_, err = st.ExecContext(ctx, args...)
		} else {
			_, err = w.tx.ExecContext(ctx, insertSQL(t, end-start), args...)
		}
		if err != nil {
			return fmt.Errorf("insert %s: %w", t.name, err)
		}
	}
	t.n += int64(len(t.rows))
	t.rows = t.rows[:0]
	return nil
}

func (w *sqliteWriter) exec(ctx context.Context, q string, args ...any) error {
	_, err := w.tx.ExecContext(ctx, q, args...)
	return err
}
