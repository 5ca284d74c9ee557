package db_test

import (
	"context"
	"slices"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestUnder: a path lies under itself and its ancestors, never under a
// sibling that shares its leading digits, on both engines.
func TestUnder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.ExecContext(ctx, `CREATE TABLE paths (id INTEGER NOT NULL, path TEXT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		for i, p := range []string{"/1/", "/1/2/", "/1/23/", "/1/2/5/", "/12/", "/2/1/"} {
			if _, err := d.ExecContext(ctx, `INSERT INTO paths (id, path) VALUES ($1, $2)`, i+1, p); err != nil {
				t.Fatal(err)
			}
		}
		for path, want := range map[string][]int64{
			"/1/": {1, 2, 3, 4}, "/1/2/": {2, 4}, "/12/": {5}, "/3/": nil, "/1/2/5/": {4},
		} {
			a := db.Args{int64(0)}
			got, err := db.Column[int64](ctx, d, `SELECT id FROM paths WHERE id > $1 AND `+db.Under("path", a.Add, path)+` ORDER BY id`, a...)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("under %s: %v, want %v", path, got, want)
			}
		}
	})
}
