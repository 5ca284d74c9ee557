package auth_test

import (
	"context"
	"fmt"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/fixture"
)

// TestCheckScope pins the one committee-scope decision: own committee by role,
// a higher committee reads (never edits) below it, every other committee is
// not found, and a missing actor is unauthorized.
func TestCheckScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := scopeCommittees(t, d)
		var prefPath string
		if err := d.QueryRowContext(ctx, `SELECT path FROM committees WHERE id = $1`, f.pref).Scan(&prefPath); err != nil {
			t.Fatal(err)
		}
		in := func(committee int64, path string, roles ...auth.Role) *auth.Actor {
			return &auth.Actor{CommitteeID: committee, CommitteePath: path, Roles: roles}
		}
		aPath := fmt.Sprintf("%s%d/", prefPath, f.a)
		staffA := in(f.a, aPath, auth.RoleStaff)
		memberA := in(f.a, aPath, auth.RoleMember)
		prefStaff := in(f.pref, prefPath, auth.RoleStaff)
		prefUnit := in(f.pref, prefPath, auth.RoleUnit)
		cases := []struct {
			name      string
			actor     *auth.Actor
			action    auth.Action
			committee int64
			want      apperr.Code
		}{
			{"own committee, granted", staffA, auth.EditOrg, f.a, ""},
			{"own committee, not granted", memberA, auth.ViewOrg, f.a, apperr.Forbidden},
			{"sibling committee", staffA, auth.ViewOrg, f.b, apperr.NotFound},
			{"sibling committee, not granted either", memberA, auth.EditOrg, f.b, apperr.NotFound},
			{"higher committee from below", staffA, auth.ViewOrg, f.pref, apperr.NotFound},
			{"higher committee reads down", prefStaff, auth.ViewOrg, f.a, ""},
			{"higher committee never edits down", prefStaff, auth.EditOrg, f.a, apperr.Forbidden},
			{"higher committee without a reading role", prefUnit, auth.ViewOrg, f.a, apperr.NotFound},
			{"no such committee", staffA, auth.ViewOrg, 999999, apperr.NotFound},
			{"no actor", nil, auth.ViewOrg, f.a, apperr.Unauthorized},
		}
		for _, c := range cases {
			sc, err := auth.CheckScope(ctx, d, c.actor, c.action, c.committee)
			if got := apperr.CodeOf(err); got != c.want {
				t.Errorf("%s: %v, want %q", c.name, err, c.want)
			}
			if err == nil && (sc.ID != c.committee || sc.Path != aPath) {
				t.Errorf("%s: scope %+v", c.name, sc)
			}
		}
	})
}

// scopeFixture is a prefecture with two counties below it.
type scopeFixture struct{ pref, a, b int64 }

func scopeCommittees(t *testing.T, d *db.DB) scopeFixture {
	t.Helper()
	w := fixture.New(t, d)
	pref := w.Root("prefecture", "曲靖市政协", "5303")
	return scopeFixture{pref: pref.ID, a: w.Child(pref, "county", "富源县政协", "530325").ID,
		b: w.Child(pref, "county", "罗平县政协", "530324").ID}
}
