package proposal

import (
	"testing"

	"github.com/riverqueue/river"

	"lvzhi/internal/civil"
)

// TestScanDeadlines walks the calendar past a proposal's deadlines: each
// reminder goes to the right people once, however often the scan runs.
func TestScanDeadlines(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		kind := func(k string, userID int64) int {
			return f.count(`SELECT COUNT(*) FROM notifications WHERE kind = $1 AND user_id = $2`, "proposal."+k, userID)
		}
		scan := func(day string) int {
			t.Helper()
			n, err := f.svc.ScanDeadlines(f.ctx, civil.MustParse(day))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		key := f.seed(Assigned, func(s *SeedSpec) { s.Key = []int64{f.leader.UserID} }) // due 2026-06-02
		plain := f.seed(Accepted, func(s *SeedSpec) { s.Units = f.units[1:2] })
		unit0, unit1 := f.unitActors[0].UserID, f.unitActors[1].UserID
		if n := scan("2026-03-10"); n != 0 {
			t.Fatalf("%d reminders too early", n)
		}
		// No contact 15 working days after assignment (2026-03-23): unit and office told, once.
		if n := scan("2026-03-24"); n != 2 {
			t.Fatalf("%d contact reminders", n)
		}
		if kind(RemindContactMissing, unit0) != 1 || kind(RemindContactMissing, f.office.UserID) != 2 {
			t.Fatal("contact reminders went to the wrong people")
		}
		if n := scan("2026-03-24"); n != 0 {
			t.Fatalf("second scan sent %d", n)
		}
		// The plain proposal's unit makes contact; the key one's does not.
		if _, err := f.svc.LogContact(f.ctx, f.unitActors[1], Ref{ID: plain.ID}, ContactInput{On: civil.MustParse("2026-03-02"), Method: ByFace, People: "张三"}); err != nil {
			t.Fatal(err)
		}
		// Due within 5 working days (due Tue 2 June; 26 May is 5 working days before).
		if n := scan("2026-05-26"); n != 2 {
			t.Fatalf("%d due-soon reminders", n)
		}
		if kind(RemindDueSoon, unit0) != 1 || kind(RemindDueSoon, unit1) != 1 || kind(RemindDueSoon, f.office.UserID) != 0 {
			t.Fatal("due-soon reminders went to the wrong people")
		}
		// Overdue: the unit, the office and, for the key proposal, its leader.
		if n := scan("2026-06-03"); n != 2 {
			t.Fatalf("%d overdue reminders", n)
		}
		if kind(RemindOverdue, unit0) != 1 || kind(RemindOverdue, f.office.UserID) != 2 || kind(RemindOverdue, f.leader.UserID) != 1 {
			t.Fatal("escalation went to the wrong people")
		}
		scan("2026-06-04")
		if kind(RemindOverdue, unit0) != 1 {
			t.Fatal("overdue sent twice")
		}
		// An extension makes a new due date, with its own reminders.
		f.today = civil.MustParse("2026-06-04")
		asg := f.get(key.ID).Assignments[0]
		if _, err := f.svc.Extend(f.ctx, f.office, Ref{ID: key.ID}, asg.ID, civil.MustParse("2026-08-03"), ""); err != nil {
			t.Fatal(err)
		}
		scan("2026-08-04")
		if kind(RemindOverdue, unit0) != 2 {
			t.Fatal("no reminder for the extended due date")
		}
		// Overdue proposals are found by the list filter.
		f.today = civil.MustParse("2026-08-04")
		page, err := f.svc.List(f.ctx, f.office, f.cid, Filter{Overdue: true})
		if err != nil || page.Total != 2 || !page.Items[0].Overdue {
			t.Fatalf("%v %+v", err, page)
		}
	})
}

// TestScanSigning: co-signers who have not answered are reminded once, on the
// working day before the co-signing deadline; after it the first proposer is
// told once that the proposal may be submitted.
func TestScanSigning(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		kind := func(k string, userID int64) int {
			return f.count(`SELECT COUNT(*) FROM notifications WHERE kind = $1 AND user_id = $2`, "proposal."+k, userID)
		}
		scan := func(day string) int {
			t.Helper()
			n, err := f.svc.ScanDeadlines(f.ctx, civil.MustParse(day))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		p := f.seed(Signing, func(sp *SeedSpec) {
			sp.Content.Kind, sp.Content.CoSigners = Joint, []int64{f.mids[1], f.mids[2]}
		})
		dt, err := f.svc.Get(f.ctx, f.members[0], p.ID) // the office does not see it before submission
		if err != nil {
			t.Fatal(err)
		}
		if d := dt.SigningDeadline.String(); d != "2026-03-09" {
			t.Fatalf("signing deadline %s, want 5 working days after 2026-03-02", d)
		}
		if _, err := f.svc.Sign(f.ctx, f.members[1], Ref{ID: p.ID}); err != nil {
			t.Fatal(err)
		}
		if n := scan("2026-03-05"); n != 0 {
			t.Fatalf("%d reminders two working days before the deadline", n)
		}
		if n := scan("2026-03-06"); n != 1 {
			t.Fatalf("%d reminders on the last working day before the deadline, want 1", n)
		}
		if kind(RemindSigningDue, f.members[2].UserID) != 1 || kind(RemindSigningDue, f.members[1].UserID) != 0 ||
			kind(RemindSigningDue, f.members[0].UserID) != 0 {
			t.Fatal("signing reminder went to the wrong people (only the co-signer yet to answer)")
		}
		if n := scan("2026-03-09"); n != 0 {
			t.Fatalf("reminded again (%d)", n)
		}
		if n := scan("2026-03-10"); n != 1 || kind(RemindSigningClosed, f.members[0].UserID) != 1 {
			t.Fatalf("%d sent after the deadline; first proposer told %d times", n, kind(RemindSigningClosed, f.members[0].UserID))
		}
		if n := scan("2026-03-11"); n != 0 {
			t.Fatalf("closed notice sent again (%d)", n)
		}
	})
}

