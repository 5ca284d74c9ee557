package api

import (
	"fmt"
	"testing"

	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// TestProposalSettingsAPI: everyone of the committee reads the deadlines,
// reasons, classes and calendar; only administrators and the proposal office
// change them, within their ranges, with the version read; another county
// never sees or changes this one's.
func TestProposalSettingsAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		f := h.f
		var st proposal.Settings
		h.want(h.json(f.MemberParty, "GET", "/proposals/settings", nil), 200).decode(t, &st)
		if st.DeadlineMonths != proposal.DefaultSettings.DeadlineMonths || st.Version != 0 {
			t.Fatalf("defaults %+v", st)
		}
		body := SettingsBody{DeadlineMonths: 2, MaxMonths: 4, ContactWorkdays: 10, EvaluationWorkdays: 10, ReturnWorkdays: 5,
			SigningWorkdays: 5, RemindWorkdays: 3, RehandleMonths: 1}
		reason := ReasonBody{Code: "duplicate_local", LabelZh: "与本届已立案提案重复的", Sort: 20, Active: true}
		class := ClassBody{Code: "D", LabelZh: "留作参考", Sort: 9, Active: true}
		day := CalendarBody{Day: "2026-10-09", Kind: "holiday", Name: "县庆"}
		for _, who := range []string{"staff", "member", "unit", "leader", "assistance", "other_staff", "prefecture"} {
			x := h.actor(who)
			h.want(h.json(x, "PUT", "/proposals/settings", body), 403)
			h.want(h.json(x, "POST", "/proposals/settings/reasons", reason), 403)
			h.want(h.json(x, "POST", "/proposals/settings/classes", class), 403)
			h.want(h.json(x, "POST", "/proposals/settings/calendar", day), 403)
			h.want(h.json(x, "POST", "/proposals/settings/calendar/china", nil), 403)
		}
		audited := h.rows("audit_log")
		bad := body
		bad.DeadlineMonths, bad.MaxMonths = 13, 1
		e := h.want(h.json(f.ProposalOffice, "PUT", "/proposals/settings", bad), 422).apiError(t)
		if !hasField(e, "deadline_months") || !hasField(e, "max_months") {
			t.Fatalf("settings fields %+v", e.Fields)
		}
		h.want(h.json(f.ProposalOffice, "POST", "/proposals/settings/reasons", ReasonBody{Code: "x"}), 422)
		e = h.want(h.json(f.ProposalOffice, "POST", "/proposals/settings/calendar", CalendarBody{Day: "2026-02-30"}), 422).apiError(t)
		if !hasField(e, "day") {
			t.Fatalf("calendar fields %+v", e.Fields)
		}
		h.want(h.json(f.ProposalOffice, "POST", "/proposals/settings/calendar", map[string]any{"day": "2026-10-09", "kind": "feast"}), 422)
		if h.rows("audit_log") != audited {
			t.Fatal("refused settings were written")
		}

		h.want(h.json(f.ProposalOffice, "PUT", "/proposals/settings", body), 200).decode(t, &st)
		if st.DeadlineMonths != 2 || st.Version != 1 {
			t.Fatalf("saved %+v", st)
		}
		h.want(h.json(f.Admin, "PUT", "/proposals/settings", body), 409) // version 0 is stale now
		body.Version = st.Version
		h.want(h.json(f.Admin, "PUT", "/proposals/settings", body), 200)
		h.want(h.json(f.StaffB, "GET", "/proposals/settings", nil), 200).decode(t, &st)
		if st.DeadlineMonths != proposal.DefaultSettings.DeadlineMonths {
			t.Fatalf("county B got A's settings %+v", st)
		}

		h.want(h.json(f.ProposalOffice, "POST", "/proposals/settings/reasons", reason), 204)
		var rl ReasonList
		h.want(h.json(f.MemberParty, "GET", "/proposals/settings/reasons", nil), 200).decode(t, &rl)
		if !hasCode(rl.Items, "duplicate_local") {
			t.Fatalf("reasons %+v", rl.Items)
		}
		h.want(h.json(f.Admin, "POST", "/proposals/settings/classes", class), 204)
		var cl ClassList
		h.want(h.json(f.Unit, "GET", "/proposals/settings/classes", nil), 200).decode(t, &cl)
		found := false
		for _, c := range cl.Items {
			found = found || c.Code == "D" && c.LabelZh == "留作参考"
		}
		if !found {
			t.Fatalf("classes %+v", cl.Items)
		}
		h.want(h.json(f.StaffB, "GET", "/proposals/settings/classes", nil), 200).decode(t, &cl)
		for _, c := range cl.Items {
			if c.Code == "D" {
				t.Fatal("county B sees A's class")
			}
		}

		h.want(h.json(f.ProposalOffice, "POST", "/proposals/settings/calendar", day), 204)
		var cal CalendarList
		h.want(h.json(f.MemberParty, "GET", "/proposals/settings/calendar", nil), 200).decode(t, &cal)
		if len(cal.Items) != 1 || cal.Items[0].Day != civil.MustParse("2026-10-09") || cal.Items[0].Kind != "holiday" {
			t.Fatalf("calendar %+v", cal)
		}
		h.want(h.json(f.ProposalOffice, "POST", "/proposals/settings/calendar", CalendarBody{Day: "2026-10-09"}), 204) // removes it
		var added Added
		h.want(h.json(f.Admin, "POST", "/proposals/settings/calendar/china", nil), 200).decode(t, &added)
		if added.Added == 0 || added.Added != len(civil.ChinaHolidays) {
			t.Fatalf("china holidays added %d of %d", added.Added, len(civil.ChinaHolidays))
		}
		h.want(h.json(f.Admin, "POST", "/proposals/settings/calendar/china", nil), 200).decode(t, &added)
		if added.Added != 0 {
			t.Fatalf("added again %d", added.Added)
		}
		h.want(h.json(f.MemberParty, "GET", "/proposals/settings/calendar", nil), 200).decode(t, &cal)
		if len(cal.Items) != len(civil.ChinaHolidays) {
			t.Fatalf("calendar %d days", len(cal.Items))
		}
	})
}

