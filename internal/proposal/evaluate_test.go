package proposal

import (
	"fmt"
	"slices"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
)

var happy = EvaluationInput{Overall: Satisfied, Contact: Visited, Attitude: Satisfied, Addressed: Targeted}

func TestEvaluateOnlySigners(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p := f.seed(Replied, func(s *SeedSpec) { s.Content.Kind, s.Content.CoSigners = Joint, []int64{f.mids[1]} })
		ref := Ref{ID: p.ID}
		before := f.fingerprint(p.ID)
		// Units, staff, the office, leaders, admins never evaluate for members.
		for _, a := range []*auth.Actor{f.unitActors[0], f.staff, f.office, f.leader, f.admin} {
			_, err := f.svc.Evaluate(f.ctx, a, ref, happy)
			wantCode(t, err, apperr.Forbidden, "err.proposal.only_signers_evaluate")
		}
		// A unit account that also holds the member role but is no signer: not found.
		for _, a := range []*auth.Actor{f.members[3], f.foreignMember, f.unitActors[1]} {
			_, err := f.svc.Evaluate(f.ctx, a, ref, happy)
			wantCode(t, err, apperr.NotFound)
		}
		// Bad input.
		_, err := f.svc.Evaluate(f.ctx, f.members[0], ref, EvaluationInput{Overall: "great", Contact: Visited, Attitude: Basic, Addressed: Targeted})
		wantField(t, err, "overall")
		_, err = f.svc.Evaluate(f.ctx, f.members[0], ref, EvaluationInput{Overall: Dissatisfied, Contact: Visited, Attitude: Basic, Addressed: NotTargeted})
		wantField(t, err, "comment")
		if after := f.fingerprint(p.ID); after != before {
			t.Fatalf("refused evaluations changed %s → %s", before, after)
		}
		// The first signer evaluates; still REPLIED until the co-signer does.
		if p, err = f.svc.Evaluate(f.ctx, f.members[0], ref, happy); err != nil || p.State != Replied {
			t.Fatalf("%v %s", err, p.State)
		}
		_, err = f.svc.Evaluate(f.ctx, f.members[0], ref, happy)
		wantCode(t, err, apperr.Conflict, "err.proposal.already_evaluated")
		if p, err = f.svc.Evaluate(f.ctx, f.members[1], ref, EvaluationInput{Overall: Basic, Contact: NotNeeded, Attitude: Satisfied, Addressed: BasicTargeted}); err != nil || p.State != Closed || p.ClosedOn != f.today {
			t.Fatalf("%v %+v", err, p)
		}
	})
}

func TestDeclinedCoSignerCannotEvaluate(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		c := content("联名")
		c.Kind, c.CoSigners = Joint, []int64{f.mids[1], f.mids[2]}
		p, _ := f.svc.Create(f.ctx, f.members[0], c)
		ref := Ref{ID: p.ID}
		f.svc.StartSigning(f.ctx, f.members[0], ref, civil.Date{})
		f.svc.Sign(f.ctx, f.members[1], ref)
		f.svc.DeclineSign(f.ctx, f.members[2], ref)
		if _, err := f.svc.Submit(f.ctx, f.members[0], ref); err != nil {
			t.Fatal(err)
		}
		sd := NewSeeder(f.svc, f.cid)
		sd.Office = f.office
		spec := SeedSpec{Mode: Single, Units: f.units[:1], Target: Replied}
		f.svc.Register(f.ctx, f.office, ref)
		f.svc.Assign(f.ctx, f.office, ref, AssignInput{Mode: Single, Units: f.units[:1]})
		f.svc.Accept(f.ctx, f.unitActors[0], ref)
		pp := p
		for _, step := range []func() error{
			func() error { return sd.contact(f.ctx, &pp, spec) },
			func() error { return sd.draft(f.ctx, &pp, spec) },
			func() error { return sd.submitReplies(f.ctx, &pp, spec) },
			func() error { return sd.approveAll(f.ctx, &pp) },
		} {
			if err := step(); err != nil {
				t.Fatal(err)
			}
		}
		if f.state(p.ID) != Replied {
			t.Fatalf("state %s", f.state(p.ID))
		}
		_, err := f.svc.Evaluate(f.ctx, f.members[2], ref, happy)
		wantCode(t, err, apperr.Forbidden, "err.proposal.only_signers_evaluate")
		// Two signers who signed: closing after both.
		f.svc.Evaluate(f.ctx, f.members[0], ref, happy)
		if p, err := f.svc.Evaluate(f.ctx, f.members[1], ref, happy); err != nil || p.State != Closed {
			t.Fatalf("%v", err)
		}
	})
}

