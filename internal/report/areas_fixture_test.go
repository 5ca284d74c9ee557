package report

import (
	"fmt"

	"lvzhi/internal/activity"
	"lvzhi/internal/assist"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/duty"
	"lvzhi/internal/fixture"
	"lvzhi/internal/org"
	"lvzhi/internal/secret"
)

// The fixture's year in the other areas, built through their services: held
// activities of every kind the report counts, outputs, articles, publicity
// and a volume; verified 三送三帮 records of every kind and a pledge.

// seedActivities enters the year's activities as past records, with a roll.
func (f *rfx) seedActivities() {
	f.t.Helper()
	svc := activity.NewService(f.d)
	svc.Today = func() civil.Date { return civil.MustParse("2026-12-31") }
	var roll []activity.PastRow
	for i, p := range f.persons {
		st := activity.Attended
		if i == len(f.persons)-1 {
			st = activity.Absent
		}
		roll = append(roll, activity.PastRow{PersonID: p, Status: st})
	}
	kinds := []activity.Kind{activity.KindResearch, activity.KindResearch, activity.KindResearch, activity.KindInspection,
		activity.KindInspection, activity.KindBimonthly, activity.KindTopicConsult, activity.KindFollowUp, activity.KindAppraisal,
		activity.KindStudy}
	var first int64
	for i, k := range kinds {
		in := activity.Input{Kind: k, Title: fmt.Sprintf("关于第%d项工作的活动", i+1), Place: "县政协会议室",
			StartsOn: civil.Date{Year: Year, Month: 3, Day: 1 + i}, StartsAt: "09:00", EndsAt: "11:30"}
		a, err := svc.EnterPast(f.ctx, f.staff, f.c.ID, in, roll)
		if err != nil {
			f.t.Fatalf("activity %s: %v", k, err)
		}
		if first == 0 {
			first = a.ID
		}
	}
	for i, o := range []struct {
		kind    activity.OutputKind
		toParty bool
	}{{activity.OutResearchReport, true}, {activity.OutConsultReport, true}, {activity.OutMinutes, false}} {
		if _, err := svc.CreateOutput(f.ctx, f.staff, f.c.ID, activity.OutputInput{ActivityID: first, Kind: o.kind,
			Title: fmt.Sprintf("关于第%d项工作的报告", i+1), DatedOn: civil.Date{Year: Year, Month: 4, Day: 1 + i}, SentTo: "县委",
			ToParty: o.toParty, Number: fmt.Sprintf("滇富政协报〔2026〕%d号", i+1)}); err != nil {
			f.t.Fatalf("output: %v", err)
		}
	}
	for i := 0; i < 3; i++ {
		if _, err := svc.AddArticle(f.ctx, f.staff, f.c.ID, activity.Article{Author: "张三", Title: fmt.Sprintf("学习体会%d", i+1),
			CollectedOn: civil.Date{Year: Year, Month: 5, Day: 1 + i}, Published: i == 0, JournalIssue: "2026年第1期"}); err != nil {
			f.t.Fatalf("article: %v", err)
		}
	}
	for i, k := range []string{"tv", "tv", "article"} {
		if _, err := svc.AddPublicity(f.ctx, f.staff, f.c.ID, activity.Publicity{Kind: k, Title: fmt.Sprintf("委员在行动%d", i+1),
			Outlet: "县电视台", PublishedOn: civil.Date{Year: Year, Month: 6, Day: 1 + i}}); err != nil {
			f.t.Fatalf("publicity: %v", err)
		}
	}
	if _, err := svc.AddVolume(f.ctx, f.staff, f.c.ID, activity.Volume{Title: "滇富地名文化", VolumeNo: 1, Articles: 30,
		CompiledOn: civil.Date{Year: Year, Month: 10, Day: 1}}); err != nil {
		f.t.Fatalf("volume: %v", err)
	}
}

// HouseholdMember is the name of a household member the public site must never show.
const HouseholdMember = "贫困户家属甲"

