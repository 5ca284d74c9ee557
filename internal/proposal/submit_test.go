package proposal

import (
	"strings"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
)

func TestCreateAndValidation(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		bad := []struct {
			name  string
			mut   func(c *Content)
			field string
		}{
			{"no title", func(c *Content) { c.Title = "  " }, "title"},
			{"long title", func(c *Content) { c.Title = strings.Repeat("长", MaxTitle+1) }, "title"},
			{"bad theme", func(c *Content) { c.Theme = "sports" }, "theme"},
			{"bad kind", func(c *Content) { c.Kind = "group" }, "kind"},
			{"body without name", func(c *Content) { c.Kind, c.BodyType = Body, BodyParty }, "body_name"},
			{"co-signers on individual", func(c *Content) { c.CoSigners = []int64{f.mids[1]} }, "co_signers"},
			{"co-signer twice", func(c *Content) { c.Kind, c.CoSigners = Joint, []int64{f.mids[1], f.mids[1]} }, "co_signers"},
			{"co-signer is self", func(c *Content) { c.Kind, c.CoSigners = Joint, []int64{f.mids[0]} }, "co_signers"},
			{"unknown co-signer", func(c *Content) { c.Kind, c.CoSigners = Joint, []int64{999999} }, "co_signers"},
			{"unknown session", func(c *Content) { c.SessionID = 999999 }, "session_id"},
		}
		for _, b := range bad {
			c := content("t")
			b.mut(&c)
			_, err := f.svc.Create(f.ctx, f.members[0], c)
			wantField(t, err, b.field)
		}
		// Only members create; each other role is refused and nothing is written.
		for _, a := range []*auth.Actor{f.office, f.staff, f.admin, f.leader, f.assistance, f.unitActors[0], nil} {
			_, err := f.svc.Create(f.ctx, a, content("t"))
			wantCode(t, err, apperr.Forbidden)
		}
		if n := f.count(`SELECT COUNT(*) FROM proposals`); n != 0 {
			t.Fatalf("refused creations wrote %d proposals", n)
		}
		p, err := f.svc.Create(f.ctx, f.members[0], content("关于改善农村道路的提案"))
		if err != nil {
			t.Fatal(err)
		}
		if p.State != Draft || p.FirstProposerID != f.mids[0] || p.SessionID != f.sessionID || p.Year != 2026 || p.FirstProposerName != "张三" {
			t.Fatalf("created %+v", p)
		}
		if f.count(`SELECT COUNT(*) FROM audit_log WHERE entity = 'proposal' AND entity_id = $1`, p.ID) != 1 ||
			f.count(`SELECT COUNT(*) FROM proposal_events WHERE proposal_id = $1`, p.ID) != 1 {
			t.Fatal("creation not audited or not on the timeline")
		}
		// A draft is the proposer's alone.
		for _, a := range []*auth.Actor{f.office, f.staff, f.leader, f.members[1], f.unitActors[0], f.foreignOffice} {
			if _, err := f.svc.Get(f.ctx, a, p.ID); apperr.CodeOf(err) != apperr.NotFound {
				t.Fatalf("%s sees a draft: %v", a.Name, err)
			}
		}
		// Submitting requires the texts.
		empty := content("只有标题")
		empty.Suggestions = ""
		p2, _ := f.svc.Create(f.ctx, f.members[0], empty)
		_, err = f.svc.Submit(f.ctx, f.members[0], Ref{ID: p2.ID})
		wantField(t, err, "suggestions")
		if f.state(p2.ID) != Draft {
			t.Fatal("refused submission changed the state")
		}
	})
}

