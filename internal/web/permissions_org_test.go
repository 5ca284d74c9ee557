package web

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// orgReaders may read county A's organisation pages; orgNonReaders may not.
var (
	orgReaders    = []string{"admin", "staff", "proposal_office", "leader", "assistance"}
	orgNonReaders = []string{"member", "unit"}
	orgNonEditors = []string{"proposal_office", "leader", "assistance", "member", "unit"}
)

// TestPermissionsOrg tries every org page and action as every login: who is
// refused (403), who finds nothing (404, county B and unknown ids), who is sent
// to log in, and that the prefecture reads but never edits county A.
func TestPermissionsOrg(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		memberA := fmt.Sprintf("/org/members/%d", h.A.MembershipID)
		unitA := fmt.Sprintf("/org/units/%d", h.A.UnitID)
		sectorA := fmt.Sprintf("/org/sectors/%d", h.A.SectorID)
		groupA := fmt.Sprintf("/org/groups/%d", h.A.GroupID)
		sessionA := fmt.Sprintf("/org/sessions/%d", h.A.SessionID)
		inA := fmt.Sprintf("?c=%d", h.A.ID)
		reads := []string{"/org/members", "/org/units", "/org/sectors", "/org/groups", "/org/committee", memberA, unitA,
			"/org/export/members.xlsx", "/org/export/units.xlsx"}
		memberForm := url.Values{"name": {"改名"}, "gender": {"female"}, "phone": {"13800000000"}, "sector_id": {fmt.Sprint(h.A.SectorID)},
			"affiliation": {"nonparty"}, "version": {"1"}}
		unitForm := url.Values{"name": {"改名局"}, "kind": {"government"}, "version": {"1"}}
		writes := []struct {
			path string
			form url.Values
		}{
			{"/org/members", memberForm}, {memberA, memberForm}, {"/org/units", unitForm}, {unitA, unitForm},
			{"/org/sectors", url.Values{"name": {"新界别"}}}, {sectorA, url.Values{"name": {"改"}, "version": {"1"}}},
			{"/org/groups", url.Values{"name": {"新组"}, "kind": {"member_group"}}}, {groupA, url.Values{"name": {"改"}, "kind": {"working_group"}, "version": {"1"}}},
		}
		manage := []struct {
			path string
			form url.Values
		}{
			{"/org/terms", url.Values{"number": {"10"}, "starts_on": {"2030-01-01"}}},
			{"/org/sessions", url.Values{"term_id": {fmt.Sprint(h.A.TermID)}, "number": {"5"}, "opens_on": {"2030-01-01"}, "closes_on": {"2030-01-02"}, "submit_from": {"2029-12-01"}, "submit_to": {"2030-01-02"}}},
			{sessionA, url.Values{"number": {"2"}, "opens_on": {"2030-01-01"}, "closes_on": {"2030-01-02"}, "submit_from": {"2029-12-01"}, "submit_to": {"2030-01-02"}, "version": {"1"}}},
			{"/org/committees", url.Values{"level": {"county"}, "name": {"x"}, "code": {"x-new"}}},
		}
		var cases []permCase
		for _, p := range append(reads, "/org", "/org/members/new", "/org/units/new", memberA+"/edit", "/org/import", "/org/templates/members.xlsx") {
			cases = append(cases, permCase{"anon", "GET", p, nil, http.StatusSeeOther})
		}
		for _, w := range append(writes, manage...) {
			cases = append(cases, permCase{"anon", "POST", w.path, w.form, http.StatusUnauthorized})
		}
		cases = append(cases, permCase{"anon", "POST", memberA + "/id-number", nil, http.StatusUnauthorized})
		// Members and units do not read the register (members are sent to their liaison page).
		for _, role := range orgNonReaders {
			for _, p := range reads {
				cases = append(cases, permCase{role, "GET", p, nil, http.StatusForbidden})
			}
		}
		cases = append(cases, permCase{"member", "GET", "/org", nil, http.StatusSeeOther}, permCase{"unit", "GET", "/org", nil, http.StatusForbidden})
		// Roles that read but must not change anything.
		for _, role := range orgNonEditors {
			for _, p := range []string{"/org/members/new", "/org/units/new", memberA + "/edit", "/org/import", "/org/templates/members.xlsx", "/org/templates/units.xlsx"} {
				cases = append(cases, permCase{role, "GET", p, nil, http.StatusForbidden})
			}
			for _, w := range writes {
				cases = append(cases, permCase{role, "POST", w.path, w.form, http.StatusForbidden})
			}
			cases = append(cases, permCase{role, "POST", memberA + "/id-number", nil, http.StatusForbidden})
		}
		// Only admins manage terms, sessions and child committees.
		for _, role := range []string{"staff", "leader", "member"} {
			for _, w := range manage {
				cases = append(cases, permCase{role, "POST", w.path, w.form, http.StatusForbidden})
			}
		}
		// County B's strongest user: county A's records do not exist.
		for _, p := range []string{memberA, unitA, memberA + "/edit", "/org/members" + inA, "/org/units" + inA, "/org" + inA, "/org/export/members.xlsx" + inA} {
			cases = append(cases, permCase{"other_admin", "GET", p, nil, http.StatusNotFound})
		}
		for _, w := range writes[1:] {
			if w.path == "/org/units" || w.path == "/org/sectors" || w.path == "/org/groups" {
				continue // these create in the caller's own committee
			}
			cases = append(cases, permCase{"other_admin", "POST", w.path, w.form, http.StatusNotFound})
		}
		cases = append(cases, permCase{"other_admin", "POST", memberA + "/id-number", nil, http.StatusNotFound},
			permCase{"other_admin", "POST", sessionA, manage[2].form, http.StatusNotFound},
			permCase{"other_member", "GET", memberA, nil, http.StatusForbidden})
		// The prefecture reads county A but edits nothing there, and never sees a full ID number.
		for _, p := range []string{"/org" + inA, "/org/members" + inA, "/org/units" + inA, "/org/sectors" + inA, "/org/groups" + inA,
			"/org/committee" + inA, memberA, unitA, "/org/export/members.xlsx" + inA, "/org/export/units.xlsx" + inA} {
			cases = append(cases, permCase{"prefecture", "GET", p, nil, http.StatusOK})
		}
		cases = append(cases,
			permCase{"prefecture", "POST", memberA, memberForm, http.StatusForbidden},
			permCase{"prefecture", "GET", memberA + "/edit", nil, http.StatusForbidden},
			permCase{"prefecture", "POST", unitA, unitForm, http.StatusForbidden},
			permCase{"prefecture", "POST", sectorA, url.Values{"name": {"改"}, "version": {"1"}}, http.StatusNotFound},
			permCase{"prefecture", "POST", memberA + "/id-number", nil, http.StatusForbidden},
			// The county does not read upwards or sideways.
			permCase{"admin", "GET", fmt.Sprintf("/org/members?c=%d", h.Pref.ID), nil, http.StatusNotFound},
			permCase{"admin", "GET", fmt.Sprintf("/org/members?c=%d", h.B.ID), nil, http.StatusNotFound},
			permCase{"admin", "GET", fmt.Sprintf("/org/members/%d", h.B.MembershipID), nil, http.StatusNotFound},
			permCase{"admin", "GET", fmt.Sprintf("/org/units/%d", h.B.UnitID), nil, http.StatusNotFound},
			permCase{"admin", "POST", fmt.Sprintf("/org/units/%d", h.B.UnitID), unitForm, http.StatusNotFound},
			permCase{"admin", "POST", fmt.Sprintf("/org/sectors/%d", h.B.SectorID), url.Values{"name": {"改"}, "version": {"1"}}, http.StatusNotFound},
			permCase{"admin", "GET", "/org/members/999999", nil, http.StatusNotFound},
			permCase{"admin", "GET", "/org/members/abc", nil, http.StatusNotFound},
			permCase{"admin", "GET", "/org/units/0", nil, http.StatusNotFound},
			permCase{"admin", "GET", "/org/members?c=abc", nil, http.StatusNotFound},
		)
		// What readers may do: every page renders.
		for _, role := range orgReaders {
			for _, p := range append(reads, "/org") {
				cases = append(cases, permCase{role, "GET", p, nil, http.StatusOK})
			}
		}
		for _, role := range []string{"admin", "staff"} {
			for _, p := range []string{"/org/members/new", "/org/units/new", memberA + "/edit", "/org/import", "/org/templates/members.xlsx", "/org/templates/units.xlsx"} {
				cases = append(cases, permCase{role, "GET", p, nil, http.StatusOK})
			}
		}
		// Allowed writes last (they change the records above).
		cases = append(cases,
			permCase{"staff", "POST", "/org/sectors", url.Values{"name": {"新界别"}}, http.StatusSeeOther},
			permCase{"staff", "POST", unitA, url.Values{"name": {"甲县教育体育局"}, "kind": {"government"}, "version": {"1"}}, http.StatusSeeOther},
			permCase{"admin", "POST", "/org/terms", manage[0].form, http.StatusSeeOther},
		)
		runPermCases(t, h, cases)
	})
}
