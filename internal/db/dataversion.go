package db

import "context"

// DataVersion reads the shared data version (migration 00031): a number that
// differs after every committed write of a table the proposal figures read,
// whichever process wrote it, so values computed at one version may be reused
// while it reads the same. Read it before computing what is kept under it: a
// write committed meanwhile then moves the version past the kept values.
func DataVersion(ctx context.Context, q Querier) (int64, error) {
	var v int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM data_version`).Scan(&v)
	return v, err
}
