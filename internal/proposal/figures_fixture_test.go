package proposal

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name, rewriting it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Fatalf("%s differs from the golden file (run with -update after checking):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// session is the figures fixture: one plenary session's proposals in every
// outcome, driven through the real use cases. Ids are kept for assertions.
type figSession struct {
	solvedA, jointB, separateC, repliedOnly, handling, registered, merged *Proposal
	sqmy, declined, withdrawn, pending, draft, dissatisfied, late         *Proposal
	idleMember                                                            int64
}

// seedSession builds the session on f. Dates: most steps on 2026-03-02; the
// late reply and the overdue check on 2026-06-15 (due dates are 2026-06-02).
func (f *fx) seedSession() *figSession {
	f.t.Helper()
	var s figSession
	body := func(sp *SeedSpec) {
		sp.Content.Kind, sp.Content.BodyType, sp.Content.BodyName = Body, BodyParty, "民盟滇富县支部"
		sp.Content.Theme = Politics
	}
	s.solvedA = f.seed(Closed, func(sp *SeedSpec) {
		sp.Content.Title, sp.Content.PublishConsent = "关于加快乡村振兴产业发展的建议", true
		sp.Content.Matter = "乡村振兴需要产业支撑，联系人电话13812345678。"
		sp.Key = []int64{f.leader.UserID}
	})
	s.jointB = f.seed(Closed, func(sp *SeedSpec) {
		sp.Content.Title, sp.Content.Theme = "关于改善农村道路交通条件的建议", Society
		sp.FirstProposer, sp.Mode, sp.Units, sp.ResultClass, sp.Overall = f.mids[1], JointMode, f.units[1:3], "B", Basic
	})
	s.separateC = f.seed(Closed, func(sp *SeedSpec) {
		sp.Content.Title, sp.Content.Theme = "关于保护南盘江流域生态环境的建议", Ecology
		sp.FirstProposer, sp.Mode, sp.Units, sp.ResultClass = f.mids[2], Separate, f.units[0:2], "C"
	})
	s.repliedOnly = f.seed(Replied, func(sp *SeedSpec) {
		sp.Content.Title, sp.Content.Theme = "关于加强农村学校师资建设的建议", Culture
		sp.Content.Kind, sp.Content.CoSigners = Joint, []int64{f.mids[2]}
		sp.FirstProposer, sp.Units = f.mids[3], []int64{f.units[2]}
	})
	s.handling = f.seed(InHandling, func(sp *SeedSpec) { sp.Content.Title = "关于发展高原特色农业的建议" })
	s.registered = f.seed(Registered, body)
	s.merged = f.seed(Merged, func(sp *SeedSpec) { sp.MergeInto = s.registered.ID; body(sp) })
	s.sqmy = f.seed(NotRegistered, func(sp *SeedSpec) { sp.ConvertTo = ToSQMY })
	s.declined = f.seed(NotRegistered)
	s.withdrawn = f.seed(Withdrawn)
	s.pending = f.seed(Submitted)
	s.draft = f.seed(Draft)
	s.dissatisfied = f.seed(Closed, func(sp *SeedSpec) {
		sp.Content.Title, sp.Content.Theme = "关于治理城区环境污染的建议", Ecology
		sp.FirstProposer, sp.Overall, sp.ResultClass = f.mids[1], Dissatisfied, "B"
	})
	// Excellent: the office marks the first one.
	f.must(f.svc.MarkExcellent(f.ctx, f.office, Ref{ID: s.solvedA.ID}, true))
	// A late reply after a phone contact only.
	s.late = f.seed(Accepted, func(sp *SeedSpec) {
		sp.Content.Title, sp.Content.Theme = "关于规范城区停车管理的建议", Society
		sp.Units = []int64{f.units[1]}
	})
	unit := f.unitActors[1]
	ref := Ref{ID: s.late.ID}
	f.must(f.svc.LogContact(f.ctx, unit, ref, ContactInput{On: f.today, Method: ByPhone, People: "提案人"}))
	f.today = civil.MustParse("2026-06-15")
	f.must(f.svc.DraftReply(f.ctx, unit, ref, ReplyInput{ResultClass: "A", Body: "已完成停车场规划。"}))
	f.must(f.svc.SubmitReply(f.ctx, unit, ref))
	asg := f.get(s.late.ID).Assignments[0]
	f.must(f.svc.Approve(f.ctx, f.office, ref, asg.ID, "", ""))
	f.must(f.svc.Evaluate(f.ctx, f.members[0], ref, EvaluationInput{Overall: Satisfied, Contact: Visited, Attitude: Satisfied, Addressed: Targeted}))
	// A member who proposed nothing.
	pid := f.id(`INSERT INTO people (committee_id, name, created_at, updated_at) VALUES ($1, '钱七', $2, $2) RETURNING id`, f.cid, db.Now())
	s.idleMember = f.id(`INSERT INTO memberships (committee_id, person_id, term_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id`,
		f.cid, pid, f.termID, db.Now())
	return &s
}

// must fails the test on a use case's error.
func (f *fx) must(_ *Proposal, err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}
