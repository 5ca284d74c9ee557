package activity

import (
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
)

// TestMandatoryLifecycle runs a plenary from announcement to the closed roll:
// every serving member invited, a leave approved, a self check-in, and the
// roll closed by holding it.
func TestMandatoryLifecycle(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		a := f.create(KindPlenary, "2026-06-20")
		if a.State != Planned || !a.Mandatory {
			t.Fatalf("created %+v", a)
		}
		n, err := f.svc.InviteServing(f.ctx, f.staff, Ref{ID: a.ID})
		f.must(err, "invite serving")
		if n != 4 {
			t.Fatalf("invited %d, want the 4 serving members", n)
		}
		// Mandatory: no sign-up, no withdrawal.
		_, err = f.svc.SignUp(f.ctx, f.members[0], a.ID)
		wantCode(t, err, apperr.Conflict, "err.activity.att_state.registered")
		_, err = f.svc.Withdraw(f.ctx, f.members[0], a.ID)
		wantCode(t, err, apperr.Conflict, "err.activity.mandatory")
		// Leave: member 1 asks, the leader approves; member 2 asks and staff refuse.
		r1, err := f.svc.RequestLeave(f.ctx, f.members[1], a.ID, "出差")
		f.must(err, "request leave")
		_, err = f.svc.ApproveLeave(f.ctx, f.members[0], Ref{ID: r1.ID})
		wantCode(t, err, apperr.Forbidden)
		_, err = f.svc.ApproveLeave(f.ctx, f.leader, Ref{ID: r1.ID, Version: r1.Version})
		f.must(err, "approve")
		r2, err := f.svc.RequestLeave(f.ctx, f.members[2], a.ID, "家中有事")
		f.must(err, "request leave 2")
		_, err = f.svc.RefuseLeave(f.ctx, f.staff, Ref{ID: r2.ID})
		f.must(err, "refuse")
		// Check-in: not before the activity opens, then with the code only.
		_, err = f.svc.CheckIn(f.ctx, f.members[0], a.ID, "000000")
		wantCode(t, err, apperr.Conflict, "err.activity.state.PLANNED")
		opened, err := f.svc.Open(f.ctx, f.staff, f.ref(a.ID))
		f.must(err, "open")
		if len(opened.CheckinCode) != 6 {
			t.Fatalf("code %q", opened.CheckinCode)
		}
		wrong := "x" + opened.CheckinCode[1:]
		_, err = f.svc.CheckIn(f.ctx, f.members[0], a.ID, wrong)
		wantCode(t, err, apperr.Invalid, "err.activity.bad_code")
		_, err = f.svc.CheckIn(f.ctx, f.members[0], a.ID, opened.CheckinCode)
		f.must(err, "check in")
		// A member of another committee cannot even see it.
		_, err = f.svc.CheckIn(f.ctx, f.otherMember, a.ID, opened.CheckinCode)
		wantCode(t, err, apperr.NotFound)
		_, err = f.svc.Hold(f.ctx, f.staff, f.ref(a.ID))
		f.must(err, "hold")
		want := map[int64]Status{f.people[0]: Attended, f.people[1]: LeaveApproved, f.people[2]: Absent, f.people[3]: Absent}
		for p, st := range want {
			if got := f.row(a.ID, p).Status; got != st {
				t.Errorf("person %d: %s, want %s", p, got, st)
			}
		}
		// After the activity a member can do nothing on their row.
		_, err = f.svc.RequestLeave(f.ctx, f.members[3], a.ID, "补请假")
		wantCode(t, err, apperr.Conflict, "err.activity.state.HELD")
		// Staff correct the record.
		_, err = f.svc.MarkAttendance(f.ctx, f.staff, Ref{ID: a.ID}, []Mark{{PersonID: f.people[3], Status: LeaveApproved}})
		f.must(err, "record leave")
		if got := f.row(a.ID, f.people[3]).Status; got != LeaveApproved {
			t.Fatalf("corrected to %s", got)
		}
		// Every step was audited.
		es, err := audit.List(f.ctx, f.d, f.county.ID, audit.Filter{})
		f.must(err, "audit")
		seen := map[string]bool{}
		for _, e := range es {
			seen[e.Action] = true
		}
		for _, act := range []string{"activity.create", "activity.invite", "activity.request_leave", "activity.approve_leave",
			"activity.refuse_leave", "activity.open", "activity.check_in", "activity.hold", "activity.close_roll", "activity.mark"} {
			if !seen[act] {
				t.Errorf("no audit entry %s", act)
			}
		}
		var notified int
		f.must(f.d.QueryRowContext(f.ctx, `SELECT COUNT(*) FROM notifications WHERE kind = 'activity.invited' AND user_id = $1`, f.members[3].UserID).Scan(&notified), "notified")
		if notified != 1 {
			t.Fatalf("the invited member got %d invitations", notified)
		}
		var queued int
		f.must(f.d.QueryRowContext(f.ctx, `SELECT COUNT(*) FROM change_queue WHERE entity = 'activity' AND entity_id = $1`, a.ID).Scan(&queued), "queue")
		if queued != 1 {
			t.Fatalf("change queue has %d marks of the activity", queued)
		}
	})
}

