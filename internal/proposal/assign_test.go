package proposal

import (
	"slices"
	"sync"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
)

func TestAssignValidationAndDue(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p := f.seed(Registered)
		ref := Ref{ID: p.ID}
		for _, c := range []struct {
			in    AssignInput
			field string
		}{
			{AssignInput{Mode: "all", Units: f.units[:1]}, "mode"},
			{AssignInput{Mode: Single, Units: f.units[:2]}, "units"},
			{AssignInput{Mode: JointMode, Units: f.units[:1]}, "units"},
			{AssignInput{Mode: Separate, Units: []int64{f.units[0], f.units[0]}}, "units"},
			{AssignInput{Mode: Single, Units: []int64{f.foreignUnit}}, "units"},
			{AssignInput{Mode: Single, Units: f.units[:1], DueOn: f.today.AddMonths(7)}, "due_on"},
			{AssignInput{Mode: Single, Units: f.units[:1], DueOn: f.today}, "due_on"},
		} {
			_, err := f.svc.Assign(f.ctx, f.office, ref, c.in)
			wantField(t, err, c.field)
		}
		for _, a := range []*auth.Actor{f.staff, f.leader, f.admin, f.members[0]} {
			_, err := f.svc.Assign(f.ctx, a, ref, AssignInput{Mode: Single, Units: f.units[:1]})
			wantCode(t, err, apperr.Forbidden, "err.proposal.only_office_assigns")
		}
		_, err := f.svc.Assign(f.ctx, f.unitActors[0], ref, AssignInput{Mode: Single, Units: f.units[:1]})
		wantCode(t, err, apperr.NotFound) // not yet its proposal
		if n := f.count(`SELECT COUNT(*) FROM proposal_assignments`); n != 0 {
			t.Fatalf("refused assignments wrote %d rows", n)
		}
		// Default due date: 3 months, moved to a working day: 2026-06-02 is a Tuesday.
		p, err = f.svc.Assign(f.ctx, f.office, ref, AssignInput{Mode: JointMode, Units: f.units[:2]})
		if err != nil {
			t.Fatal(err)
		}
		if p.State != Assigned || p.DueOn != civil.MustParse("2026-06-02") || p.AssignedOn != f.today || p.Mode != JointMode {
			t.Fatalf("%+v", p)
		}
		d := f.get(p.ID)
		if d.Assignments[0].Role != RoleLead || d.Assignments[1].Role != RoleCo || d.Assignments[0].UnitName != "县教育体育局" {
			t.Fatalf("%+v", d.Assignments)
		}
		if n := f.count(`SELECT COUNT(*) FROM notifications WHERE kind = 'proposal.assigned'`); n != 2 {
			t.Fatalf("%d units told", n)
		}
		// The unit sees it now; the third unit does not.
		if _, err := f.svc.Get(f.ctx, f.unitActors[1], p.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Get(f.ctx, f.unitActors[2], p.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("unassigned unit sees it: %v", err)
		}
		// A due date falling on a weekend moves to Monday.
		f.today = civil.MustParse("2026-03-07") // Saturday + 3 months = 2026-06-07, a Sunday
		q := f.seed(Assigned)
		if q.DueOn != civil.MustParse("2026-06-08") {
			t.Fatalf("due %v", q.DueOn)
		}
	})
}

func TestAcceptAndReturnRequest(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p := f.seed(Assigned, func(s *SeedSpec) { s.Mode, s.Units = Separate, f.units[:2] })
		ref := Ref{ID: p.ID}
		// Only the assigned unit accepts its own assignment.
		for _, a := range []*auth.Actor{f.office, f.staff, f.members[0]} {
			_, err := f.svc.Accept(f.ctx, a, ref)
			wantCode(t, err, apperr.Forbidden)
		}
		_, err := f.svc.Accept(f.ctx, f.unitActors[2], ref)
		wantCode(t, err, apperr.NotFound)
		p, err = f.svc.Accept(f.ctx, f.unitActors[0], ref)
		if err != nil || p.State != Assigned { // the other unit has not signed yet
			t.Fatalf("%v %s", err, p.State)
		}
		_, err = f.svc.Accept(f.ctx, f.unitActors[0], ref)
		wantCode(t, err, apperr.Conflict, "err.proposal.state.ACCEPTED")
		// The second unit asks to return: a reason is needed, within 7 working days.
		_, err = f.svc.AskReturn(f.ctx, f.unitActors[1], ref, "")
		wantField(t, err, "reason")
		f.today = civil.MustParse("2026-03-12") // 8 working days after Mon 2 March
		_, err = f.svc.AskReturn(f.ctx, f.unitActors[1], ref, "不属我局职责")
		wantCode(t, err, apperr.Conflict, "err.proposal.return_window_passed")
		f.today = civil.MustParse("2026-03-11") // the 7th working day
		p, err = f.svc.AskReturn(f.ctx, f.unitActors[1], ref, "不属我局职责")
		if err != nil || p.State != ReturnRequested {
			t.Fatalf("%v %s", err, p.State)
		}
		d := f.get(p.ID)
		asg := d.Assignments[1]
		if asg.State != ReturnRequested || asg.ReturnReason != "不属我局职责" {
			t.Fatalf("%+v", asg)
		}
		// Units never pass a proposal on, nor decide on returns.
		_, err = f.svc.Reassign(f.ctx, f.unitActors[1], ref, asg.ID, f.units[2], "")
		wantCode(t, err, apperr.Forbidden, "err.proposal.only_office_assigns")
		_, err = f.svc.Confirm(f.ctx, f.unitActors[0], ref, asg.ID, "x")
		wantCode(t, err, apperr.Forbidden, "err.proposal.only_office_assigns")
		// The office keeps the assignment: the unit must handle it and cannot ask again.
		_, err = f.svc.Confirm(f.ctx, f.office, ref, asg.ID, "")
		wantField(t, err, "note")
		if p, err = f.svc.Confirm(f.ctx, f.office, ref, asg.ID, "属于贵局职责，请办理"); err != nil || p.State != Assigned {
			t.Fatalf("%v", err)
		}
		_, err = f.svc.AskReturn(f.ctx, f.unitActors[1], ref, "再次申请")
		wantCode(t, err, apperr.Conflict, "err.proposal.return_asked_before")
		if p, err = f.svc.Accept(f.ctx, f.unitActors[1], ref); err != nil || p.State != Accepted {
			t.Fatalf("%v %s", err, p.State)
		}
	})
}

