package account_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"lvzhi/internal/account"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/jobs"
)

// TestPurgeJobRemovesExpiredSessions runs the registered purge job through a real
// runner: the expired session goes, the live one stays.
func TestPurgeJobRemovesExpiredSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		u := f.create(t, f.admin, account.NewUser{Username: "purge1", DisplayName: "清理", Password: "correct horse battery", Roles: []auth.Role{auth.RoleStaff}})
		now := time.Now().UTC()
		for tok, exp := range map[string]time.Time{"expired": now.Add(-time.Hour), "live": now.Add(time.Hour)} {
			if _, err := d.ExecContext(ctx, `INSERT INTO login_sessions (token_hash, user_id, committee_id, created_at, expires_at, last_seen_at)
				VALUES ($1, $2, $3, $4, $5, $4)`, tok, u.ID, f.a, now.Add(-2*time.Hour), exp); err != nil {
				t.Fatal(err)
			}
		}
		r, err := jobs.NewConfig(d, nil, jobs.Config{PollInterval: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Tx(ctx, func(tx *sql.Tx) error { return r.Enqueue(ctx, tx, account.PurgeArgs{}) }); err != nil {
			t.Fatal(err)
		}
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer r.Stop(ctx)
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			var left []string
			rows, err := d.QueryContext(ctx, `SELECT token_hash FROM login_sessions WHERE user_id = $1`, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var s string
				_ = rows.Scan(&s)
				left = append(left, s)
			}
			rows.Close()
			if len(left) == 1 && left[0] == "live" {
				return
			}
		}
		t.Fatal("purge job did not remove the expired session (or removed the live one)")
	})
}
