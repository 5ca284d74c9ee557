package duty_test

import (
	"strings"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/duty"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
)

var may1 = civil.MustParse("2026-05-01")

// TestAdjustments: staff adjust with a reason (audited, posted at once);
// bad input names each field and writes nothing; cancelling reverses.
func TestAdjustments(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.rules(2026, duty.PresetTongcheng)
		_, err := f.svc.Adjust(f.ctx, f.staff, f.c.ID, duty.AdjustInput{MembershipID: 999999, Points: 0, Reason: " "})
		wantCode(t, err, apperr.Invalid)
		got := strings.Join(apperrFields(err), ",")
		if got != "points,reason,date,membership_id" {
			t.Errorf("fields %s", got)
		}
		_, err = f.svc.Adjust(f.ctx, f.staff, f.c.ID, duty.AdjustInput{MembershipID: f.mids[0], Date: may1, Points: 100,
			Reason: strings.Repeat("长", 501)})
		wantCode(t, err, apperr.Invalid)
		var n int
		f.d.QueryRow(`SELECT COUNT(*) FROM duty_adjustments`).Scan(&n)
		if n != 0 {
			t.Fatalf("%d adjustments written by refused calls", n)
		}
		a, err := f.svc.Adjust(f.ctx, f.staff, f.c.ID, duty.AdjustInput{MembershipID: f.mids[0], Date: may1, Points: -250, Reason: "无故缺席常委会"})
		if err != nil {
			t.Fatal(err)
		}
		if got := partOf(f.scores(2026)[f.mids[0]], duty.CatAdjustment).Raw; got != -250 {
			t.Fatalf("adjusted: %d", got)
		}
		f.d.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'duty_adjustment' AND entity_id = $1`, a.ID).Scan(&n)
		if n != 1 {
			t.Fatalf("audit rows %d", n)
		}
		wantCode(t, f.svc.CancelAdjustment(f.ctx, f.staff, f.c.ID, a.ID, a.Version+1), apperr.Conflict)
		if err := f.svc.CancelAdjustment(f.ctx, f.staff, f.c.ID, a.ID, a.Version); err != nil {
			t.Fatal(err)
		}
		if got := partOf(f.scores(2026)[f.mids[0]], duty.CatAdjustment).Raw; got != 0 {
			t.Fatalf("cancelled: %d", got)
		}
		f.clean(2026)
	})
}

// TestWhoMayDoWhat tries what each role must not do.
func TestWhoMayDoWhat(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.rules(2026, duty.PresetTongcheng)
		in := duty.AdjustInput{MembershipID: f.mids[0], Date: may1, Points: 100, Reason: "补记"}
		for _, a := range []*auth.Actor{f.members[0], f.leader, f.office} {
			_, err := f.svc.Adjust(f.ctx, a, f.c.ID, in)
			wantCode(t, err, apperr.Forbidden)
			_, err = f.svc.CopyPreset(f.ctx, a, f.c.ID, 2027, duty.PresetMinhang)
			wantCode(t, err, apperr.Forbidden)
			_, err = f.svc.Recompute(f.ctx, a, f.c.ID, 2026, false)
			wantCode(t, err, apperr.Forbidden)
			_, err = f.svc.ConfirmYear(f.ctx, a, f.c.ID, 2026)
			wantCode(t, err, apperr.Forbidden)
		}
		// Members read no one's scores table; the foreign committee sees nothing.
		_, err := f.svc.Scores(f.ctx, f.members[0], f.c.ID, 2026)
		wantCode(t, err, apperr.Forbidden)
		for _, call := range []func() error{
			func() error { _, err := f.svc.Scores(f.ctx, f.foreign, f.c.ID, 2026); return err },
			func() error { _, err := f.svc.Record(f.ctx, f.foreign, f.c.ID, f.mids[0], 2026); return err },
			func() error { _, err := f.svc.Adjust(f.ctx, f.foreign, f.c.ID, in); return err },
			func() error { _, err := f.svc.RuleSet(f.ctx, f.foreign, f.c.ID, 2026); return err },
			func() error { _, err := f.svc.Appeals(f.ctx, f.foreign, f.c.ID, ""); return err },
		} {
			wantCode(t, call(), apperr.NotFound)
		}
		// A member reads their own record only: another's is not found.
		if _, err := f.svc.Record(f.ctx, f.members[0], f.c.ID, f.mids[0], 2026); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Record(f.ctx, f.members[0], f.c.ID, f.mids[1], 2026)
		wantCode(t, err, apperr.NotFound)
		if _, err := f.svc.Record(f.ctx, f.leader, f.c.ID, f.mids[1], 2026); err != nil {
			t.Fatalf("leader reads a record: %v", err)
		}
	})
}

// TestAppeals: a member appeals an entry of their own; another member cannot
// see it to appeal it; staff uphold it with an adjustment or reject it; the
// member withdraws; decided appeals move no further.
func TestAppeals(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.rules(2026, duty.PresetTongcheng)
		f.proposal(proposal.Registered, 0, []int{1})
		rec, err := f.svc.Record(f.ctx, f.members[1], f.c.ID, f.mids[1], 2026)
		if err != nil {
			t.Fatal(err)
		}
		if !rec.CanAppeal || len(rec.Entries) != 2 {
			t.Fatalf("co-signer's record: can appeal %v, entries %+v", rec.CanAppeal, rec.Entries)
		}
		entry := rec.Entries[0].ID
		_, err = f.svc.FileAppeal(f.ctx, f.members[2], f.c.ID, entry, "不是我的")
		wantCode(t, err, apperr.NotFound)
		_, err = f.svc.FileAppeal(f.ctx, f.members[1], f.c.ID, entry, "  ")
		wantCode(t, err, apperr.Invalid)
		ap, err := f.svc.FileAppeal(f.ctx, f.members[1], f.c.ID, entry, "本人实为执笔人，应按领衔计分")
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.FileAppeal(f.ctx, f.members[1], f.c.ID, entry, "再次申诉")
		wantCode(t, err, apperr.Conflict)
		// The member cannot decide; staff must give a note.
		_, err = f.svc.DecideAppeal(f.ctx, f.members[1], f.c.ID, ap.ID, duty.Decision{Action: duty.ActUphold, Note: "x", Version: ap.Version})
		wantCode(t, err, apperr.Conflict)
		_, err = f.svc.DecideAppeal(f.ctx, f.staff, f.c.ID, ap.ID, duty.Decision{Action: duty.ActUphold, Version: ap.Version})
		wantCode(t, err, apperr.Invalid)
		up, err := f.svc.DecideAppeal(f.ctx, f.staff, f.c.ID, ap.ID, duty.Decision{Action: duty.ActUphold, Note: "经核实属实",
			Points: 250, Version: ap.Version})
		if err != nil {
			t.Fatal(err)
		}
		if up.State != duty.AppealUpheld || len(up.Can) != 0 {
			t.Fatalf("upheld: %+v", up)
		}
		if got := partOf(f.scores(2026)[f.mids[1]], duty.CatAdjustment).Raw; got != 250 {
			t.Fatalf("upheld adjustment: %d", got)
		}
		_, err = f.svc.DecideAppeal(f.ctx, f.staff, f.c.ID, ap.ID, duty.Decision{Action: duty.ActReject, Note: "改判", Version: up.Version})
		wantCode(t, err, apperr.Conflict)
		// A second appeal, withdrawn by the member.
		ap2, err := f.svc.FileAppeal(f.ctx, f.members[1], f.c.ID, rec.Entries[1].ID, "请复核")
		if err != nil {
			t.Fatal(err)
		}
		w, err := f.svc.DecideAppeal(f.ctx, f.members[1], f.c.ID, ap2.ID, duty.Decision{Action: duty.ActWithdraw, Version: ap2.Version})
		if err != nil || w.State != duty.AppealWithdrawn {
			t.Fatalf("withdraw: %v %+v", err, w)
		}
		// Lists: staff see both, the member their own, another member none.
		for _, c := range []struct {
			who  *auth.Actor
			want int
		}{{f.staff, 2}, {f.members[1], 2}, {f.members[0], 0}} {
			as, err := f.svc.Appeals(f.ctx, c.who, f.c.ID, "")
			if err != nil || len(as) != c.want {
				t.Errorf("%s sees %d appeals (%v), want %d", c.who.Name, len(as), err, c.want)
			}
		}
		var n int
		f.d.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'duty_appeal'`).Scan(&n)
		if n != 4 {
			t.Errorf("audited appeal steps %d, want 4", n)
		}
	})
}