func TestSubmitCategoryAndBodies(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		// Inside the session's window (2026-02-01..03-01): 大会提案.
		f.today = civil.MustParse("2026-02-27")
		p := f.seed(Submitted)
		if p.Category != Plenary || p.SubmittedOn != f.today {
			t.Fatalf("in window: %s %v", p.Category, p.SubmittedOn)
		}
		if f.count(`SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'proposal.submitted'`, f.office.UserID) != 1 {
			t.Fatal("office not told of the submission")
		}
		// A sector may propose in its own name during the plenary only.
		sector := func(c *Content) { c.Kind, c.BodyType, c.BodyName = Body, BodySector, "经济界" }
		if _, err := f.svc.Create(f.ctx, f.members[0], func() Content { c := content("界别提案"); sector(&c); return c }()); err != nil {
			t.Fatal(err)
		}
		f.today = civil.MustParse("2026-03-10")
		q := f.seed(Submitted)
		if q.Category != Regular {
			t.Fatalf("after window: %s", q.Category)
		}
		c := content("界别平时提案")
		sector(&c)
		d, err := f.svc.Create(f.ctx, f.members[0], c)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Submit(f.ctx, f.members[0], Ref{ID: d.ID})
		wantField(t, err, "body_type")
		if f.state(d.ID) != Draft {
			t.Fatal("refused body submission changed state")
		}
		// A party may propose at any time.
		c.BodyType, c.BodyName = BodyParty, "民盟县委"
		if _, err := f.svc.Update(f.ctx, f.members[0], Ref{ID: d.ID}, c); err != nil {
			t.Fatal(err)
		}
		if p, err := f.svc.Submit(f.ctx, f.members[0], Ref{ID: d.ID}); err != nil || p.Kind != Body || p.State != Submitted {
			t.Fatalf("party proposal: %v %+v", err, p)
		}
	})
}

func TestJointSigning(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		c := content("联名提案")
		c.Kind, c.CoSigners = Joint, []int64{f.mids[1], f.mids[2]}
		p, err := f.svc.Create(f.ctx, f.members[0], c)
		if err != nil {
			t.Fatal(err)
		}
		ref := Ref{ID: p.ID}
		// A joint proposal cannot skip signing.
		_, err = f.svc.Submit(f.ctx, f.members[0], ref)
		wantCode(t, err, apperr.Conflict, "err.proposal.sign_first")
		// Co-signers do not see the draft, then see the invitation.
		if _, err := f.svc.Get(f.ctx, f.members[1], p.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("co-signer sees the draft: %v", err)
		}
		// Only the first proposer invites.
		_, err = f.svc.StartSigning(f.ctx, f.members[1], ref, civil.Date{})
		wantCode(t, err, apperr.NotFound)
		p, err = f.svc.StartSigning(f.ctx, f.members[0], ref, civil.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if p.State != Signing || p.SigningDeadline != civil.MustParse("2026-03-09") { // 5 working days after Mon 2 March
			t.Fatalf("signing: %s until %v", p.State, p.SigningDeadline)
		}
		if n := f.count(`SELECT COUNT(*) FROM notifications WHERE kind = 'proposal.invited'`); n != 2 {
			t.Fatalf("%d invitations sent", n)
		}
		if _, err := f.svc.Get(f.ctx, f.members[1], p.ID); err != nil {
			t.Fatalf("invited co-signer cannot read: %v", err)
		}
		// The first proposer cannot sign as co-signer; an unrelated member cannot see it.
		_, err = f.svc.Sign(f.ctx, f.members[0], ref)
		wantCode(t, err, apperr.Forbidden)
		_, err = f.svc.Sign(f.ctx, f.members[3], ref)
		wantCode(t, err, apperr.NotFound)
		if _, err := f.svc.Sign(f.ctx, f.members[1], ref); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Sign(f.ctx, f.members[1], ref)
		wantCode(t, err, apperr.Conflict, "err.proposal.already_answered")
		// Still one invitation open before the deadline: not yet.
		_, err = f.svc.Submit(f.ctx, f.members[0], ref)
		wantCode(t, err, apperr.Conflict, "err.proposal.signing_open")
		// After the deadline the late co-signer cannot sign; submission expires the invitation.
		f.today = civil.MustParse("2026-03-10")
		_, err = f.svc.Sign(f.ctx, f.members[2], ref)
		wantCode(t, err, apperr.Conflict, "err.proposal.signing_expired")
		p, err = f.svc.Submit(f.ctx, f.members[0], ref)
		if err != nil || p.State != Submitted {
			t.Fatalf("submit after deadline: %v", err)
		}
		d := f.get(p.ID)
		got := map[string]SignerStatus{}
		for _, s := range d.Signers {
			got[s.Name] = s.Status
		}
		if got["张三"] != Signed || got["李四"] != Signed || got["王五"] != Expired {
			t.Fatalf("signers %v", got)
		}
		if n := f.count(`SELECT COUNT(*) FROM audit_log WHERE entity = 'proposal' AND entity_id = $1 AND action = 'proposal.expire_signers'`, p.ID); n != 1 {
			t.Fatalf("expiring the unanswered invitation was audited %d times, want 1", n)
		}
	})
}

