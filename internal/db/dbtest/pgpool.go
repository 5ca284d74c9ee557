package dbtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"

	"lvzhi/internal/db"
)

// PostgreSQL test schemas are migrated once and reused.
//
// Cloning a database (CREATE DATABASE … TEMPLATE) is quick, but DROP DATABASE
// forces a checkpoint of the whole server: seconds each under load, and it
// stalls every other test binary on the server. Replaying the migration into
// a new schema costs as much as migrating (the DDL is the cost). So each test
// binary keeps a pool of schemas: a test takes a free one (migrating a new one
// only when all are in use, i.e. once per binary unless tests run in
// parallel), and when it ends the schema is emptied (DELETE from every table,
// children first, and sequences set back) and returned, or dropped if it cannot
// be emptied exactly back to the migrated state.
//
// Schemas are named dbtest_<owner>_<n>. The owner is a number the binary holds
// a session advisory lock on for its whole life; when a binary exits, its lock
// goes with its connection, and the next binary to start drops the schemas of
// owners whose lock it can take. So concurrent binaries (go test ./... runs
// packages in parallel, and several worktrees share one server) never touch
// each other's schemas, and nothing outlives the next run.

// lockClass is the first key of the owners' advisory locks ("lvzh").
const lockClass = 0x6c767a68

var pg struct {
	once    sync.Once
	initErr error
	base    string
	admin   *sql.DB   // for creating, emptying and dropping schemas
	hold    *sql.Conn // holds the owner lock while the binary lives
	owner   int32

	mu    sync.Mutex
	n     int
	free  []string
	plan  *resetPlan
	fresh map[string]bool // schemas never handed out: migrated, not emptied
}

// pgInit opens the admin pool, takes an owner number and sweeps the schemas
// of binaries that have exited.
func pgInit(ctx context.Context, base string) error {
	pg.once.Do(func() {
		pg.base = base
		pg.fresh = map[string]bool{}
		admin, err := sql.Open("pgx", noSyncCommit(base))
		if err != nil {
			pg.initErr = err
			return
		}
		pg.admin = admin
		if pg.initErr = takeOwner(ctx); pg.initErr != nil {
			return
		}
		pg.initErr = sweep(ctx)
	})
	return pg.initErr
}

