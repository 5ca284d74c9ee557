package db_test

import (
	"context"
	"path/filepath"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// statRows counts the rows of a SQLite statistics table (-1: no such table).
func statRows(t *testing.T, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM sqlite_master WHERE name = $1`, table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		return -1
	}
	if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// skewed fills a table whose index has a skewed leading column, as
// committee_id is (the nation holds most rows).
func skewed(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	if _, err := d.ExecContext(ctx, `CREATE TABLE sk (c INTEGER NOT NULL, v INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ExecContext(ctx, `CREATE INDEX sk_c ON sk(c, v)`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
		INSERT INTO sk (c, v) SELECT CASE WHEN i % 10 = 0 THEN i ELSE 1 END, i FROM n`); err != nil {
		t.Fatal(err)
	}
}

// TestAnalyzeKeepsNoValueSamples: Analyze leaves SQLite the per-index
// statistics but no per-value samples (which make SQLite compile a cached
// statement again for each new value); on PostgreSQL it is ANALYZE.
func TestAnalyzeKeepsNoValueSamples(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		skewed(t, d)
		if err := d.Analyze(context.Background()); err != nil {
			t.Fatal(err)
		}
		if d.Engine != db.SQLite {
			return
		}
		if n := statRows(t, d, "sqlite_stat1"); n <= 0 {
			t.Errorf("sqlite_stat1: %d rows", n)
		}
		if n := statRows(t, d, "sqlite_stat4"); n > 0 {
			t.Errorf("sqlite_stat4 kept %d rows", n)
		}
		var c int
		if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM sk WHERE c = $1`, 1).Scan(&c); err != nil || c != 1800 {
			t.Errorf("query after Analyze: %d, %v", c, err)
		}
	})
}

// TestOpenDropsValueSamples: a SQLite file analysed elsewhere with STAT4
// samples has them dropped when opened.
func TestOpenDropsValueSamples(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	skewed(t, d)
	if _, err := d.ExecContext(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	if n := statRows(t, d, "sqlite_stat4"); n <= 0 {
		t.Fatalf("plain ANALYZE wrote no samples (%d): the test shows nothing", n)
	}
	d.Close()
	d, err = db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if n := statRows(t, d, "sqlite_stat4"); n > 0 {
		t.Errorf("sqlite_stat4 kept %d rows after opening", n)
	}
	if n := statRows(t, d, "sqlite_stat1"); n <= 0 {
		t.Errorf("sqlite_stat1: %d rows", n)
	}
}
