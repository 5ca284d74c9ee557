package activity

import (
	"strconv"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
	"lvzhi/internal/figure/figuretest"
)

// seedFigures builds a year (2026) of records in the county with every case
// the figures must tell apart: held, cancelled, planned in the future, the
// year before, and the same kinds in the other committee.
func (f *fx) seedFigures() {
	f.t.Helper()
	d := civil.MustParse
	roll := []PastRow{{PersonID: f.people[0], Status: Attended}, {PersonID: f.people[1], Status: LeaveApproved},
		{PersonID: f.people[2], Status: Absent}, {PersonID: f.people[3], Status: Attended}}
	past := func(committee int64, kind Kind, on string) *Activity {
		in := f.input(kind, on)
		if committee != f.county.ID {
			in.GroupID = 0
		}
		staff := f.staff
		r := roll
		if committee == f.other.ID {
			staff, r = f.otherStaff, []PastRow{{PersonID: f.otherMember.PersonID, Status: Attended}}
		}
		a, err := f.svc.EnterPast(f.ctx, staff, committee, in, r)
		f.must(err, "past "+string(kind))
		return a
	}
	research := past(f.county.ID, KindResearch, "2026-02-10")
	past(f.county.ID, KindResearch, "2026-04-10")
	past(f.county.ID, KindInspection, "2026-03-05")
	past(f.county.ID, KindBimonthly, "2026-04-20")
	past(f.county.ID, KindTopicConsult, "2026-05-20")
	past(f.county.ID, KindFollowUp, "2026-05-25")
	past(f.county.ID, KindAppraisal, "2026-06-01")
	past(f.county.ID, KindStudy, "2026-01-15")
	past(f.county.ID, KindResearch, "2025-11-10") // the year before
	past(f.other.ID, KindResearch, "2026-03-01")  // the other committee
	// Cancelled, and planned in the future: not held.
	c := f.create(KindResearch, "2026-06-18")
	_, err := f.svc.InviteServing(f.ctx, f.staff, Ref{ID: c.ID})
	f.must(err, "invite")
	_, err = f.svc.Cancel(f.ctx, f.staff, f.ref(c.ID), "改期")
	f.must(err, "cancel")
	fut := f.create(KindPlenary, "2026-09-01")
	_, err = f.svc.InviteServing(f.ctx, f.staff, Ref{ID: fut.ID})
	f.must(err, "invite")
	// Held the live way: one member checked in, the rest absent at the close.
	live := f.create(KindSectorConsult, "2026-06-15")
	_, err = f.svc.InviteServing(f.ctx, f.staff, Ref{ID: live.ID})
	f.must(err, "invite")
	o, err := f.svc.Open(f.ctx, f.staff, f.ref(live.ID))
	f.must(err, "open")
	_, err = f.svc.CheckIn(f.ctx, f.members[0], live.ID, o.CheckinCode)
	f.must(err, "check in")
	_, err = f.svc.Hold(f.ctx, f.staff, f.ref(live.ID))
	f.must(err, "hold")

	// Outputs: two to the Party committee (one instructed), one minutes; one last year; one in the other committee.
	out := func(committee int64, kind OutputKind, on string, toParty bool) *Output {
		staff := f.staff
		in := OutputInput{Kind: kind, Title: "关于" + on + "的报告", DatedOn: d(on), SentTo: "县委", ToParty: toParty, Number: "富政协报〔2026〕1号"}
		if committee == f.county.ID {
			in.ActivityID = research.ID
		} else {
			staff = f.otherStaff
		}
		x, err := f.svc.CreateOutput(f.ctx, staff, committee, in)
		f.must(err, "output")
		return x
	}
	r1 := out(f.county.ID, OutResearchReport, "2026-03-01", true)
	out(f.county.ID, OutConsultReport, "2026-05-01", true)
	out(f.county.ID, OutMinutes, "2026-05-02", false)
	out(f.county.ID, OutResearchReport, "2025-12-01", true)
	out(f.other.ID, OutResearchReport, "2026-03-01", true)
	_, err = f.svc.AddInstruction(f.ctx, f.staff, InstructionInput{OutputID: r1.ID, Leader: "县委书记", Content: "请有关部门认真研究", GivenOn: d("2026-03-05")})
	f.must(err, "instruction")
	// Follow-ups: one closed, one overdue (due before today, 2026-06-15), one open not yet due.
	fu := func(due string) *Followup {
		x, err := f.svc.AddFollowup(f.ctx, f.staff, FollowupInput{OutputID: r1.ID, Matter: "落实" + due, DueOn: d(due)})
		f.must(err, "followup")
		return x
	}
	closed := fu("2026-04-30")
	fu("2026-05-31")
	fu("2026-09-30")
	_, err = f.svc.CloseFollowup(f.ctx, f.staff, Ref{ID: closed.ID}, "已落实")
	f.must(err, "close followup")
	// 社情民意: three submitted, one adopted with an instruction, one not adopted; one last year.
	sq := func(on string, who int) *Sqmy {
		x, err := f.svc.SubmitSqmy(f.ctx, f.staff, f.county.ID, SqmyInput{Title: "社情民意" + on, PersonID: f.people[who], SubmittedOn: d(on), Past: true})
		f.must(err, "sqmy")
		return x
	}
	s1 := sq("2026-02-01", 0)
	s2 := sq("2026-03-01", 1)
	sq("2026-04-01", 2)
	sq("2025-10-01", 3)
	_, err = f.svc.ChangeSqmy(f.ctx, f.staff, Ref{ID: s1.ID}, SqmyChange{Action: SqmyAdopt, Level: "city", AdoptedOn: d("2026-03-01"), BulletinIssue: "2026年第3期"})
	f.must(err, "adopt")
	_, err = f.svc.AddInstruction(f.ctx, f.staff, InstructionInput{SqmyID: s1.ID, Leader: "市委副书记", GivenOn: d("2026-03-10")})
	f.must(err, "sqmy instruction")
	_, err = f.svc.ChangeSqmy(f.ctx, f.staff, Ref{ID: s2.ID}, SqmyChange{Action: SqmyDecline})
	f.must(err, "decline")
	// Ledgers.
	_, err = f.svc.AddSpeech(f.ctx, f.staff, f.county.ID, Speech{PersonID: f.people[0], Speaker: "张三", Title: "发言一", Mode: "written", Adopted: true, GivenOn: d("2026-02-27")})
	f.must(err, "speech")
	_, err = f.svc.AddSpeech(f.ctx, f.staff, f.county.ID, Speech{Speaker: "李四", Title: "发言二", Mode: "oral", GivenOn: d("2026-02-27")})
	f.must(err, "speech")
	for i, pub := range []bool{true, false, false} {
		_, err = f.svc.AddArticle(f.ctx, f.staff, f.county.ID, Article{Author: "王五", Title: "学习体会" + string(rune('一'+i)), CollectedOn: d("2026-04-01"), Published: pub, JournalIssue: map[bool]string{true: "2026年第2期"}[pub]})
		f.must(err, "article")
	}
	for _, k := range []string{"tv", "tv", "article"} {
		_, err = f.svc.AddPublicity(f.ctx, f.staff, f.county.ID, Publicity{Kind: k, Title: "政协之声", Outlet: "富源电视台", PublishedOn: d("2026-05-01")})
		f.must(err, "publicity")
	}
	_, err = f.svc.AddVolume(f.ctx, f.staff, f.county.ID, Volume{Title: "富源文史资料", VolumeNo: 12, Articles: 30, CompiledOn: d("2026-06-01")})
	f.must(err, "volume")
	// Plan: one done (a held activity carries it), one late (approved, month over), one drafted, one later in the year.
	plan := func(month int, steps ...Action) *PlanItem {
		p, err := f.svc.AddPlanItem(f.ctx, f.staff, f.county.ID, PlanInput{Year: 2026, Month: month, Topic: "协商议题", Form: KindBimonthly})
		f.must(err, "plan")
		for _, s := range steps {
			p, err = f.svc.StepPlanItem(f.ctx, f.staff, Ref{ID: p.ID}, s)
			f.must(err, "plan step")
		}
		return p
	}
	done := plan(2, PlanReview, PlanApprove)
	plan(4, PlanReview, PlanApprove)
	plan(5)
	plan(10, PlanReview, PlanApprove)
	in := f.input(KindBimonthly, "2026-02-20")
	in.PlanItemID = done.ID
	_, err = f.svc.EnterPast(f.ctx, f.staff, f.county.ID, in, nil)
	f.must(err, "plan activity")
}

