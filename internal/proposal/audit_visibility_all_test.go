package proposal

import (
	"testing"

	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
)

// TestAuditVisibleAllMatches: the batch answer is AuditVisible's, entry by
// entry, for every kind of reader, over a log with drafts, submitted and
// assigned proposals, their child records, a child record that is gone and an
// entity that is not a proposal's.
func TestAuditVisibleAllMatches(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		if _, err := f.svc.Create(f.ctx, f.members[0], content("草稿")); err != nil {
			t.Fatal(err)
		}
		f.seed(Submitted, func(s *SeedSpec) { s.FirstProposer = f.mids[1] })
		f.seed(Registered, func(s *SeedSpec) {
			s.FirstProposer = f.mids[1]
			s.Content.Kind, s.Content.CoSigners = Joint, []int64{f.mids[0]}
		})
		f.seed(Accepted, func(s *SeedSpec) { s.FirstProposer = f.mids[2]; s.Units = f.units[1:2] })
		entries, err := audit.List(f.ctx, f.d, f.cid, audit.Filter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		var refs []AuditRef
		kinds := map[string]bool{}
		for _, e := range entries {
			refs = append(refs, AuditRef{e.Entity, e.EntityID})
			kinds[e.Entity] = true
		}
		refs = append(refs, AuditRef{"proposal_reply", 987654}, AuditRef{"proposal", 987654}, AuditRef{"sector", 1})
		if !kinds["proposal"] || len(kinds) < 3 {
			t.Fatalf("the log has too few kinds of entries: %v", kinds)
		}
		for _, a := range []*auth.Actor{f.office, f.staff, f.admin, f.leader, f.assistance, f.members[0], f.members[1], f.members[3],
			f.unitActors[0], f.unitActors[1], f.foreignOffice} {
			got, err := f.svc.AuditVisibleAll(f.ctx, a, refs)
			if err != nil {
				t.Fatal(err)
			}
			shown, hidden := 0, 0
			for _, r := range refs {
				want, err := f.svc.AuditVisible(f.ctx, a, r.Entity, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got[r] != want {
					t.Errorf("%s, %s #%d: batch %v, one by one %v", a.Name, r.Entity, r.ID, got[r], want)
				}
				if want {
					shown++
				} else {
					hidden++
				}
			}
			if a == f.office && shown == 0 {
				t.Error("the office is shown nothing")
			}
			if hidden == 0 {
				t.Errorf("%s: nothing withheld (the missing records at least must be)", a.Name)
			}
		}
	})
}