func takeOwner(ctx context.Context) error {
	conn, err := pg.admin.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", pg.base, err)
	}
	for range 20 {
		owner := rand.Int32N(1<<31 - 1)
		var ok bool
		if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, $2)`, lockClass, owner).Scan(&ok); err != nil {
			conn.Close()
			return err
		}
		if ok {
			pg.hold, pg.owner = conn, owner
			return nil
		}
	}
	conn.Close()
	return errors.New("dbtest: no free owner number")
}

// sweep drops the test schemas of binaries that no longer hold their lock.
func sweep(ctx context.Context) error {
	rows, err := pg.admin.QueryContext(ctx, `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'dbtest\_%\_%'`)
	if err != nil {
		return err
	}
	owners := map[int32][]string{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		parts := strings.Split(name, "_")
		o, err := strconv.ParseInt(parts[1], 10, 32)
		if len(parts) == 3 && err == nil && int32(o) != pg.owner {
			owners[int32(o)] = append(owners[int32(o)], name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for o, schemas := range owners {
		if err := sweepOwner(ctx, o, schemas); err != nil {
			return err
		}
	}
	return nil
}

// sweepOwner drops schemas if their owner's lock is free (the owner exited).
func sweepOwner(ctx context.Context, owner int32, schemas []string) error {
	conn, err := pg.admin.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var ok bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, $2)`, lockClass, owner).Scan(&ok); err != nil || !ok {
		return err
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1, $2)`, lockClass, owner) //nolint:errcheck // the lock also goes with the connection
	for _, s := range schemas {
		if _, err := conn.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+quoteIdent(s)+` CASCADE`); err != nil {
			return err
		}
	}
	return nil
}

// pgAcquire returns a schema of the pool that is empty and migrated, and whether it is new.
func pgAcquire(ctx context.Context) (schema string, migrated bool, err error) {
	pg.mu.Lock()
	if n := len(pg.free); n > 0 {
		schema = pg.free[n-1]
		pg.free = pg.free[:n-1]
		pg.mu.Unlock()
		return schema, true, nil
	}
	pg.n++
	schema = fmt.Sprintf("dbtest_%d_%d", pg.owner, pg.n)
	pg.mu.Unlock()
	if _, err := pg.admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", false, fmt.Errorf("create schema on %s: %w", pg.base, err)
	}
	return schema, false, nil
}

// pgMigrated records that schema was just migrated; the first one gives the
// reset plan (what migrated-and-empty looks like) for all of them.
func pgMigrated(ctx context.Context, schema string) error {
	pg.mu.Lock()
	defer pg.mu.Unlock()
	if pg.plan == nil {
		p, err := planReset(ctx, pg.admin, schema)
		if err != nil {
			return err
		}
		pg.plan = p
	}
	return nil
}

// pgRelease empties schema and returns it to the pool, or drops it.
func pgRelease(schema string) {
	ctx := context.Background()
	pg.mu.Lock()
	plan := pg.plan
	pg.mu.Unlock()
	if plan != nil && plan.reset(ctx, pg.admin, schema) == nil {
		pg.mu.Lock()
		pg.free = append(pg.free, schema)
		pg.mu.Unlock()
		return
	}
	_, _ = pg.admin.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+quoteIdent(schema)+" CASCADE")
}

// resetPlan is how to bring a used schema back to migrated-and-empty.
type resetPlan struct {
	tables    []string         // every table, children before the tables they reference
	seeded    map[string]int64 // tables the migration fills (goose's, River's), with their row counts
	sequences map[string]seqState
	superuser bool // may switch off triggers while emptying
}

type seqState struct {
	last  sql.NullInt64 // after migrating; NULL if never used
	start int64
}

// planReset reads a freshly migrated schema.
func planReset(ctx context.Context, q *sql.DB, schema string) (*resetPlan, error) {
	p := &resetPlan{seeded: map[string]int64{}, sequences: map[string]seqState{}}
	if err := q.QueryRowContext(ctx, `SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&p.superuser); err != nil {
		return nil, err
	}
	tables, err := strings1(ctx, q, `SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename`, schema)
	if err != nil {
		return nil, err
	}
	edges, err := q.QueryContext(ctx, `
		SELECT ch.relname, pa.relname FROM pg_constraint c
		JOIN pg_class ch ON ch.oid = c.conrelid JOIN pg_class pa ON pa.oid = c.confrelid
		JOIN pg_namespace n ON n.oid = c.connamespace
		WHERE c.contype = 'f' AND n.nspname = $1 AND ch.oid <> pa.oid`, schema)
	if err != nil {
		return nil, err
	}
	children := map[string][]string{} // parent → tables referencing it
	for edges.Next() {
		var ch, pa string
		if err := edges.Scan(&ch, &pa); err != nil {
			edges.Close()
			return nil, err
		}
		children[pa] = append(children[pa], ch)
	}
	edges.Close()
	if p.tables, err = childrenFirst(tables, children); err != nil {
		return nil, err
	}
	for _, t := range tables {
		var n int64
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+qualified(schema, t)).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			p.seeded[t] = n
		}
	}
	p.tables = slices.DeleteFunc(p.tables, func(t string) bool { _, ok := p.seeded[t]; return ok })
	rows, err := q.QueryContext(ctx, `SELECT sequencename, last_value, start_value FROM pg_sequences WHERE schemaname = $1`, schema)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var s seqState
		if err := rows.Scan(&name, &s.last, &s.start); err != nil {
			return nil, err
		}
		p.sequences[name] = s
	}
	return p, rows.Err()
}

// childrenFirst orders tables so that every table comes before the tables it
// references (self-references aside); an error on a reference cycle.
func childrenFirst(tables []string, children map[string][]string) ([]string, error) {
	done := map[string]bool{}
	var out []string
	for len(out) < len(tables) {
		progress := false
		for _, t := range tables {
			if done[t] {
				continue
			}
			ready := true
			for _, c := range children[t] {
				if !done[c] && slices.Contains(tables, c) {
					ready = false
					break
				}
			}
			if ready {
				done[t] = true
				out = append(out, t)
				progress = true
			}
		}
		if !progress {
			return nil, errors.New("dbtest: foreign keys form a cycle; cannot plan the reset of test schemas")
		}
	}
	return out, nil
}

// bigSchema is the heap size above which emptying truncates rather than
// deletes (a generated county or province: deleting row by row is slower).
const bigSchema = 8 << 20

