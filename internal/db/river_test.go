package db_test

import (
	"context"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestRiverSchemaChecked: Migrate creates River's tables, and CheckSchema
// refuses a database whose River migrations are behind.
func TestRiverSchemaChecked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var n int
		if err := d.QueryRowContext(ctx, `SELECT count(*) FROM river_job`).Scan(&n); err != nil {
			t.Fatalf("river_job missing after Migrate: %v", err)
		}
		if _, err := d.ExecContext(ctx, `DELETE FROM river_migration WHERE version = (SELECT max(version) FROM river_migration)`); err != nil {
			t.Fatal(err)
		}
		err := d.CheckSchema(ctx)
		if err == nil || !strings.Contains(err.Error(), "lvzhi migrate") {
			t.Fatalf("outdated River schema accepted: %v", err)
		}
	})
}