// TestDissatisfiedRehandling: 不满意 sends the proposal back for round 2 with
// the first evaluation kept; after round 2 the proposal closes even if still
// dissatisfied, and both evaluations stay on record.
func TestDissatisfiedRehandling(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.today = civil.MustParse("2026-04-01") // replied and evaluated that day, within the window
		p := f.seed(Replied, func(s *SeedSpec) { s.Mode, s.Units = JointMode, f.units[:2] })
		ref := Ref{ID: p.ID}
		unhappy := EvaluationInput{Overall: Dissatisfied, Contact: NotVisited, Attitude: Basic, Addressed: NotTargeted, Comment: "没有实质内容"}
		if n, err := f.svc.SeedChinaHolidays(f.ctx, f.office); err != nil || n != len(civil.ChinaHolidays) {
			t.Fatalf("seeded %d holidays: %v", n, err)
		}
		if n, _ := f.svc.SeedChinaHolidays(f.ctx, f.office); n != 0 {
			t.Fatalf("seeding twice added %d", n)
		}
		p, err := f.svc.Evaluate(f.ctx, f.members[0], ref, unhappy)
		if err != nil || p.State != Rehandling || p.Round != 2 {
			t.Fatalf("%v %+v", err, p)
		}
		d := f.get(p.ID)
		if len(d.Evaluations) != 1 || d.Evaluations[0].Round != 1 || d.Evaluations[0].Overall != Dissatisfied {
			t.Fatalf("evaluations %+v", d.Evaluations)
		}
		for _, a := range d.Assignments {
			if a.State != Rehandling || a.DueOn != civil.MustParse("2026-05-06") { // 1 month → 5 May is a holiday → 6 May
				t.Fatalf("assignment %+v", a)
			}
		}
		if n := f.count(`SELECT COUNT(*) FROM notifications WHERE kind = 'proposal.rehandle'`); n != 2 {
			t.Fatalf("units told %d times", n)
		}
		// The only signer evaluated round 1 already; the units handle again (contact, reply, countersign).
		_, err = f.svc.Evaluate(f.ctx, f.members[0], ref, happy)
		wantCode(t, err, apperr.Conflict, "err.proposal.already_evaluated")
		_, err = f.svc.DraftReply(f.ctx, f.unitActors[0], ref, ReplyInput{ResultClass: "B", Body: "x"})
		wantCode(t, err, apperr.Conflict, "err.proposal.state.REHANDLING")
		lead, co := f.unitActors[0], f.unitActors[1]
		if p, err = f.svc.LogContact(f.ctx, lead, ref, ContactInput{On: f.today, Method: ByFace, People: "张三"}); err != nil || p.State != Rehandling {
			t.Fatalf("%v %s", err, p.State)
		}
		if _, err := f.svc.DraftReply(f.ctx, lead, ref, ReplyInput{ResultClass: "B", Body: "第二次答复"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Countersign(f.ctx, co, ref, "同意"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.SubmitReply(f.ctx, lead, ref); err != nil {
			t.Fatal(err)
		}
		if p, err = f.svc.Approve(f.ctx, f.office, ref, d.Assignments[0].ID, "", ""); err != nil || p.State != Replied {
			t.Fatalf("%v %s", err, p.State)
		}
		p, err = f.svc.Evaluate(f.ctx, f.members[0], ref, unhappy)
		if err != nil || p.State != Closed || p.Round != 2 {
			t.Fatalf("round 2 dissatisfied: %v %+v", err, p)
		}
		d = f.get(p.ID)
		if len(d.Evaluations) != 2 || d.Evaluations[1].Round != 2 || len(d.Replies) != 2 || d.Replies[1].Round != 2 {
			t.Fatalf("history: %+v %+v", d.Evaluations, d.Replies)
		}
	})
}

func TestCloseAfterEvaluationPeriod(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p := f.seed(Replied)
		ref := Ref{ID: p.ID}
		_, err := f.svc.Close(f.ctx, f.office, ref, "")
		wantCode(t, err, apperr.Conflict, "err.proposal.evaluation_open")
		_, err = f.svc.Close(f.ctx, f.members[0], ref, "")
		wantCode(t, err, apperr.Forbidden)
		f.today = civil.MustParse("2026-03-24") // 16 working days after 2 March
		if p, err = f.svc.Close(f.ctx, f.office, ref, "逾期未评价"); err != nil || p.State != Closed {
			t.Fatalf("%v", err)
		}
	})
}

