package db

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"lvzhi/internal/input"
)

// Moving a county from SQLite up to PostgreSQL: Copy writes every row of the
// application's tables into an empty, migrated PostgreSQL database in one
// transaction, keeping ids (the citizen-ID ciphertexts are bound to them and
// the audit chain hashes them); Compare then reads both back and checks, table
// by table, the row count and an order-independent digest of the rows.
// River's job tables are not copied: each engine keeps its own queue format,
// and the server is to be stopped while moving (periodic jobs resume on start).

// column is one column of a destination table.
type column struct {
	name, typ string
	identity  bool
}

// table is one application table: its columns and the tables it references.
type table struct {
	name    string
	cols    []column
	refs    []string // other tables its foreign keys reference
	selfRef []string // columns referencing the table itself
}

// TableSum is what Compare found for one table on one engine.
type TableSum struct {
	Table  string
	Rows   int64
	Digest string
}

// BadValue is a source value PostgreSQL cannot store.
type BadValue struct {
	Table, Column string
	ID            string // the row's id (or first column)
}

// BadTextError lists source values PostgreSQL cannot store (invalid UTF-8,
// NUL, control characters): the copy writes nothing until they are fixed.
type BadTextError struct {
	Values []BadValue
	More   int // further bad values not listed
}

func (e *BadTextError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d value(s) in the SQLite database hold text PostgreSQL cannot store (invalid UTF-8, NUL or control characters); fix them and copy again:", len(e.Values)+e.More)
	for _, v := range e.Values {
		fmt.Fprintf(&b, "\n  %s.%s of row %s", v.Table, v.Column, v.ID)
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "\n  … and %d more", e.More)
	}
	return b.String()
}

// Copy copies every application table of src (SQLite) into dst (PostgreSQL,
// migrated to the same version and empty), in one transaction, and sets
// dst's id sequences past the copied ids. It checks every text value first
// and copies nothing if any cannot be stored (BadTextError).
func Copy(ctx context.Context, src, dst *DB) error {
	if src.Engine != SQLite || dst.Engine != Postgres {
		return errors.New("copy: the source must be a SQLite file and the destination a postgres:// database")
	}
	if err := sameVersion(ctx, src, dst); err != nil {
		return err
	}
	tables, err := appTables(ctx, dst)
	if err != nil {
		return err
	}
	for _, t := range tables {
		var n int64
		if err := dst.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t.name).Scan(&n); err != nil {
			return err
		}
		if n > 0 && !(t.name == "data_version" && n == 1) { // its one row is the migration's
			return fmt.Errorf("copy: the destination is not empty (%s holds %d rows); copy into a fresh, migrated database", t.name, n)
		}
	}
	if err := checkText(ctx, src, tables); err != nil {
		return err
	}
	return dst.Tx(ctx, func(tx *sql.Tx) error {
		// The source's data version replaces the migration's row.
		if _, err := tx.ExecContext(ctx, `DELETE FROM data_version`); err != nil {
			return err
		}
		for _, t := range tables {
			if err := copyTable(ctx, src, tx, t); err != nil {
				return fmt.Errorf("copy %s: %w", t.name, err)
			}
		}
		return resetSequences(ctx, tx, tables)
	})
}

func sameVersion(ctx context.Context, src, dst *DB) error {
	a, _, err := src.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	b, _, err := dst.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if a != b {
		return fmt.Errorf("copy: schema versions differ (SQLite %d, PostgreSQL %d); migrate both first", a, b)
	}
	return nil
}

