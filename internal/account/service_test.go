package account_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"lvzhi/internal/account"
	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// fixture is two counties under a prefecture, each with a person and a unit.
type fixture struct {
	s              *account.Service
	d              *db.DB
	pref, a, b     int64
	personA, unitA int64
	personB, unitB int64
	admin          *auth.Actor // admin of county A
	clock          time.Time
}

func setup(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{d: d, s: account.NewService(d), clock: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}
	f.s.Passwords = account.FastPasswordParams
	f.s.Now = func() time.Time { return f.clock }
	ins := func(q string, args ...any) int64 {
		var id int64
		if err := d.QueryRowContext(ctx, q+" RETURNING id", args...).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	committee := func(parent any, level, code, parentPath string) (int64, string) {
		id := ins(`INSERT INTO committees (parent_id, level, name, code, path, created_at) VALUES ($1, $2, $3, $4, '', $5)`, parent, level, code+"政协", code, db.Now())
		path := fmt.Sprintf("%s%d/", parentPath, id)
		if _, err := d.ExecContext(ctx, `UPDATE committees SET path = $1 WHERE id = $2`, path, id); err != nil {
			t.Fatal(err)
		}
		return id, path
	}
	var prefPath string
	f.pref, prefPath = committee(nil, "prefecture", "P", "/")
	f.a, _ = committee(f.pref, "county", "A", prefPath)
	f.b, _ = committee(f.pref, "county", "B", prefPath)
	for _, c := range []struct {
		committee    int64
		person, unit *int64
	}{{f.a, &f.personA, &f.unitA}, {f.b, &f.personB, &f.unitB}} {
		*c.person = ins(`INSERT INTO people (committee_id, name, created_at, updated_at) VALUES ($1, '张三', $2, $2)`, c.committee, db.Now())
		*c.unit = ins(`INSERT INTO units (committee_id, name, kind, created_at) VALUES ($1, '教育局', 'government', $2)`, c.committee, db.Now())
	}
	u := f.create(t, auth.System(f.a), account.NewUser{Username: "Admin", DisplayName: "管理员", Password: "admin-password-1", Roles: []auth.Role{auth.RoleAdmin}})
	f.admin = f.actorOf(t, u.ID)
	return f
}

func (f *fixture) create(t *testing.T, actor *auth.Actor, in account.NewUser) account.User {
	t.Helper()
	u, err := f.s.CreateUser(context.Background(), actor, in)
	if err != nil {
		t.Fatalf("create %s: %v", in.Username, err)
	}
	return u
}

func (f *fixture) actorOf(t *testing.T, userID int64) *auth.Actor {
	t.Helper()
	secret, err := f.s.CreateSession(context.Background(), userID, "", "")
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.s.ActorFromSession(context.Background(), secret)
	if err != nil || a == nil {
		t.Fatalf("actor %d: %v %v", userID, a, err)
	}
	return a
}

func (f *fixture) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := f.d.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// snapshot is every row the account tables hold, to prove a refusal changed nothing.
func (f *fixture) snapshot(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT id, username, display_name, password_hash, COALESCE(person_id,0), COALESCE(unit_id,0), disabled, version FROM users ORDER BY id`,
		`SELECT user_id, committee_id, role FROM user_roles ORDER BY user_id, role`,
		`SELECT token_hash FROM login_sessions ORDER BY token_hash`,
		`SELECT id, name, revoked_at IS NULL FROM api_tokens ORDER BY id`,
		`SELECT committee_id, seq FROM audit_log ORDER BY committee_id, seq`,
	} {
		rows, err := f.d.QueryContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, vals...)
		}
		rows.Close()
	}
	return b.String()
}

func fieldsOf(err error) map[string]string {
	out := map[string]string{}
	if e := apperr.As(err); e != nil {
		for _, fe := range e.Fields {
			out[fe.Field] = fe.Key
		}
	}
	return out
}

func TestPasswordHashing(t *testing.T) {
	h, err := account.HashPassword("correct horse", account.FastPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") || strings.Contains(h, "correct") {
		t.Fatalf("encoding %q", h)
	}
	h2, _ := account.HashPassword("correct horse", account.FastPasswordParams)
	if h == h2 {
		t.Fatal("same salt twice")
	}
	if !account.CheckPassword(h, "correct horse") || account.CheckPassword(h, "correct horsE") || account.CheckPassword(h, "") {
		t.Fatal("check")
	}
	for _, bad := range []string{"", "!", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		strings.Replace(h, "m=64", "m=999999999", 1), h[:len(h)-10]} {
		if account.CheckPassword(bad, "correct horse") {
			t.Fatalf("malformed hash %q accepted", bad)
		}
	}
	// Params travel with the hash: a hash made with other params still verifies.
	old, _ := account.HashPassword("pw-old-params", account.PasswordParams{Time: 2, Memory: 128, Threads: 2, KeyLen: 32, SaltLen: 16})
	if !account.CheckPassword(old, "pw-old-params") {
		t.Fatal("other params")
	}
	if account.PasswordProblem("short") == "" || account.PasswordProblem("          ") == "" || account.PasswordProblem("长度足够的中文密码十个字") != "" {
		t.Fatal("length rule")
	}
	if g := account.GeneratePassword(); account.PasswordProblem(g) != "" || g == account.GeneratePassword() {
		t.Fatalf("generated %q", g)
	}
}

func TestCreateUserValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := context.Background()
		ok := account.NewUser{Username: "wang", DisplayName: "王芳", Password: "long-enough-pw", Roles: []auth.Role{auth.RoleStaff}}
		cases := []struct {
			name   string
			edit   func(u *account.NewUser)
			fields map[string]string
		}{
			{"empty username", func(u *account.NewUser) { u.Username = " " }, map[string]string{"username": "err.required"}},
			{"bad username", func(u *account.NewUser) { u.Username = "王 芳" }, map[string]string{"username": "err.auth.username_invalid"}},
			{"taken username", func(u *account.NewUser) { u.Username = "ADMIN" }, map[string]string{"username": "err.auth.username_taken"}},
			{"short password", func(u *account.NewUser) { u.Password = "short" }, map[string]string{"password": "err.auth.password_short"}},
			{"no name", func(u *account.NewUser) { u.DisplayName = "" }, map[string]string{"display_name": "err.required"}},
			{"no roles", func(u *account.NewUser) { u.Roles = nil }, map[string]string{"roles": "err.auth.roles_required"}},
			{"bad role", func(u *account.NewUser) { u.Roles = []auth.Role{"root"} }, map[string]string{"roles": "err.auth.role_invalid"}},
			{"member without person", func(u *account.NewUser) { u.Roles = []auth.Role{auth.RoleMember} }, map[string]string{"person_id": "err.auth.member_needs_person"}},
			{"unit without unit", func(u *account.NewUser) { u.Roles = []auth.Role{auth.RoleUnit} }, map[string]string{"unit_id": "err.auth.unit_needs_unit"}},
			{"foreign person", func(u *account.NewUser) { u.Roles = []auth.Role{auth.RoleMember}; u.PersonID = f.personB }, map[string]string{"person_id": "err.auth.person_invalid"}},
			{"foreign unit", func(u *account.NewUser) { u.Roles = []auth.Role{auth.RoleUnit}; u.UnitID = f.unitB }, map[string]string{"unit_id": "err.auth.unit_invalid"}},
		}
		for _, c := range cases {
			before := f.snapshot(t)
			in := ok
			c.edit(&in)
			_, err := f.s.CreateUser(ctx, f.admin, in)
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("%s: err %v", c.name, err)
			}
			got := fieldsOf(err)
			for k, v := range c.fields {
				if got[k] != v {
					t.Errorf("%s: field %s = %q, want %q (all %v)", c.name, k, got[k], v, got)
				}
			}
			if f.snapshot(t) != before {
				t.Errorf("%s: database changed", c.name)
			}
		}
		// Refused roles: only admins manage users.
		for _, r := range auth.AllRoles[1:] {
			u := f.create(t, f.admin, account.NewUser{Username: "r_" + string(r), DisplayName: "x", Password: "long-enough-pw",
				Roles: []auth.Role{r}, PersonID: map[bool]int64{true: f.personA}[r == auth.RoleMember],
				UnitID: map[bool]int64{true: f.unitA}[r == auth.RoleUnit]})
			a := f.actorOf(t, u.ID)
			before := f.snapshot(t)
			if _, err := f.s.CreateUser(ctx, a, ok); apperr.CodeOf(err) != apperr.Forbidden {
				t.Errorf("%s created a user: %v", r, err)
			}
			if _, _, err := f.s.ListUsers(ctx, a, account.UserFilter{}); apperr.CodeOf(err) != apperr.Forbidden {
				t.Errorf("%s listed users: %v", r, err)
			}
			if err := f.s.ResetPassword(ctx, a, f.admin.UserID, "another-password"); apperr.CodeOf(err) != apperr.Forbidden {
				t.Errorf("%s reset a password: %v", r, err)
			}
			if f.snapshot(t) != before {
				t.Errorf("%s: database changed", r)
			}
		}
		if _, err := f.s.CreateUser(ctx, nil, ok); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("nil actor: %v", err)
		}
		// The member link is one account per person.
		_, err := f.s.CreateUser(ctx, f.admin, account.NewUser{Username: "m2", DisplayName: "x", Password: "long-enough-pw", Roles: []auth.Role{auth.RoleMember}, PersonID: f.personA})
		if fieldsOf(err)["person_id"] != "err.auth.person_taken" {
			t.Errorf("second account for a person: %v", err)
		}
	})
}

func TestUserLifecycleAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := context.Background()
		u := f.create(t, f.admin, account.NewUser{Username: " Li.Si ", DisplayName: "李四", Password: "first-password", Roles: []auth.Role{auth.RoleStaff, auth.RoleStaff}})
		if u.Username != "li.si" || u.CommitteeID != f.a || len(u.Roles) != 1 || u.Version != 1 {
			t.Fatalf("created %+v", u)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM audit_log WHERE entity = 'user' AND entity_id = $1 AND action = 'create'`, u.ID); n != 1 {
			t.Fatalf("create audited %d times", n)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%argon2%' OR before_json LIKE '%argon2%' OR after_json LIKE '%first-password%'`); n != 0 {
			t.Fatal("password or hash in the audit log")
		}
		// Update roles with optimistic locking.
		u2, err := f.s.UpdateUser(ctx, f.admin, u.ID, u.Version, account.UserChange{DisplayName: "李四", Roles: []auth.Role{auth.RoleStaff, auth.RoleLeader}})
		if err != nil || len(u2.Roles) != 2 || u2.Version != 2 {
			t.Fatalf("update %+v %v", u2, err)
		}
		if _, err := f.s.UpdateUser(ctx, f.admin, u.ID, u.Version, account.UserChange{DisplayName: "x", Roles: []auth.Role{auth.RoleStaff}}); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("stale version: %v", err)
		}
		// The admin cannot lock themselves out.
		if _, err := f.s.UpdateUser(ctx, f.admin, f.admin.UserID, 1, account.UserChange{DisplayName: "x", Roles: []auth.Role{auth.RoleStaff}}); fieldsOf(err)["roles"] != "err.auth.self_lockout" {
			t.Fatalf("self lockout: %v", err)
		}
		if err := f.s.SetDisabled(ctx, f.admin, f.admin.UserID, true); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("self disable: %v", err)
		}
		// Login, then disable: the session dies and login is refused.
		secret, a, err := f.s.Login(ctx, "LI.SI", "first-password", "10.0.0.1", "test")
		if err != nil || a.UserID != u.ID || !a.Has(auth.RoleLeader) || a.CommitteeID != f.a {
			t.Fatalf("login %v %+v", err, a)
		}
		if err := f.s.SetDisabled(ctx, f.admin, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if a, _ := f.s.ActorFromSession(ctx, secret); a != nil {
			t.Fatal("session survived disabling")
		}
		if _, _, err := f.s.Login(ctx, "li.si", "first-password", "10.0.0.1", ""); apperr.As(err) == nil || apperr.As(err).Key != "err.auth.disabled" {
			t.Fatalf("disabled login: %v", err)
		}
		if err := f.s.SetDisabled(ctx, f.admin, u.ID, false); err != nil {
			t.Fatal(err)
		}
		// Reset: old password stops working, sessions end.
		secret, _, _ = f.s.Login(ctx, "li.si", "first-password", "10.0.0.1", "")
		if err := f.s.ResetPassword(ctx, f.admin, u.ID, "x"); fieldsOf(err)["password"] != "err.auth.password_short" {
			t.Fatalf("short reset: %v", err)
		}
		if err := f.s.ResetPassword(ctx, f.admin, u.ID, "second-password"); err != nil {
			t.Fatal(err)
		}
		if a, _ := f.s.ActorFromSession(ctx, secret); a != nil {
			t.Fatal("session survived reset")
		}
		if _, _, err := f.s.Login(ctx, "li.si", "first-password", "10.0.0.2", ""); !errors.Is(err, account.ErrBadLogin) {
			t.Fatalf("old password: %v", err)
		}
		if _, _, err := f.s.Login(ctx, "li.si", "second-password", "10.0.0.2", ""); err != nil {
			t.Fatalf("new password: %v", err)
		}
		actions := f.count(t, `SELECT COUNT(*) FROM audit_log WHERE entity = 'user' AND entity_id = $1`, u.ID)
		if actions != 5 { // create, update, disable, enable, reset_password; refusals write nothing
			t.Errorf("audit entries for user: %d, want 5", actions)
		}
		for _, act := range []string{"create", "update", "disable", "enable", "reset_password"} {
			if f.count(t, `SELECT COUNT(*) FROM audit_log WHERE entity = 'user' AND entity_id = $1 AND action = $2 AND committee_id = $3`, u.ID, act, f.a) != 1 {
				t.Errorf("action %s not audited once", act)
			}
		}
		if _, probs, err := audit.Verify(ctx, d); err != nil || len(probs) > 0 {
			t.Fatalf("chain %v %v", probs, err)
		}
	})
}