// seedAssist records the year's 三送三帮: two households, verified records of
// every kind (and one unverified), a pledge.
func (f *rfx) seedAssist() {
	f.t.Helper()
	box, err := secret.New(fixture.Key)
	if err != nil {
		f.t.Fatal(err)
	}
	svc := assist.NewService(f.d)
	svc.Secret = box
	svc.Today = func() civil.Date { return civil.MustParse("2026-12-31") }
	officer := f.w.User(f.c, "officer", []auth.Role{auth.RoleAssistance}, 0, 0)
	v, err := svc.CreateVillage(f.ctx, officer, "中安街道", "海坪社区", "")
	if err != nil {
		f.t.Fatal(err)
	}
	var hs []assist.Household
	for i, name := range []string{"户主甲", "户主乙"} {
		first := fmt.Sprintf("53032519750303%03d", i+1)
		h, err := svc.CreateHousehold(f.ctx, officer, assist.HouseholdInput{RegistryID: fmt.Sprintf("H%03d", i+1), VillageID: v.ID,
			HeadName: name, Attribute: "dibao", CauseMain: "illness", Status: "poor",
			Members: []assist.MemberInput{{Name: name, Gender: "male", IDNumber: first + string(org.IDCheckChar(first)), Relation: "户主",
				Phone: "13800000001"}, {Name: HouseholdMember, Gender: "female", Relation: "之女"}}})
		if err != nil {
			f.t.Fatalf("household: %v", err)
		}
		hs = append(hs, h)
	}
	day := civil.Date{Year: Year, Month: 7, Day: 1}
	for _, in := range []assist.RecordInput{
		{HouseholdID: hs[0].ID, Kind: "cash", AmountFen: 248550000},
		{HouseholdID: hs[1].ID, Kind: "goods", GoodsItems: 3, GoodsValueFen: 2140000},
		{HouseholdID: hs[0].ID, Kind: "industry"},
		{HouseholdID: hs[1].ID, Kind: "industry"},
		{HouseholdID: hs[0].ID, Kind: "study", Students: 1},
		{HouseholdID: hs[1].ID, Kind: "job", Jobs: 2},
		{Kind: "info", InfoCount: 30},
		{Kind: "tech", Readings: 500, Sessions: 1},
	} {
		in.GivenOn, in.MembershipIDs = day, f.mids[:2]
		r, err := svc.RecordAssistance(f.ctx, officer, in)
		if err != nil {
			f.t.Fatalf("record %s: %v", in.Kind, err)
		}
		if _, err := svc.VerifyRecord(f.ctx, officer, r.ID, 0); err != nil {
			f.t.Fatalf("verify: %v", err)
		}
	}
	if _, err := svc.RecordAssistance(f.ctx, officer, assist.RecordInput{HouseholdID: hs[0].ID, Kind: "cash", AmountFen: 99900,
		GivenOn: day, MembershipIDs: f.mids[:1]}); err != nil { // unverified: not counted
		f.t.Fatal(err)
	}
	if _, err := svc.CreatePledge(f.ctx, officer, assist.PledgeInput{Meeting: "推进会", PledgedOn: civil.Date{Year: Year, Month: 6, Day: 20},
		AmountFen: 110000000, Households: 5, Jobs: 1, IndustryHouseholds: 3, MembershipIDs: f.mids[:3]}); err != nil {
		f.t.Fatalf("pledge: %v", err)
	}
}

// seedDuty scores the year with the Tongcheng preset rules (the duty area's
// ledger reads the other areas' records).
func (f *rfx) seedDuty() {
	f.t.Helper()
	svc := duty.NewService(f.d)
	svc.Today = func() civil.Date { return civil.MustParse("2026-12-31") }
	if _, err := svc.CopyPreset(f.ctx, f.staff, f.c.ID, Year, duty.PresetTongcheng); err != nil {
		f.t.Fatalf("duty rules: %v", err)
	}
	if _, err := svc.Recompute(f.ctx, f.staff, f.c.ID, Year, false); err != nil {
		f.t.Fatalf("duty recompute: %v", err)
	}
}