// TestSignUpAndCapacity: sign-up activities take members up to the capacity.
func TestSignUpAndCapacity(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		a := f.create(KindResearch, "2026-06-20", func(in *Input) { in.Capacity = 2 })
		for _, m := range f.members[:2] {
			_, err := f.svc.SignUp(f.ctx, m, a.ID)
			f.must(err, "sign up")
		}
		_, err := f.svc.SignUp(f.ctx, f.members[2], a.ID)
		wantCode(t, err, apperr.Conflict, "err.activity.full")
		_, err = f.svc.SignUp(f.ctx, f.members[0], a.ID)
		wantCode(t, err, apperr.Conflict, "err.activity.att_state.registered")
		// Withdrawing frees the place.
		_, err = f.svc.Withdraw(f.ctx, f.members[0], a.ID)
		f.must(err, "withdraw")
		_, err = f.svc.SignUp(f.ctx, f.members[2], a.ID)
		f.must(err, "sign up after withdrawal")
		// Who must not sign up: staff (no row of their own), a unit, another committee's member.
		_, err = f.svc.SignUp(f.ctx, f.staff, a.ID)
		wantCode(t, err, apperr.Forbidden)
		_, err = f.svc.SignUp(f.ctx, f.unit, a.ID)
		wantCode(t, err, apperr.NotFound)
		_, err = f.svc.SignUp(f.ctx, f.otherMember, a.ID)
		wantCode(t, err, apperr.NotFound)
		// Capacity cannot go below the signed-up count.
		_, err = f.svc.Edit(f.ctx, f.staff, f.ref(a.ID), func() Input { in := f.input(KindResearch, "2026-06-20"); in.Capacity = 1; return in }())
		wantCode(t, err, apperr.Invalid, "err.activity.capacity_below_signed")
	})
}

// TestLeaveQuota: the yearly number of leaves is configurable and enforced.
func TestLeaveQuota(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		_, err := f.svc.SetMaxLeaves(f.ctx, f.members[0], f.county.ID, 1, 0)
		wantCode(t, err, apperr.Forbidden)
		st, err := f.svc.SetMaxLeaves(f.ctx, f.staff, f.county.ID, 1, 0)
		f.must(err, "set max")
		_, err = f.svc.SetMaxLeaves(f.ctx, f.staff, f.county.ID, 2, 0)
		wantCode(t, err, apperr.Conflict)
		if st.MaxLeaves != 1 || st.Version != 1 {
			t.Fatalf("settings %+v", st)
		}
		a1 := f.create(KindStanding, "2026-07-01")
		a2 := f.create(KindStanding, "2026-08-01")
		a3 := f.create(KindStanding, "2027-01-10")
		for _, a := range []*Activity{a1, a2, a3} {
			_, err := f.svc.Invite(f.ctx, f.staff, Ref{ID: a.ID}, f.people)
			f.must(err, "invite")
		}
		_, err = f.svc.RequestLeave(f.ctx, f.members[0], a1.ID, "")
		wantCode(t, err, apperr.Invalid, "err.activity.required")
		_, err = f.svc.RequestLeave(f.ctx, f.members[0], a1.ID, "出差")
		f.must(err, "first leave")
		_, err = f.svc.RequestLeave(f.ctx, f.members[0], a2.ID, "又出差")
		wantCode(t, err, apperr.Conflict, "err.activity.leave_quota")
		// Another year has its own quota; another member has their own.
		_, err = f.svc.RequestLeave(f.ctx, f.members[0], a3.ID, "明年出差")
		f.must(err, "next year's leave")
		_, err = f.svc.RequestLeave(f.ctx, f.members[1], a2.ID, "出差")
		f.must(err, "another member's leave")
	})
}