func TestCommitteeScoping(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := context.Background()
		bAdmin := f.actorOf(t, f.create(t, auth.System(f.b), account.NewUser{Username: "badmin", DisplayName: "B", Password: "long-enough-pw", Roles: []auth.Role{auth.RoleAdmin}}).ID)
		prefAdmin := f.actorOf(t, f.create(t, auth.System(f.pref), account.NewUser{Username: "padmin", DisplayName: "P", Password: "long-enough-pw", Roles: []auth.Role{auth.RoleAdmin}}).ID)
		target := f.create(t, f.admin, account.NewUser{Username: "staff1", DisplayName: "S", Password: "long-enough-pw", Roles: []auth.Role{auth.RoleStaff}})
		tok, _, err := f.s.CreateToken(ctx, f.admin, target.ID, "sync")
		if err != nil {
			t.Fatal(err)
		}
		before := f.snapshot(t)
		for name, a := range map[string]*auth.Actor{"county B admin": bAdmin, "prefecture admin": prefAdmin} {
			if _, err := f.s.GetUser(ctx, a, target.ID); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("%s read a county A user: %v", name, err)
			}
			if _, err := f.s.UpdateUser(ctx, a, target.ID, 1, account.UserChange{DisplayName: "x", Roles: []auth.Role{auth.RoleAdmin}}); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("%s edited a county A user: %v", name, err)
			}
			if err := f.s.ResetPassword(ctx, a, target.ID, "hijacked-password"); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("%s reset a county A password: %v", name, err)
			}
			if err := f.s.SetDisabled(ctx, a, target.ID, true); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("%s disabled a county A user: %v", name, err)
			}
			if _, _, err := f.s.CreateToken(ctx, a, target.ID, "steal"); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("%s made a token for a county A user: %v", name, err)
			}
			if err := f.s.RevokeToken(ctx, a, tok.ID); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("%s revoked a county A token: %v", name, err)
			}
			users, _, err := f.s.ListUsers(ctx, a, account.UserFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range users {
				if u.CommitteeID != a.CommitteeID {
					t.Errorf("%s lists %s of committee %d", name, u.Username, u.CommitteeID)
				}
			}
			if toks, _ := f.s.ListTokens(ctx, a, 0); len(toks) != 0 {
				t.Errorf("%s lists county A tokens", name)
			}
		}
		if f.snapshot(t) != before {
			t.Fatal("refused calls changed the database")
		}
	})
}