// TestRehandleMonthsSetting: the second round's due date follows the
// committee's setting (default one month, tested above); out-of-range values
// are refused.
func TestRehandleMonthsSetting(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		st, err := f.svc.Settings(f.ctx, f.office)
		if err != nil || st.RehandleMonths != 1 {
			t.Fatalf("default rehandle months %d (%v), want 1", st.RehandleMonths, err)
		}
		for _, bad := range []int{0, 7} {
			in := st
			in.RehandleMonths = bad
			_, err := f.svc.UpdateSettings(f.ctx, f.office, in)
			wantField(t, err, "rehandle_months")
		}
		st.RehandleMonths = 2
		if st, err = f.svc.UpdateSettings(f.ctx, f.office, st); err != nil || st.RehandleMonths != 2 {
			t.Fatalf("%v %+v", err, st)
		}
		if got, _ := f.svc.Settings(f.ctx, f.office); got.RehandleMonths != 2 {
			t.Fatalf("stored %d", got.RehandleMonths)
		}
		f.today = civil.MustParse("2026-04-01")
		p := f.seed(Replied)
		unhappy := EvaluationInput{Overall: Dissatisfied, Contact: NotVisited, Attitude: Basic, Addressed: NotTargeted, Comment: "未解决"}
		if _, err := f.svc.Evaluate(f.ctx, f.members[0], Ref{ID: p.ID}, unhappy); err != nil {
			t.Fatal(err)
		}
		if a := f.get(p.ID).Assignments[0]; a.State != Rehandling || a.DueOn != civil.MustParse("2026-06-01") {
			t.Fatalf("second round due %s (%s), want 2026-06-01: two months after 2026-04-01", a.DueOn, a.State)
		}
	})
}