// TestCheckInGuards: a member checks in only to an open activity they are on.
func TestCheckInGuards(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		a := f.create(KindInspection, "2026-06-15")
		_, err := f.svc.SignUp(f.ctx, f.members[0], a.ID)
		f.must(err, "sign up")
		o, err := f.svc.Open(f.ctx, f.staff, f.ref(a.ID))
		f.must(err, "open")
		_, err = f.svc.CheckIn(f.ctx, f.members[1], a.ID, o.CheckinCode)
		wantCode(t, err, apperr.Conflict, "err.activity.att_state.none")
		_, err = f.svc.CheckIn(f.ctx, f.staff, a.ID, o.CheckinCode)
		wantCode(t, err, apperr.Forbidden)
		r, err := f.svc.CheckIn(f.ctx, f.members[0], a.ID, o.CheckinCode)
		f.must(err, "check in")
		if r.Status != CheckedIn {
			t.Fatalf("status %s", r.Status)
		}
		// The code is not shown to members.
		d, err := f.svc.Get(f.ctx, f.members[1], a.ID)
		f.must(err, "member get")
		if d.Code != "" || len(d.Attendance) != 0 {
			t.Fatalf("member sees code %q and %d rows", d.Code, len(d.Attendance))
		}
		ds, err := f.svc.Get(f.ctx, f.staff, a.ID)
		f.must(err, "staff get")
		if ds.Code != o.CheckinCode || len(ds.Attendance) != 1 {
			t.Fatalf("staff sees code %q and %d rows", ds.Code, len(ds.Attendance))
		}
		// Cancelled: nothing more.
		_, err = f.svc.Cancel(f.ctx, f.staff, f.ref(a.ID), "")
		wantCode(t, err, apperr.Invalid, "err.activity.required")
		_, err = f.svc.Cancel(f.ctx, f.staff, f.ref(a.ID), "天气原因")
		f.must(err, "cancel")
		_, err = f.svc.CheckIn(f.ctx, f.members[0], a.ID, o.CheckinCode)
		wantCode(t, err, apperr.Conflict, "err.activity.state.CANCELLED")
	})
}

// TestWhoMayNot tries what each role must not do.
func TestWhoMayNot(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		in := f.input(KindForum, "2026-06-20")
		for _, who := range []*auth.Actor{f.members[0], f.leader, f.admin, f.unit} {
			_, err := f.svc.Create(f.ctx, who, f.county.ID, in)
			wantCode(t, err, apperr.Forbidden)
		}
		_, err := f.svc.Create(f.ctx, f.otherStaff, f.county.ID, in)
		wantCode(t, err, apperr.NotFound)
		_, err = f.svc.Create(f.ctx, f.cityStaff, f.county.ID, in)
		wantCode(t, err, apperr.Forbidden) // a higher committee reads, never writes
		a := f.create(KindForum, "2026-06-20")
		for _, who := range []*auth.Actor{f.otherStaff, f.otherMember, f.unit} {
			_, err := f.svc.Get(f.ctx, who, a.ID)
			wantCode(t, err, apperr.NotFound)
			_, err = f.svc.Hold(f.ctx, who, Ref{ID: a.ID})
			wantCode(t, err, apperr.NotFound)
		}
		if _, err := f.svc.Get(f.ctx, f.cityStaff, a.ID); err != nil {
			t.Fatalf("the city reads down: %v", err)
		}
		_, err = f.svc.Hold(f.ctx, f.cityStaff, Ref{ID: a.ID})
		wantCode(t, err, apperr.Forbidden)
		for _, who := range []*auth.Actor{f.members[0], f.leader, f.admin} {
			_, err = f.svc.Hold(f.ctx, who, Ref{ID: a.ID})
			wantCode(t, err, apperr.Forbidden)
			_, err = f.svc.Invite(f.ctx, who, Ref{ID: a.ID}, f.people[:1])
			wantCode(t, err, apperr.Forbidden)
			_, err = f.svc.MarkAttendance(f.ctx, who, Ref{ID: a.ID}, []Mark{{PersonID: f.people[0], Status: Attended}})
			wantCode(t, err, apperr.Forbidden)
		}
		// A stale version is a conflict.
		ref := f.ref(a.ID)
		_, err = f.svc.Open(f.ctx, f.staff, ref)
		f.must(err, "open")
		_, err = f.svc.Hold(f.ctx, f.staff, ref)
		wantCode(t, err, apperr.Conflict)
		// Another committee's member cannot be invited.
		_, err = f.svc.Invite(f.ctx, f.staff, Ref{ID: a.ID}, []int64{f.otherMember.PersonID})
		wantCode(t, err, apperr.Invalid, "err.activity.not_serving_id")
	})
}