func TestListUsersSearchAndPaging(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := context.Background()
		for i := range 7 {
			f.create(t, f.admin, account.NewUser{Username: fmt.Sprintf("user%02d", i), DisplayName: fmt.Sprintf("委员%d号", i), Password: "long-enough-pw", Roles: []auth.Role{auth.RoleLeader}})
		}
		page1, more, err := f.s.ListUsers(ctx, f.admin, account.UserFilter{PerPage: 3})
		if err != nil || len(page1) != 3 || !more || page1[0].Username != "admin" {
			t.Fatalf("page1 %v %v %v", page1, more, err)
		}
		page3, more, _ := f.s.ListUsers(ctx, f.admin, account.UserFilter{PerPage: 3, Page: 3})
		if len(page3) != 2 || more {
			t.Fatalf("page3 %d %v", len(page3), more)
		}
		found, _, _ := f.s.ListUsers(ctx, f.admin, account.UserFilter{Query: "3号"})
		if len(found) != 1 || found[0].Username != "user03" {
			t.Fatalf("search by name %v", found)
		}
		found, _, _ = f.s.ListUsers(ctx, f.admin, account.UserFilter{Query: "USER0"})
		if len(found) != 7 {
			t.Fatalf("search by username %d", len(found))
		}
		found, _, _ = f.s.ListUsers(ctx, f.admin, account.UserFilter{Query: "%"})
		if len(found) != 0 {
			t.Fatalf("wildcard not escaped: %d", len(found))
		}
		found, _, _ = f.s.ListUsers(ctx, f.admin, account.UserFilter{Role: auth.RoleAdmin})
		if len(found) != 1 {
			t.Fatalf("role filter %d", len(found))
		}
	})
}

