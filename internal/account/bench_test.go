package account_test

import (
	"context"
	"testing"

	"lvzhi/internal/account"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// BenchmarkActorFromSession is the per-request cost of loading the actor.
func BenchmarkActorFromSession(b *testing.B) {
	for _, eng := range []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", dbtest.SQLite}, {"postgres", dbtest.Postgres}} {
		b.Run(eng.name, func(b *testing.B) {
			d := eng.open(b)
			s := account.NewService(d)
			s.Passwords = account.FastPasswordParams
			ctx := context.Background()
			var cid int64
			if err := d.QueryRowContext(ctx, `INSERT INTO committees (level, name, code, path, created_at) VALUES ('county', 'x', 'X', '/1/', $1) RETURNING id`, db.Now()).Scan(&cid); err != nil {
				b.Fatal(err)
			}
			u, err := s.CreateUser(ctx, auth.System(cid), account.NewUser{Username: "bench", DisplayName: "b", Password: "long-enough-pw", Roles: []auth.Role{auth.RoleStaff, auth.RoleLeader}})
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
