package proposal

import (
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
)

func TestKeyProposals(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p := f.seed(Assigned)
		ref := Ref{ID: p.ID}
		sup := SupervisionInput{On: f.today, Kind: SupInspection, Note: "现场督办"}
		_, err := f.svc.AddSupervision(f.ctx, f.office, ref, sup)
		wantCode(t, err, apperr.Conflict, "err.proposal.not_key")
		_, err = f.svc.MarkKey(f.ctx, f.office, ref, true, nil, "")
		wantField(t, err, "leaders")
		_, err = f.svc.MarkKey(f.ctx, f.office, ref, true, []int64{f.staff.UserID}, "")
		wantField(t, err, "leaders")
		for _, a := range []*auth.Actor{f.leader, f.staff, f.unitActors[0], f.members[0]} {
			_, err := f.svc.MarkKey(f.ctx, a, ref, true, []int64{f.leader.UserID}, "")
			wantCode(t, err, apperr.Forbidden)
		}
		p, err = f.svc.MarkKey(f.ctx, f.office, ref, true, []int64{f.leader.UserID}, "主席会议确定")
		if err != nil || !p.Key {
			t.Fatalf("%v", err)
		}
		if n := f.count(`SELECT COUNT(*) FROM notifications WHERE kind = 'proposal.key' AND user_id = $1`, f.leader.UserID); n != 1 {
			t.Fatalf("leader told %d times", n)
		}
		// The supervising leader and the office record activities; another leader, a unit, staff cannot.
		if _, err := f.svc.AddSupervision(f.ctx, f.leader, ref, sup); err != nil {
			t.Fatal(err)
		}
		for _, a := range []*auth.Actor{f.leader2, f.staff, f.unitActors[0]} {
			_, err := f.svc.AddSupervision(f.ctx, a, ref, sup)
			wantCode(t, err, apperr.Forbidden)
		}
		_, err = f.svc.AddSupervision(f.ctx, f.office, ref, SupervisionInput{On: f.today.AddDays(1), Kind: "party", Note: ""})
		wantField(t, err, "on")
		if _, err := f.svc.AddSupervision(f.ctx, f.office, ref, SupervisionInput{On: f.today, Kind: SupMeeting, Note: "督办会"}); err != nil {
			t.Fatal(err)
		}
		d := f.get(p.ID)
		if len(d.Supervisors) != 1 || d.Supervisors[0].Name != "leader" || len(d.Supervision) != 2 {
			t.Fatalf("%+v %+v", d.Supervisors, d.Supervision)
		}
		// Key proposals are listed as such.
		page, err := f.svc.List(f.ctx, f.leader, f.cid, Filter{KeyOnly: true})
		if err != nil || page.Total != 1 || page.Items[0].ID != p.ID {
			t.Fatalf("%v %+v", err, page)
		}
		// Unmarking removes the supervisors.
		if p, err = f.svc.MarkKey(f.ctx, f.office, ref, false, nil, ""); err != nil || p.Key {
			t.Fatalf("%v", err)
		}
		_, err = f.svc.AddSupervision(f.ctx, f.leader, ref, sup)
		wantCode(t, err, apperr.Forbidden)
	})
}