func TestSessionsSlideAndExpire(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := context.Background()
		secret, err := f.s.CreateSession(ctx, f.admin.UserID, "1.2.3.4", "ua")
		if err != nil {
			t.Fatal(err)
		}
		lastSeen := func() time.Time {
			var ts db.Time
			if err := d.QueryRowContext(ctx, `SELECT last_seen_at FROM login_sessions WHERE user_id = $1 ORDER BY last_seen_at DESC LIMIT 1`, f.admin.UserID).Scan(&ts); err != nil {
				t.Fatal(err)
			}
			return ts.Time
		}
		start := f.clock
		f.clock = start.Add(30 * time.Second)
		if a, _ := f.s.ActorFromSession(ctx, secret); a == nil || a.CommitteePath == "" {
			t.Fatal("fresh session")
		}
		if !lastSeen().Equal(start) {
			t.Fatal("last_seen written within a minute")
		}
		f.clock = start.Add(11 * time.Hour)
		f.s.ActorFromSession(ctx, secret)
		if !lastSeen().Equal(f.clock) {
			t.Fatal("last_seen not slid")
		}
		f.clock = f.clock.Add(11 * time.Hour) // 22h after login but 11h idle: alive
		if a, _ := f.s.ActorFromSession(ctx, secret); a == nil {
			t.Fatal("sliding expiry did not extend the session")
		}
		f.clock = f.clock.Add(12*time.Hour + time.Second)
		if a, _ := f.s.ActorFromSession(ctx, secret); a != nil {
			t.Fatal("idle session still alive")
		}
		if n := f.count(t, `SELECT COUNT(*) FROM login_sessions WHERE token_hash <> ''`); n != 1 { // the one setup made for admin
			t.Fatalf("expired session not deleted: %d sessions", n)
		}
		// Stored is only the hash.
		if n := f.count(t, `SELECT COUNT(*) FROM login_sessions WHERE token_hash = $1`, secret); n != 0 {
			t.Fatal("raw secret stored")
		}
		// Logout.
		secret, _ = f.s.CreateSession(ctx, f.admin.UserID, "", "")
		if err := f.s.Logout(ctx, secret); err != nil {
			t.Fatal(err)
		}
		if a, _ := f.s.ActorFromSession(ctx, secret); a != nil {
			t.Fatal("logged-out session alive")
		}
		for _, junk := range []string{"", "nope", strings.Repeat("x", 500)} {
			if a, err := f.s.ActorFromSession(ctx, junk); a != nil || err != nil {
				t.Fatalf("junk %q: %v %v", junk, a, err)
			}
		}
		if n, err := f.s.PurgeExpired(ctx); err != nil || n < 0 {
			t.Fatal(err)
		}
	})
}

func TestActorFromRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := context.Background()
		secret, _ := f.s.CreateSession(ctx, f.admin.UserID, "", "")
		r := httptest.NewRequest("GET", "/", nil)
		if a, _ := f.s.ActorFromRequest(ctx, r); a != nil {
			t.Fatal("anonymous request has an actor")
		}
		r.AddCookie(&http.Cookie{Name: account.SessionCookie, Value: secret})
		if a, _ := f.s.ActorFromRequest(ctx, r); a == nil || a.UserID != f.admin.UserID {
			t.Fatal("cookie not resolved")
		}
		_, tokSecret, err := f.s.CreateToken(ctx, f.admin, f.admin.UserID, "ci")
		if err != nil {
			t.Fatal(err)
		}
		r = httptest.NewRequest("GET", "/api/v1/x", nil)
		r.Header.Set("Authorization", "Bearer "+tokSecret)
		if a, _ := f.s.ActorFromRequest(ctx, r); a == nil || !a.Has(auth.RoleAdmin) {
			t.Fatal("bearer token not resolved")
		}
		r.Header.Set("Authorization", "Basic "+tokSecret)
		if a, _ := f.s.ActorFromRequest(ctx, r); a != nil {
			t.Fatal("basic auth accepted")
		}
	})
}

func TestAPITokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := context.Background()
		staff := f.create(t, f.admin, account.NewUser{Username: "sync", DisplayName: "同步", Password: "long-enough-pw", Roles: []auth.Role{auth.RoleStaff}})
		if _, _, err := f.s.CreateToken(ctx, f.admin, staff.ID, " "); fieldsOf(err)["name"] != "err.auth.token_name_required" {
			t.Fatalf("empty name: %v", err)
		}
		tok, secret, err := f.s.CreateToken(ctx, f.admin, staff.ID, "数据同步")
		if err != nil || !strings.HasPrefix(secret, account.TokenPrefix) || tok.ID == 0 {
			t.Fatalf("%v %q", err, secret)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM audit_log WHERE after_json LIKE $1`, "%"+secret[4:20]+"%"); n != 0 {
			t.Fatal("token secret in the audit log")
		}
		a, err := f.s.ActorFromToken(ctx, secret)
		if err != nil || a == nil || a.UserID != staff.ID || !a.Has(auth.RoleStaff) || a.Has(auth.RoleAdmin) {
			t.Fatalf("token actor %+v %v", a, err)
		}
		toks, _ := f.s.ListTokens(ctx, f.admin, staff.ID)
		if len(toks) != 1 || toks[0].LastUsedAt.IsZero() {
			t.Fatalf("last_used not recorded: %+v", toks)
		}
		// Non-admins cannot revoke; revoke works; revoked tokens resolve to nil.
		sa := f.actorOf(t, staff.ID)
		if err := f.s.RevokeToken(ctx, sa, tok.ID); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("staff revoked: %v", err)
		}
		if _, _, err := f.s.CreateToken(ctx, sa, staff.ID, "x"); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("staff created token: %v", err)
		}
		if err := f.s.RevokeToken(ctx, f.admin, tok.ID); err != nil {
			t.Fatal(err)
		}
		if a, _ := f.s.ActorFromToken(ctx, secret); a != nil {
			t.Fatal("revoked token still works")
		}
		if err := f.s.RevokeToken(ctx, f.admin, tok.ID); err != nil {
			t.Fatal("second revoke", err)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM audit_log WHERE entity = 'api_token' AND entity_id = $1`, tok.ID); n != 2 {
			t.Fatalf("token audit entries %d, want create+revoke", n)
		}
		// A disabled user's token stops working.
		_, secret2, _ := f.s.CreateToken(ctx, f.admin, staff.ID, "second")
		if err := f.s.SetDisabled(ctx, f.admin, staff.ID, true); err != nil {
			t.Fatal(err)
		}
		if a, _ := f.s.ActorFromToken(ctx, secret2); a != nil {
			t.Fatal("disabled user's token works")
		}
		if a, _ := f.s.ActorFromToken(ctx, "lvz_unknown"); a != nil {
			t.Fatal("unknown token")
		}
	})
}

