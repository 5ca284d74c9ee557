package assist

import (
	"slices"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
	"lvzhi/internal/figure/figuretest"
	"lvzhi/internal/i18n"
)

// TestFiguresRecords: on a world with every case (verified and unverified
// records, another year, another committee, every kind, pledges, needs in
// each state) every figure's records add up to its value, and the values
// are the intended ones.
func TestFiguresRecords(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		h1, h2 := f.household("H001", 0, 1), f.household("H002", 2, 2)
		day := civil.MustParse("2026-05-01")
		last := civil.MustParse("2025-11-11")
		rec := func(in RecordInput, verify bool) {
			t.Helper()
			if in.GivenOn.IsZero() {
				in.GivenOn = day
			}
			if len(in.MembershipIDs) == 0 {
				in.MembershipIDs = f.mids[:1]
			}
			r, err := f.svc.RecordAssistance(f.ctx, f.officer, in)
			f.must(err)
			if verify {
				_, err = f.svc.VerifyRecord(f.ctx, f.officer, r.ID, 0)
				f.must(err)
			}
		}
		rec(RecordInput{HouseholdID: h1.ID, Kind: "cash", AmountFen: 100000}, true)
		rec(RecordInput{HouseholdID: h2.ID, Kind: "cash", AmountFen: 50000, MembershipIDs: f.mids[1:3]}, true)
		rec(RecordInput{HouseholdID: h1.ID, Kind: "cash", AmountFen: 777700}, false)               // unverified
		rec(RecordInput{HouseholdID: h1.ID, Kind: "cash", AmountFen: 888800, GivenOn: last}, true) // other year
		rec(RecordInput{HouseholdID: h1.ID, Kind: "goods", GoodsItems: 3, GoodsValueFen: 45000}, true)
		rec(RecordInput{HouseholdID: h2.ID, Kind: "industry"}, true)
		rec(RecordInput{HouseholdID: h2.ID, Kind: "industry"}, true) // the same household twice: counted once
		rec(RecordInput{HouseholdID: h1.ID, Kind: "industry"}, false)
		rec(RecordInput{HouseholdID: h1.ID, Kind: "study", Students: 1}, true)
		rec(RecordInput{HouseholdID: h1.ID, Kind: "job", Jobs: 2}, true)
		rec(RecordInput{Kind: "info", InfoCount: 30}, true)
		rec(RecordInput{Kind: "tech", Readings: 500, Sessions: 1}, true)
		// Another committee's verified record.
		fr, err := f.svc.RecordAssistance(f.ctx, f.foreignOfficer, RecordInput{HouseholdID: f.foreignHH.ID, Kind: "cash", AmountFen: 999900,
			GivenOn: day, MembershipIDs: []int64{f.foreignMID}})
		f.must(err)
		_, err = f.svc.VerifyRecord(f.ctx, f.foreignOfficer, fr.ID, 0)
		f.must(err)
		n1, err := f.svc.CreateNeed(f.ctx, f.officer, NeedInput{HouseholdID: h1.ID, Kind: "job", Description: "务工", CollectedOn: day})
		f.must(err)
		_, err = f.svc.CreateNeed(f.ctx, f.officer, NeedInput{HouseholdID: h2.ID, Kind: "job", Description: "务工", CollectedOn: day})
		f.must(err)
		_, err = f.svc.NeedStep(f.ctx, f.officer, n1.ID, 0, NeedClose)
		f.must(err)
		_, err = f.svc.CreatePledge(f.ctx, f.officer, PledgeInput{Meeting: "百日会战", PledgedOn: day, AmountFen: 1100000, Households: 50,
			Jobs: 7, IndustryHouseholds: 286, MembershipIDs: f.mids[:3]})
		f.must(err)
		_, err = f.svc.CreatePledge(f.ctx, f.officer, PledgeInput{Meeting: "去年", PledgedOn: last, AmountFen: 1, MembershipIDs: f.mids[3:]})
		f.must(err)

		year := figure.YearFilter(f.c.ID, 2026)
		src := f.svc.Source()
		vs := figuretest.CheckRecords(t, f.ctx, src, f.leader, year)
		want := map[string]int64{
			"assist.records": 9, "assist.funds": 150000 + 45000, "assist.households_helped": 2,
			"assist.cash": 150000, "assist.goods": 1, "assist.goods_value": 45000, "assist.industry_households": 1,
			"assist.students": 1, "assist.jobs": 2, "assist.info": 30, "assist.readings": 500,
			"assist.members": 4, "assist.members_participating": 3, "assist.households": 2,
			"assist.needs_open": 1, "assist.needs_met": 0,
			"pledges.members": 3, "pledges.amount": 1100000, "pledges.households": 50, "pledges.jobs": 7, "pledges.industry_households": 286,
			"sites.count": 0, "sites.donors": 0, "sites.amount": 0,
		}
		got := map[string]figure.Value{}
		for _, v := range vs {
			got[v.ID] = v
		}
		for id, w := range want {
			if got[id].Value != w {
				t.Errorf("%s = %d, want %d", id, got[id].Value, w)
			}
		}
		if len(vs) != len(want) {
			t.Errorf("%d figures, want %d", len(vs), len(want))
		}
		if got["assist.members_participating"].DenValue != 4 {
			t.Errorf("participation den %d", got["assist.members_participating"].DenValue)
		}
		// Township dimension, all time, and the other committee's own view.
		town := figuretest.CheckRecords(t, f.ctx, src, f.officer, year.WithDim("township", "墨红镇"))
		for _, v := range town {
			if v.ID == "assist.cash" && v.Value != 50000 {
				t.Errorf("墨红镇 cash %d", v.Value)
			}
		}
		all := figuretest.CheckRecords(t, f.ctx, src, f.officer, figure.Filter{CommitteeID: f.c.ID})
		for _, v := range all {
			if v.ID == "assist.cash" && v.Value != 150000+888800 {
				t.Errorf("all-time cash %d", v.Value)
			}
		}
		figuretest.CheckRecords(t, f.ctx, src, f.foreignOfficer, figure.YearFilter(f.foreign.ID, 2026))
		checkRecordDims(t, f, src, year)
		// Readers only: members, units, the proposal office and other committees may not read them.
		if vs, err := src.Figures(f.ctx, f.members[0], year); err != nil || len(vs) != 0 {
			t.Errorf("member reading figures: %v %v", vs, err)
		}
		if _, err := src.Records(f.ctx, f.office, year, "assist.cash", 0, 10); code(err) != apperr.Forbidden {
			t.Errorf("proposal office reading records: %v", err)
		}
		if _, err := src.Figures(f.ctx, f.foreignOfficer, year); code(err) != apperr.NotFound {
			t.Errorf("foreign officer reading figures: %v", err)
		}
		if _, err := src.Figures(f.ctx, f.officer, year.WithDim("colour", "red")); code(err) != apperr.Invalid {
			t.Errorf("unknown dimension: %v", err)
		}
	})
}

