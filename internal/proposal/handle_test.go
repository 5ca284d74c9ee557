package proposal

import (
	"slices"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
)

func TestContactAndReply(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p := f.seed(Accepted)
		ref := Ref{ID: p.ID}
		// No reply before contact (面商 first).
		_, err := f.svc.DraftReply(f.ctx, f.unitActors[0], ref, ReplyInput{ResultClass: "A", Body: "答复"})
		wantCode(t, err, apperr.Conflict, "err.proposal.state.ACCEPTED")
		for _, c := range []struct {
			in    ContactInput
			field string
		}{
			{ContactInput{Method: ByFace, People: "张三"}, "on"},
			{ContactInput{On: f.today.AddDays(1), Method: ByFace, People: "张三"}, "on"},
			{ContactInput{On: f.today.AddDays(-30), Method: ByFace, People: "张三"}, "on"},
			{ContactInput{On: f.today, Method: "wechat", People: "张三"}, "method"},
			{ContactInput{On: f.today, Method: ByPhone}, "people"},
		} {
			_, err := f.svc.LogContact(f.ctx, f.unitActors[0], ref, c.in)
			wantField(t, err, c.field)
		}
		for _, a := range []*auth.Actor{f.office, f.members[0], f.staff} {
			_, err := f.svc.LogContact(f.ctx, a, ref, ContactInput{On: f.today, Method: ByFace, People: "x"})
			wantCode(t, err, apperr.Forbidden)
		}
		p, err = f.svc.LogContact(f.ctx, f.unitActors[0], ref, ContactInput{On: f.today, Method: ByPhone, People: "张三、李局长"})
		if err != nil || p.State != InHandling {
			t.Fatalf("%v %s", err, p.State)
		}
		if _, err := f.svc.LogContact(f.ctx, f.unitActors[0], ref, ContactInput{On: f.today, Method: ByMeeting, People: "座谈"}); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.DraftReply(f.ctx, f.unitActors[0], ref, ReplyInput{ResultClass: "Z", Body: "答复"})
		wantField(t, err, "result_class")
		_, err = f.svc.DraftReply(f.ctx, f.unitActors[0], ref, ReplyInput{ResultClass: "B"})
		wantField(t, err, "body")
		if _, err := f.svc.DraftReply(f.ctx, f.unitActors[0], ref, ReplyInput{ResultClass: "B", Body: "初稿"}); err != nil {
			t.Fatal(err)
		}
		if p, err = f.svc.DraftReply(f.ctx, f.unitActors[0], ref, ReplyInput{ResultClass: "B", Body: "二稿"}); err != nil || p.State != ReplyDrafted {
			t.Fatalf("%v", err)
		}
		if p, err = f.svc.SubmitReply(f.ctx, f.unitActors[0], ref); err != nil || p.State != ReplyReview {
			t.Fatalf("%v", err)
		}
		asg := f.get(p.ID).Assignments[0]
		// The office sends it back with a note, then approves it changing the class.
		_, err = f.svc.SendBack(f.ctx, f.office, ref, asg.ID, "")
		wantField(t, err, "note")
		_, err = f.svc.Approve(f.ctx, f.unitActors[0], ref, asg.ID, "", "")
		wantCode(t, err, apperr.Forbidden)
		if p, err = f.svc.SendBack(f.ctx, f.office, ref, asg.ID, "请补充具体措施"); err != nil || p.State != ReplyDrafted {
			t.Fatalf("%v", err)
		}
		if _, err := f.svc.SubmitReply(f.ctx, f.unitActors[0], ref); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Approve(f.ctx, f.office, ref, asg.ID, "Q", "")
		wantField(t, err, "result_class")
		p, err = f.svc.Approve(f.ctx, f.office, ref, asg.ID, "C", "实际为留作参考")
		if err != nil || p.State != Replied || p.RepliedOn != f.today {
			t.Fatalf("%v %+v", err, p)
		}
		d := f.get(p.ID)
		r := d.Replies[0]
		// Every status change of the reply row is in the audit log: two submissions, one send-back.
		for action, want := range map[string]int{"proposal.submit_reply": 2, "proposal.send_back": 1, "proposal.approve": 1} {
			if n := f.count(`SELECT COUNT(*) FROM audit_log WHERE entity = 'proposal_reply' AND entity_id = $1 AND action = $2`, r.ID, action); n != want {
				t.Errorf("audit %s on the reply: %d entries, want %d", action, n, want)
			}
		}
		if r.ResultClass != "C" || r.DraftedClass != "B" || r.Body != "二稿" || r.Status != "delivered" || r.DeliveredOn != f.today {
			t.Fatalf("reply %+v", r)
		}
		if len(d.Contacts) != 2 || d.Contacts[0].FaceToFace || !d.Contacts[1].FaceToFace {
			t.Fatalf("contacts %+v", d.Contacts)
		}
		if n := f.count(`SELECT COUNT(*) FROM notifications WHERE kind = 'proposal.replied' AND user_id = $1`, f.members[0].UserID); n != 1 {
			t.Fatalf("proposer told %d times", n)
		}
		// Every transition is on the timeline and in the audit log.
		if n := f.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'proposal.approve'`); n < 2 {
			t.Fatalf("approve audited %d times", n)
		}
	})
}

func TestJointHandling(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p := f.seed(InHandling, func(s *SeedSpec) { s.Mode, s.Units = JointMode, f.units[:3] })
		ref := Ref{ID: p.ID}
		lead, co1, co2 := f.unitActors[0], f.unitActors[1], f.unitActors[2]
		// Co-units neither contact nor reply; they countersign the lead's draft.
		_, err := f.svc.DraftReply(f.ctx, co1, ref, ReplyInput{ResultClass: "A", Body: "x"})
		wantCode(t, err, apperr.Forbidden)
		_, err = f.svc.Countersign(f.ctx, co1, ref, "")
		wantCode(t, err, apperr.Conflict, "err.proposal.nothing_to_countersign")
		_, err = f.svc.Countersign(f.ctx, lead, ref, "")
		wantCode(t, err, apperr.Forbidden)
		if _, err := f.svc.DraftReply(f.ctx, lead, ref, ReplyInput{ResultClass: "A", Body: "会办答复"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Countersign(f.ctx, co1, ref, "同意"); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.SubmitReply(f.ctx, lead, ref)
		wantCode(t, err, apperr.Conflict, "err.proposal.countersign_missing")
		if e := apperr.As(err); e.Args["Unit"] != "县卫生健康局" {
			t.Fatalf("args %v", e.Args)
		}
		if _, err := f.svc.Countersign(f.ctx, co2, ref, ""); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Countersign(f.ctx, co2, ref, "")
		wantCode(t, err, apperr.Conflict, "err.proposal.state.COUNTERSIGNED")
		if p, err = f.svc.SubmitReply(f.ctx, lead, ref); err != nil || p.State != ReplyReview {
			t.Fatalf("%v", err)
		}
		d := f.get(p.ID)
		if len(d.Replies) != 1 || len(d.Replies[0].Countersigns) != 2 || d.Replies[0].Countersigns[0].Opinion != "同意" {
			t.Fatalf("%+v", d.Replies)
		}
		p, err = f.svc.Approve(f.ctx, f.office, ref, d.Assignments[0].ID, "", "")
		if err != nil || p.State != Replied {
			t.Fatalf("%v %s", err, p.State)
		}
	})
}

// TestSeparateAggregate: in 分办 each unit replies; the proposal is replied when all have.
func TestSeparateAggregate(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p := f.seed(ReplyReview, func(s *SeedSpec) { s.Mode, s.Units = Separate, f.units[:2] })
		d := f.get(p.ID)
		p, err := f.svc.Approve(f.ctx, f.office, Ref{ID: p.ID}, d.Assignments[0].ID, "", "")
		if err != nil || p.State != ReplyReview {
			t.Fatalf("after the first reply: %v %s", err, p.State)
		}
		if !p.DueOn.IsZero() && p.DueOn != d.Assignments[1].DueOn {
			t.Fatalf("due %v", p.DueOn)
		}
		p, err = f.svc.Approve(f.ctx, f.office, Ref{ID: p.ID}, d.Assignments[1].ID, "", "")
		if err != nil || p.State != Replied || !p.DueOn.IsZero() {
			t.Fatalf("after both: %v %s %v", err, p.State, p.DueOn)
		}
	})
}

func TestAggregate(t *testing.T) {
	a := func(role AssignRole, st State) Assignment { return Assignment{Role: role, State: st} }
	cases := []struct {
		as    []Assignment
		round int
		want  State
	}{
		{nil, 1, ""},
		{[]Assignment{a(RoleSole, Assigned)}, 1, Assigned},
		{[]Assignment{a(RoleSeparate, Accepted), a(RoleSeparate, ReturnRequested)}, 1, ReturnRequested},
		{[]Assignment{a(RoleLead, InHandling), a(RoleCo, Assigned)}, 1, Assigned},
		{[]Assignment{a(RoleLead, ReplyDrafted), a(RoleCo, Countersigned)}, 1, ReplyDrafted},
		{[]Assignment{a(RoleSeparate, Replied), a(RoleSeparate, InHandling)}, 1, InHandling},
		{[]Assignment{a(RoleSeparate, Replied), a(RoleSeparate, Replied)}, 1, Replied},
		{[]Assignment{a(RoleSole, InHandling)}, 2, Rehandling},
		{[]Assignment{a(RoleSole, Replied)}, 2, Replied},
		{[]Assignment{a(RoleLead, Replied), a(RoleCo, Countersigned)}, 1, Replied},
	}
	for i, c := range cases {
		if got := Aggregate(c.as, c.round); got != c.want {
			t.Errorf("case %d: %s, want %s", i, got, c.want)
		}
	}
}

func TestDetailCan(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p := f.seed(Submitted)
		d, _ := f.svc.Get(f.ctx, f.office, p.ID)
		for _, a := range []Action{ActRegister, ActReturn, ActMerge, ActDecline} {
			if !slices.Contains(d.Can, a) {
				t.Fatalf("office can %v", d.Can)
			}
		}
		d, _ = f.svc.Get(f.ctx, f.members[0], p.ID)
		if !slices.Equal(d.Can, []Action{ActWithdraw}) {
			t.Fatalf("proposer can %v", d.Can)
		}
		q := f.seed(Assigned)
		d, _ = f.svc.Get(f.ctx, f.unitActors[0], q.ID)
		if d.MyAssignment == 0 || !slices.Equal(d.AssignmentCan[d.MyAssignment], []Action{ActAccept, ActAskReturn}) {
			t.Fatalf("unit can %v", d.AssignmentCan)
		}
		d, _ = f.svc.Get(f.ctx, f.office, q.ID)
		if !slices.Equal(d.AssignmentCan[d.Assignments[0].ID], []Action{ActExtend}) {
			t.Fatalf("office can %v", d.AssignmentCan)
		}
	})
}
