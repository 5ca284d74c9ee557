package assist

import (
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/civil"
)

// TestMarket: households earn points and redeem them for goods; a
// redemption beyond the balance or the stock is refused and changes
// nothing; only officers of the committee run the supermarket.
func TestMarket(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		h := f.household("H001", 0, 1)
		st, err := f.svc.CreateSite(f.ctx, f.officer, SiteInput{Name: "示范点", OpenedOn: civil.MustParse("2026-01-01")})
		f.must(err)
		shop, err := f.svc.AddProject(f.ctx, f.officer, st.ID, Project{Kind: "supermarket", Name: "爱心超市"})
		f.must(err)
		lib, err := f.svc.AddProject(f.ctx, f.officer, st.ID, Project{Kind: "library", Name: "爱心书屋"})
		f.must(err)
		oil, err := f.svc.AddMarketItem(f.ctx, f.officer, shop.ID, MarketItem{Name: "食用油", Points: 30, Stock: 2})
		f.must(err)
		if _, err := f.svc.AddMarketItem(f.ctx, f.officer, lib.ID, MarketItem{Name: "书", Points: 1}); code(err) != apperr.Conflict {
			t.Errorf("item in a library: %v", err)
		}
		if _, err := f.svc.AddMarketItem(f.ctx, f.leader, shop.ID, MarketItem{Name: "米", Points: 1}); code(err) != apperr.Forbidden {
			t.Errorf("leader: %v", err)
		}
		if _, err := f.svc.AddMarketItem(f.ctx, f.foreignOfficer, shop.ID, MarketItem{Name: "米", Points: 1}); code(err) != apperr.NotFound {
			t.Errorf("foreign: %v", err)
		}
		day := civil.MustParse("2026-06-01")
		acc, err := f.svc.EarnPoints(f.ctx, f.officer, shop.ID, h.ID, 50, "庭院整洁", day)
		f.must(err)
		if acc.Balance != 50 {
			t.Fatalf("balance %d", acc.Balance)
		}
		if _, err := f.svc.EarnPoints(f.ctx, f.officer, shop.ID, f.foreignHH.ID, 5, "x", day); code(err) != apperr.NotFound {
			t.Errorf("points to another committee's household: %v", err)
		}
		if _, err := f.svc.Redeem(f.ctx, f.officer, shop.ID, h.ID, oil.ID, 2, day); apperr.As(err) == nil || apperr.As(err).Key != "err.assist.points_short" {
			t.Errorf("redeeming 60 with 50: %v", err)
		}
		acc, err = f.svc.Redeem(f.ctx, f.officer, shop.ID, h.ID, oil.ID, 1, day)
		f.must(err)
		if acc.Balance != 20 || len(acc.Moves) != 2 {
			t.Fatalf("after redemption %+v", acc)
		}
		_, err = f.svc.EarnPoints(f.ctx, f.officer, shop.ID, h.ID, 100, "子女全部在校", day)
		f.must(err)
		_, err = f.svc.Redeem(f.ctx, f.officer, shop.ID, h.ID, oil.ID, 1, day)
		f.must(err)
		if _, err := f.svc.Redeem(f.ctx, f.officer, shop.ID, h.ID, oil.ID, 1, day); apperr.As(err) == nil || apperr.As(err).Key != "err.assist.stock_short" {
			t.Errorf("redeeming beyond the stock: %v", err)
		}
		it, err := f.svc.Restock(f.ctx, f.officer, oil.ID, 5)
		f.must(err)
		if it.Stock != 5 {
			t.Errorf("stock %d", it.Stock)
		}
		acc, err = f.svc.Account(f.ctx, f.officer, shop.ID, h.ID)
		f.must(err)
		if acc.Balance != 90 {
			t.Errorf("balance %d, want 90", acc.Balance)
		}
	})
}