// TestFigureTexts: every figure has its name, definition, group, unit and
// record columns in both languages, and the ids other areas cite exist.
func TestFigureTexts(t *testing.T) {
	for _, fd := range Figures {
		keys := []string{"figures." + fd.ID, "figures.def." + fd.ID, "figures.group." + fd.Group, "figures.unit." + fd.Unit}
		for _, c := range fd.base.cols {
			keys = append(keys, "figures.col."+c)
		}
		for _, lang := range i18n.Langs {
			for _, k := range keys {
				if !i18n.Has(lang, k) {
					t.Errorf("%s: no %s in %s", fd.ID, k, lang)
				}
			}
		}
	}
	for _, id := range []string{"assist.records", "assist.funds", "assist.households_helped", "assist.cash", "assist.goods", "assist.goods_value", "assist.industry_households", "assist.students",
		"assist.jobs", "assist.info", "assist.readings", "assist.members", "assist.members_participating", "assist.households",
		"assist.needs_open", "assist.needs_met", "pledges.members", "pledges.amount", "pledges.households", "pledges.jobs",
		"pledges.industry_households", "sites.count", "sites.donors", "sites.amount"} {
		if _, ok := lookup(id); !ok {
			t.Errorf("agreed figure %s missing", id)
		}
	}
}