// TestFiguresCountEqualsRecords holds every activity figure to its records on
// both engines, and checks the values the fixture implies.
func TestFiguresCountEqualsRecords(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.seedFigures()
		src := f.svc.Source()
		vs := figuretest.CheckRecords(t, f.ctx, src, f.staff, figure.YearFilter(f.county.ID, 2026))
		got := map[string]int64{}
		for _, v := range vs {
			got[v.ID] = v.Value
		}
		want := map[string]int64{
			// 8 past + the live sector consultation + the plan's bimonthly; not the cancelled, the future, last year's or the other committee's.
			"activities.held": 10, "activities.research": 2, "activities.inspection": 1, "activities.consultation": 4,
			"activities.bimonthly": 2, "activities.followup": 1, "activities.appraisal": 1, "activities.study": 1,
			// 8 past × 4 rows + the live 4; the plan activity has no roll.
			"attendance.invited": 36, "attendance.attended": 8*2 + 1, "attendance.leave": 8, "attendance.absent": 8 + 3,
			"outputs.all": 3, "outputs.to_party": 2, "outputs.instructed": 1,
			"followups.all": 3, "followups.closed": 1, "followups.overdue": 1,
			"sqmy.submitted": 3, "sqmy.adopted": 1, "sqmy.instructed": 1,
			"speeches.all": 2, "speeches.adopted": 1,
			"study.articles_collected": 3, "study.articles_published": 1,
			"publicity.tv": 2, "publicity.articles": 1, "culture.volumes": 1,
			"plan.items": 4, "plan.done": 1, "plan.late": 1,
		}
		for id, w := range want {
			if got[id] != w {
				t.Errorf("%s = %d, want %d", id, got[id], w)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%d figures, want %d", len(got), len(want))
		}
		// The city reads its subtree: both counties' held research.
		sub := figure.YearFilter(f.city.ID, 2026)
		sub.Subtree = true
		cvs := figuretest.CheckRecords(t, f.ctx, src, f.cityStaff, sub)
		for _, v := range cvs {
			if v.ID == "activities.research" && v.Value != 3 {
				t.Errorf("city subtree research = %d, want 3", v.Value)
			}
		}
		// Unbounded period: last year's too.
		all := figuretest.CheckRecords(t, f.ctx, src, f.staff, figure.Filter{CommitteeID: f.county.ID})
		for _, v := range all {
			if v.ID == "activities.research" && v.Value != 3 {
				t.Errorf("all-time research = %d, want 3", v.Value)
			}
		}
		// By kind and by group: the same definitions, every count still its records.
		byKind := figure.YearFilter(f.county.ID, 2026).WithDim(DimKind, string(KindResearch))
		byGroup := figure.YearFilter(f.county.ID, 2026).WithDim(DimGroup, strconv.FormatInt(f.group, 10))
		for name, c := range map[string]struct {
			f    figure.Filter
			want map[string]int64
		}{
			"kind": {byKind, map[string]int64{"activities.held": 2, "activities.research": 2, "activities.inspection": 0,
				"attendance.invited": 8, "attendance.attended": 4, "outputs.all": 3, "followups.all": 3, "sqmy.submitted": 0,
				"speeches.all": 0, "plan.items": 0}},
			"group": {byGroup, map[string]int64{"activities.held": 10, "activities.research": 2, "attendance.invited": 36,
				"outputs.all": 3, "sqmy.submitted": 0, "plan.items": 0, "speeches.all": 0}},
		} {
			vals := map[string]int64{}
			for _, v := range figuretest.CheckRecords(t, f.ctx, src, f.staff, c.f) {
				vals[v.ID] = v.Value
			}
			for id, w := range c.want {
				if vals[id] != w {
					t.Errorf("by %s: %s = %d, want %d", name, id, vals[id], w)
				}
			}
		}
		other := f.w.Group(f.county, "working_group", "另一个工作组").ID
		for _, v := range figuretest.CheckRecords(t, f.ctx, src, f.staff, figure.YearFilter(f.county.ID, 2026).WithDim(DimGroup, strconv.FormatInt(other, 10))) {
			if v.Value != 0 {
				t.Errorf("another group: %s = %d", v.ID, v.Value)
			}
		}
		for _, bad := range []figure.Filter{figure.YearFilter(f.county.ID, 2026).WithDim(DimKind, "party"), figure.YearFilter(f.county.ID, 2026).WithDim(DimGroup, "x")} {
			_, err := src.Figures(f.ctx, f.staff, bad)
			wantCode(t, err, apperr.Invalid)
		}
		// Who must not read the figures: members, units, another committee.
		for _, who := range append(f.members[:1:1], f.unit) {
			_, err := src.Figures(f.ctx, who, figure.YearFilter(f.county.ID, 2026))
			wantCode(t, err, apperr.Forbidden)
		}
		_, err := src.Figures(f.ctx, f.otherStaff, figure.YearFilter(f.county.ID, 2026))
		wantCode(t, err, apperr.NotFound)
		_, err = src.Records(f.ctx, f.staff, figure.YearFilter(f.county.ID, 2026), "no.such", 0, 10)
		wantCode(t, err, apperr.NotFound)
	})
}