func TestJointNeedsOneSignature(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		c := content("无人联名")
		c.Kind, c.CoSigners = Joint, []int64{f.mids[1]}
		p, _ := f.svc.Create(f.ctx, f.members[0], c)
		ref := Ref{ID: p.ID}
		if _, err := f.svc.StartSigning(f.ctx, f.members[0], ref, civil.MustParse("2026-03-04")); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.DeclineSign(f.ctx, f.members[1], ref); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.Submit(f.ctx, f.members[0], ref)
		wantCode(t, err, apperr.Conflict, "err.proposal.no_cosigner")
		// Back to draft, become individual, submit.
		if _, err := f.svc.CancelSigning(f.ctx, f.members[0], ref); err != nil {
			t.Fatal(err)
		}
		c.Kind, c.CoSigners = Individual, nil
		if _, err := f.svc.Update(f.ctx, f.members[0], ref, c); err != nil {
			t.Fatal(err)
		}
		if p, err := f.svc.Submit(f.ctx, f.members[0], ref); err != nil || p.Kind != Individual {
			t.Fatalf("%v %+v", err, p)
		}
		// A declined co-signer is no longer a signer of the individual proposal.
		if _, err := f.svc.Get(f.ctx, f.members[1], p.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("former co-signer still sees it: %v", err)
		}
		// Bad deadlines.
		c2 := content("x")
		c2.Kind, c2.CoSigners = Joint, []int64{f.mids[1]}
		p2, _ := f.svc.Create(f.ctx, f.members[0], c2)
		_, err = f.svc.StartSigning(f.ctx, f.members[0], Ref{ID: p2.ID}, f.today)
		wantField(t, err, "deadline")
	})
}

func TestWithdrawAndReturn(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p := f.seed(Submitted, func(s *SeedSpec) { s.Content.Kind, s.Content.CoSigners = Joint, []int64{f.mids[1]} })
		ref := Ref{ID: p.ID}
		// Return needs a note; only the office returns.
		_, err := f.svc.Return(f.ctx, f.office, ref, " ")
		wantField(t, err, "note")
		for _, a := range []*auth.Actor{f.staff, f.admin, f.leader, f.members[0], f.members[1]} {
			_, err := f.svc.Return(f.ctx, a, ref, "x")
			wantCode(t, err, apperr.Forbidden)
		}
		p, err = f.svc.Return(f.ctx, f.office, ref, "请补充数据")
		if err != nil || p.State != Returned || p.ReviewNote != "请补充数据" {
			t.Fatalf("%v %+v", err, p)
		}
		// The proposer revises (co-signers fixed) and resubmits.
		c := content("修改后的标题")
		c.Kind, c.CoSigners = Joint, []int64{f.mids[1]}
		if _, err := f.svc.Update(f.ctx, f.members[0], ref, c); err != nil {
			t.Fatal(err)
		}
		c.CoSigners = []int64{f.mids[2]}
		_, err = f.svc.Update(f.ctx, f.members[0], ref, c)
		wantField(t, err, "co_signers")
		_, err = f.svc.Update(f.ctx, f.members[1], ref, c)
		wantCode(t, err, apperr.Forbidden)
		if p, err = f.svc.Submit(f.ctx, f.members[0], ref); err != nil || p.Title != "修改后的标题" || p.ReviewNote != "" {
			t.Fatalf("%v %+v", err, p)
		}
		// Only the first proposer withdraws.
		for _, a := range []*auth.Actor{f.members[1], f.office, f.staff} {
			_, err := f.svc.Withdraw(f.ctx, a, ref, "")
			wantCode(t, err, apperr.Forbidden)
		}
		if p, err = f.svc.Withdraw(f.ctx, f.members[0], ref, "已解决"); err != nil || p.State != Withdrawn {
			t.Fatalf("%v", err)
		}
		_, err = f.svc.Register(f.ctx, f.office, ref)
		wantCode(t, err, apperr.Conflict, "err.proposal.state.WITHDRAWN")
	})
}