// reset empties schema back to its migrated state, or says why it cannot.
// It deletes only from the tables that hold rows (one query finds them).
func (p *resetPlan) reset(ctx context.Context, q *sql.DB, schema string) error {
	var size int64
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(sum(pg_relation_size(c.oid)), 0) FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`, schema).Scan(&size); err != nil {
		return err
	}
	err := dbTx(ctx, q, func(tx *sql.Tx) error {
		if size > bigSchema {
			return p.truncate(ctx, tx, schema)
		}
		if p.superuser {
			// No foreign-key checks or triggers while emptying: deleting a
			// parent would otherwise scan its emptied (dead-row) children.
			if _, err := tx.ExecContext(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
				return err
			}
		}
		// Three rounds at most: without superuser a trigger may write a table already emptied.
		for range 3 {
			left, err := p.nonEmpty(ctx, tx, schema)
			if err != nil || len(left) == 0 {
				return err
			}
			var del strings.Builder
			for _, t := range p.tables { // in the plan's order: children first
				if slices.Contains(left, t) {
					del.WriteString("DELETE FROM " + qualified(schema, t) + ";\n")
				}
			}
			if _, err := tx.ExecContext(ctx, del.String()); err != nil {
				return err
			}
		}
		return fmt.Errorf("dbtest: %s still holds rows after emptying", schema)
	})
	if err != nil {
		return err
	}
	if err := p.checkShape(ctx, q, schema); err != nil {
		return err
	}
	return p.resetSequences(ctx, q, schema)
}

// truncate empties the tables that hold rows, in one statement.
func (p *resetPlan) truncate(ctx context.Context, tx *sql.Tx, schema string) error {
	left, err := p.nonEmpty(ctx, tx, schema)
	if err != nil || len(left) == 0 {
		return err
	}
	names := make([]string, len(left))
	for i, t := range left {
		names[i] = qualified(schema, t)
	}
	_, err = tx.ExecContext(ctx, `TRUNCATE `+strings.Join(names, ", ")+` CASCADE`)
	return err
}

// nonEmpty lists the tables of the plan that hold rows.
func (p *resetPlan) nonEmpty(ctx context.Context, tx *sql.Tx, schema string) ([]string, error) {
	parts := make([]string, len(p.tables))
	for i, t := range p.tables {
		parts[i] = fmt.Sprintf("SELECT %s WHERE EXISTS (SELECT 1 FROM %s)", quoteLiteral(t), qualified(schema, t))
	}
	return strings1(ctx, tx, strings.Join(parts, " UNION ALL "))
}

// checkShape refuses a schema whose tables or seeded rows differ from the plan
// (a test created a table, or changed the migration history).
func (p *resetPlan) checkShape(ctx context.Context, q *sql.DB, schema string) error {
	cols := []string{`(SELECT count(*) FROM pg_tables WHERE schemaname = $1)`}
	want := []int64{int64(len(p.tables) + len(p.seeded))}
	for t, n := range p.seeded {
		cols = append(cols, `(SELECT count(*) FROM `+qualified(schema, t)+`)`)
		want = append(want, n)
	}
	got := make([]int64, len(cols))
	dest := make([]any, len(cols))
	for i := range got {
		dest[i] = &got[i]
	}
	if err := q.QueryRowContext(ctx, `SELECT `+strings.Join(cols, ", "), schema).Scan(dest...); err != nil {
		return err
	}
	if !slices.Equal(got, want) {
		return fmt.Errorf("dbtest: %s has tables and seeded rows %v, want %v", schema, got, want)
	}
	return nil
}

// resetSequences sets every sequence a test moved back to where migrating left it.
func (p *resetPlan) resetSequences(ctx context.Context, q *sql.DB, schema string) error {
	rows, err := q.QueryContext(ctx, `SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = $1`, schema)
	if err != nil {
		return err
	}
	type moved struct {
		name string
		to   seqState
	}
	var todo []moved
	for rows.Next() {
		var name string
		var last sql.NullInt64
		if err := rows.Scan(&name, &last); err != nil {
			rows.Close()
			return err
		}
		want, ok := p.sequences[name]
		if !ok {
			rows.Close()
			return fmt.Errorf("dbtest: unknown sequence %s.%s", schema, name)
		}
		if last != want.last {
			todo = append(todo, moved{name, want})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(todo) == 0 {
		return nil
	}
	calls := make([]string, len(todo))
	for i, m := range todo {
		seq := quoteLiteral(qualified(schema, m.name))
		if m.to.last.Valid {
			calls[i] = fmt.Sprintf("setval(%s, %d, true)", seq, m.to.last.Int64)
		} else {
			calls[i] = fmt.Sprintf("setval(%s, %d, false)", seq, m.to.start)
		}
	}
	_, err = q.ExecContext(ctx, `SELECT `+strings.Join(calls, ", "))
	return err
}

func dbTx(ctx context.Context, q *sql.DB, fn func(tx *sql.Tx) error) error {
	return (&db.DB{DB: q, Engine: db.Postgres}).Tx(ctx, fn)
}

func strings1(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func quoteIdent(s string) string   { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
func quoteLiteral(s string) string { return `'` + strings.ReplaceAll(s, `'`, `''`) + `'` }
func qualified(schema, t string) string {
	return quoteIdent(schema) + "." + quoteIdent(t)
}