func TestExcellentAndFollowUp(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p := f.seed(Assigned)
		_, err := f.svc.MarkExcellent(f.ctx, f.office, Ref{ID: p.ID}, true)
		wantCode(t, err, apperr.Conflict, "err.proposal.state.ASSIGNED")
		a := f.seed(Closed) // class A: no follow-up
		if p, err = f.svc.MarkExcellent(f.ctx, f.office, Ref{ID: a.ID}, true); err != nil || !p.Excellent {
			t.Fatalf("%v", err)
		}
		_, err = f.svc.MarkExcellent(f.ctx, f.leader, Ref{ID: a.ID}, true)
		wantCode(t, err, apperr.Forbidden)
		in := FollowUpInput{Year: 2027, ResultClass: "A", Note: "已建成"}
		f.today = civil.MustParse("2027-03-01")
		_, err = f.svc.FollowUp(f.ctx, f.unitActors[0], Ref{ID: a.ID}, in)
		wantCode(t, err, apperr.Conflict, "err.proposal.no_follow_up")
		b := f.seed(Closed, func(s *SeedSpec) { s.ResultClass = "B" })
		ref := Ref{ID: b.ID}
		bad := in
		bad.Year = 2026
		_, err = f.svc.FollowUp(f.ctx, f.unitActors[0], ref, bad)
		wantField(t, err, "year")
		_, err = f.svc.FollowUp(f.ctx, f.unitActors[1], ref, in)
		wantCode(t, err, apperr.NotFound)
		_, err = f.svc.FollowUp(f.ctx, f.members[0], ref, in)
		wantCode(t, err, apperr.Forbidden)
		if _, err := f.svc.FollowUp(f.ctx, f.unitActors[0], ref, in); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.FollowUp(f.ctx, f.office, ref, FollowUpInput{AssignmentID: f.get(b.ID).Assignments[0].ID, Year: 2027, ResultClass: "A", Note: "x"})
		wantCode(t, err, apperr.Conflict, "err.proposal.follow_up_exists")
		d := f.get(b.ID)
		if d.State != Closed || len(d.FollowUps) != 1 || d.FollowUps[0].ResultClass != "A" || d.Replies[0].ResultClass != "B" {
			t.Fatalf("%s %+v", d.State, d.FollowUps)
		}
		// Follow-ups only after closing.
		r := f.seed(Replied, func(s *SeedSpec) { s.ResultClass = "C" })
		_, err = f.svc.FollowUp(f.ctx, f.unitActors[0], Ref{ID: r.ID}, in)
		wantCode(t, err, apperr.Conflict, "err.proposal.state.REPLIED")
	})
}

func TestSettingsAndCalendar(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		st, err := f.svc.Settings(f.ctx, f.office)
		if err != nil || st != DefaultSettings {
			t.Fatalf("%v %+v", err, st)
		}
		st.DeadlineMonths, st.MaxMonths = 2, 1
		_, err = f.svc.UpdateSettings(f.ctx, f.office, st)
		wantField(t, err, "max_months")
		st.MaxMonths = 4
		_, err = f.svc.UpdateSettings(f.ctx, f.members[0], st)
		wantCode(t, err, apperr.Forbidden)
		if st, err = f.svc.UpdateSettings(f.ctx, f.office, st); err != nil || st.Version != 1 {
			t.Fatalf("%v %+v", err, st)
		}
		_, err = f.svc.UpdateSettings(f.ctx, f.office, DefaultSettings) // stale version 0
		wantCode(t, err, apperr.Conflict)
		// The committee's rule drives the due date: 2 months.
		p := f.seed(Assigned)
		if p.DueOn != civil.MustParse("2026-05-04") { // 2 May is a Saturday
			t.Fatalf("due %v", p.DueOn)
		}
		// Calendar overrides: a holiday on the due date's working day.
		if err := f.svc.SetCalendarDay(f.ctx, f.office, civil.MustParse("2026-05-04"), civil.Holiday, "调整"); err != nil {
			t.Fatal(err)
		}
		err = f.svc.SetCalendarDay(f.ctx, f.members[0], f.today, civil.Holiday, "")
		wantCode(t, err, apperr.Forbidden)
		q := f.seed(Assigned)
		if q.DueOn != civil.MustParse("2026-05-05") {
			t.Fatalf("due %v", q.DueOn)
		}
		days, _ := f.svc.Calendar(f.ctx, f.office)
		if len(days) != 1 {
			t.Fatalf("%+v", days)
		}
		if err := f.svc.SetCalendarDay(f.ctx, f.office, civil.MustParse("2026-05-04"), "", ""); err != nil {
			t.Fatal(err)
		}
		if days, _ = f.svc.Calendar(f.ctx, f.office); len(days) != 0 {
			t.Fatalf("%+v", days)
		}
		classes, _ := f.svc.ResultClasses(f.ctx, f.unitActors[0])
		if len(classes) != 3 || !classes[1].Solved || !classes[1].FollowUp || classes[2].Solved {
			t.Fatalf("%+v", classes)
		}
	})
}
