package duty_test

import (
	"testing"

	"lvzhi/internal/activity"
	"lvzhi/internal/assist"
	"lvzhi/internal/civil"
	"lvzhi/internal/duty"
	"lvzhi/internal/figure"
	"lvzhi/internal/figure/figuretest"
)

// past records a held activity with its attendance through the activity service.
func (f *fx) past(acts *activity.Service, kind activity.Kind, mandatory bool, on string, roll map[int]activity.Status, roles ...map[int]activity.Role) *activity.Activity {
	f.t.Helper()
	var rows []activity.PastRow
	for i, st := range roll {
		r := activity.PastRow{PersonID: f.members[i].PersonID, Status: st}
		if len(roles) > 0 {
			r.Role = roles[0][i]
		}
		rows = append(rows, r)
	}
	a, err := acts.EnterPast(f.ctx, f.staff, f.c.ID, activity.Input{Kind: kind, Title: string(kind) + on, StartsOn: civil.MustParse(on),
		Mandatory: mandatory}, rows)
	if err != nil {
		f.t.Fatalf("enter past %s: %v", kind, err)
	}
	return a
}

// addRules adds rules to a year's set.
func (f *fx) addRules(year int, cats []duty.Category, rules ...duty.Rule) {
	f.t.Helper()
	rs, err := f.svc.RuleSet(f.ctx, f.staff, f.c.ID, year)
	if err != nil {
		f.t.Fatal(err)
	}
	rs.Categories = append(rs.Categories, cats...)
	rs.Rules = append(rs.Rules, rules...)
	if _, err := f.svc.UpdateRuleSet(f.ctx, f.staff, f.c.ID, *rs); err != nil {
		f.t.Fatal(err)
	}
}

