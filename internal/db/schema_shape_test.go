package db_test

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// The shape of a schema, engine-neutral, one line per fact:
//
//	col   table.column type [not null]   (types mapped: see pgTypes, liteTypes)
//	pk    table (columns)
//	index table (columns) [unique] [partial]   (every index but the primary key's)
//	fk    table (columns) -> table (columns) on delete <action>
//	checks table n                             (number of CHECK constraints)
//
// Tables of goose, River and SQLite's full-text search are left out: they are
// not ours or exist on one engine only (00009 is hand-written for that).

var pgTypes = map[string]string{
	"bigint": "bigint", "integer": "integer", "text": "text", "boolean": "boolean",
	"timestamp with time zone": "timestamp", "bytea": "blob",
}

var liteTypes = map[string]string{
	"BIGINT": "bigint", "INTEGER": "integer", "TEXT": "text", "BOOLEAN": "boolean",
	"TIMESTAMP": "timestamp", "BLOB": "blob",
}

func skipTable(name string) bool {
	return strings.HasPrefix(name, "goose") || strings.HasPrefix(name, "river") ||
		strings.HasPrefix(name, "sqlite") || strings.Contains(name, "_fts")
}

func mapType(m map[string]string, raw string) string {
	if t, ok := m[raw]; ok {
		return t
	}
	return "unmapped:" + raw
}

