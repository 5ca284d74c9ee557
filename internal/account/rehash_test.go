package account_test

import (
	"context"
	"strings"
	"testing"

	"lvzhi/internal/account"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestLoginUpgradesOldHash: a hash made with other argon2id parameters (the
// 64 MiB of earlier versions) is replaced at the next successful login, audited
// without the hash, without bumping the user's version; a failed login changes nothing.
func TestLoginUpgradesOldHash(t *testing.T) {
	p := account.FastPasswordParams
	if account.NeedsRehash(mustHash(t, "some password", p), p) || !account.NeedsRehash("!", p) {
		t.Fatal("NeedsRehash on current params or a disabled hash")
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := context.Background()
		u := f.create(t, f.admin, account.NewUser{Username: "wang", DisplayName: "王五", Password: "wang-password", Roles: []auth.Role{auth.RoleStaff}})
		old := mustHash(t, "wang-password", account.PasswordParams{Time: 1, Memory: 128, Threads: 2, KeyLen: 32, SaltLen: 16})
		if _, err := d.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, old, u.ID); err != nil {
			t.Fatal(err)
		}
		hashOf := func() string {
			var h string
			if err := d.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = $1`, u.ID).Scan(&h); err != nil {
				t.Fatal(err)
			}
			return h
		}
		if _, _, err := f.s.Login(ctx, "wang", "wrong-password", "10.0.0.1", ""); err == nil || hashOf() != old {
			t.Fatalf("failed login: %v, hash changed: %v", err, hashOf() != old)
		}
		if _, _, err := f.s.Login(ctx, "wang", "wang-password", "10.0.0.1", ""); err != nil {
			t.Fatal(err)
		}
		h := hashOf()
		if h == old || account.NeedsRehash(h, p) || !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
			t.Fatalf("hash not upgraded: %q", h)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM audit_log WHERE entity = 'user' AND entity_id = $1 AND action = 'rehash_password'`, u.ID); n != 1 {
			t.Fatalf("rehash audited %d times", n)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%argon2%' OR after_json LIKE '%wang-password%'`); n != 0 {
			t.Fatal("password or hash in the audit log")
		}
		if n := f.count(t, `SELECT version FROM users WHERE id = $1`, u.ID); n != u.Version {
			t.Fatalf("version %d, was %d", n, u.Version)
		}
		// The new hash verifies; nothing more to upgrade.
		if _, _, err := f.s.Login(ctx, "wang", "wang-password", "10.0.0.1", ""); err != nil || hashOf() != h {
			t.Fatalf("second login: %v, hash changed: %v", err, hashOf() != h)
		}
	})
}

func mustHash(t *testing.T, pw string, p account.PasswordParams) string {
	t.Helper()
	h, err := account.HashPassword(pw, p)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
