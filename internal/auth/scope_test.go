package auth_test

import (
	"context"
	"fmt"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
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
	ctx := context.Background()
	add := func(parent any, level, code, parentPath string) (int64, string) {
		var id int64
		if err := d.QueryRowContext(ctx, `INSERT INTO committees (parent_id, level, name, code, path, created_at)
			VALUES ($1, $2, $3, $4, '', $5) RETURNING id`, parent, level, code+"政协", code, db.Now()).Scan(&id); err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("%s%d/", parentPath, id)
		if _, err := d.ExecContext(ctx, `UPDATE committees SET path = $1 WHERE id = $2`, path, id); err != nil {
			t.Fatal(err)
		}
		return id, path
	}
	var f scopeFixture
	var prefPath string
	f.pref, prefPath = add(nil, "prefecture", "5303", "/")
	f.a, _ = add(f.pref, "county", "530325", prefPath)
	f.b, _ = add(f.pref, "county", "530326", prefPath)
	return f
}