func TestScanEvaluations(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p := f.seed(Replied, func(s *SeedSpec) { s.Content.Kind, s.Content.CoSigners = Joint, []int64{f.mids[1]} })
		if _, err := f.svc.Evaluate(f.ctx, f.members[0], Ref{ID: p.ID}, happy); err != nil {
			t.Fatal(err)
		}
		if n, err := f.svc.ScanDeadlines(f.ctx, civil.MustParse("2026-03-03")); err != nil || n != 1 {
			t.Fatalf("%d %v", n, err)
		}
		if f.count(`SELECT COUNT(*) FROM notifications WHERE kind = 'proposal.evaluation' AND user_id = $1`, f.members[1].UserID) != 1 ||
			f.count(`SELECT COUNT(*) FROM notifications WHERE kind = 'proposal.evaluation' AND user_id = $1`, f.members[0].UserID) != 0 {
			t.Fatal("evaluation reminder went to the wrong signer")
		}
		// After the period the office is told it may close; once.
		for range 2 {
			if _, err := f.svc.ScanDeadlines(f.ctx, civil.MustParse("2026-03-30")); err != nil {
				t.Fatal(err)
			}
		}
		if f.count(`SELECT COUNT(*) FROM notifications WHERE kind = 'proposal.evaluation_due' AND user_id = $1`, f.office.UserID) != 1 {
			t.Fatal("office not told once")
		}
	})
}

// TestScanEvaluationsDuringRehandling: when the first signer's 不满意 starts
// round 2 before any scan, the co-signer who may still evaluate round 1 is
// reminded once while its window is open; the office is not told to close a
// proposal that is being re-handled.
func TestScanEvaluationsDuringRehandling(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p := f.seed(Replied, func(s *SeedSpec) { s.Content.Kind, s.Content.CoSigners = Joint, []int64{f.mids[1]} })
		unhappy := EvaluationInput{Overall: Dissatisfied, Contact: NotVisited, Attitude: Basic, Addressed: NotTargeted, Comment: "未解决"}
		if p, err := f.svc.Evaluate(f.ctx, f.members[0], Ref{ID: p.ID}, unhappy); err != nil || p.State != Rehandling {
			t.Fatalf("%v", err)
		}
		notes := func(kind string, userID int64) int {
			return f.count(`SELECT COUNT(*) FROM notifications WHERE kind = $1 AND user_id = $2`, "proposal."+kind, userID)
		}
		for _, day := range []string{"2026-03-03", "2026-03-04", "2026-03-30"} {
			if _, err := f.svc.ScanDeadlines(f.ctx, civil.MustParse(day)); err != nil {
				t.Fatal(err)
			}
		}
		if notes(RemindEvaluation, f.members[1].UserID) != 1 || notes(RemindEvaluation, f.members[0].UserID) != 0 {
			t.Fatal("the co-signer who may still evaluate round 1 is not reminded once (or the first proposer is)")
		}
		if notes(RemindEvaluationDue, f.office.UserID) != 0 {
			t.Fatal("the office is told to close a proposal being re-handled")
		}
	})
}

// TestDeadlineJob: the daily job's worker runs the scan (River calls Work).
func TestDeadlineJob(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.seed(Assigned)
		f.today = civil.MustParse("2026-06-03") // overdue
		w := &deadlineWorker{svc: f.svc}
		if err := w.Work(f.ctx, &river.Job[DeadlineScanArgs]{}); err != nil {
			t.Fatal(err)
		}
		if n := f.count(`SELECT COUNT(*) FROM reminders_sent WHERE kind = $1`, RemindOverdue); n != 1 {
			t.Fatalf("%d overdue reminders recorded", n)
		}
		if (DeadlineScanArgs{}).Kind() != "proposal.deadline_scan" {
			t.Fatal("job kind")
		}
	})
}