// appTables reads the destination's application tables (not goose's, not
// River's) with their columns, ordered so referenced tables come first.
func appTables(ctx context.Context, dst *DB) ([]table, error) {
	rows, err := dst.QueryContext(ctx, `SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_generated = 'NEVER' ORDER BY table_name, ordinal_position`)
	if err != nil {
		return nil, err
	}
	byName := map[string]*table{}
	var names []string
	for rows.Next() {
		var tn, cn, typ, ident string
		if err := rows.Scan(&tn, &cn, &typ, &ident); err != nil {
			rows.Close()
			return nil, err
		}
		if tn == "goose_db_version" || strings.HasPrefix(tn, "river_") {
			continue
		}
		t := byName[tn]
		if t == nil {
			t = &table{name: tn}
			byName[tn] = t
			names = append(names, tn)
		}
		t.cols = append(t.cols, column{name: cn, typ: typ, identity: ident == "YES"})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	fks, err := dst.QueryContext(ctx, `SELECT kcu.table_name, kcu.column_name, ccu.table_name
		FROM information_schema.table_constraints tc
		JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
		JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
		WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()`)
	if err != nil {
		return nil, err
	}
	defer fks.Close()
	for fks.Next() {
		var from, col, to string
		if err := fks.Scan(&from, &col, &to); err != nil {
			return nil, err
		}
		t := byName[from]
		switch {
		case t == nil:
		case from == to:
			t.selfRef = append(t.selfRef, col)
		default:
			t.refs = append(t.refs, to)
		}
	}
	if err := fks.Err(); err != nil {
		return nil, err
	}
	return topoSort(names, byName)
}

// topoSort orders tables so every table comes after those it references.
func topoSort(names []string, byName map[string]*table) ([]table, error) {
	sort.Strings(names)
	var out []table
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(n string) error
	visit = func(n string) error {
		switch state[n] {
		case 1:
			return fmt.Errorf("copy: foreign keys form a cycle through %s", n)
		case 2:
			return nil
		}
		state[n] = 1
		t := byName[n]
		if t == nil {
			return nil
		}
		for _, r := range t.refs {
			if err := visit(r); err != nil {
				return err
			}
		}
		state[n] = 2
		out = append(out, *t)
		return nil
	}
	for _, n := range names {
		if err := visit(n); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t table) colNames() []string {
	out := make([]string, len(t.cols))
	for i, c := range t.cols {
		out[i] = c.name
	}
	return out
}

// checkText finds every text value PostgreSQL would refuse.
func checkText(ctx context.Context, src *DB, tables []table) error {
	bad := &BadTextError{}
	for _, t := range tables {
		err := scanRows(ctx, src, t, func(vals []any) error {
			for i, c := range t.cols {
				s, ok := textOf(vals[i])
				if !ok || c.typ == "bytea" || input.TextOK(s) {
					continue
				}
				if len(bad.Values) < 100 {
					bad.Values = append(bad.Values, BadValue{Table: t.name, Column: c.name, ID: fmt.Sprint(vals[0])})
				} else {
					bad.More++
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if len(bad.Values) > 0 {
		return bad
	}
	return nil
}

func textOf(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case []byte:
		return string(x), true
	}
	return "", false
}

// scanRows reads every row of t from src, in id order, as raw values.
func scanRows(ctx context.Context, src Querier, t table, fn func([]any) error) error {
	rows, err := src.QueryContext(ctx, `SELECT `+strings.Join(t.colNames(), ", ")+` FROM `+t.name+` ORDER BY 1`)
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]any, len(t.cols))
	ptrs := make([]any, len(t.cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

// copyTable inserts t's rows in batches. Self-references (a committee's
// parent, a proposal merged into a later one) are written as NULL and set
// once every row of the table is in. User triggers (the proposal queue for
// derived rows) are off while copying: their rows are copied as they are.
func copyTable(ctx context.Context, src *DB, tx *sql.Tx, t table) error {
	if _, err := tx.ExecContext(ctx, `ALTER TABLE `+t.name+` DISABLE TRIGGER USER`); err != nil {
		return err
	}
	self := map[int]bool{}
	for i, c := range t.cols {
		for _, s := range t.selfRef {
			if c.name == s {
				self[i] = true
			}
		}
	}
	type later struct{ id, vals []any }
	var fixes []later
	batch := make([][]any, 0, 256)
	perBatch := max(1, min(256, 60000/len(t.cols)))
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := insertBatch(ctx, tx, t, batch)
		batch = batch[:0]
		return err
	}
	err := scanRows(ctx, src, t, func(vals []any) error {
		row := make([]any, len(vals))
		var fix []any
		for i, v := range vals {
			row[i] = toPostgres(v, t.cols[i].typ)
			if self[i] && row[i] != nil {
				fix = append(fix, row[i])
				row[i] = nil
			} else if self[i] {
				fix = append(fix, nil)
			}
		}
		if fix != nil {
			fixes = append(fixes, later{[]any{row[0]}, fix})
		}
		batch = append(batch, row)
		if len(batch) >= perBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return err
	}
	for _, f := range fixes {
		sets := make([]string, len(t.selfRef))
		for i, c := range t.selfRef {
			sets[i] = fmt.Sprintf("%s = $%d", c, i+2)
		}
		args := append([]any{f.id[0]}, f.vals...)
		if _, err := tx.ExecContext(ctx, `UPDATE `+t.name+` SET `+strings.Join(sets, ", ")+` WHERE `+t.cols[0].name+` = $1`, args...); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `ALTER TABLE `+t.name+` ENABLE TRIGGER USER`)
	return err
}

func insertBatch(ctx context.Context, tx *sql.Tx, t table, rows [][]any) error {
	var b strings.Builder
	args := make([]any, 0, len(rows)*len(t.cols))
	b.WriteString(`INSERT INTO ` + t.name + ` (` + strings.Join(t.colNames(), ", ") + `)`)
	if slicesAny(t.cols, func(c column) bool { return c.identity }) {
		b.WriteString(` OVERRIDING SYSTEM VALUE`)
	}
	b.WriteString(` VALUES `)
	for r, row := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(")
		for i, v := range row {
			if i > 0 {
				b.WriteString(", ")
			}
			args = append(args, v)
			b.WriteString("$" + strconv.Itoa(len(args)))
		}
		b.WriteString(")")
	}
	_, err := tx.ExecContext(ctx, b.String(), args...)
	return err
}

func slicesAny(cols []column, f func(column) bool) bool {
	for _, c := range cols {
		if f(c) {
			return true
		}
	}
	return false
}

// toPostgres converts a SQLite value to what the PostgreSQL column takes.
func toPostgres(v any, typ string) any {
	switch typ {
	case "boolean":
		switch x := v.(type) {
		case int64:
			return x != 0
		case string:
			return x == "1" || strings.EqualFold(x, "true")
		}
	case "text":
		if b, ok := v.([]byte); ok {
			return string(b)
		}
	case "bytea":
		if s, ok := v.(string); ok {
			return []byte(s)
		}
	case "timestamp with time zone", "timestamp without time zone":
		if s, ok := v.(string); ok {
			if t, err := parseTime(s); err == nil {
				return t
			}
		}
		if t, ok := v.(time.Time); ok {
			return t.UTC()
		}
	}
	return v
}

var timeLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02"}

func parseTime(s string) (time.Time, error) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("not a time: %q", s)
}

// resetSequences moves each identity column's sequence past the copied ids.
func resetSequences(ctx context.Context, tx *sql.Tx, tables []table) error {
	for _, t := range tables {
		for _, c := range t.cols {
			if !c.identity {
				continue
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', '%s'), m)
				FROM (SELECT MAX(%s) AS m FROM %s) x WHERE m IS NOT NULL`, t.name, c.name, c.name, t.name)); err != nil {
				return err
			}
		}
	}
	return nil
}

// Compare sums every application table on both engines (rows and a digest of
// their normalized values, independent of row order) and returns both sides
// and the tables that differ.
func Compare(ctx context.Context, src, dst *DB) (left, right []TableSum, differ []string, err error) {
	tables, err := appTables(ctx, dst)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, t := range tables {
		a, err := sumTable(ctx, src, t)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("sum %s on SQLite: %w", t.name, err)
		}
		b, err := sumTable(ctx, dst, t)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("sum %s on PostgreSQL: %w", t.name, err)
		}
		left, right = append(left, a), append(right, b)
		if a != b {
			differ = append(differ, t.name)
		}
	}
	return left, right, differ, nil
}

func sumTable(ctx context.Context, d *DB, t table) (TableSum, error) {
	var hi, lo uint64
	var n int64
	err := scanRows(ctx, d, t, func(vals []any) error {
		h := sha256.New()
		for i, v := range vals {
			h.Write([]byte(normalize(v, t.cols[i].typ)))
			h.Write([]byte{0x1f})
		}
		s := h.Sum(nil)
		l := binary.BigEndian.Uint64(s[8:16])
		nl := lo + l
		carry := uint64(0)
		if nl < lo {
			carry = 1
		}
		hi, lo = hi+binary.BigEndian.Uint64(s[:8])+carry, nl
		n++
		return nil
	})
	var sum [16]byte
	binary.BigEndian.PutUint64(sum[:8], hi)
	binary.BigEndian.PutUint64(sum[8:], lo)
	return TableSum{Table: t.name, Rows: n, Digest: hex.EncodeToString(sum[:])}, err
}

// normalize writes a value the same way whichever engine it came from.
func normalize(v any, typ string) string {
	v = toPostgres(v, typ)
	switch x := v.(type) {
	case nil:
		return "\x00null"
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case time.Time:
		return x.UTC().Round(time.Microsecond).Format(time.RFC3339Nano)
	case []byte:
		if typ == "bytea" {
			return hex.EncodeToString(x)
		}
		return string(x)
	case string:
		return x
	}
	return fmt.Sprint(v)
}
