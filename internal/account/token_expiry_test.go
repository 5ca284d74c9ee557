package account_test

import (
	"context"
	"testing"
	"time"

	"lvzhi/internal/account"
	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestTokenExpiryAndOwner: a token works until its expiry (default 90 days,
// chosen 1-365) and not a moment after; its owner sees their own tokens only
// (created, last used, expiry, revoked) and may revoke them, but not another
// user's (not found). Before, tokens never expired and only administrators
// could see or revoke them.
func TestTokenExpiryAndOwner(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := context.Background()
		owner := f.create(t, f.admin, account.NewUser{Username: "owner", DisplayName: "甲", Password: "long-enough-pw", Roles: []auth.Role{auth.RoleStaff}})
		other := f.create(t, f.admin, account.NewUser{Username: "other", DisplayName: "乙", Password: "long-enough-pw", Roles: []auth.Role{auth.RoleStaff}})
		for _, days := range []int{0, 366, -1} {
			if _, _, err := f.s.CreateTokenFor(ctx, f.admin, owner.ID, "x", days); fieldsOf(err)["days"] != "err.auth.token_days" {
				t.Fatalf("%d days: %v", days, err)
			}
		}
		week, secret, err := f.s.CreateTokenFor(ctx, f.admin, owner.ID, "一周", 7)
		if err != nil || !week.ExpiresAt.Equal(f.clock.AddDate(0, 0, 7)) {
			t.Fatalf("7-day token %+v %v", week, err)
		}
		def, _, err := f.s.CreateToken(ctx, f.admin, owner.ID, "默认")
		if err != nil || !def.ExpiresAt.Equal(f.clock.AddDate(0, 0, account.DefaultTokenDays)) {
			t.Fatalf("default token %+v %v", def, err)
		}
		othersTok, _, err := f.s.CreateToken(ctx, f.admin, other.ID, "别人的")
		if err != nil {
			t.Fatal(err)
		}
		if a, _ := f.s.ActorFromToken(ctx, secret); a == nil || a.UserID != owner.ID {
			t.Fatal("a fresh token does not work")
		}
		me := f.actorOf(t, owner.ID)
		mine, err := f.s.OwnTokens(ctx, me)
		if err != nil || len(mine) != 2 {
			t.Fatalf("own tokens %+v %v", mine, err)
		}
		for _, tok := range mine {
			if tok.UserID != owner.ID || tok.ExpiresAt.IsZero() {
				t.Errorf("own token %+v", tok)
			}
			if tok.ID == week.ID && tok.LastUsedAt.IsZero() {
				t.Errorf("the used token shows no last use")
			}
		}
		f.clock = f.clock.AddDate(0, 0, 7).Add(-time.Second)
		if a, _ := f.s.ActorFromToken(ctx, secret); a == nil {
			t.Fatal("the token stopped a second before its expiry")
		}
		f.clock = f.clock.Add(time.Second)
		if a, _ := f.s.ActorFromToken(ctx, secret); a != nil {
			t.Fatal("an expired token still works")
		}
		if err := f.s.RevokeOwnToken(ctx, me, othersTok.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("revoking another user's token: %v", err)
		}
		if err := f.s.RevokeOwnToken(ctx, me, def.ID); err != nil {
			t.Fatal(err)
		}
		mine, _ = f.s.OwnTokens(ctx, me)
		for _, tok := range mine {
			if tok.ID == def.ID && !tok.Revoked() {
				t.Error("own revoke did not revoke")
			}
		}
		all, _ := f.s.ListTokens(ctx, f.admin, other.ID)
		if len(all) != 1 || all[0].Revoked() {
			t.Errorf("the other user's token: %+v", all)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM audit_log WHERE entity = 'api_token' AND action = 'revoke' AND entity_id = $1`, def.ID); n != 1 {
			t.Errorf("own revoke audited %d times", n)
		}
	})
}
