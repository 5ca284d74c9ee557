package assist

import (
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
	"lvzhi/internal/figure/figuretest"
)

// TestCampaignsAndSites: a campaign's targets show the figure's value over
// its period only; bad targets are field errors; sites and projects feed the
// sites.* figures, whose records add up.
func TestCampaignsAndSites(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		h1, h2 := f.household("H001", 0, 1), f.household("H002", 1, 2)
		for _, x := range []struct {
			h   Household
			day string
		}{{h1, "2026-05-01"}, {h2, "2026-06-10"}} {
			r, err := f.svc.RecordAssistance(f.ctx, f.officer, RecordInput{HouseholdID: x.h.ID, Kind: "industry", GivenOn: civil.MustParse(x.day),
				MembershipIDs: f.mids[:1]})
			f.must(err)
			_, err = f.svc.VerifyRecord(f.ctx, f.officer, r.ID, 0)
			f.must(err)
		}
		in := CampaignInput{Name: "百日会战", StartsOn: civil.MustParse("2026-06-01"), EndsOn: civil.MustParse("2026-09-08"),
			Categories: []string{"产业助推", "就业助推"}, Targets: []Target{{Category: "产业助推", FigureID: "assist.industry_households", Target: 286},
				{Category: "就业助推", FigureID: "assist.jobs", Target: 7}}}
		c, err := f.svc.CreateCampaign(f.ctx, f.officer, in)
		f.must(err)
		if len(c.Targets) != 2 || c.Targets[0].Progress != 1 || c.Targets[1].Progress != 0 || len(c.Categories) != 2 {
			t.Fatalf("campaign %+v", c)
		}
		bad := in
		bad.Name = "x"
		bad.Targets = []Target{{Category: "别的", FigureID: "assist.nothing", Target: -1}}
		_, err = f.svc.CreateCampaign(f.ctx, f.officer, bad)
		got := fieldKeys(err)
		if got["targets.0.figure_id"] != "err.form.bad_choice" || got["targets.0.category"] != "err.form.bad_choice" || got["targets.0.target"] != "err.form.out_of_range" {
			t.Errorf("bad targets: %v", got)
		}
		if _, err := f.svc.CreateCampaign(f.ctx, f.officer, in); fieldKeys(err)["name"] != "err.assist.campaign_exists" {
			t.Errorf("same name: %v", err)
		}
		if _, err := f.svc.CreateCampaign(f.ctx, f.leader, in); code(err) != apperr.Forbidden {
			t.Errorf("leader: %v", err)
		}
		cs, err := f.svc.ListCampaigns(f.ctx, f.leader, f.c.ID)
		f.must(err)
		if len(cs) != 1 {
			t.Errorf("campaigns %d", len(cs))
		}
		st, err := f.svc.CreateSite(f.ctx, f.officer, SiteInput{Name: "西关社区示范点", VillageID: f.villages[0].ID, OpenedOn: civil.MustParse("2026-03-01")})
		f.must(err)
		if _, err := f.svc.AddProject(f.ctx, f.officer, st.ID, Project{Kind: "supermarket", Name: "爱心超市", Donors: 12, AmountFen: 800000}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AddProject(f.ctx, f.officer, st.ID, Project{Kind: "library", Name: "爱心书屋", Donors: 3, AmountFen: 100000}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AddProject(f.ctx, f.foreignOfficer, st.ID, Project{Kind: "library", Name: "x"}); code(err) != apperr.NotFound {
			t.Errorf("foreign project: %v", err)
		}
		if _, err := f.svc.AddProject(f.ctx, f.officer, st.ID, Project{Kind: "bank", Name: "x"}); fieldKeys(err)["kind"] != "err.form.bad_choice" {
			t.Errorf("bad kind: %v", err)
		}
		sites, err := f.svc.ListSites(f.ctx, f.leader, f.c.ID)
		f.must(err)
		if len(sites) != 1 || len(sites[0].Projects) != 2 {
			t.Fatalf("sites %+v", sites)
		}
		vs := figuretest.CheckRecords(t, f.ctx, f.svc.Source(), f.leader, figure.YearFilter(f.c.ID, 2026))
		want := map[string]int64{"sites.count": 1, "sites.donors": 15, "sites.amount": 900000}
		for _, v := range vs {
			if w, ok := want[v.ID]; ok && v.Value != w {
				t.Errorf("%s = %d, want %d", v.ID, v.Value, w)
			}
		}
	})
}