// TestAssessmentAndExit: confirming a year records grades and closes its
// rules; 不称职 in two years of the term proposes resignation, which staff
// confirm.
func TestAssessmentAndExit(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		for _, y := range []int{2025, 2026} {
			f.rules(y, duty.PresetTongcheng)
		}
		f.proposal(proposal.Registered, 0, nil)
		if _, err := f.svc.Adjust(f.ctx, f.staff, f.c.ID, duty.AdjustInput{MembershipID: f.mids[0],
			Date: civil.MustParse("2025-06-01"), Points: 9500, Reason: "2025年度履职突出"}); err != nil {
			t.Fatal(err)
		}
		as, err := f.svc.ConfirmYear(f.ctx, f.staff, f.c.ID, 2025)
		if err != nil {
			t.Fatal(err)
		}
		if len(as) != 4 || as[0].MembershipID != f.mids[0] || as[0].Grade != duty.Excellent || as[0].Action != duty.ActionCommend {
			t.Fatalf("2025: %+v", as)
		}
		rs, _ := f.svc.RuleSet(f.ctx, f.staff, f.c.ID, 2025)
		_, err = f.svc.UpdateRuleSet(f.ctx, f.staff, f.c.ID, *rs)
		wantCode(t, err, apperr.Conflict)
		y, err := f.svc.Scores(f.ctx, f.staff, f.c.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		for _, sc := range y.Scores {
			if sc.MembershipID == f.mids[0] {
				if sc.Grade != duty.Incompetent || sc.Action != duty.ActionRemind || sc.Rank != 1 {
					t.Errorf("member 0 in 2026: %+v", sc)
				}
				continue
			}
			if sc.Incompetent != 2 || sc.Action != duty.ActionResign || len(sc.Exit) != 1 || sc.Rank != 2 {
				t.Errorf("member %d in 2026: %+v", sc.MembershipID, sc)
			}
		}
		as, err = f.svc.ConfirmYear(f.ctx, f.staff, f.c.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		last := as[len(as)-1]
		_, err = f.svc.DecideAction(f.ctx, f.staff, f.c.ID, 2026, last.MembershipID, "maybe", last.Version)
		wantCode(t, err, apperr.Invalid)
		d, err := f.svc.DecideAction(f.ctx, f.staff, f.c.ID, 2026, last.MembershipID, duty.ActionConfirmed, last.Version)
		if err != nil || d.ActionState != duty.ActionConfirmed {
			t.Fatalf("decide: %v %+v", err, d)
		}
		_, err = f.svc.DecideAction(f.ctx, f.staff, f.c.ID, 2026, last.MembershipID, duty.ActionDismissed, d.Version)
		wantCode(t, err, apperr.Conflict)
		rec, err := f.svc.Record(f.ctx, f.staff, f.c.ID, f.mids[0], 2026)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.History) != 2 || !rec.History[0].Confirmed || rec.History[0].Total != 9500 {
			t.Errorf("history %+v", rec.History)
		}
	})
}

