package auth_test

import (
	"context"
	"testing"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestRefusesUnaudited: without the audit recorder wired, nothing is written.
func TestRefusesUnaudited(t *testing.T) {
	d := dbtest.SQLite(t)
	f := setup(t, d)
	before := f.snapshot(t)
	saved := auth.AuditRecord
	auth.AuditRecord = nil
	defer func() { auth.AuditRecord = saved }()
	if _, err := f.s.CreateUser(context.Background(), f.admin, auth.NewUser{Username: "x1", DisplayName: "x", Password: "long-enough-pw", Roles: []auth.Role{auth.RoleStaff}}); err == nil {
		t.Fatal("created a user without auditing")
	}
	if f.snapshot(t) != before {
		t.Fatal("database changed")
	}
}

// BenchmarkActorFromSession is the per-request cost of loading the actor.
func BenchmarkActorFromSession(b *testing.B) {
	for _, eng := range []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", dbtest.SQLite}, {"postgres", dbtest.Postgres}} {
		b.Run(eng.name, func(b *testing.B) {
			d := eng.open(b)
			s := auth.NewService(d)
			s.Passwords = auth.FastPasswordParams
			ctx := context.Background()
			var cid int64
			if err := d.QueryRowContext(ctx, `INSERT INTO committees (level, name, code, path, created_at) VALUES ('county', 'x', 'X', '/1/', $1) RETURNING id`, db.Now()).Scan(&cid); err != nil {
				b.Fatal(err)
			}
			u, err := s.CreateUser(ctx, auth.System(cid), auth.NewUser{Username: "bench", DisplayName: "b", Password: "long-enough-pw", Roles: []auth.Role{auth.RoleStaff, auth.RoleLeader}})
			if err != nil {
				b.Fatal(err)
			}
			secret, err := s.CreateSession(ctx, u.ID, "", "")
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					a, err := s.ActorFromSession(ctx, secret)
					if err != nil || a == nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