func TestEnterPaper(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		in := Paper{Content: content("纸质提案"), FirstProposerID: f.mids[2], SubmittedOn: civil.MustParse("2026-02-28")}
		in.Kind, in.CoSigners = Joint, []int64{f.mids[3]}
		for _, a := range []*auth.Actor{f.members[2], f.unitActors[0], f.leader, f.admin} {
			_, err := f.svc.EnterPaper(f.ctx, a, in)
			wantCode(t, err, apperr.Forbidden)
		}
		bad := in
		bad.FirstProposerID = 0
		_, err := f.svc.EnterPaper(f.ctx, f.staff, bad)
		wantField(t, err, "first_proposer_id")
		bad = in
		bad.SubmittedOn = civil.MustParse("2026-04-01")
		_, err = f.svc.EnterPaper(f.ctx, f.staff, bad)
		wantField(t, err, "submitted_on")
		p, err := f.svc.EnterPaper(f.ctx, f.staff, in)
		if err != nil {
			t.Fatal(err)
		}
		if p.State != Submitted || p.EnteredBy != f.staff.UserID || p.FirstProposerID != f.mids[2] || p.Category != Plenary {
			t.Fatalf("paper: %+v", p)
		}
		d, err := f.svc.Get(f.ctx, f.members[3], p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Signers) != 2 || d.Signers[1].Status != Signed || d.Events[0].Action != string(ActEnterPaper) || d.Events[0].ActorName != "staff" {
			t.Fatalf("paper detail: %+v %+v", d.Signers, d.Events)
		}
	})
}

func TestAttachments(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p, _ := f.svc.Create(f.ctx, f.members[0], content("带附件"))
		ref := Ref{ID: p.ID}
		_, err := f.svc.AddAttachment(f.ctx, f.members[0], ref, "big.pdf", "application/pdf", make([]byte, MaxAttachment+1))
		wantCode(t, err, apperr.TooLarge)
		a, err := f.svc.AddAttachment(f.ctx, f.members[0], ref, "调研报告.pdf", "application/pdf", []byte("%PDF-1.4 test"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Submit(f.ctx, f.members[0], ref); err != nil {
			t.Fatal(err)
		}
		// Readable by who sees the proposal, bytes intact; not by others.
		got, data, err := f.svc.AttachmentContent(f.ctx, f.office, p.ID, a.ID)
		if err != nil || string(data) != "%PDF-1.4 test" || got.Name != "调研报告.pdf" {
			t.Fatalf("%v %q", err, data)
		}
		if _, _, err := f.svc.AttachmentContent(f.ctx, f.members[1], p.ID, a.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("unrelated member reads attachment: %v", err)
		}
		// After submission attachments are frozen.
		_, err = f.svc.AddAttachment(f.ctx, f.members[0], ref, "late.txt", "", []byte("x"))
		wantCode(t, err, apperr.Conflict, "err.proposal.state.SUBMITTED")
		err = f.svc.RemoveAttachment(f.ctx, f.members[0], ref, a.ID)
		wantCode(t, err, apperr.Conflict)
	})
}
