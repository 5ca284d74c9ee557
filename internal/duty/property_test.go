package duty_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"lvzhi/internal/civil"
	"lvzhi/internal/duty"
	"lvzhi/internal/proposal"
)

// TestLedgerEqualsRecompute posts and reverses random events — adjustments
// added and cancelled, proposals submitted, registered, withdrawn, rules of
// the year edited — and after every step requires the ledger to agree with a
// recompute from the records, and the adjustment category to equal the sum of
// the adjustments standing (a model kept by the test).
func TestLedgerEqualsRecompute(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		r := rand.New(rand.NewPCG(13, 2026))
		f.rules(2026, duty.PresetTongcheng)
		type adj struct {
			id, member int64
			points     int64
			version    int
		}
		var live []adj
		var submitted []*proposal.Proposal
		model := map[int64]int64{}
		for step := 0; step < 30; step++ {
			switch op := r.IntN(6); {
			case op <= 1:
				m := f.mids[r.IntN(len(f.mids))]
				pts := int64(r.IntN(2001) - 1000)
				if pts == 0 {
					pts = 1
				}
				date := civil.Date{Year: 2026, Month: time.Month(1 + r.IntN(12)), Day: 1 + r.IntN(28)}
				a, err := f.svc.Adjust(f.ctx, f.staff, f.c.ID, duty.AdjustInput{MembershipID: m, Date: date, Points: pts, Reason: "核实调整"})
				if err != nil {
					t.Fatal(err)
				}
				live = append(live, adj{a.ID, m, pts, a.Version})
				model[m] += pts
			case op == 2 && len(live) > 0:
				i := r.IntN(len(live))
				a := live[i]
				if err := f.svc.CancelAdjustment(f.ctx, f.staff, f.c.ID, a.id, a.version); err != nil {
					t.Fatal(err)
				}
				live = append(live[:i], live[i+1:]...)
				model[a.member] -= a.points
			case op == 3:
				first := r.IntN(len(f.mids))
				var co []int
				if r.IntN(2) == 0 {
					co = []int{(first + 1) % len(f.mids)}
				}
				target := proposal.Submitted
				if r.IntN(2) == 0 {
					target = proposal.Registered
				}
				p := f.proposal(target, first, co)
				if target == proposal.Submitted {
					submitted = append(submitted, p)
				}
			case op == 4 && len(submitted) > 0:
				p := submitted[0]
				submitted = submitted[1:]
				var first = f.members[0]
				for i, m := range f.mids {
					if p.FirstProposerID == m {
						first = f.members[i]
					}
				}
				if _, err := f.props.Withdraw(f.ctx, first, proposal.Ref{ID: p.ID}, "撤回"); err != nil {
					t.Fatal(err)
				}
			case op == 5:
				rs, err := f.svc.RuleSet(f.ctx, f.staff, f.c.ID, 2026)
				if err != nil {
					t.Fatal(err)
				}
				i := r.IntN(len(rs.Rules))
				rs.Rules[i].Points = int64(r.IntN(30)) * 50
				rs.Rules[i].Shared = r.IntN(2) == 0
				if _, err := f.svc.UpdateRuleSet(f.ctx, f.staff, f.c.ID, *rs); err != nil {
					t.Fatal(err)
				}
			}
			f.clean(2026)
			sc := f.scores(2026)
			for _, m := range f.mids {
				if got := partOf(sc[m], duty.CatAdjustment).Raw; got != model[m] {
					t.Fatalf("step %d: member %d adjustments %d, model %d", step, m, got, model[m])
				}
			}
		}
	})
}
