package org

import (
	"context"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestMemberChoicesMatch: the member list's filter choices are Terms, Sectors
// and Groups without their counts, in the same order; refused as those are.
func TestMemberChoicesMatch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		for _, a := range []*auth.Actor{f.actor(auth.RoleStaff), f.actor(auth.RoleLeader), f.prefActor(auth.RoleStaff)} {
			c, err := f.s.MemberChoices(ctx, a, f.fuyuan.ID)
			if err != nil {
				t.Fatal(err)
			}
			terms := must[[]Term](t)(f.s.Terms(ctx, a, f.fuyuan.ID))
			sectors := must[[]Sector](t)(f.s.Sectors(ctx, a, f.fuyuan.ID))
			groups := must[[]Group](t)(f.s.Groups(ctx, a, f.fuyuan.ID))
			if len(c.Terms) != len(terms) || len(c.Sectors) != len(sectors) || len(c.Groups) != len(groups) || len(sectors) < 2 || len(groups) < 2 {
				t.Fatalf("choices %d/%d/%d, lists %d/%d/%d", len(c.Terms), len(c.Sectors), len(c.Groups), len(terms), len(sectors), len(groups))
			}
			for i := range terms {
				if c.Terms[i] != terms[i] {
					t.Errorf("term %d: %+v, want %+v", i, c.Terms[i], terms[i])
				}
			}
			for i, x := range sectors {
				x.Members = 0
				if c.Sectors[i] != x {
					t.Errorf("sector %d: %+v, want %+v", i, c.Sectors[i], x)
				}
			}
			for i, g := range groups {
				g.Members = 0
				if c.Groups[i] != g {
					t.Errorf("group %d: %+v, want %+v", i, c.Groups[i], g)
				}
			}
		}
		if _, err := f.s.MemberChoices(ctx, f.luoActor(auth.RoleStaff), f.fuyuan.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("a sibling county's staff: %v", err)
		}
		if _, err := f.s.MemberChoices(ctx, nil, f.fuyuan.ID); err == nil {
			t.Error("no actor: allowed")
		}
	})
}