func TestLoginThrottling(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := context.Background()
		f.create(t, f.admin, account.NewUser{Username: "zhao", DisplayName: "赵", Password: "right-password", Roles: []auth.Role{auth.RoleLeader}})
		fail := func(user, ip string) error {
			_, _, err := f.s.Login(ctx, user, "wrong-password", ip, "")
			return err
		}
		// Four failures, a success: the count restarts.
		for range 4 {
			if err := fail("zhao", "10.0.0.1"); !errors.Is(err, account.ErrBadLogin) {
				t.Fatal(err)
			}
		}
		if _, _, err := f.s.Login(ctx, "zhao", "right-password", "10.0.0.1", ""); err != nil {
			t.Fatalf("4 failures then right password: %v", err)
		}
		for range 5 {
			fail("zhao", "10.0.0.2")
		}
		_, _, err := f.s.Login(ctx, "zhao", "right-password", "10.0.0.3", "")
		if apperr.CodeOf(err) != apperr.RateLimited {
			t.Fatalf("6th attempt after 5 failures: %v", err)
		}
		// Other users are unaffected from other addresses.
		if _, _, err := f.s.Login(ctx, "admin", "admin-password-1", "10.0.0.3", ""); err != nil {
			t.Fatalf("other user blocked: %v", err)
		}
		// The block lifts after the window, even though the attacker kept trying.
		f.clock = f.clock.Add(10 * time.Minute)
		fail("zhao", "10.0.0.2")
		f.clock = f.clock.Add(6 * time.Minute)
		if _, _, err := f.s.Login(ctx, "zhao", "right-password", "10.0.0.3", ""); err != nil {
			t.Fatalf("after the window: %v", err)
		}
		// Per IP: 20 failures over many usernames block that address, including for valid users.
		for i := range 20 {
			fail(fmt.Sprintf("nobody%d", i), "10.9.9.9")
		}
		if _, _, err := f.s.Login(ctx, "admin", "admin-password-1", "10.9.9.9", ""); apperr.CodeOf(err) != apperr.RateLimited {
			t.Fatalf("IP not throttled: %v", err)
		}
		// Unknown usernames give the same answer as wrong passwords.
		if err := fail("ghost", "10.0.0.5"); !errors.Is(err, account.ErrBadLogin) {
			t.Fatalf("unknown user: %v", err)
		}
		if _, _, err := f.s.Login(ctx, "", "", "10.0.0.5", ""); len(fieldsOf(err)) != 2 {
			t.Fatalf("empty form: %v", err)
		}
	})
}
