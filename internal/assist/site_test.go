package assist

import (
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/figure"
	"lvzhi/internal/figure/figuretest"
)

// TestCreateSite: an officer records a demonstration site with its projects;
// the sites figures count it; bad fields refuse it whole; a member, a
// leader or a unit cannot record one.
func TestCreateSite(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		in := Site{Name: "东山社区示范点", VillageID: f.villages[0].ID, OpenedOn: f.today, Projects: []SiteProject{
			{Kind: "supermarket", Name: "爱心超市", Donors: 9, AmountFen: 60_000_000},
			{Kind: "factory", Name: "扶贫车间", Donors: 6, AmountFen: 45_000_000}}}
		st, err := f.svc.CreateSite(f.ctx, f.officer, in)
		f.must(err)
		if st.ID == 0 || st.Projects[1].ID == 0 {
			t.Fatalf("site %+v", st)
		}
		if _, err := f.svc.CreateSite(f.ctx, f.officer, in); code(err) != apperr.Invalid {
			t.Errorf("same name again: %v", err)
		}
		fv, err := f.svc.CreateVillage(f.ctx, f.foreignOfficer, "远山乡", "远山村", "")
		f.must(err)
		bad := Site{Name: " ", OpenedOn: f.today.AddDays(1), VillageID: fv.ID,
			Projects: []SiteProject{{Kind: "casino", Name: "", Donors: -1}}}
		_, err = f.svc.CreateSite(f.ctx, f.officer, bad)
		fields := map[string]bool{}
		if e := apperr.As(err); e != nil {
			for _, fe := range e.Fields {
				fields[fe.Field] = true
			}
		}
		for _, want := range []string{"name", "opened_on", "village", "projects.0.kind", "projects.0.name", "projects.0.amount"} {
			if !fields[want] {
				t.Errorf("no error on %s: %v", want, err)
			}
		}
		for _, a := range []*auth.Actor{f.members[0], f.leader, f.unit} {
			if _, err := f.svc.CreateSite(f.ctx, a, Site{Name: "x", OpenedOn: f.today}); code(err) != apperr.Forbidden && code(err) != apperr.NotFound {
				t.Errorf("%s recorded a site: %v", a.Name, err)
			}
		}
		year := figure.YearFilter(f.c.ID, f.today.Year)
		vs, err := f.svc.Source().Figures(f.ctx, f.officer, year)
		f.must(err)
		got := map[string]int64{}
		for _, v := range vs {
			got[v.ID] = v.Value
		}
		if got["sites.count"] != 1 || got["sites.donors"] != 15 || got["sites.amount"] != 105_000_000 {
			t.Errorf("sites figures %d / %d / %d", got["sites.count"], got["sites.donors"], got["sites.amount"])
		}
		figuretest.CheckRecords(t, f.ctx, f.svc.Source(), f.officer, year)
	})
}