// TestQuarterBulletin: the quarter and the year to date count by the records' dates.
func TestQuarterBulletin(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		h := f.household("H001", 0, 1)
		for _, d := range []string{"2026-02-10", "2026-04-01", "2026-06-14", "2026-03-31"} {
			r, err := f.svc.RecordAssistance(f.ctx, f.officer, RecordInput{HouseholdID: h.ID, Kind: "cash", AmountFen: 100,
				GivenOn: civil.MustParse(d), MembershipIDs: f.mids[:1]})
			f.must(err)
			_, err = f.svc.VerifyRecord(f.ctx, f.officer, r.ID, 0)
			f.must(err)
		}
		b, err := f.svc.QuarterBulletin(f.ctx, f.leader, f.c.ID, 2026, 2)
		f.must(err)
		if b.From != civil.MustParse("2026-04-01") || b.To != civil.MustParse("2026-06-30") {
			t.Errorf("period %s–%s", b.From, b.To)
		}
		for _, r := range b.Rows {
			if r.Quarter.ID == "assist.cash" && (r.Quarter.Value != 200 || r.YTD.Value != 400) {
				t.Errorf("cash quarter %d, year to date %d", r.Quarter.Value, r.YTD.Value)
			}
		}
		if _, err := f.svc.QuarterBulletin(f.ctx, f.members[0], f.c.ID, 2026, 2); code(err) != apperr.Forbidden {
			t.Errorf("member: %v", err)
		}
		if _, err := f.svc.QuarterBulletin(f.ctx, f.foreignOfficer, f.c.ID, 2026, 2); code(err) != apperr.NotFound {
			t.Errorf("foreign: %v", err)
		}
		if _, err := f.svc.QuarterBulletin(f.ctx, f.leader, f.c.ID, 2026, 5); code(err) != apperr.Invalid {
			t.Errorf("quarter 5: %v", err)
		}
	})
}

// checkRecordDims: by kind, campaign and member only the record figures are
// listed, each adding up to its records, with the intended values; a bad
// value of a dimension is refused, and so are a household figure's records
// narrowed by kind.
func checkRecordDims(t *testing.T, f *fx, src figure.Source, year figure.Filter) {
	t.Helper()
	values := func(fl figure.Filter) map[string]int64 {
		t.Helper()
		vs := figuretest.CheckRecords(t, f.ctx, src, f.leader, fl)
		out := map[string]int64{}
		for _, v := range vs {
			out[v.ID] = v.Value
		}
		return out
	}
	cash := values(year.WithDim("kind", "cash"))
	if _, ok := cash["assist.households"]; ok {
		t.Error("a kind narrows the household count")
	}
	if cash["assist.records"] != 2 || cash["assist.funds"] != 150000 || cash["assist.households_helped"] != 2 || cash["assist.goods"] != 0 {
		t.Errorf("by kind cash: %v", cash)
	}
	// f.mids[1] gave one cash record (with f.mids[2]); f.mids[0] every other verified one.
	m1 := values(year.WithDim("member", itoa64(f.mids[1])))
	if m1["assist.records"] != 1 || m1["assist.funds"] != 50000 || m1["assist.households_helped"] != 1 {
		t.Errorf("by member 1: %v", m1)
	}
	m0 := values(year.WithDim("member", itoa64(f.mids[0])))
	if m0["assist.records"] != 8 || m0["assist.funds"] != 100000+45000 {
		t.Errorf("by member 0: %v", m0)
	}
	camp, err := f.svc.CreateCampaign(f.ctx, f.officer, CampaignInput{Name: "百日会战", StartsOn: civil.MustParse("2026-04-01"),
		EndsOn: civil.MustParse("2026-07-10")})
	f.must(err)
	inCamp := values(figure.Filter{CommitteeID: f.c.ID}.WithDim("campaign", itoa64(camp.ID)))
	if inCamp["assist.records"] != 9 || inCamp["assist.cash"] != 150000 {
		t.Errorf("by campaign: %v", inCamp)
	}
	if v := values(figure.Filter{CommitteeID: f.c.ID}.WithDim("campaign", itoa64(camp.ID+1000))); v["assist.records"] != 0 {
		t.Errorf("an unknown campaign counts %d records", v["assist.records"])
	}
	for _, bad := range []figure.Filter{year.WithDim("kind", "gold"), year.WithDim("member", "x"), year.WithDim("campaign", "-1")} {
		if _, err := src.Figures(f.ctx, f.leader, bad); code(err) != apperr.Invalid {
			t.Errorf("%v: %v", bad.Dims, err)
		}
	}
	if _, err := src.Records(f.ctx, f.leader, year.WithDim("kind", "cash"), "assist.households", 0, 10); code(err) != apperr.Invalid {
		t.Errorf("household records by kind: %v", err)
	}
	checkBreakdown(t, f, src, year, camp.ID)
}

