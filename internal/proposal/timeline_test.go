package proposal

import (
	"strings"
	"testing"
)

// TestTimelineNamesActors: the automatic closure after the last evaluation is
// the platform's act, not the evaluator's; a unit's events name the unit, and
// no event carries a raw key such as "unit-20".
func TestTimelineNamesActors(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p := f.seed(Replied)
		if _, err := f.svc.Evaluate(f.ctx, f.members[0], Ref{ID: p.ID}, happy); err != nil {
			t.Fatal(err)
		}
		d, err := f.svc.Get(f.ctx, f.office, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.State != Closed {
			t.Fatalf("state %s", d.State)
		}
		var closed, eval, unitEvents int
		for _, e := range d.Events {
			if strings.HasPrefix(e.ActorName, "unit-") || e.ActorName == "system" {
				t.Errorf("event %s by raw key %q", e.Action, e.ActorName)
			}
			switch {
			case e.Action == string(ActClose):
				closed++
				if !e.System || e.ActorName != "" {
					t.Errorf("automatic closure recorded as %q (system %v)", e.ActorName, e.System)
				}
			case e.Action == string(ActEvaluate):
				eval++
				if e.System || e.ActorName != f.members[0].Name {
					t.Errorf("evaluation by %q (system %v)", e.ActorName, e.System)
				}
			case e.AssignmentID != 0:
				unitEvents++
				if e.UnitName != "县教育体育局" {
					t.Errorf("assignment event %s names unit %q", e.Action, e.UnitName)
				}
			}
		}
		if closed != 1 || eval != 1 || unitEvents == 0 {
			t.Errorf("close %d, evaluate %d, unit events %d", closed, eval, unitEvents)
		}
	})
}
