package web

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// nonAdmins are the logins that must never reach the admin pages of county A.
var nonAdmins = []string{"staff", "proposal_office", "member", "unit", "leader", "assistance", "other_member", "prefecture"}

// TestPermissionsPlatform tries, for every login, what it must be refused on
// the platform pages (accounts, tokens, audit) and what it may do.
// Areas add their own tables in their own *_test.go files with runPermCases.
func TestPermissionsPlatform(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		userA := fmt.Sprintf("/admin/users/%d", h.Users["staff"])
		userB := fmt.Sprintf("/admin/users/%d", h.Users["other_member"])
		userPref := fmt.Sprintf("/admin/users/%d", h.Users["prefecture"])
		tokA, _, err := h.Server.Auth.CreateToken(t.Context(), h.actor("admin"), h.Users["staff"], "a")
		if err != nil {
			t.Fatal(err)
		}
		revokeA := fmt.Sprintf("/admin/tokens/%d/revoke", tokA.ID)
		newUser := url.Values{"username": {"intruder"}, "display_name": {"x"}, "password": {"long-enough-pw"}, "roles": {"admin"}}
		edit := url.Values{"display_name": {"x"}, "roles": {"admin"}, "version": {"1"}}
		reset := url.Values{"password": {"hijacked-password"}}

		adminGets := []string{"/admin", "/admin/users/new", userA, "/admin/tokens", "/admin/audit"}
		adminPosts := []struct {
			path string
			form url.Values
		}{
			{"/admin/users", newUser}, {userA, edit}, {userA + "/password", reset}, {userA + "/disable", nil},
			{userA + "/enable", nil}, {userA + "/tokens", url.Values{"name": {"steal"}}}, {revokeA, nil}, {"/admin/audit/verify", nil},
		}
		var cases []permCase
		// Anonymous: pages send to /login, posts are 401.
		for _, p := range adminGets {
			cases = append(cases, permCase{"anon", "GET", p, nil, http.StatusSeeOther})
		}
		for _, p := range adminPosts {
			cases = append(cases, permCase{"anon", "POST", p.path, p.form, http.StatusUnauthorized})
		}
		cases = append(cases, permCase{"anon", "GET", "/account/password", nil, http.StatusSeeOther},
			permCase{"anon", "POST", "/account/password", url.Values{"current": {"x"}, "password": {"y"}, "confirm": {"y"}}, http.StatusUnauthorized})
		// Logged in without the admin role (including county B's member and the prefecture): forbidden.
		for _, role := range nonAdmins {
			for _, p := range adminGets {
				cases = append(cases, permCase{role, "GET", p, nil, http.StatusForbidden})
			}
			for _, p := range adminPosts {
				cases = append(cases, permCase{role, "POST", p.path, p.form, http.StatusForbidden})
			}
		}
		// County B's administrator (holding every office role): county A's records do not exist.
		for _, p := range adminPosts {
			if p.path == "/admin/users" || p.path == "/admin/audit/verify" {
				continue // these act in the caller's own committee
			}
			cases = append(cases, permCase{"other_admin", "POST", p.path, p.form, http.StatusNotFound})
		}
		cases = append(cases, permCase{"other_admin", "GET", userA, nil, http.StatusNotFound})
		// County A's administrator: county B's and the prefecture's users do not exist either.
		for _, p := range []string{userB, userPref} {
			cases = append(cases,
				permCase{"admin", "GET", p, nil, http.StatusNotFound},
				permCase{"admin", "POST", p, edit, http.StatusNotFound},
				permCase{"admin", "POST", p + "/password", reset, http.StatusNotFound},
				permCase{"admin", "POST", p + "/disable", nil, http.StatusNotFound},
				permCase{"admin", "POST", p + "/tokens", url.Values{"name": {"x"}}, http.StatusNotFound})
		}
		cases = append(cases, permCase{"admin", "GET", "/admin/users/999999", nil, http.StatusNotFound})

		// What each may do: every login reaches its own pages.
		for _, role := range harnessRoles[1:] {
			cases = append(cases, permCase{role, "GET", "/consult", nil, http.StatusOK},
				permCase{role, "GET", "/account/password", nil, http.StatusOK})
		}
		for _, p := range adminGets {
			cases = append(cases, permCase{"admin", "GET", p, nil, http.StatusOK})
		}
		cases = append(cases,
			permCase{"other_admin", "GET", "/admin", nil, http.StatusOK},
			permCase{"other_admin", "GET", userB, nil, http.StatusOK},
			permCase{"admin", "POST", "/admin/audit/verify", nil, http.StatusOK},
			permCase{"admin", "POST", userA + "/tokens", url.Values{"name": {"ok"}}, http.StatusOK},
			permCase{"admin", "POST", userA + "/disable", nil, http.StatusSeeOther},
			permCase{"admin", "POST", "/admin/users", url.Values{"username": {"newcomer"}, "display_name": {"x"}, "password": {"long-enough-pw"}, "roles": {"staff"}}, http.StatusSeeOther},
		)
		runPermCases(t, h, cases)
	})
}
