package api

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"lvzhi/internal/activity"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/org"
	"lvzhi/internal/report"
)

// TestPublicReportsAPI: a draft is not public; once finalised anyone (no
// token) lists it and reads its frozen figures.
func TestPublicReportsAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		f := h.f
		var r report.Report
		h.want(h.json(f.Staff, "POST", "/reports", ReportBody{Year: db.Now().Year()}), http.StatusCreated).decode(t, &r)
		path := fmt.Sprintf("/public/reports/%d", r.ID)
		var list PublicReportList
		h.want(h.json(nil, "GET", "/public/reports", nil), 200).decode(t, &list)
		if len(list.Items) != 0 {
			t.Fatalf("a draft is public: %+v", list)
		}
		h.want(h.json(nil, "GET", path, nil), 404)
		h.want(h.json(f.LeaderRole, "POST", fmt.Sprintf("/reports/%d/finalise", r.ID), ReportVersion{}), http.StatusOK)

		h.want(h.json(nil, "GET", fmt.Sprintf("/public/reports?committee=%d", f.A), nil), 200).decode(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != r.ID {
			t.Fatalf("public list %+v", list)
		}
		h.want(h.json(nil, "GET", fmt.Sprintf("/public/reports?committee=%d", f.B), nil), 200).decode(t, &list)
		if len(list.Items) != 0 {
			t.Fatalf("another committee's list %+v", list)
		}
		var figs PublicReportFigures
		h.want(h.json(nil, "GET", path, nil), 200).decode(t, &figs)
		if figs.ID != r.ID || figs.Year != r.Year || len(figs.Figures) == 0 || figs.Figures[0].Name == "" || figs.FinalOn == "" {
			t.Fatalf("public figures %+v", figs)
		}
		h.want(h.json(nil, "GET", "/public/reports/999999", nil), 404)
	})
}

// TestAppraisalListAPI: readers list every appraisal, a member the open
// ballots, a unit account nothing (not found), another county none of A's.
func TestAppraisalListAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		f := h.f
		unit, err := h.api.deps.Org.CreateUnit(context.Background(), auth.System(f.A), f.A, org.UnitInput{Name: "县交通运输局", Kind: "government", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		var ap activity.Appraisal
		h.want(h.json(f.Staff, "POST", "/appraisals", AppraisalBody{UnitID: unit.ID, Year: 2026, Dimensions: []string{"作风"}}), 201).decode(t, &ap)
		var list AppraisalList
		h.want(h.json(f.Staff, "GET", "/appraisals", nil), 200).decode(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != ap.ID {
			t.Fatalf("staff list %+v", list)
		}
		h.want(h.json(f.MemberParty, "GET", "/appraisals", nil), 200).decode(t, &list)
		if len(list.Items) != 0 {
			t.Fatalf("a member sees a ballot not open: %+v", list)
		}
		h.want(h.json(f.Staff, "POST", fmt.Sprintf("/appraisals/%d/open", ap.ID), AppraisalBody{}), 200)
		h.want(h.json(f.MemberParty, "GET", "/appraisals", nil), 200).decode(t, &list)
		if len(list.Items) != 1 {
			t.Fatalf("a member's open ballots %+v", list)
		}
		h.want(h.json(f.StaffB, "GET", "/appraisals", nil), 200).decode(t, &list)
		if len(list.Items) != 0 {
			t.Fatalf("another county sees A's appraisals: %+v", list)
		}
		h.want(h.json(nil, "GET", "/appraisals", nil), 401)
	})
}
