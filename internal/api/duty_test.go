package api

import (
	"fmt"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/duty"
)

// TestDutyAPI drives every duty action through the API, and tries what each
// role must not do; every answer is checked against the OpenAPI document.
func TestDutyAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		f := h.f
		h.want(h.json(f.MemberParty, "POST", "/duty/rules", RuleSetCreate{Year: 2026, Preset: duty.PresetTongcheng}), 403)
		var rs duty.RuleSet
		h.want(h.json(f.Staff, "POST", "/duty/rules", RuleSetCreate{Year: 2026, Preset: duty.PresetTongcheng}), 201).decode(t, &rs)
		h.want(h.json(f.Staff, "POST", "/duty/rules", RuleSetCreate{Year: 2027, Preset: "nope"}), 422)
		h.want(h.json(f.Staff, "POST", "/duty/rules", RuleSetCreate{Year: 2027, FromYear: 2026}), 201)
		var years YearList
		h.want(h.do(f.MemberParty, "GET", "/duty/rules/years", ""), 200).decode(t, &years)
		if len(years.Years) != 2 || years.Years[0] != 2027 {
			t.Fatalf("years %v", years)
		}

		adj := AdjustBody{MembershipID: f.NonParty, Date: "2026-04-01", Points: 300, Reason: "参加县外调研"}
		h.want(h.json(f.MemberParty, "POST", "/duty/adjustments", adj), 403)
		h.want(h.json(f.StaffB, "POST", fmt.Sprintf("/duty/adjustments?committee=%d", f.A), adj), 404)
		bad := adj
		bad.Date, bad.Points = "2026-02-30", 0
		if e := h.want(h.json(f.Staff, "POST", "/duty/adjustments", bad), 422).apiError(t); len(e.Fields) != 1 {
			t.Errorf("bad date: %+v", e)
		}
		var a duty.Adjustment
		h.want(h.json(f.Staff, "POST", "/duty/adjustments", adj), 201).decode(t, &a)

		var y duty.Year
		h.want(h.do(f.Unit, "GET", "/duty/scores?year=2026", ""), 403)
		h.want(h.do(f.StaffB, "GET", fmt.Sprintf("/duty/scores?committee=%d&year=2026", f.A), ""), 404)
		h.want(h.do(f.LeaderRole, "GET", "/duty/scores?year=2026", ""), 200).decode(t, &y)
		found := false
		for _, s := range y.Scores {
			if s.MembershipID == f.NonParty {
				found = s.Total == 300 && s.Rank == 1
			}
		}
		if !found {
			t.Fatalf("scores %+v", y.Scores)
		}

		var rec duty.MemberRecord
		path := fmt.Sprintf("/duty/members/%d?year=2026", f.NonParty)
		h.want(h.do(f.MemberParty, "GET", path, ""), 404)
		h.want(h.do(f.MemberNonParty, "GET", path, ""), 200).decode(t, &rec)
		if len(rec.Entries) != 1 || !rec.CanAppeal {
			t.Fatalf("record %+v", rec)
		}
		var ap duty.Appeal
		h.want(h.json(f.MemberParty, "POST", "/duty/appeals", AppealBody{EntryID: rec.Entries[0].ID, Reason: "x"}), 404)
		h.want(h.json(f.MemberNonParty, "POST", "/duty/appeals", AppealBody{EntryID: rec.Entries[0].ID, Reason: "应为两次"}), 201).decode(t, &ap)
		h.want(h.json(f.Staff, "POST", fmt.Sprintf("/duty/appeals/%d/decide", ap.ID),
			AppealDecision{Action: duty.ActReject, Note: "记录为一次", Version: ap.Version + 1}), 409)
		h.want(h.json(f.Staff, "POST", fmt.Sprintf("/duty/appeals/%d/decide", ap.ID),
			AppealDecision{Action: duty.ActReject, Note: "记录为一次", Version: ap.Version}), 200).decode(t, &ap)
		if ap.State != duty.AppealRejected {
			t.Fatalf("appeal %+v", ap)
		}
		var list AppealList
		h.want(h.do(f.MemberParty, "GET", "/duty/appeals", ""), 200).decode(t, &list)
		if len(list.Items) != 0 {
			t.Fatalf("another member sees appeals: %+v", list.Items)
		}
		h.want(h.do(f.Staff, "GET", "/duty/appeals?state=bogus", ""), 422)

		var rep duty.Report
		h.want(h.json(f.LeaderRole, "POST", "/duty/recompute", RecomputeBody{Year: 2026}), 403)
		h.want(h.json(f.Staff, "POST", "/duty/recompute", RecomputeBody{Year: 2026}), 200).decode(t, &rep)
		if rep.Differs() || rep.Events != 1 {
			t.Fatalf("recompute %+v", rep)
		}
		var as AssessmentList
		h.want(h.json(f.Staff, "POST", "/duty/assessments", ConfirmBody{Year: 2026}), 200).decode(t, &as)
		h.want(h.do(f.Staff, "GET", "/duty/assessments?year=2026", ""), 200).decode(t, &as)
		var target duty.Assessment
		for _, x := range as.Items {
			if x.Action != "" {
				target = x
			}
		}
		h.want(h.json(f.Staff, "POST", fmt.Sprintf("/duty/assessments/%d/decide", target.MembershipID),
			ActionDecision{Year: 2026, Decision: duty.ActionConfirmed, Version: target.Version}), 200)
		// The confirmed year's rules no longer change.
		h.want(h.do(f.Staff, "GET", "/duty/rules?year=2026", ""), 200).decode(t, &rs)
		h.want(h.json(f.Staff, "PUT", "/duty/rules", rs), 409)
		h.want(h.json(f.Staff, "DELETE", fmt.Sprintf("/duty/adjustments/%d?version=%d", a.ID, a.Version), nil), 204)
		// A past year's sheet: a year scored here is refused, an unreadable file too.
		h.want(h.json(f.MemberParty, "POST", "/duty/imports", ImportBody{Year: 2025, FileName: "x.xlsx", File: []byte("x")}), 403)
		h.want(h.json(f.Staff, "POST", "/duty/imports", ImportBody{Year: 2025, FileName: "x.xlsx", File: []byte("not a workbook")}), 422)
		h.want(h.json(f.Staff, "POST", "/duty/imports", ImportBody{Year: 2026, FileName: "x.xlsx", File: []byte("x")}), 422)
		var il ImportList
		h.want(h.do(f.Staff, "GET", "/duty/imports", ""), 200).decode(t, &il)

		// The annual duty report: written by the standing member only, read by staff.
		rp := fmt.Sprintf("/duty/members/%d/report", f.NonParty)
		body := DutyReportBody{Year: 2026, Body: "一年来，我认真履职。"}
		h.want(h.json(f.MemberParty, "PUT", rp, body), 404)
		h.want(h.json(f.Staff, "PUT", rp, body), 403)
		h.want(h.json(f.LeaderRole, "PUT", rp, body), 403)
		h.want(h.json(f.MemberParty, "PUT", fmt.Sprintf("/duty/members/%d/report", f.Party), body), 409) // not standing
		h.want(h.json(f.MemberNonParty, "PUT", rp, DutyReportBody{Year: 2026, Body: " "}), 422)
		var ar duty.AnnualReport
		h.want(h.json(f.MemberNonParty, "PUT", rp, body), 200).decode(t, &ar)
		h.want(h.json(f.MemberNonParty, "PUT", rp, body), 409) // version 0 again: stale
		h.want(h.do(f.Staff, "GET", path, ""), 200).decode(t, &rec)
		if rec.Report == nil || rec.Report.Body != body.Body || rec.CanReport || !rec.Standing {
			t.Fatalf("staff read of the report: %+v", rec.Report)
		}
	})
}
