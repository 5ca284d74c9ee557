package demo_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/demo"
	"lvzhi/internal/org"
	"lvzhi/internal/secret"
)

func TestSeed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		box, err := secret.FromBase64(secret.NewKey())
		if err != nil {
			t.Fatal(err)
		}
		res, err := demo.Seed(ctx, d, box)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Seeded || len(res.Logins) != len(auth.AllRoles) {
			t.Fatalf("seeded=%v, %d logins", res.Seeded, len(res.Logins))
		}
		svc := auth.NewService(d)
		var staff *auth.Actor
		seen := map[auth.Role]bool{}
		for _, l := range res.Logins {
			_, a, err := svc.Login(ctx, l.Username, l.Password, "127.0.0.1", "test")
			if err != nil {
				t.Fatalf("login %s: %v", l.Username, err)
			}
			if !slices.Equal(a.Roles, []auth.Role{l.Role}) || a.CommitteeID != res.CommitteeID || a.Name != l.Name || l.Name == "" {
				t.Errorf("%s: actor %+v, login %+v", l.Username, a, l)
			}
			if (l.Role == auth.RoleMember) != (a.PersonID != 0) || (l.Role == auth.RoleUnit) != (a.UnitID != 0) {
				t.Errorf("%s: person %d unit %d", l.Username, a.PersonID, a.UnitID)
			}
			if _, _, err := svc.Login(ctx, l.Username, l.Password+"x", "127.0.0.2", "test"); err == nil {
				t.Errorf("%s: wrong password accepted", l.Username)
			}
			seen[l.Role] = true
			if l.Role == auth.RoleStaff {
				staff = a
			}
		}
		if len(seen) != len(auth.AllRoles) {
			t.Errorf("roles covered: %v", seen)
		}
		// The organisation service reads the seeded committee: the current term is
		// 第九届 with session 九届二次 in 2018, ~300 members, sectors and units.
		o := org.NewService(d)
		o.Secret = box
		term, err := o.CurrentTerm(ctx, staff, res.CommitteeID)
		if err != nil || term.Name != "第九届" {
			t.Fatalf("current term %+v: %v", term, err)
		}
		sessions, err := o.Sessions(ctx, staff, res.CommitteeID, term.ID)
		if err != nil || !slices.ContainsFunc(sessions, func(s org.Session) bool { return s.Name == "九届二次" && s.Year == 2018 }) {
			t.Errorf("sessions %+v: %v", sessions, err)
		}
		page, err := o.ListMembers(ctx, staff, res.CommitteeID, org.MemberFilter{})
		if err != nil || page.Total != 300 || len(page.Members) != 50 {
			t.Fatalf("members: total %d, page %d: %v", page.Total, len(page.Members), err)
		}
		m := page.Members[0]
		if m.Name == "" || m.SectorName == "" || len(m.Groups) == 0 || !strings.Contains(m.IDMasked, "*") {
			t.Errorf("member as the service sees it: %+v", m)
		}
		sectors, err := o.Sectors(ctx, staff, res.CommitteeID)
		if err != nil || len(sectors) < 25 {
			t.Fatalf("sectors: %d, %v", len(sectors), err)
		}
		bySector, err := o.ListMembers(ctx, staff, res.CommitteeID, org.MemberFilter{SectorID: sectors[0].ID})
		if err != nil || bySector.Total == 0 || bySector.Total >= 300 {
			t.Errorf("members of %s: %d, %v", sectors[0].Name, bySector.Total, err)
		}
		// A second run keeps the data and reports the same logins.
		again, err := demo.Seed(ctx, d, box)
		if err != nil || again.Seeded || again.CommitteeID != res.CommitteeID || !slices.Equal(again.Logins, res.Logins) {
			t.Errorf("second seed: %+v, %v", again, err)
		}
	})
}