func TestReassign(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p := f.seed(ReturnRequested)
		ref := Ref{ID: p.ID}
		asg := f.get(p.ID).Assignments[0]
		_, err := f.svc.Reassign(f.ctx, f.office, ref, asg.ID, f.foreignUnit, "")
		wantField(t, err, "unit_id")
		_, err = f.svc.Reassign(f.ctx, f.office, ref, 999999, f.units[1], "")
		wantField(t, err, "assignment")
		f.today = civil.MustParse("2026-03-05")
		p, err = f.svc.Reassign(f.ctx, f.office, ref, asg.ID, f.units[1], "改交交通运输局")
		if err != nil || p.State != Assigned {
			t.Fatalf("%v", err)
		}
		d := f.get(p.ID)
		a := d.Assignments[0]
		if a.UnitID != f.units[1] || a.State != Assigned || a.AssignedOn != f.today || a.ReturnRequests != 0 || !a.AcceptedAt.IsZero() {
			t.Fatalf("%+v", a)
		}
		if !slices.ContainsFunc(d.Events, func(e Event) bool {
			return e.Action == "reassigned" && e.Note == "县教育体育局 → 县交通运输局"
		}) {
			t.Fatalf("timeline %+v", d.Events)
		}
		// The old unit no longer sees it; the new one does and may ask to return within its own window.
		if _, err := f.svc.Get(f.ctx, f.unitActors[0], p.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("old unit still sees it: %v", err)
		}
		if _, err := f.svc.Accept(f.ctx, f.unitActors[1], ref); err != nil {
			t.Fatal(err)
		}
		// Reassigning is only for pending return requests.
		_, err = f.svc.Reassign(f.ctx, f.office, ref, a.ID, f.units[2], "")
		wantCode(t, err, apperr.Conflict, "err.proposal.state.ACCEPTED")
	})
}

func TestExtensions(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p := f.seed(Accepted)
		ref := Ref{ID: p.ID}
		asg := f.get(p.ID).Assignments[0]
		// The unit asks; the office approves; never past 6 months from the assignment.
		_, err := f.svc.AskExtension(f.ctx, f.unitActors[0], ref, civil.MustParse("2026-07-15"), "")
		wantField(t, err, "reason")
		_, err = f.svc.AskExtension(f.ctx, f.unitActors[0], ref, asg.DueOn, "需要调研")
		wantField(t, err, "due_on")
		if _, err := f.svc.AskExtension(f.ctx, f.unitActors[0], ref, civil.MustParse("2026-07-15"), "需要调研"); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Extend(f.ctx, f.unitActors[0], ref, asg.ID, civil.MustParse("2026-07-15"), "")
		wantCode(t, err, apperr.Forbidden)
		before := f.fingerprint(p.ID)
		_, err = f.svc.Extend(f.ctx, f.office, ref, asg.ID, civil.MustParse("2026-09-03"), "")
		wantField(t, err, "due_on")
		if after := f.fingerprint(p.ID); after != before {
			t.Fatalf("refused extension changed %s → %s", before, after)
		}
		p, err = f.svc.Extend(f.ctx, f.office, ref, asg.ID, civil.MustParse("2026-07-15"), "")
		if err != nil || p.DueOn != civil.MustParse("2026-07-15") {
			t.Fatalf("%v %v", err, p.DueOn)
		}
		// A second extension up to exactly 6 months is allowed; a day more is not.
		if _, err := f.svc.Extend(f.ctx, f.office, ref, asg.ID, civil.MustParse("2026-09-02"), ""); err != nil {
			t.Fatal(err)
		}
		a := f.get(p.ID).Assignments[0]
		if a.Extensions != 2 || a.OriginalDueOn != civil.MustParse("2026-06-02") || !a.ExtensionAskedDue.IsZero() {
			t.Fatalf("%+v", a)
		}
	})
}

