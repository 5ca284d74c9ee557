package proposal

import (
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
)

// TestCountsMatchList: Counts gives, for every filter and every kind of
// reader, the Total that List gives, and refuses whom List refuses.
func TestCountsMatchList(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		_, _ = f.svc.Create(f.ctx, f.members[0], content("草稿"))
		f.seed(Submitted, func(s *SeedSpec) { s.Content.Theme = Ecology })
		f.seed(Registered, func(s *SeedSpec) {
			s.FirstProposer = f.mids[1]
			s.Content.Kind, s.Content.CoSigners = Joint, []int64{f.mids[0]}
		})
		f.seed(Assigned, func(s *SeedSpec) { s.FirstProposer = f.mids[2] })
		f.seed(Accepted, func(s *SeedSpec) { s.FirstProposer = f.mids[2]; s.Units = f.units[1:2] })
		filters := []Filter{{}, {States: []State{Submitted}}, {States: []State{Registered, Assigned}}, {Theme: Ecology},
			{KeyOnly: true}, {Overdue: true}, {UnitStates: []State{Accepted}}, {UnitID: f.units[0]}, {Title: "草"},
			{Limit: 1, Offset: 3}}
		for _, a := range []*auth.Actor{f.office, f.leader, f.members[0], f.members[1], f.unitActors[0], f.unitActors[1]} {
			got, err := f.svc.Counts(f.ctx, a, f.cid, filters)
			if err != nil {
				t.Fatalf("%s: %v", a.Name, err)
			}
			nonzero := 0
			for i, flt := range filters {
				p, err := f.svc.List(f.ctx, a, f.cid, flt)
				if err != nil {
					t.Fatal(err)
				}
				if got[i] != p.Total {
					t.Errorf("%s, filter %+v: Counts %d, List total %d", a.Name, flt, got[i], p.Total)
				}
				nonzero += got[i]
			}
			if nonzero == 0 {
				t.Errorf("%s: every count 0", a.Name)
			}
		}
		if _, err := f.svc.Counts(f.ctx, f.assistance, f.cid, filters); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("assistance: %v", err)
		}
		if _, err := f.svc.Counts(f.ctx, f.foreignOffice, f.cid, filters); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("another committee's office: %v", err)
		}
	})
}
