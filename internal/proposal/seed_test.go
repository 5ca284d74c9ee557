package proposal

import (
	"testing"
)

// TestSeedEveryState drives a proposal to every proposal state through the real
// use cases, on both engines.
func TestSeedEveryState(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		lead := f.seed(Registered)
		for _, st := range ProposalStates {
			p := f.seed(st, func(s *SeedSpec) {
				s.MergeInto = lead.ID
				if st == Signing || st == Closed {
					s.Content.Kind, s.Content.CoSigners = Joint, []int64{f.mids[1]}
				}
			})
			if p.State != st || f.state(p.ID) != st {
				t.Fatalf("seed %s: got %s / %s", st, p.State, f.state(p.ID))
			}
		}
		// Modes and a dissatisfied round.
		j := f.seed(Closed, func(s *SeedSpec) {
			s.Mode, s.Units = JointMode, f.units[:3]
			s.Content.Kind, s.Content.CoSigners = Joint, []int64{f.mids[1], f.mids[2]}
		})
		d := f.get(j.ID)
		if len(d.Assignments) != 3 || len(d.Signers) != 3 || d.Mode != JointMode {
			t.Fatalf("joint: %+v", d)
		}
		sep := f.seed(Closed, func(s *SeedSpec) { s.Mode, s.Units, s.Overall = Separate, f.units[:2], Dissatisfied })
		d = f.get(sep.ID)
		if d.Round != 2 || len(d.Replies) != 4 || len(d.Evaluations) != 2 {
			t.Fatalf("separate, dissatisfied: round %d replies %d evaluations %d", d.Round, len(d.Replies), len(d.Evaluations))
		}
	})
}
