package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"lvzhi/internal/assist"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/fixture"
	"lvzhi/internal/org"
	"lvzhi/internal/secret"
)

// TestAssistAPI walks the programme through the API (every answer checked
// against the OpenAPI document): register a household, record a need,
// confirm a match, the paired member records assistance, an officer verifies
// it; and refuses what other roles and committees may not do.
func TestAssistAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		box, err := secret.New(fixture.Key)
		if err != nil {
			t.Fatal(err)
		}
		h.api.deps.Assist.Secret = box
		f := h.f
		var v assist.Village
		h.want(h.json(f.Assistance, "POST", "/assist/villages", VillageBody{Township: "中安街道", Name: "西关社区"}), 201).decode(t, &v)
		first := "53032519700101001"
		id := first + string(org.IDCheckChar(first))
		var hh assist.Household
		h.want(h.json(f.Assistance, "POST", "/assist/households", assist.HouseholdInput{RegistryID: "A001", VillageID: v.ID, HeadName: "张户主",
			Attribute: "general", CauseMain: "illness", Status: "poor",
			Members: []assist.MemberInput{{Name: "张户主", Gender: "male", IDNumber: id, Relation: "户主"}}}), 201).decode(t, &hh)
		if hh.Members[0].IDMasked != "5303**************" {
			t.Errorf("masked %q", hh.Members[0].IDMasked)
		}
		path := fmt.Sprintf("/assist/households/%d", hh.ID)
		h.want(h.do(f.MemberParty, "GET", path, ""), 404)
		h.want(h.do(f.StaffB, "GET", path, ""), 404)
		h.want(h.do(f.ProposalOffice, "GET", path, ""), 404)
		if r := h.want(h.do(f.PrefLeader, "GET", path, ""), 200); strings.Contains(string(r.Body), id) {
			t.Error("full ID number in a household answer")
		}
		h.want(h.json(f.Staff, "POST", "/assist/households", assist.HouseholdInput{RegistryID: "A001", VillageID: v.ID, HeadName: "x",
			Attribute: "general", CauseMain: "illness", Status: "poor"}), 422)
		var n assist.Need
		h.want(h.json(f.MemberParty, "POST", "/assist/needs", assist.NeedInput{HouseholdID: hh.ID, Kind: "study", Description: "学费"}), 404)
		h.want(h.json(f.LeaderRole, "POST", "/assist/needs", assist.NeedInput{HouseholdID: hh.ID, Kind: "study", Description: "学费"}), 403)
		h.want(h.json(f.Assistance, "POST", "/assist/needs", assist.NeedInput{HouseholdID: hh.ID, Kind: "study", Description: "学费"}), 201).decode(t, &n)
		h.want(h.do(f.Assistance, "GET", fmt.Sprintf("/assist/needs/%d/suggestions", n.ID), ""), 200)
		h.want(h.do(f.Assistance, "GET", "/assist/match", ""), 200)
		h.want(h.do(f.MemberParty, "GET", "/assist/match", ""), 403)
		h.want(h.json(f.Assistance, "POST", fmt.Sprintf("/assist/needs/%d/confirm", n.ID), MatchBody{MembershipID: f.Party, Version: n.Version}), 200)
		h.want(h.do(f.MemberParty, "GET", path, ""), 200)
		var rec assist.Record
		h.want(h.json(f.MemberParty, "POST", "/assist/records", assist.RecordInput{HouseholdID: hh.ID, NeedID: n.ID, Kind: "study",
			Students: 1, GivenOn: civil.Today()}), 201).decode(t, &rec)
		h.want(h.json(f.MemberNonParty, "POST", "/assist/records", assist.RecordInput{HouseholdID: hh.ID, Kind: "info", InfoCount: 1,
			GivenOn: civil.Today()}), 404)
		h.want(h.json(f.MemberParty, "POST", fmt.Sprintf("/assist/records/%d/verify", rec.ID), VersionBody{}), 403)
		var vr assist.Record
		h.want(h.json(f.Assistance, "POST", fmt.Sprintf("/assist/records/%d/verify", rec.ID), VersionBody{Version: rec.Version}), 200).decode(t, &vr)
		if !vr.Verified {
			t.Error("not verified")
		}
		h.want(h.json(f.Assistance, "POST", fmt.Sprintf("/assist/records/%d/verify", rec.ID), VersionBody{}), 409)
		var got assist.Need
		h.want(h.do(f.Assistance, "GET", fmt.Sprintf("/assist/needs/%d", n.ID), ""), 200).decode(t, &got)
		if got.State != assist.NeedInProgress {
			t.Errorf("need %s", got.State)
		}
		reveal := fmt.Sprintf("/assist/household-members/%d/reveal", hh.Members[0].ID)
		h.want(h.do(f.Staff, "POST", reveal, ""), 403)
		h.want(h.do(f.StaffB, "POST", reveal, ""), 404)
		h.want(h.do(f.PrefLeader, "POST", reveal, ""), 403)
		var rv assist.Revealed
		h.want(h.do(f.Assistance, "POST", reveal, ""), 200).decode(t, &rv)
		if rv.IDNumber != id {
			t.Errorf("revealed %q", rv.IDNumber)
		}
		h.want(h.do(f.LeaderRole, "GET", fmt.Sprintf("/assist/bulletin?year=%d&quarter=1", civil.Today().Year), ""), 200)
		h.want(h.do(f.MemberParty, "GET", fmt.Sprintf("/assist/bulletin?year=%d&quarter=1", civil.Today().Year), ""), 403)
		var site assist.Site
		h.want(h.json(f.Assistance, "POST", "/assist/sites", assist.SiteInput{Name: "示范点", OpenedOn: civil.Today()}), 201).decode(t, &site)
		var shop assist.Project
		h.want(h.json(f.Assistance, "POST", fmt.Sprintf("/assist/sites/%d/projects", site.ID), assist.Project{Kind: "supermarket", Name: "爱心超市"}), 201).decode(t, &shop)
		var item assist.MarketItem
		h.want(h.json(f.Assistance, "POST", fmt.Sprintf("/assist/supermarkets/%d/items", shop.ID), assist.MarketItem{Name: "米", Points: 10, Stock: 3}), 201).decode(t, &item)
		h.want(h.json(f.Assistance, "POST", fmt.Sprintf("/assist/supermarkets/%d/earn", shop.ID), PointsBody{HouseholdID: hh.ID, Points: 15, Reason: "庭院整洁", On: civil.Today()}), 200)
		h.want(h.json(f.Assistance, "POST", fmt.Sprintf("/assist/supermarkets/%d/redeem", shop.ID), RedeemBody{HouseholdID: hh.ID, ItemID: item.ID, Quantity: 2, On: civil.Today()}), 409)
		var acc assist.MarketAccount
		h.want(h.json(f.Assistance, "POST", fmt.Sprintf("/assist/supermarkets/%d/redeem", shop.ID), RedeemBody{HouseholdID: hh.ID, ItemID: item.ID, Quantity: 1, On: civil.Today()}), 200).decode(t, &acc)
		if acc.Balance != 5 {
			t.Errorf("balance %d", acc.Balance)
		}
		h.want(h.do(f.LeaderRole, "GET", fmt.Sprintf("/assist/supermarkets/%d/accounts/%d", shop.ID, hh.ID), ""), 403)
		h.want(h.json(f.Assistance, "POST", "/assist/campaigns", assist.CampaignInput{Name: "百日会战", StartsOn: civil.Today(), EndsOn: civil.Today(),
			Targets: []assist.Target{{FigureID: "assist.students", Target: 56}}}), 201)
		h.want(h.do(f.LeaderRole, "GET", "/assist/campaigns", ""), 200)
		h.want(h.do(f.LeaderRole, "GET", "/assist/sites", ""), 200)
		h.want(h.do(f.MemberParty, "GET", "/assist/sites", ""), 403)
		var figs struct {
			Values []struct {
				ID    string `json:"id"`
				Value int64  `json:"value"`
			} `json:"values"`
		}
		r := h.want(h.do(f.LeaderRole, "GET", fmt.Sprintf("/figures?year=%d&area=assist", civil.Today().Year), ""), http.StatusOK)
		r.decode(t, &figs)
		found := false
		for _, v := range figs.Values {
			if v.ID == "assist.students" {
				found = v.Value == 1
			}
		}
		if !found {
			t.Errorf("assist.students not 1 in %s", r.Body)
		}
	})
}