// TestMarkManyAtOnce: staff record many members in one action; one bad mark
// writes nothing.
func TestMarkManyAtOnce(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		a := f.create(KindStudy, "2026-06-15")
		_, err := f.svc.Invite(f.ctx, f.staff, Ref{ID: a.ID}, f.people[:3])
		f.must(err, "invite")
		_, err = f.svc.Open(f.ctx, f.staff, f.ref(a.ID))
		f.must(err, "open")
		bad := []Mark{{PersonID: f.people[0], Status: Attended}, {PersonID: f.otherMember.PersonID, Status: Attended}}
		_, err = f.svc.MarkAttendance(f.ctx, f.staff, Ref{ID: a.ID}, bad)
		wantCode(t, err, apperr.Invalid)
		if f.row(a.ID, f.people[0]).Status != Registered {
			t.Fatal("a refused batch wrote a mark")
		}
		// Absent is only recorded for someone on the roll while open; a walk-in attends.
		_, err = f.svc.MarkAttendance(f.ctx, f.staff, Ref{ID: a.ID}, []Mark{{PersonID: f.people[3], Status: Absent}})
		wantCode(t, err, apperr.Invalid, "err.activity.att_state.none")
		n, err := f.svc.MarkAttendance(f.ctx, f.staff, Ref{ID: a.ID}, []Mark{
			{PersonID: f.people[0], Status: Attended, Role: RoleSpeaker}, {PersonID: f.people[1], Status: Absent},
			{PersonID: f.people[3], Status: Attended, Role: RoleDrafter}})
		f.must(err, "mark")
		if n != 3 {
			t.Fatalf("changed %d", n)
		}
		r0, r3 := f.row(a.ID, f.people[0]), f.row(a.ID, f.people[3])
		if r0.Status != Attended || r0.Role != RoleSpeaker || r3.Status != Attended || r3.Role != RoleDrafter {
			t.Fatalf("rows %+v %+v", r0, r3)
		}
		_, err = f.svc.Hold(f.ctx, f.staff, f.ref(a.ID))
		f.must(err, "hold")
		if got := f.row(a.ID, f.people[2]).Status; got != Absent {
			t.Fatalf("uncounted member is %s", got)
		}
	})
}

