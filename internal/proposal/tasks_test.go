package proposal

import (
	"fmt"
	"slices"
	"testing"

	"lvzhi/internal/auth"
)

// tasksByGet is what the member's task lists were before MemberTasks: List
// the states, Get each proposal, keep it by the reader's signer row and Detail.
func tasksByGet(f *fx, a *auth.Actor, sts []State, keep func(*Detail, *Signer) bool) []string {
	p, err := f.svc.List(f.ctx, a, a.CommitteeID, Filter{States: sts, Limit: 200})
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, it := range p.Items {
		d, err := f.svc.Get(f.ctx, a, it.ID)
		if err != nil {
			f.t.Fatal(err)
		}
		if a.PersonID == 0 || !auth.Can(a, PermSubmit) {
			continue
		}
		i := slices.IndexFunc(d.Signers, func(s Signer) bool { return s.PersonID == a.PersonID })
		if i >= 0 && keep(d, &d.Signers[i]) {
			out = append(out, fmt.Sprintf("%d v%d %s", it.ID, d.Version, d.SigningDeadline))
		}
	}
	return out
}

func taskKeys(ts []Task) []string {
	var out []string
	for _, t := range ts {
		out = append(out, fmt.Sprintf("%d v%d %s", t.ID, t.Version, t.SigningDeadline))
	}
	return out
}

// TestMemberTasksMatchGet: MemberTasks lists, for every kind of reader, what
// a Get per proposal decided: invited and unanswered co-signers in SIGNING;
// signers who signed, may evaluate, have not evaluated the open round and
// whose window is open, in REPLIED and REHANDLING.
func TestMemberTasksMatchGet(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		joint := func(ms ...int64) func(*SeedSpec) {
			return func(s *SeedSpec) { s.Content.Kind, s.Content.CoSigners = Joint, ms }
		}
		// SIGNING: members 1 and 2 invited; 2 signs. Another: 1 declines.
		sign := f.seed(Signing, joint(f.mids[1], f.mids[2]))
		f.must(f.svc.Sign(f.ctx, f.members[2], Ref{ID: sign.ID}))
		declined := f.seed(Signing, joint(f.mids[1]))
		f.must(f.svc.DeclineSign(f.ctx, f.members[1], Ref{ID: declined.ID}))
		f.seed(Signing, joint(f.mids[3]), func(s *SeedSpec) { s.FirstProposer = f.mids[1] })
		// REPLIED: member 0 (first) evaluates one; another is open to both;
		// another's window closed long ago.
		evaluated := f.seed(Replied, joint(f.mids[1]))
		f.must(f.svc.Evaluate(f.ctx, f.members[0], Ref{ID: evaluated.ID}, happy))
		f.seed(Replied, joint(f.mids[2]))
		old := f.seed(Replied, joint(f.mids[1]))
		f.exec(`UPDATE proposals SET replied_on = '2001-03-05' WHERE id = $1`, old.ID)
		// REHANDLING: member 0 was dissatisfied with round 1; member 1 may still evaluate it.
		f.seed(Rehandling, joint(f.mids[1]))
		f.seed(Submitted)

		readers := append(slices.Clone(f.members), f.foreignMember, f.staff, f.office, f.unitActors[0], f.leader)
		for i, a := range readers {
			sign, eval, err := f.svc.MemberTasks(f.ctx, a)
			if err != nil {
				t.Fatalf("reader %d: %v", i, err)
			}
			wantSign := tasksByGet(f, a, []State{Signing}, func(d *Detail, me *Signer) bool { return me.Role == "co" && me.Status == Invited })
			wantEval := tasksByGet(f, a, []State{Replied, Rehandling}, func(d *Detail, me *Signer) bool { return d.EvalRound > 0 })
			if got := taskKeys(sign); !slices.Equal(got, wantSign) {
				t.Errorf("reader %d to sign: %v, want %v", i, got, wantSign)
			}
			if got := taskKeys(eval); !slices.Equal(got, wantEval) {
				t.Errorf("reader %d to evaluate: %v, want %v", i, got, wantEval)
			}
		}
		// The cases are there: member 1 has one to sign and two to evaluate.
		sign1, eval1, _ := f.svc.MemberTasks(f.ctx, f.members[1])
		if len(sign1) != 1 || len(eval1) != 2 {
			t.Errorf("member 1: %d to sign, %d to evaluate; want 1 and 2", len(sign1), len(eval1))
		}
	})
}
