package demo_test

import (
	"context"
	"testing"

	"lvzhi/internal/account"
	"lvzhi/internal/assist"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/demo"
	"lvzhi/internal/figure"
	"lvzhi/internal/figure/figuretest"
	"lvzhi/internal/secret"
)

// TestSeedAssist: the demo's 三送三帮 year gives the 2018 report's figures,
// its records add up, and the demo member sees their paired households.
func TestSeedAssist(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		box, err := secret.FromBase64(secret.NewKey())
		if err != nil {
			t.Fatal(err)
		}
		res, err := demo.Seed(ctx, d, box)
		if err != nil {
			t.Fatal(err)
		}
		acc := account.NewService(d)
		_, officer, err := acc.Login(ctx, "assistance", "lvzhi-assistance", "127.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		svc := assist.NewService(d)
		svc.Secret = box
		vs := figuretest.CheckRecords(t, ctx, svc.Source(), officer, figure.YearFilter(res.CommitteeID, 2018))
		want := map[string]int64{
			"assist.cash": 248550000, "assist.goods": 163, "assist.goods_value": 214000000, "assist.industry_households": 563,
			"assist.students": 56, "assist.jobs": 132, "assist.info": 1426, "assist.readings": 10240,
			"pledges.members": 27, "pledges.amount": 110000000, "pledges.households": 50, "pledges.jobs": 7, "pledges.industry_households": 286,
		}
		for _, v := range vs {
			if w, ok := want[v.ID]; ok && v.Value != w {
				t.Errorf("%s = %d, want %d", v.ID, v.Value, w)
			}
			if r, _ := v.Rate(); v.ID == "assist.members_participating" && int(r*100+0.5) != 98 {
				t.Errorf("participation %d/%d = %s, want 98%%", v.Value, v.DenValue, v.Pct())
			}
		}
		_, member, err := acc.Login(ctx, "member", "lvzhi-member", "127.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		hs, _, err := svc.ListHouseholds(ctx, member, assist.HouseholdFilter{})
		if err != nil || len(hs) != 3 {
			t.Errorf("demo member's households: %d %v", len(hs), err)
		}
		open, err := svc.ProposeAssignment(ctx, officer)
		if err != nil || len(open) == 0 {
			t.Errorf("no matches proposed for the demo's open needs: %v", err)
		}
	})
}