// TestEvaluationRightsAfterDissatisfied: signer A's 不满意 starts round 2 at
// once; co-signer B, who had not evaluated, still evaluates round 1 until its
// window closes (15 working days after the reply: 2026-03-23), C cannot after
// it, nobody evaluates a round twice, and a round-2 reply closes round 1's
// window early (the newer reply is then the one to judge).
func TestEvaluationRightsAfterDissatisfied(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		three := func(s *SeedSpec) { s.Content.Kind, s.Content.CoSigners = Joint, []int64{f.mids[1], f.mids[2]} }
		p := f.seed(Replied, three) // replied on 2026-03-02
		ref := Ref{ID: p.ID}
		a, b, c := f.members[0], f.members[1], f.members[2]
		unhappy := EvaluationInput{Overall: Dissatisfied, Contact: NotVisited, Attitude: Basic, Addressed: NotTargeted, Comment: "未解决"}
		open := func(who *auth.Actor) (int, bool, civil.Date) {
			t.Helper()
			d, err := f.svc.Get(f.ctx, who, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			return d.EvalRound, slices.Contains(d.Can, ActEvaluate), d.EvalLast
		}
		p, err := f.svc.Evaluate(f.ctx, a, ref, unhappy)
		if err != nil || p.State != Rehandling || p.Round != 2 {
			t.Fatalf("A's 不满意: %v %+v", err, p)
		}
		_, err = f.svc.Evaluate(f.ctx, a, ref, happy)
		wantCode(t, err, apperr.Conflict, "err.proposal.already_evaluated")
		if r, can, last := open(a); r != 0 || can || last != civil.MustParse("2026-03-23") {
			t.Fatalf("A after evaluating: round %d, can %v, last %s", r, can, last)
		}
		f.today = civil.MustParse("2026-03-23") // the window's last day
		if r, can, _ := open(b); r != 1 || !can {
			t.Fatalf("B during round 2: round %d, can %v; want round 1 open", r, can)
		}
		before := f.count(`SELECT COUNT(*) FROM proposal_events WHERE proposal_id = $1`, p.ID)
		if p, err = f.svc.Evaluate(f.ctx, b, ref, happy); err != nil || p.State != Rehandling || p.Round != 2 {
			t.Fatalf("B's late round-1 evaluation: %v %+v", err, p)
		}
		if f.count(`SELECT COUNT(*) FROM proposal_events WHERE proposal_id = $1`, p.ID) != before+1 ||
			f.count(`SELECT COUNT(*) FROM audit_log WHERE entity = 'proposal_evaluation'`) != 2 {
			t.Fatal("B's evaluation is not on the timeline and audited")
		}
		_, err = f.svc.Evaluate(f.ctx, b, ref, happy)
		wantCode(t, err, apperr.Conflict, "err.proposal.already_evaluated")
		f.today = civil.MustParse("2026-03-24") // closed
		fp := f.fingerprint(p.ID)
		_, err = f.svc.Evaluate(f.ctx, c, ref, happy)
		wantCode(t, err, apperr.Conflict, "err.proposal.evaluation_closed")
		if r, can, _ := open(c); r != 0 || can {
			t.Fatalf("C after the window: round %d, can %v", r, can)
		}
		if f.fingerprint(p.ID) != fp {
			t.Fatal("a refused evaluation changed something")
		}
		rounds := func() map[string]int {
			m := map[string]int{}
			for _, e := range f.get(p.ID).Evaluations {
				m[fmt.Sprintf("%s r%d %s", e.Name, e.Round, e.Overall)]++
			}
			return m
		}
		if got := rounds(); len(got) != 2 || got["张三 r1 dissatisfied"] != 1 || got["李四 r1 satisfied"] != 1 {
			t.Fatalf("round-1 evaluations %v", got)
		}
		// Round 2: the unit replies again; every signer may evaluate it, once; the last closes.
		f.rehandleReply(p.ID, f.unitActors[0])
		for _, who := range []*auth.Actor{a, b, c} {
			if r, can, _ := open(who); r != 2 || !can {
				t.Fatalf("%s on round 2: round %d, can %v", who.Name, r, can)
			}
		}
		for i, who := range []*auth.Actor{c, a, b} {
			p, err = f.svc.Evaluate(f.ctx, who, ref, happy)
			if err != nil || (p.State == Closed) != (i == 2) {
				t.Fatalf("%s on round 2: %v %s", who.Name, err, p.State)
			}
			_, err = f.svc.Evaluate(f.ctx, who, ref, happy)
			if i < 2 {
				wantCode(t, err, apperr.Conflict, "err.proposal.already_evaluated")
			}
		}
		if got := rounds(); len(got) != 5 || got["王五 r2 satisfied"] != 1 || got["张三 r2 satisfied"] != 1 || got["李四 r1 satisfied"] != 1 {
			t.Fatalf("evaluations %v", got)
		}

		// A round-2 reply delivered within round 1's window closes it: B then judges round 2.
		f.today = civil.MustParse("2026-03-02")
		q := f.seed(Replied, three)
		qref := Ref{ID: q.ID}
		if _, err := f.svc.Evaluate(f.ctx, a, qref, unhappy); err != nil {
			t.Fatal(err)
		}
		f.today = civil.MustParse("2026-03-03")
		f.rehandleReply(q.ID, f.unitActors[0])
		if _, err := f.svc.Evaluate(f.ctx, b, qref, happy); err != nil {
			t.Fatal(err)
		}
		if n := f.count(`SELECT COUNT(*) FROM proposal_evaluations WHERE proposal_id = $1 AND round = 2`, q.ID); n != 1 {
			t.Fatalf("B's evaluation after the round-2 reply: %d in round 2, want 1", n)
		}
	})
}

// rehandleReply has unit contact, reply again and the office deliver, in round 2.
func (f *fx) rehandleReply(id int64, unit *auth.Actor) {
	f.t.Helper()
	ref := Ref{ID: id}
	f.must(f.svc.LogContact(f.ctx, unit, ref, ContactInput{On: f.today, Method: ByFace, People: "提案人"}))
	f.must(f.svc.DraftReply(f.ctx, unit, ref, ReplyInput{ResultClass: "B", Body: "第二次答复"}))
	f.must(f.svc.SubmitReply(f.ctx, unit, ref))
	f.must(f.svc.Approve(f.ctx, f.office, ref, f.get(id).Assignments[0].ID, "", ""))
	if st := f.state(id); st != Replied {
		f.t.Fatalf("after the round-2 reply: %s", st)
	}
}
