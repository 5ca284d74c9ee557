package duty

import (
	"fmt"
	"slices"
	"testing"
)

// TestAppealWorkflowExhaustive tries every state × action × relation and
// checks that exactly these moves are allowed.
func TestAppealWorkflowExhaustive(t *testing.T) {
	allowed := map[string]AppealState{
		"/file/owner":         AppealOpen,
		"open/withdraw/owner": AppealWithdrawn,
		"open/uphold/staff":   AppealUpheld,
		"open/reject/staff":   AppealRejected,
	}
	seen := 0
	for _, st := range AppealStates {
		for _, a := range AppealActions {
			for _, r := range Relations {
				k := fmt.Sprintf("%s/%s/%s", st, a, r)
				next, ok := nextAppeal(st, a, r)
				want, wantOK := allowed[k]
				if ok != wantOK || next != want {
					t.Errorf("%s: got (%q, %v), want (%q, %v)", k, next, ok, want, wantOK)
				}
				if ok {
					seen++
					if !slices.Contains(appealCan(st, r), a) {
						t.Errorf("%s: allowed but not offered by appealCan", k)
					}
				} else if slices.Contains(appealCan(st, r), a) {
					t.Errorf("%s: refused but offered by appealCan", k)
				}
			}
		}
	}
	if seen != len(allowed) {
		t.Errorf("allowed %d moves, want %d", seen, len(allowed))
	}
}
