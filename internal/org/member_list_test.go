package org

import (
	"fmt"
	"testing"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

func TestListMembers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		staff := f.actor(auth.RoleStaff)
		for i := 0; i < 25; i++ {
			in := MemberInput{Name: fmt.Sprintf("委员%02d", i), Gender: GenderMale, Phone: fmt.Sprintf("139000000%02d", i),
				SectorID: f.econ.ID, Affiliation: "nonparty", Employer: "富源县医院"}
			if i%5 == 0 {
				in.SectorID, in.Affiliation, in.Standing, in.Employer = f.edu.ID, "cpc", true, "富源一中"
				in.Groups = []GroupRole{{GroupID: f.cttee.ID}}
				in.Positions = []string{"vice_chair"}
			}
			if i == 7 {
				in.Positions, in.Status = []string{"chair"}, "resigned"
			}
			must[Member](t)(f.s.CreateMember(ctx, staff, f.fuyuan.ID, in))
		}
		// A member in the sibling county never shows up.
		luoTerm := must[Term](t)(f.s.CreateTerm(ctx, f.luoActor(auth.RoleAdmin), f.luo.ID, TermInput{Number: 9, StartsOn: "2017-01-01"}))
		luoSec := must[Sector](t)(f.s.CreateSector(ctx, f.luoActor(auth.RoleAdmin), f.luo.ID, SectorInput{Name: "经济界"}))
		must[Member](t)(f.s.CreateMember(ctx, f.luoActor(auth.RoleStaff), f.luo.ID, MemberInput{TermID: luoTerm.ID, Name: "委员99",
			Gender: GenderMale, Phone: "13900000000", SectorID: luoSec.ID, Affiliation: "cpc"}))

		tests := []struct {
			name  string
			f     MemberFilter
			total int
		}{
			{"all", MemberFilter{}, 25},
			{"sector", MemberFilter{SectorID: f.edu.ID}, 5},
			{"group", MemberFilter{GroupID: f.cttee.ID}, 5},
			{"affiliation", MemberFilter{Affiliation: "cpc"}, 5},
			{"position vice_chair (not chair)", MemberFilter{Position: "vice_chair"}, 5},
			{"position chair (not vice_chair)", MemberFilter{Position: "chair"}, 1},
			{"standing", MemberFilter{Standing: "yes"}, 5},
			{"not standing", MemberFilter{Standing: "no"}, 20},
			{"status", MemberFilter{Status: "active"}, 24},
			{"search name", MemberFilter{Q: "委员1"}, 10},
			{"search phone", MemberFilter{Q: "13900000024"}, 1},
			{"search employer", MemberFilter{Q: "一中"}, 5},
			{"search wildcard is literal", MemberFilter{Q: "%"}, 0},
			{"combined", MemberFilter{SectorID: f.edu.ID, Q: "委员0"}, 2},
		}
		for _, tc := range tests {
			p, err := f.s.ListMembers(ctx, f.actor(auth.RoleLeader), f.fuyuan.ID, tc.f)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if p.Total != tc.total {
				t.Errorf("%s: total %d, want %d", tc.name, p.Total, tc.total)
			}
		}
		p1 := must[MemberPage](t)(f.s.ListMembers(ctx, staff, f.fuyuan.ID, MemberFilter{PerPage: 10}))
		p3 := must[MemberPage](t)(f.s.ListMembers(ctx, staff, f.fuyuan.ID, MemberFilter{PerPage: 10, Page: 3}))
		if len(p1.Members) != 10 || !p1.HasNext || len(p3.Members) != 5 || p3.HasNext {
			t.Fatalf("paging: %d %v / %d %v", len(p1.Members), p1.HasNext, len(p3.Members), p3.HasNext)
		}
		if p1.Members[0].Name != "委员24" {
			t.Fatalf("order: newest first, got %s", p1.Members[0].Name)
		}
		grouped := must[MemberPage](t)(f.s.ListMembers(ctx, staff, f.fuyuan.ID, MemberFilter{GroupID: f.cttee.ID}))
		if len(grouped.Members[0].Groups) != 1 || grouped.Members[0].Groups[0].Name != "提案委员会" {
			t.Fatalf("groups loaded: %+v", grouped.Members[0].Groups)
		}
	})
}