// TestEnterPast: a past activity with its real date and attendance, marked
// entered later by whom and when.
func TestEnterPast(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		in := f.input(KindResearch, "2026-03-10")
		roll := []PastRow{{PersonID: f.people[0], Status: Attended, Role: RoleDrafter}, {PersonID: f.people[1], Status: LeaveApproved},
			{PersonID: f.people[2], Status: Absent}}
		_, err := f.svc.EnterPast(f.ctx, f.members[0], f.county.ID, in, roll)
		wantCode(t, err, apperr.Forbidden)
		future := f.input(KindResearch, "2026-07-10")
		_, err = f.svc.EnterPast(f.ctx, f.staff, f.county.ID, future, roll)
		wantCode(t, err, apperr.Invalid, "err.activity.past_in_future")
		badRoll := append(roll[:2:2], PastRow{PersonID: f.people[2], Status: CheckedIn})
		_, err = f.svc.EnterPast(f.ctx, f.staff, f.county.ID, in, badRoll)
		wantCode(t, err, apperr.Invalid, "err.form.bad_choice")
		var n int
		f.must(f.d.QueryRowContext(f.ctx, `SELECT COUNT(*) FROM activities`).Scan(&n), "count")
		if n != 0 {
			t.Fatal("a refused past record was written")
		}
		a, err := f.svc.EnterPast(f.ctx, f.staff, f.county.ID, in, roll)
		f.must(err, "enter past")
		d, err := f.svc.Get(f.ctx, f.staff, a.ID)
		f.must(err, "get")
		if d.State != Held || !d.EnteredLater || d.EnteredBy != f.staff.UserID || d.EnteredAt.IsZero() || d.StartsOn != civil.MustParse("2026-03-10") {
			t.Fatalf("past record %+v", d.Activity)
		}
		if d.Counts[Attended] != 1 || d.Counts[LeaveApproved] != 1 || d.Counts[Absent] != 1 {
			t.Fatalf("counts %v", d.Counts)
		}
		// Held: staff still complete the roll and the invited guests, nothing else.
		if len(d.Can) != 2 || !slicesContains(d.Can, ActMarkAttended) || !slicesContains(d.Can, ActGuests) {
			t.Fatalf("a held activity offers %v", d.Can)
		}
	})
}

// TestVisibilityOneRule: whatever List and Calendar return, Get returns too,
// and Get refuses what the rule excludes.
func TestVisibilityOneRule(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		a := f.create(KindPlenary, "2026-06-20")
		b := f.create(KindResearch, "2026-06-25")
		_, err := f.svc.InviteServing(f.ctx, f.staff, Ref{ID: a.ID})
		f.must(err, "invite")
		actors := append([]*auth.Actor{f.staff, f.leader, f.admin, f.unit, f.cityStaff, f.otherStaff, f.otherMember}, f.members...)
		for _, who := range actors {
			items, total, err := f.svc.List(f.ctx, who, Filter{CommitteeID: f.county.ID})
			if apperr.CodeOf(err) == apperr.NotFound {
				items = nil
			} else {
				f.must(err, "list")
			}
			if len(items) != total && err == nil {
				t.Errorf("%s: %d items, total %d", who.Name, len(items), total)
			}
			for _, it := range items {
				if _, err := f.svc.Get(f.ctx, who, it.ID); err != nil {
					t.Errorf("%s lists %d but Get says %v", who.Name, it.ID, err)
				}
			}
			for _, id := range []int64{a.ID, b.ID} {
				_, err := f.svc.Get(f.ctx, who, id)
				listed := false
				for _, it := range items {
					listed = listed || it.ID == id
				}
				if (err == nil) != listed {
					t.Errorf("%s: Get %d = %v but listed %v", who.Name, id, err, listed)
				}
			}
			cal, err := f.svc.Calendar(f.ctx, who, civil.MustParse("2026-01-01"), civil.MustParse("2026-12-31"))
			f.must(err, "calendar")
			for _, e := range cal {
				if _, err := f.svc.Get(f.ctx, who, e.ID); err != nil {
					t.Errorf("%s's calendar shows %d but Get says %v", who.Name, e.ID, err)
				}
			}
		}
		// A member's calendar: the plenary they are invited to and the open sign-up research.
		cal, err := f.svc.Calendar(f.ctx, f.members[0], civil.MustParse("2026-01-01"), civil.MustParse("2026-12-31"))
		f.must(err, "calendar")
		if len(cal) != 2 || cal[0].ID != a.ID || cal[0].Status != Registered || cal[1].ID != b.ID || cal[1].Status != None {
			t.Fatalf("calendar %+v", cal)
		}
		for _, who := range []*auth.Actor{f.unit, f.otherStaff, f.otherMember} {
			if _, err := f.svc.Get(f.ctx, who, a.ID); apperr.CodeOf(err) != apperr.NotFound {
				t.Errorf("%s reads another committee's activity: %v", who.Name, err)
			}
		}
	})
}
