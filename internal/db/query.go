package db

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
)

// Args is the argument list of a query built piece by piece. Add appends a
// value and returns its placeholder, so conditions and their values cannot get
// out of step:
//
//	var a db.Args
//	w := []string{"committee_id = " + a.Add(cid)}
//	if f.Kind != "" {
//		w = append(w, "kind = "+a.Add(f.Kind))
//	}
//	rows, err := q.QueryContext(ctx, "SELECT … WHERE "+strings.Join(w, " AND "), a...)
type Args []any

// Add appends v and returns its placeholder ($1, $2, …).
func (a *Args) Add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// In appends every value of vs and returns the parenthesised list for an IN
// condition: "($3, $4)". An empty vs gives "(NULL)", which matches no row.
func In[T any](a *Args, vs []T) string {
	if len(vs) == 0 {
		return "(NULL)"
	}
	ps := make([]string, len(vs))
	for i, v := range vs {
		ps[i] = a.Add(v)
	}
	return "(" + strings.Join(ps, ", ") + ")"
}

// Scanner is what a scan function reads a row from: *sql.Row or *sql.Rows.
type Scanner = interface{ Scan(dest ...any) error }

// Query runs query and scans every row with scan.
func Query[T any](ctx context.Context, q Querier, scan func(Scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return Collect(rows, scan)
}

// Collect scans every row of rows with scan and closes rows.
func Collect[T any](rows *sql.Rows, scan func(Scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Column runs a query of one column and returns its values.
func Column[T any](ctx context.Context, q Querier, query string, args ...any) ([]T, error) {
	return Query(ctx, q, ScanOne[T], query, args...)
}

// ScanOne scans a row of one column.
func ScanOne[T any](sc Scanner) (T, error) {
	var v T
	err := sc.Scan(&v)
	return v, err
}

// ExecVersioned runs an UPDATE or DELETE guarded by "version = $n" (optimistic
// locking): no row touched means someone else changed or removed the record
// first, which is apperr.ErrConflict (key err.conflict).
func ExecVersioned(ctx context.Context, q Querier, query string, args ...any) error {
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return apperr.ErrConflict
	}
	return nil
}
