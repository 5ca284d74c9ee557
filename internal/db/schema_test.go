package db_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// columns lists "table.column" for every application table.
func columns(t *testing.T, d *db.DB) []string {
	t.Helper()
	ctx := context.Background()
	var q string
	if d.Engine == db.Postgres {
		q = `SELECT table_name || '.' || column_name FROM information_schema.columns
		     WHERE table_schema = current_schema() AND table_name NOT LIKE 'goose%' AND table_name NOT LIKE 'river%'`
	} else {
		q = `SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
		     WHERE m.type = 'table' AND m.name NOT LIKE 'goose%' AND m.name NOT LIKE 'river%' AND m.name NOT LIKE 'sqlite%'
		     AND m.name NOT LIKE '%_fts%'`
	}
	rows, err := d.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// TestSchemasInStep holds the SQLite and PostgreSQL migrations to the same tables and columns.
func TestSchemasInStep(t *testing.T) {
	lite := columns(t, dbtest.SQLite(t))
	pg := columns(t, dbtest.Postgres(t))
	if strings.Join(lite, "\n") != strings.Join(pg, "\n") {
		only := func(a, b []string) []string {
			set := map[string]bool{}
			for _, s := range b {
				set[s] = true
			}
			var r []string
			for _, s := range a {
				if !set[s] {
					r = append(r, s)
				}
			}
			return r
		}
		t.Fatalf("schemas differ\nonly in SQLite: %v\nonly in PostgreSQL: %v", only(lite, pg), only(pg, lite))
	}
	if len(lite) < 50 {
		t.Fatalf("suspiciously few columns: %d", len(lite))
	}
}

func TestSchemaVersionCheck(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.CheckSchema(ctx); err != nil {
			t.Fatalf("fresh schema refused: %v", err)
		}
		cur, latest, err := d.SchemaVersion(ctx)
		if err != nil || cur != latest || latest < 1 {
			t.Fatalf("versions %d/%d err %v", cur, latest, err)
		}
	})
}

// TestTimeRoundTrip checks that instants come back as the same UTC instant on both engines.
func TestTimeRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var id int64
		now := db.Now()
		err := d.QueryRowContext(ctx, `INSERT INTO committees (level, name, code, path, created_at)
			VALUES ('county', '测试县政协', 'T1', '/', $1) RETURNING id`, now).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		var got db.Time
		if err := d.QueryRowContext(ctx, `SELECT created_at FROM committees WHERE id = $1`, id).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if !got.Time.Equal(now) || got.Time.Location().String() != "UTC" {
			t.Fatalf("got %v want %v", got.Time, now)
		}
	})
}