// TestAssistAPIListTotals: the needs and records lists answer a page
// (limit, offset) and the number their filter selects.
func TestAssistAPIListTotals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		box, err := secret.New(fixture.Key)
		if err != nil {
			t.Fatal(err)
		}
		h.api.deps.Assist.Secret = box
		f := h.f
		var v assist.Village
		h.want(h.json(f.Assistance, "POST", "/assist/villages", VillageBody{Township: "中安街道", Name: "西关社区"}), 201).decode(t, &v)
		for i := range 5 {
			first := fmt.Sprintf("53032519700101%03d", i+1)
			var hh assist.Household
			h.want(h.json(f.Assistance, "POST", "/assist/households", assist.HouseholdInput{RegistryID: fmt.Sprintf("T%03d", i), VillageID: v.ID,
				HeadName: "户主", Attribute: "general", CauseMain: "illness", Status: "poor",
				Members: []assist.MemberInput{{Name: "户主", Gender: "male", IDNumber: first + string(org.IDCheckChar(first)), Relation: "户主"}}}), 201).decode(t, &hh)
			kind := "study"
			if i == 4 {
				kind = "job"
			}
			h.want(h.json(f.Assistance, "POST", "/assist/needs", assist.NeedInput{HouseholdID: hh.ID, Kind: kind, Description: "需求"}), 201)
			h.want(h.json(f.Assistance, "POST", "/assist/records", assist.RecordInput{HouseholdID: hh.ID, Kind: "info", InfoCount: 1,
				GivenOn: civil.Today(), MembershipIDs: []int64{f.Party}}), 201)
		}
		var nl NeedList
		h.want(h.do(f.Assistance, "GET", "/assist/needs?kind=study&limit=3&offset=3", ""), 200).decode(t, &nl)
		if nl.Total != 4 || len(nl.Items) != 1 {
			t.Errorf("needs: total %d, %d items; want 4 and 1", nl.Total, len(nl.Items))
		}
		var rl RecordList
		h.want(h.do(f.Assistance, "GET", "/assist/records?unverified=true&limit=2", ""), 200).decode(t, &rl)
		if rl.Total != 5 || len(rl.Items) != 2 {
			t.Errorf("records: total %d, %d items; want 5 and 2", rl.Total, len(rl.Items))
		}
	})
}