func hasCode(rs []proposal.Reason, code string) bool {
	for _, r := range rs {
		if r.Code == code {
			return true
		}
	}
	return false
}

// TestProposalAssessmentsAPI: the proposal office keeps the score sheet and
// scores units; readers of the figures read every assessment, a unit its own
// only; nobody else changes anything.
func TestProposalAssessmentsAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		unit := proposalSetup(t, h)
		f := h.f
		year := civil.Today().Year

		var il AssessItemList
		h.want(h.json(f.ProposalOffice, "GET", "/proposals/assessments/items", nil), 200).decode(t, &il)
		if il.Saved || len(il.Items) != len(proposal.DefaultAssessItems) {
			t.Fatalf("default sheet %+v", il)
		}
		h.want(h.json(f.MemberParty, "GET", "/proposals/assessments/items", nil), 403)
		for _, who := range []string{"admin", "staff", "member", "unit", "leader", "other_staff"} {
			x := h.actor(who)
			h.want(h.json(x, "POST", "/proposals/assessments/default", nil), 403)
			h.want(h.json(x, "POST", "/proposals/assessments/items", AssessItemBody{Name: "x", MaxPoints: 5}), 403)
		}
		h.want(h.json(f.ProposalOffice, "POST", "/proposals/assessments/default", nil), 204)
		h.want(h.json(f.Unit, "GET", "/proposals/assessments/items", nil), 200).decode(t, &il)
		if !il.Saved || il.Items[0].ID == 0 {
			t.Fatalf("saved sheet %+v", il)
		}
		e := h.want(h.json(f.ProposalOffice, "POST", "/proposals/assessments/items", AssessItemBody{Name: "", MaxPoints: -1}), 422).apiError(t)
		if len(e.Fields) == 0 {
			t.Fatalf("bad item %+v", e)
		}
		var it proposal.AssessItem
		h.want(h.json(f.ProposalOffice, "POST", "/proposals/assessments/items", AssessItemBody{Name: "群众满意度", MaxPoints: 10, Sort: 9, Active: true}), 201).decode(t, &it)
		path := fmt.Sprintf("/proposals/assessments/items/%d", it.ID)
		h.want(h.json(f.Staff, "PUT", path, AssessItemBody{Name: "x", MaxPoints: 10, Version: it.Version}), 403)
		h.want(h.json(f.ProposalOffice, "PUT", path, AssessItemBody{Name: "群众满意", MaxPoints: 10, Version: it.Version + 3}), 409)
		h.want(h.json(f.ProposalOffice, "PUT", path, AssessItemBody{Name: "群众满意", MaxPoints: 10, Version: it.Version}), 200).decode(t, &it)
		if it.Name != "群众满意" || it.Active {
			t.Fatalf("item %+v", it) // active was not sent: the item is set aside
		}
		h.want(h.json(f.ProposalOffice, "PUT", "/proposals/assessments/items/999999", AssessItemBody{Name: "x", MaxPoints: 1}), 404)

		h.want(h.json(f.ProposalOffice, "GET", "/proposals/assessments/items", nil), 200).decode(t, &il)
		points := map[int64]int{}
		var first proposal.AssessItem
		for _, x := range il.Items {
			if x.Active {
				points[x.ID] = x.MaxPoints - 1
				if first.ID == 0 {
					first = x
				}
			}
		}
		score := AssessmentBody{Year: year, UnitID: unit, Points: points, Note: "按时办复"}
		for _, who := range []string{"admin", "staff", "member", "unit", "leader", "other_staff"} {
			h.want(h.json(h.actor(who), "POST", "/proposals/assessments", score), 403)
		}
		over := AssessmentBody{Year: year, UnitID: unit, Points: map[int64]int{first.ID: 999}}
		e = h.want(h.json(f.ProposalOffice, "POST", "/proposals/assessments", over), 422).apiError(t)
		if !hasField(e, fmt.Sprintf("points.%d", first.ID)) {
			t.Fatalf("points fields %+v (item %+v)", e.Fields, first)
		}
		e = h.want(h.json(f.ProposalOffice, "POST", "/proposals/assessments", AssessmentBody{Year: year, UnitID: 999999, Points: points}), 422).apiError(t)
		if !hasField(e, "unit_id") {
			t.Fatalf("unit fields %+v", e.Fields)
		}
		if n := h.rows("proposal_assessments"); n != 0 {
			t.Fatalf("refused assessments stored: %d", n)
		}
		var as proposal.Assessment
		h.want(h.json(f.ProposalOffice, "POST", "/proposals/assessments", score), 200).decode(t, &as)
		if as.UnitID != unit || as.Total == 0 || as.Total >= as.MaxTotal {
			t.Fatalf("assessment %+v", as)
		}

		var al UnitAssessmentList
		h.want(h.json(f.LeaderRole, "GET", fmt.Sprintf("/proposals/assessments?year=%d", year), nil), 200).decode(t, &al)
		if len(al.Items) != 1 || al.Items[0].Total != as.Total {
			t.Fatalf("leader reads %+v", al)
		}
		h.want(h.json(f.Unit, "GET", "/proposals/assessments", nil), 200).decode(t, &al)
		if len(al.Items) != 1 || al.Year != year {
			t.Fatalf("the unit reads its own %+v", al)
		}
		h.want(h.json(f.MemberParty, "GET", "/proposals/assessments", nil), 403)
		h.want(h.json(f.StaffB, "GET", "/proposals/assessments", nil), 200).decode(t, &al)
		if len(al.Items) != 0 {
			t.Fatalf("county B reads A's assessments %+v", al)
		}
	})
}
