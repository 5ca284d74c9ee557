package api

import (
	"fmt"
	"testing"

	"lvzhi/internal/account"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestUsersAPI: accounts and tokens through the API. Only the committee's
// administrators list, create, change, disable and reset; another committee's
// accounts are not found; a disabled account's token stops working; a
// created token's secret is answered once and works; every user changes their
// own password and revokes only their own tokens.
func TestUsersAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		h.api.deps.Auth.Passwords = account.FastPasswordParams
		f := h.f
		adminB := h.newActor(f.B, "陆良管理员", auth.RoleAdmin)
		person := f.PersonOf[f.NonParty2]
		nu := NewUserBody{Username: "wu.dangwai", DisplayName: "吴党外", Password: "Wu-2026-secret!", Roles: []string{"member"}, PersonID: person}

		users := h.rows("users")
		for _, who := range []string{"staff", "member", "unit", "proposal_office", "leader", "assistance", "other_staff", "prefecture"} {
			h.want(h.json(h.actor(who), "GET", "/users", nil), 403)
			h.want(h.json(h.actor(who), "POST", "/users", nu), 403)
			h.want(h.json(h.actor(who), "GET", "/tokens", nil), 403)
			h.want(h.json(h.actor(who), "GET", fmt.Sprintf("/users/%d", f.Staff.UserID), nil), 403)
		}
		h.want(h.json(nil, "GET", "/users", nil), 401)
		e := h.want(h.json(f.Admin, "POST", "/users", NewUserBody{Username: "X Y", DisplayName: "x", Password: "short", Roles: []string{"member"}}), 422).apiError(t)
		for _, field := range []string{"username", "password", "person_id"} {
			if !hasField(e, field) {
				t.Errorf("create refused without naming %s: %+v", field, e.Fields)
			}
		}
		if n := h.rows("users"); n != users {
			t.Fatalf("refused accounts stored: %d → %d", users, n)
		}

		var u account.User
		h.want(h.json(f.Admin, "POST", "/users", nu), 201).decode(t, &u)
		if u.Username != "wu.dangwai" || u.PersonID != person || u.CommitteeID != f.A || !u.Has(auth.RoleMember) {
			t.Fatalf("created %+v", u)
		}
		h.want(h.json(f.Admin, "POST", "/users", nu), 422) // the username is taken
		path := fmt.Sprintf("/users/%d", u.ID)
		h.want(h.json(adminB, "GET", path, nil), 404)
		h.want(h.json(adminB, "POST", path+"/disable", nil), 404)
		h.want(h.json(adminB, "POST", path+"/tokens", TokenBody{Name: "x"}), 404)

		var list UserList
		h.want(h.json(f.Admin, "GET", "/users?role=member&q=wu", nil), 200).decode(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != u.ID || list.HasNext {
			t.Fatalf("list %+v", list)
		}
		h.want(h.json(f.Admin, "GET", "/users?role=king", nil), 400)

		ch := UserBody{DisplayName: "吴委员", Roles: []string{"member", "leader"}, PersonID: person, Lang: "en", Version: u.Version}
		h.want(h.json(f.Staff, "PUT", path, ch), 403)
		h.want(h.json(f.Admin, "PUT", path, ch), 200).decode(t, &u)
		if u.DisplayName != "吴委员" || !u.Has(auth.RoleLeader) || u.Lang != "en" {
			t.Fatalf("changed %+v", u)
		}
		h.want(h.json(f.Admin, "PUT", path, ch), 409) // the version read is stale now

		// A token for the account: its secret is answered once and works.
		h.want(h.json(f.Staff, "POST", path+"/tokens", TokenBody{Name: "系统对接"}), 403)
		h.want(h.json(f.Admin, "POST", path+"/tokens", TokenBody{Name: "x", Days: 400}), 422)
		var nt NewToken
		h.want(h.json(f.Admin, "POST", path+"/tokens", TokenBody{Name: "系统对接"}), 201).decode(t, &nt)
		if nt.Secret == "" || nt.Token.UserID != u.ID || nt.Token.ExpiresAt.Sub(nt.Token.CreatedAt).Hours() != 24*account.DefaultTokenDays {
			t.Fatalf("token %+v", nt)
		}
		wu := &auth.Actor{UserID: u.ID, CommitteeID: f.A}
		h.tokens[wu] = nt.Secret
		var me Me
		h.want(h.json(wu, "GET", "/me", nil), 200).decode(t, &me)
		if me.UserID != u.ID {
			t.Fatalf("me %+v", me)
		}
		var tl TokenList
		h.want(h.json(f.Admin, "GET", path+"/tokens", nil), 200).decode(t, &tl)
		if len(tl.Items) != 1 || tl.Items[0].ID != nt.Token.ID {
			t.Fatalf("user's tokens %+v", tl)
		}
		h.want(h.json(f.Admin, "GET", "/tokens", nil), 200).decode(t, &tl)
		if len(tl.Items) < 2 {
			t.Fatalf("committee tokens %+v", tl)
		}

		// Disable: the token stops; enable: it works again. Admins cannot disable themselves.
		h.want(h.json(f.Staff, "POST", path+"/disable", nil), 403)
		h.want(h.json(f.Admin, "POST", fmt.Sprintf("/users/%d/disable", f.Admin.UserID), nil), 409)
		h.want(h.json(f.Admin, "POST", path+"/disable", nil), 204)
		h.want(h.json(wu, "GET", "/me", nil), 401)
		h.want(h.json(f.Admin, "GET", path, nil), 200).decode(t, &u)
		if !u.Disabled {
			t.Fatalf("not disabled: %+v", u)
		}
		h.want(h.json(f.Admin, "POST", path+"/enable", nil), 204)
		h.want(h.json(wu, "GET", "/me", nil), 200)

		// Passwords: an administrator resets (generated when none is given); the
		// user changes their own, given the current one.
		h.want(h.json(f.Staff, "POST", path+"/password", PasswordBody{}), 403)
		h.want(h.json(f.Admin, "POST", path+"/password", PasswordBody{Password: "123"}), 422)
		var pr PasswordResult
		h.want(h.json(f.Admin, "POST", path+"/password", PasswordBody{}), 200).decode(t, &pr)
		if len(pr.Generated) < account.MinPasswordLen {
			t.Fatalf("generated %q", pr.Generated)
		}
		h.want(h.json(f.Admin, "POST", path+"/password", PasswordBody{Password: "Chosen-2026-pw!"}), 200).decode(t, &pr)
		if pr.Generated != "" {
			t.Fatalf("a chosen password answered %q", pr.Generated)
		}
		e = h.want(h.json(wu, "POST", "/me/password", OwnPasswordBody{Current: pr.Generated + "wrong", Password: "New-2026-pw-ok!"}), 422).apiError(t)
		if !hasField(e, "current") {
			t.Fatalf("wrong current %+v", e.Fields)
		}
		h.want(h.json(wu, "POST", "/me/password", OwnPasswordBody{Current: "Chosen-2026-pw!", Password: "New-2026-pw-ok!"}), 204)
		if _, _, err := h.api.deps.Auth.Login(t.Context(), "wu.dangwai", "New-2026-pw-ok!", "127.0.0.1", "test"); err != nil {
			t.Fatalf("login with the new password: %v", err)
		}

		// Own tokens: another user's is not found; one's own is revoked.
		h.want(h.json(f.MemberParty, "DELETE", fmt.Sprintf("/me/tokens/%d", nt.Token.ID), nil), 404)
		h.want(h.json(f.MemberParty, "DELETE", fmt.Sprintf("/tokens/%d", nt.Token.ID), nil), 403)
		h.want(h.json(wu, "GET", "/me", nil), 200)
		h.want(h.json(wu, "DELETE", fmt.Sprintf("/me/tokens/%d", nt.Token.ID), nil), 204)
		h.want(h.json(wu, "GET", "/me", nil), 401)

		// An administrator revokes any token of the committee, none of another.
		var mine []account.Token
		h.want(h.json(f.MemberParty, "GET", "/me/tokens", nil), 200).decode(t, &mine)
		h.want(h.json(adminB, "DELETE", fmt.Sprintf("/tokens/%d", mine[0].ID), nil), 404)
		h.want(h.json(f.MemberParty, "GET", "/me", nil), 200)
		h.want(h.json(f.Admin, "DELETE", fmt.Sprintf("/tokens/%d", mine[0].ID), nil), 204)
		h.want(h.json(f.MemberParty, "GET", "/me", nil), 401)
	})
}