// TestConcurrentOfficeDecisions: two office users decide on the same return
// request at once (one reassigns, one confirms): one wins, the other is told.
func TestConcurrentOfficeDecisions(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		office2 := f.user("office2", auth.RoleProposalOffice, 0, 0)
		for round := range 4 {
			p := f.seed(ReturnRequested)
			asg := f.get(p.ID).Assignments[0]
			ref := Ref{ID: p.ID, Version: p.Version}
			var wg sync.WaitGroup
			var errReassign, errConfirm error
			wg.Go(func() { _, errReassign = f.svc.Reassign(f.ctx, f.office, ref, asg.ID, f.units[1], "改交") })
			wg.Go(func() { _, errConfirm = f.svc.Confirm(f.ctx, office2, ref, asg.ID, "维持") })
			wg.Wait()
			if (errReassign == nil) == (errConfirm == nil) {
				t.Fatalf("round %d: reassign %v, confirm %v: want exactly one winner", round, errReassign, errConfirm)
			}
			loser := errReassign
			if loser == nil {
				loser = errConfirm
			}
			wantCode(t, loser, apperr.Conflict, "err.proposal.changed.ASSIGNED")
			a := f.get(p.ID).Assignments[0]
			if errReassign == nil && a.UnitID != f.units[1] || errConfirm == nil && a.UnitID != f.units[0] {
				t.Fatalf("round %d: state does not match the winner: %+v", round, a)
			}
		}
	})
}

// TestUnitReplyWhileOfficeActs: a unit submits its reply while the office
// extends the due date from the same page version: one wins; the loser learns
// the new state; the data is consistent.
func TestUnitReplyWhileOfficeActs(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		for round := range 4 {
			p := f.seed(ReplyDrafted)
			asg := f.get(p.ID).Assignments[0]
			ref := Ref{ID: p.ID, Version: p.Version}
			var wg sync.WaitGroup
			var errReply, errExtend error
			wg.Go(func() { _, errReply = f.svc.SubmitReply(f.ctx, f.unitActors[0], ref) })
			wg.Go(func() { _, errExtend = f.svc.Extend(f.ctx, f.office, ref, asg.ID, civil.MustParse("2026-07-01"), "") })
			wg.Wait()
			if (errReply == nil) == (errExtend == nil) {
				t.Fatalf("round %d: reply %v, extend %v", round, errReply, errExtend)
			}
			a := f.get(p.ID).Assignments[0]
			if errReply == nil {
				wantCode(t, errExtend, apperr.Conflict, "err.proposal.changed.REPLY_REVIEW")
				if a.State != ReplyReview || a.Extensions != 0 {
					t.Fatalf("%+v", a)
				}
			} else {
				wantCode(t, errReply, apperr.Conflict, "err.proposal.changed.REPLY_DRAFTED")
				if a.State != ReplyDrafted || a.Extensions != 1 {
					t.Fatalf("%+v", a)
				}
			}
		}
	})
}

// TestUnitActsWhileReassigned: a unit's user acts from a page loaded before its
// colleague asked to return the proposal, while the office reassigns it to
// another unit. The reassignment wins; the unit is told what happened (the
// state changed, or the proposal went to another unit), never "not found".
func TestUnitActsWhileReassigned(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		for round := range 4 {
			p := f.seed(Assigned)
			stale := Ref{ID: p.ID, Version: p.Version}
			asked, err := f.svc.AskReturn(f.ctx, f.unitActors[0], stale, "不属于本单位职责")
			if err != nil {
				t.Fatal(err)
			}
			asg := f.get(p.ID).Assignments[0]
			var wg sync.WaitGroup
			var errReassign, errAccept error
			wg.Go(func() {
				_, errReassign = f.svc.Reassign(f.ctx, f.office, Ref{ID: p.ID, Version: asked.Version}, asg.ID, f.units[1], "改交")
			})
			wg.Go(func() { _, errAccept = f.svc.Accept(f.ctx, f.unitActors[0], stale) })
			wg.Wait()
			if errReassign != nil {
				t.Fatalf("round %d: reassign failed: %v", round, errReassign)
			}
			if e := apperr.As(errAccept); e == nil || e.Code != apperr.Conflict ||
				e.Key != "err.proposal.changed.RETURN_REQUESTED" && e.Key != "err.proposal.reassigned_away" {
				t.Fatalf("round %d: the unit's accept got %v, want a conflict saying what happened", round, errAccept)
			}
			if a := f.get(p.ID).Assignments[0]; a.UnitID != f.units[1] || a.State != Assigned {
				t.Fatalf("round %d: %+v", round, a)
			}
			// Any later step of the old unit says the proposal went elsewhere.
			_, err = f.svc.Accept(f.ctx, f.unitActors[0], Ref{ID: p.ID})
			wantCode(t, err, apperr.Conflict, "err.proposal.reassigned_away")
			// A unit that never had it still sees nothing.
			_, err = f.svc.Accept(f.ctx, f.unitActors[2], Ref{ID: p.ID})
			wantCode(t, err, apperr.NotFound)
		}
	})
}