// TestAttendanceRates: the per-member and per-group rates are the attendance
// figures under DimPerson and DimMemberGroup (count equals records there
// too), best attended first; a member cannot read them; a bad breakdown is refused.
func TestAttendanceRates(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.seedFigures()
		_, err := f.d.ExecContext(f.ctx, `INSERT INTO membership_groups (committee_id, membership_id, group_id, role)
			SELECT committee_id, id, $1, '' FROM memberships WHERE person_id IN ($2, $3)`, f.group, f.people[0], f.people[1])
		f.must(err, "group members")
		year := figure.YearFilter(f.county.ID, 2026)
		rows, err := f.svc.AttendanceRates(f.ctx, f.staff, year, ByMember)
		f.must(err, "by member")
		want := map[int64]RateRow{
			f.people[0]: {Invited: 9, Attended: 9}, f.people[1]: {Invited: 9, Leave: 8, Absent: 1},
			f.people[2]: {Invited: 9, Absent: 9}, f.people[3]: {Invited: 9, Attended: 8, Absent: 1},
		}
		if len(rows) != 4 || rows[0].ID != f.people[0] || rows[1].ID != f.people[3] {
			t.Fatalf("by member: %+v", rows)
		}
		src := f.svc.Source()
		for _, r := range rows {
			w := want[r.ID]
			if r.Invited != w.Invited || r.Attended != w.Attended || r.Leave != w.Leave || r.Absent != w.Absent {
				t.Errorf("member %s: %+v, want %+v", r.Name, r, w)
			}
			vals := map[string]int64{}
			for _, v := range figuretest.CheckRecords(t, f.ctx, src, f.staff, year.WithDim(ByMember.Dim(), strconv.FormatInt(r.ID, 10))) {
				vals[v.ID] = v.Value
			}
			if vals["attendance.invited"] != r.Invited || vals["attendance.attended"] != r.Attended || vals["activities.held"] != 0 {
				t.Errorf("member %s: figures %v differ from the row %+v", r.Name, vals, r)
			}
		}
		groups, err := f.svc.AttendanceRates(f.ctx, f.leader, year, ByGroup)
		f.must(err, "by group")
		if len(groups) != 1 || groups[0].ID != f.group || groups[0].Invited != 18 || groups[0].Attended != 9 || groups[0].Leave != 8 {
			t.Fatalf("by group: %+v", groups)
		}
		vals := map[string]int64{}
		for _, v := range figuretest.CheckRecords(t, f.ctx, src, f.staff, year.WithDim(ByGroup.Dim(), strconv.FormatInt(f.group, 10))) {
			vals[v.ID] = v.Value
		}
		if vals["attendance.invited"] != 18 || vals["attendance.leave"] != 8 {
			t.Errorf("group figures %v", vals)
		}
		research, err := f.svc.AttendanceRates(f.ctx, f.staff, year.WithDim(DimKind, string(KindResearch)), ByMember)
		f.must(err, "research only")
		if len(research) != 4 || research[0].Invited != 2 {
			t.Errorf("research only: %+v", research)
		}
		_, err = f.svc.AttendanceRates(f.ctx, f.members[0], year, ByMember)
		wantCode(t, err, apperr.Forbidden)
		_, err = f.svc.AttendanceRates(f.ctx, f.otherStaff, year, ByMember)
		wantCode(t, err, apperr.NotFound)
		_, err = f.svc.AttendanceRates(f.ctx, f.staff, year, "sector")
		wantCode(t, err, apperr.Invalid)
	})
}