func queryStrings(t *testing.T, d *db.DB, q string, args ...any) [][]string {
	t.Helper()
	rows, err := d.QueryContext(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			switch v := v.(type) {
			case nil:
				row[i] = ""
			case []byte:
				row[i] = string(v)
			default:
				row[i] = fmt.Sprint(v)
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func pgShape(t *testing.T, d *db.DB) []string {
	var out []string
	for _, r := range queryStrings(t, d, `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
		WHERE table_schema = current_schema()`) {
		if skipTable(r[0]) {
			continue
		}
		line := fmt.Sprintf("col %s.%s %s", r[0], r[1], mapType(pgTypes, r[2]))
		if r[3] == "NO" {
			line += " not null"
		}
		out = append(out, line)
	}
	// Constraints: primary keys, foreign keys, checks.
	for _, r := range queryStrings(t, d, `
		SELECT c.contype, t.relname,
		  (SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
		     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n),
		  COALESCE(ft.relname, ''),
		  COALESCE((SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
		     JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n), ''),
		  c.confdeltype
		FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
		LEFT JOIN pg_class ft ON ft.oid = c.confrelid
		WHERE c.connamespace = current_schema()::regnamespace AND c.contype IN ('p', 'f', 'c')`) {
		if skipTable(r[1]) {
			continue
		}
		switch r[0] {
		case "p":
			out = append(out, fmt.Sprintf("pk %s (%s)", r[1], r[2]))
		case "f":
			out = append(out, fmt.Sprintf("fk %s (%s) -> %s (%s) on delete %s", r[1], r[2], r[3], r[4], pgAction(r[5])))
		case "c":
			out = append(out, "check "+r[1])
		}
	}
	for _, r := range queryStrings(t, d, `
		SELECT t.relname, i.indisunique, i.indpred IS NOT NULL,
		  (SELECT string_agg(CASE WHEN k.n = 0 THEN 'expr' ELSE a.attname END, ',' ORDER BY k.i)
		     FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, i)
		     LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n)
		FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
		WHERE t.relnamespace = current_schema()::regnamespace AND NOT i.indisprimary`) {
		if skipTable(r[0]) {
			continue
		}
		out = append(out, indexLine(r[0], r[3], r[1] == "true", r[2] == "true"))
	}
	return countChecks(out)
}

func pgAction(c string) string {
	return map[string]string{"a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}[c]
}

func indexLine(table, cols string, unique, partial bool) string {
	line := fmt.Sprintf("index %s (%s)", table, cols)
	if unique {
		line += " unique"
	}
	if partial {
		line += " partial"
	}
	return line
}

// countChecks turns "check <table>" lines into one "checks <table> n" line per table.
func countChecks(lines []string) []string {
	n := map[string]int{}
	var out []string
	for _, l := range lines {
		if tbl, ok := strings.CutPrefix(l, "check "); ok {
			n[tbl]++
			continue
		}
		out = append(out, l)
	}
	for tbl, k := range n {
		out = append(out, fmt.Sprintf("checks %s %d", tbl, k))
	}
	sort.Strings(out)
	return out
}

var checkRE = regexp.MustCompile(`(?i)\bCHECK\s*\(`)

func liteShape(t *testing.T, d *db.DB) []string {
	var out []string
	for _, tr := range queryStrings(t, d, `SELECT name, sql FROM sqlite_master WHERE type = 'table'`) {
		table := tr[0]
		if skipTable(table) {
			continue
		}
		cols := queryStrings(t, d, `SELECT name, type, "notnull", pk FROM pragma_table_info(?)`, table)
		var pk []string
		pkOrder := map[string]string{}
		for _, c := range cols {
			if c[3] != "0" {
				pkOrder[c[3]] = c[0]
			}
		}
		for i := 1; i <= len(pkOrder); i++ {
			pk = append(pk, pkOrder[fmt.Sprint(i)])
		}
		for _, c := range cols {
			typ := mapType(liteTypes, strings.ToUpper(c[1]))
			notNull := c[2] == "1"
			if c[3] != "0" {
				notNull = true // PostgreSQL makes primary key columns NOT NULL
				if len(pk) == 1 && strings.EqualFold(c[1], "INTEGER") {
					typ = "bigint" // INTEGER PRIMARY KEY is the 64-bit rowid: BIGINT … IDENTITY on PostgreSQL
				}
			}
			line := fmt.Sprintf("col %s.%s %s", table, c[0], typ)
			if notNull {
				line += " not null"
			}
			out = append(out, line)
		}
		if len(pk) > 0 {
			out = append(out, fmt.Sprintf("pk %s (%s)", table, strings.Join(pk, ",")))
		}
		fks := map[string][]string{} // id → from, to, table, on_delete
		var ids []string
		for _, f := range queryStrings(t, d, `SELECT id, "table", "from", "to", on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, table) {
			if _, ok := fks[f[0]]; !ok {
				ids = append(ids, f[0])
				fks[f[0]] = []string{"", "", f[1], strings.ToLower(f[4])}
			}
			e := fks[f[0]]
			to := f[3]
			if to == "" {
				to = liteOnlyPK(t, d, f[1])
			}
			e[0], e[1] = join(e[0], f[2]), join(e[1], to)
		}
		for _, id := range ids {
			e := fks[id]
			out = append(out, fmt.Sprintf("fk %s (%s) -> %s (%s) on delete %s", table, e[0], e[2], e[1], e[3]))
		}
		for range checkRE.FindAllString(tr[1], -1) {
			out = append(out, "check "+table)
		}
		for _, ix := range queryStrings(t, d, `SELECT name, "unique", origin, partial FROM pragma_index_list(?)`, table) {
			if ix[2] == "pk" {
				continue
			}
			var cols []string
			for _, c := range queryStrings(t, d, `SELECT COALESCE(name, 'expr') FROM pragma_index_info(?) ORDER BY seqno`, ix[0]) {
				cols = append(cols, c[0])
			}
			out = append(out, indexLine(table, strings.Join(cols, ","), ix[1] == "1", ix[3] == "1"))
		}
	}
	return countChecks(out)
}

func liteOnlyPK(t *testing.T, d *db.DB, table string) string {
	r := queryStrings(t, d, `SELECT name FROM pragma_table_info(?) WHERE pk = 1`, table)
	if len(r) == 0 {
		return "?"
	}
	return r[0][0]
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "," + b
}

// engineOnly are the facts one engine has on purpose, and why.
var engineOnly = map[string]string{
	"index proposal_search (expr)": "PostgreSQL searches a GIN index on a tsvector; SQLite an FTS5 table (00009)",
}

// TestSchemaShapesInStep holds both engines' migrations to the same column
// types and nullability, primary keys, indexes (columns, uniqueness,
// partiality), foreign keys (with their ON DELETE) and number of CHECKs per table.
func TestSchemaShapesInStep(t *testing.T) {
	lite := liteShape(t, dbtest.SQLite(t))
	pg := pgShape(t, dbtest.Postgres(t))
	onlyLite, onlyPG := diff(lite, pg), diff(pg, lite)
	drop := func(ls []string) []string {
		var out []string
		for _, l := range ls {
			if _, ok := engineOnly[l]; !ok {
				out = append(out, l)
			}
		}
		return out
	}
	onlyLite, onlyPG = drop(onlyLite), drop(onlyPG)
	if len(onlyLite)+len(onlyPG) > 0 {
		t.Fatalf("schemas differ\nonly in SQLite:\n  %s\nonly in PostgreSQL:\n  %s",
			strings.Join(onlyLite, "\n  "), strings.Join(onlyPG, "\n  "))
	}
	t.Logf("%d facts compared", len(lite))
	for _, kind := range []string{"col ", "pk ", "index ", "fk ", "checks "} {
		n := 0
		for _, l := range lite {
			if strings.HasPrefix(l, kind) {
				n++
			}
		}
		if n < 3 {
			t.Errorf("suspiciously few %q lines: %d", kind, n)
		}
	}
}

// diff lists what a has and b does not (as multisets).
func diff(a, b []string) []string {
	n := map[string]int{}
	for _, s := range b {
		n[s]++
	}
	var out []string
	for _, s := range a {
		if n[s] > 0 {
			n[s]--
			continue
		}
		out = append(out, s)
	}
	return out
}