// TestAnnualReport: a standing member writes their own report; a member who
// is not standing cannot; nobody writes another's; staff read it; a stale
// version is a conflict.
func TestAnnualReport(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		standing := f.w.Member(f.c, org.MemberInput{Name: "钱七", Standing: true})
		me := f.w.User(f.c, "qian", []auth.Role{auth.RoleMember}, standing.PersonID, 0)
		_, err := f.svc.SaveReport(f.ctx, f.members[0], f.c.ID, f.mids[0], 2026, "一年来……", 0)
		wantCode(t, err, apperr.Conflict)
		_, err = f.svc.SaveReport(f.ctx, f.members[0], f.c.ID, standing.ID, 2026, "代写", 0)
		wantCode(t, err, apperr.NotFound)
		_, err = f.svc.SaveReport(f.ctx, f.staff, f.c.ID, standing.ID, 2026, "代写", 0)
		wantCode(t, err, apperr.Forbidden)
		_, err = f.svc.SaveReport(f.ctx, me, f.c.ID, standing.ID, 2026, "  ", 0)
		wantCode(t, err, apperr.Invalid)
		r, err := f.svc.SaveReport(f.ctx, me, f.c.ID, standing.ID, 2026, "一年来，我参加了全体会议……", 0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.SaveReport(f.ctx, me, f.c.ID, standing.ID, 2026, "改写", 0)
		wantCode(t, err, apperr.Conflict)
		if _, err := f.svc.SaveReport(f.ctx, me, f.c.ID, standing.ID, 2026, "改写后的报告", r.Version); err != nil {
			t.Fatal(err)
		}
		rec, err := f.svc.Record(f.ctx, f.staff, f.c.ID, standing.ID, 2026)
		if err != nil || rec.Report == nil || rec.Report.Body != "改写后的报告" || !rec.Standing || rec.CanReport {
			t.Fatalf("staff read: %v %+v", err, rec)
		}
		if rec, _ := f.svc.Record(f.ctx, me, f.c.ID, standing.ID, 2026); !rec.CanReport || rec.Report == nil {
			t.Errorf("the member may not write or read their report")
		}
		// Another member never reads it; the leader reads but does not write;
		// another committee's staff do neither.
		_, err = f.svc.Record(f.ctx, f.members[0], f.c.ID, standing.ID, 2026)
		wantCode(t, err, apperr.NotFound)
		if rec, err := f.svc.Record(f.ctx, f.leader, f.c.ID, standing.ID, 2026); err != nil || rec.Report == nil || rec.CanReport {
			t.Errorf("leader read: %v %+v", err, rec)
		}
		_, err = f.svc.SaveReport(f.ctx, f.leader, f.c.ID, standing.ID, 2026, "代写", 2)
		wantCode(t, err, apperr.Forbidden)
		if _, err := f.svc.Record(f.ctx, f.foreign, f.c.ID, standing.ID, 2026); err == nil {
			t.Error("another committee's staff read the report")
		}
		if _, err := f.svc.SaveReport(f.ctx, f.foreign, f.c.ID, standing.ID, 2026, "代写", 2); err == nil {
			t.Error("another committee's staff wrote the report")
		}
		// Nothing anyone else tried changed it.
		if rec, _ := f.svc.Record(f.ctx, f.staff, f.c.ID, standing.ID, 2026); rec.Report.Body != "改写后的报告" || rec.Report.Version != 2 {
			t.Errorf("report after refused writes: %+v", rec.Report)
		}
	})
}