// checkBreakdown: each row of a breakdown is the figures with the row's
// dimension set; the kinds' 帮扶次数 and 帮扶资金 add up to the total (a
// record has one kind), the members' 帮扶次数 do not (a joint record counts
// for each member); other roles and dimensions are refused.
func checkBreakdown(t *testing.T, f *fx, src figure.Source, year figure.Filter, campaign int64) {
	t.Helper()
	for _, by := range BreakdownBy {
		b, err := f.svc.Breakdown(f.ctx, f.leader, year, by)
		f.must(err)
		sum := make([]int64, len(BreakdownFigures))
		for _, r := range b.Rows {
			vs, err := src.Figures(f.ctx, f.leader, year.WithDim(by, r.Key))
			f.must(err)
			for i, id := range BreakdownFigures {
				j := slices.IndexFunc(vs, func(v figure.Value) bool { return v.ID == id })
				if j < 0 || vs[j].Value != r.Values[i] {
					t.Errorf("%s %s %s = %d, the figure says %v", by, r.Key, id, r.Values[i], vs)
				}
				sum[i] += r.Values[i]
			}
		}
		switch by {
		case "kind":
			if len(b.Rows) != len(RecordKinds) || sum[0] != b.Total.Values[0] || sum[1] != b.Total.Values[1] || b.Total.Values[0] != 9 {
				t.Errorf("by kind: rows %d, sums %v, total %v", len(b.Rows), sum, b.Total.Values)
			}
		case "member":
			if len(b.Rows) != 3 || sum[0] != 10 || b.Total.Values[0] != 9 {
				t.Errorf("by member: %+v", b)
			}
		case "campaign":
			if len(b.Rows) != 1 || b.Rows[0].Key != itoa64(campaign) || b.Rows[0].Label != "百日会战" || b.Rows[0].Values[0] != 9 {
				t.Errorf("by campaign: %+v", b)
			}
		}
	}
	if _, err := f.svc.Breakdown(f.ctx, f.leader, year, "colour"); code(err) != apperr.Invalid {
		t.Errorf("by colour: %v", err)
	}
	if _, err := f.svc.Breakdown(f.ctx, f.members[0], year, "kind"); code(err) != apperr.Forbidden {
		t.Errorf("member: %v", err)
	}
	if _, err := f.svc.Breakdown(f.ctx, f.foreignOfficer, year, "kind"); code(err) != apperr.NotFound {
		t.Errorf("foreign officer: %v", err)
	}
}

func itoa64(n int64) string { return itoa(int(n)) }