// TestAttendanceAndRecordsScore: attendance (attended, approved leave,
// absent; required and signed-up activities), 社情民意 submitted and adopted,
// speeches, research reports by their drafter and verified 三送三帮 records
// score under Tongcheng's table (with rules added for what it does not
// score), and each change of those records reverses and reposts.
func TestAttendanceAndRecordsScore(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		acts := activity.NewService(f.d)
		f.rules(2026, duty.PresetTongcheng)
		plenary := f.past(acts, activity.KindPlenary, true, "2026-03-01",
			map[int]activity.Status{0: activity.Attended, 1: activity.LeaveApproved, 2: activity.Absent})
		for _, on := range []string{"2026-04-01", "2026-04-08", "2026-04-15", "2026-04-22", "2026-05-06", "2026-05-13"} {
			f.past(acts, activity.KindResearch, true, on, map[int]activity.Status{0: activity.Attended})
		}
		f.past(acts, activity.KindStudy, false, "2026-06-01", map[int]activity.Status{1: activity.Attended})
		s0, err := acts.SubmitSqmy(f.ctx, f.staff, f.c.ID, activity.SqmyInput{Title: "关于农村饮水的建议", Content: "……",
			PersonID: f.members[0].PersonID, SubmittedOn: civil.MustParse("2026-04-01")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := acts.ChangeSqmy(f.ctx, f.staff, activity.Ref{ID: s0.ID}, activity.SqmyChange{Action: activity.SqmyAdopt,
			Level: "county", AdoptedOn: civil.MustParse("2026-04-20")}); err != nil {
			t.Fatal(err)
		}
		if _, err := acts.SubmitSqmy(f.ctx, f.staff, f.c.ID, activity.SqmyInput{Title: "关于停车难的建议", Content: "……",
			PersonID: f.members[1].PersonID, SubmittedOn: civil.MustParse("2026-05-01")}); err != nil {
			t.Fatal(err)
		}
		sc := f.scores(2026)
		// 张三: plenary 50, six required activities 12 capped at 10, 社情民意 10 + 5 = 75.
		// 李四: leave 30, one sign-up activity 2, 社情民意 10 = 42. 王五: absent, 0.
		for i, want := range []int64{7500, 4200, 0} {
			if got := sc[f.mids[i]].Total; got != want {
				t.Errorf("member %d: %s, want %s (%+v)", i, duty.FormatPoints(got), duty.FormatPoints(want), sc[f.mids[i]].Parts)
			}
		}
		if p := partOf(sc[f.mids[0]], duty.CatActivity); p.Raw != 1200 || p.Counted != 1000 {
			t.Errorf("activity cap: %+v", p)
		}
		if sc[f.mids[2]].Absences != 1 {
			t.Errorf("王五's absences: %d", sc[f.mids[2]].Absences)
		}
		// Correcting 王五's absence to approved leave reverses and reposts.
		if _, err := acts.MarkAttendance(f.ctx, f.staff, activity.Ref{ID: plenary.ID},
			[]activity.Mark{{PersonID: f.members[2].PersonID, Status: activity.LeaveApproved}}); err != nil {
			t.Fatal(err)
		}
		sc = f.scores(2026)
		if got := sc[f.mids[2]].Total; got != 3000 || sc[f.mids[2]].Absences != 0 {
			t.Errorf("王五 after the correction: %s, absences %d", duty.FormatPoints(got), sc[f.mids[2]].Absences)
		}
		f.clean(2026)

		// Rules for what Tongcheng does not score: speeches, research reports, assistance.
		f.addRules(2026, []duty.Category{{Code: duty.CatSpeech}, {Code: duty.CatResearch}, {Code: duty.CatAssist, Cap: 500}},
			duty.Rule{Category: duty.CatSpeech, Item: duty.ItemSpeech, Variant: duty.VarNone, Points: 500, Unit: duty.UnitTime},
			duty.Rule{Category: duty.CatResearch, Item: duty.ItemReport, Variant: duty.VarLead, Points: 800, Unit: duty.UnitArticle},
			duty.Rule{Category: duty.CatAssist, Item: duty.ItemAssist, Variant: duty.VarNone, Points: 300, Unit: duty.UnitTime})
		if _, err := acts.AddSpeech(f.ctx, f.staff, f.c.ID, activity.Speech{PersonID: f.members[3].PersonID, Speaker: "赵六",
			Title: "关于乡村振兴的发言", Mode: "oral", GivenOn: civil.MustParse("2026-03-01")}); err != nil {
			t.Fatal(err)
		}
		research := f.past(acts, activity.KindResearch, false, "2026-07-01",
			map[int]activity.Status{2: activity.Attended, 3: activity.Attended}, map[int]activity.Role{3: activity.RoleDrafter})
		if _, err := acts.CreateOutput(f.ctx, f.staff, f.c.ID, activity.OutputInput{ActivityID: research.ID,
			Kind: activity.OutResearchReport, Title: "关于魔芋产业的调研报告", DatedOn: civil.MustParse("2026-07-20")}); err != nil {
			t.Fatal(err)
		}
		sc = f.scores(2026)
		if p, q := partOf(sc[f.mids[3]], duty.CatSpeech), partOf(sc[f.mids[3]], duty.CatResearch); p.Raw != 500 || q.Raw != 800 {
			t.Errorf("赵六's speech %+v, report %+v", p, q)
		}
		// The drafter role moves to 王五: the report's postings follow (the
		// output follows its activity's changes).
		var row int64
		if err := f.d.QueryRow(`SELECT id FROM activity_attendance WHERE activity_id = $1 AND person_id = $2`, research.ID,
			f.members[2].PersonID).Scan(&row); err != nil {
			t.Fatal(err)
		}
		if _, err := acts.SetRole(f.ctx, f.staff, activity.Ref{ID: row}, activity.RoleDrafter); err != nil {
			t.Fatal(err)
		}
		if err := f.d.QueryRow(`SELECT id FROM activity_attendance WHERE activity_id = $1 AND person_id = $2`, research.ID,
			f.members[3].PersonID).Scan(&row); err != nil {
			t.Fatal(err)
		}
		if _, err := acts.SetRole(f.ctx, f.staff, activity.Ref{ID: row}, activity.RoleNone); err != nil {
			t.Fatal(err)
		}
		sc = f.scores(2026)
		if a, b := partOf(sc[f.mids[2]], duty.CatResearch).Raw, partOf(sc[f.mids[3]], duty.CatResearch).Raw; a != 800 || b != 0 {
			t.Errorf("after the drafter changed: 王五 %d, 赵六 %d", a, b)
		}
		// A 三送三帮 record scores once verified.
		as := assist.NewService(f.d)
		rec, err := as.RecordAssistance(f.ctx, f.staff, assist.RecordInput{Kind: "info", InfoCount: 3, GivenOn: civil.MustParse("2026-08-01"),
			Description: "送信息", MembershipIDs: []int64{f.mids[0], f.mids[1]}})
		if err != nil {
			t.Fatal(err)
		}
		if got := partOf(f.scores(2026)[f.mids[0]], duty.CatAssist).Raw; got != 0 {
			t.Fatalf("unverified record scored %d", got)
		}
		if _, err := as.VerifyRecord(f.ctx, f.staff, rec.ID, rec.Version); err != nil {
			t.Fatal(err)
		}
		sc = f.scores(2026)
		if a, b := partOf(sc[f.mids[0]], duty.CatAssist).Raw, partOf(sc[f.mids[1]], duty.CatAssist).Raw; a != 300 || b != 300 {
			t.Errorf("verified record: %d, %d", a, b)
		}
		f.clean(2026)

		// Participation figures count from the events.
		vs := figuretest.CheckRecords(t, f.ctx, f.svc.Source(), f.staff, figure.YearFilter(f.c.ID, 2026))
		want := map[string]int64{"duty.part.activity": 4, "duty.part.sqmy": 2, "duty.part.assist": 2, "duty.part.proposal": 0}
		for _, v := range vs {
			if w, ok := want[v.ID]; ok && v.Value != w {
				t.Errorf("%s = %d, want %d", v.ID, v.Value, w)
			}
		}
	})
}

// TestAbsencesDeductAndExit: Guangshui's table deducts for absences; three
// plenary absences in the term (across years) meet the exit rule.
func TestAbsencesDeductAndExit(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		acts := activity.NewService(f.d)
		f.rules(2025, duty.PresetTongcheng)
		f.rules(2026, duty.PresetGuangshui)
		f.past(acts, activity.KindPlenary, true, "2025-03-01", map[int]activity.Status{0: activity.Absent, 1: activity.Attended})
		f.past(acts, activity.KindPlenary, true, "2025-09-01", map[int]activity.Status{0: activity.Absent, 1: activity.Absent})
		f.past(acts, activity.KindPlenary, true, "2026-03-01", map[int]activity.Status{0: activity.Absent, 1: activity.LeaveApproved})
		f.past(acts, activity.KindStudy, false, "2026-05-01", map[int]activity.Status{0: activity.Absent})
		sc := f.scores(2026)
		// Guangshui: plenary absence −3, sign-up absence −1.
		if p := partOf(sc[f.mids[0]], duty.CatDiscipline); p.Raw != -400 {
			t.Errorf("deductions %+v", p)
		}
		if s := sc[f.mids[0]]; s.Absences != 3 || s.Action != duty.ActionResign || len(s.Exit) != 1 || s.Exit[0] != "absences" {
			t.Errorf("three absences: %+v", s)
		}
		if s := sc[f.mids[1]]; s.Absences != 1 || s.Action == duty.ActionResign {
			t.Errorf("one absence: %+v", s)
		}
		f.clean(2025)
		f.clean(2026)
	})
}
