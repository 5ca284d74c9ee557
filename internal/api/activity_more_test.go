package api

import (
	"fmt"
	"testing"

	"lvzhi/internal/activity"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestActivityMoreAPI: the twins of the newer web pages — a plan item edited
// while drafted, invited guests, an output's document, 社情民意 merged, the
// attendance rates and the figures by kind — and what a member, a unit and
// another committee may not do with them.
func TestActivityMoreAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		f := h.f
		year := civil.Today().Year
		var item activity.PlanItem
		h.want(h.json(f.Staff, "POST", "/plan", PlanBody{Year: year, Month: 3, Topic: "双月协商", Form: "bimonthly"}), 201).decode(t, &item)
		h.want(h.json(f.MemberParty, "PUT", fmt.Sprintf("/plan/%d", item.ID), PlanBody{Year: year, Month: 4, Topic: "改", Form: "bimonthly"}), 403)
		h.want(h.json(f.Staff, "PUT", fmt.Sprintf("/plan/%d", item.ID), PlanBody{Year: year, Month: 4, Topic: "关于供水的双月协商", Form: "bimonthly",
			Version: item.Version}), 200).decode(t, &item)
		if item.Month != 4 || item.Topic != "关于供水的双月协商" {
			t.Fatalf("edited %+v", item)
		}
		// A held activity with its roll, a guest and a document.
		var a activity.Activity
		h.want(h.json(f.Staff, "POST", "/activities/past", ActivityBody{Kind: "research", Title: "调研", StartsOn: civil.Today().AddDays(-2).String(),
			Roll: []activity.PastRow{{PersonID: f.PersonOf[f.Party], Status: activity.Attended}, {PersonID: f.PersonOf[f.NonParty], Status: activity.Absent}}}), 201).decode(t, &a)
		path := fmt.Sprintf("/activities/%d/guests", a.ID)
		h.want(h.json(f.MemberParty, "POST", path, GuestBody{Kind: "leader", Name: "李明"}), 403)
		h.want(h.json(f.StaffB, "POST", path, GuestBody{Kind: "leader", Name: "李明"}), 404)
		var g activity.Guest
		h.want(h.json(f.Staff, "POST", path, GuestBody{Kind: "leader", Name: "李明", Post: "副县长"}), 201).decode(t, &g)
		var det activity.Detail
		h.want(h.json(f.MemberParty, "GET", fmt.Sprintf("/activities/%d", a.ID), nil), 200).decode(t, &det)
		if len(det.Guests) != 1 || det.Guests[0].Name != "李明" {
			t.Fatalf("guests %+v", det.Guests)
		}
		h.want(h.json(f.Staff, "DELETE", fmt.Sprintf("%s/%d", path, g.ID), nil), 204)
		var out activity.Output
		h.want(h.json(f.Staff, "POST", "/outputs", OutputBody{Kind: "research_report", Title: "调研报告", DatedOn: civil.Today().String(), ActivityID: a.ID}), 201).decode(t, &out)
		pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
		files := fmt.Sprintf("/outputs/%d/files", out.ID)
		h.want(h.upload(f.MemberParty, "POST", files, nil, "r.pdf", pdf), 403)
		h.want(h.upload(f.Staff, "POST", files, nil, "a.exe", append([]byte("MZ\x90\x00"), make([]byte, 64)...)), 422)
		var file activity.File
		h.want(h.upload(f.Staff, "POST", files, nil, "调研报告.pdf", pdf), 201).decode(t, &file)
		if got := h.do(f.LeaderRole, "GET", fmt.Sprintf("%s/%d", files, file.ID), ""); got.Status != 200 || string(got.Body) != string(pdf) {
			t.Fatalf("download: %d", got.Status)
		}
		h.want(h.json(f.Unit, "GET", fmt.Sprintf("%s/%d", files, file.ID), nil), 403)
		h.want(h.json(f.Staff, "DELETE", fmt.Sprintf("%s/%d", files, file.ID), nil), 204)
		// Rates and figures by kind.
		var rates []activity.RateRow
		h.want(h.json(f.LeaderRole, "GET", fmt.Sprintf("/attendance-rates?year=%d&subtree=0", year), nil), 200).decode(t, &rates)
		if len(rates) != 2 || rates[0].ID != f.PersonOf[f.Party] || rates[0].Attended != 1 {
			t.Fatalf("rates %+v", rates)
		}
		h.want(h.json(f.MemberParty, "GET", "/attendance-rates", nil), 403)
		h.want(h.json(f.LeaderRole, "GET", "/attendance-rates?by=sector", nil), 422)
		// 社情民意 merged.
		var s1, s2 activity.Sqmy
		h.want(h.json(f.MemberParty, "POST", "/sqmy", SqmyBody{Title: "饮水一"}), 201).decode(t, &s1)
		h.want(h.json(f.MemberNonParty, "POST", "/sqmy", SqmyBody{Title: "饮水二"}), 201).decode(t, &s2)
		h.want(h.json(f.MemberParty, "POST", fmt.Sprintf("/sqmy/%d/sqmy_merge", s1.ID), SqmyActionBody{From: []int64{s2.ID}}), 403)
		h.want(h.json(f.Staff, "POST", fmt.Sprintf("/sqmy/%d/sqmy_merge", s1.ID), SqmyActionBody{From: []int64{s2.ID}}), 200).decode(t, &s1)
		if s1.State != activity.SqmyEdited {
			t.Fatalf("merged %+v", s1)
		}
	})
}
