package web

import (
	"fmt"
	"net/url"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestFiguresPermissions: who may open the figures, records, exports, league,
// portal, assessments, search, similarity and public pages, and who must be
// refused (refusals change nothing and leak nothing of county B).
func TestFiguresPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFigFixture(t, d)
		a := f.A.ID
		recs := "/proposals/figures/records?fig=proposals.registered"
		own := "/proposals/figures/records?fig=assignments.replied"
		foreignUnit := fmt.Sprintf("%s&unit=%d", own, f.B.UnitID)
		score := url.Values{"year": {"2026"}, "unit": {fmt.Sprint(f.A.UnitID)}}
		runPermCases(t, f.harness, []permCase{
			// Figures: readers of the committee only.
			{"anon", "GET", "/proposals/figures", nil, 303},
			{"member", "GET", "/proposals/figures", nil, 403},
			{"unit", "GET", "/proposals/figures", nil, 403},
			{"assistance", "GET", "/proposals/figures", nil, 403},
			{"other_member", "GET", "/proposals/figures", nil, 403},
			{"other_admin", "GET", fmt.Sprintf("/proposals/figures?committee=%d", a), nil, 404},
			{"admin", "GET", "/proposals/figures", nil, 200},
			{"staff", "GET", "/proposals/figures", nil, 200},
			{"leader", "GET", "/proposals/figures", nil, 200},
			{"proposal_office", "GET", "/proposals/figures", nil, 200},
			{"prefecture", "GET", "/proposals/figures", nil, 200},
			{"prefecture", "GET", fmt.Sprintf("/proposals/figures?committee=%d&subtree=0", a), nil, 200},
			{"proposal_office", "GET", "/proposals/figures?session=999999", nil, 422},
			// Records and exports.
			{"member", "GET", recs, nil, 403},
			{"unit", "GET", recs, nil, 403},
			{"other_admin", "GET", fmt.Sprintf("%s&committee=%d", recs, a), nil, 404},
			{"proposal_office", "GET", "/proposals/figures/records?fig=no.such", nil, 404},
			{"proposal_office", "GET", recs, nil, 200},
			{"unit", "GET", own, nil, 200},
			{"unit", "GET", foreignUnit, nil, 404},
			{"member", "GET", "/proposals/figures/export.xlsx", nil, 403},
			{"member", "GET", recs + "&x=.xlsx", nil, 403},
			{"unit", "GET", "/proposals/figures/records.xlsx?fig=proposals.registered", nil, 403},
			{"other_admin", "GET", fmt.Sprintf("/proposals/figures/records.xlsx?fig=proposals.registered&committee=%d", a), nil, 404},
			// League and portal.
			{"anon", "GET", "/units/league", nil, 303},
			{"member", "GET", "/units/league", nil, 403},
			{"assistance", "GET", "/units/league", nil, 403},
			{"unit", "GET", "/units/league", nil, 200},
			{"leader", "GET", "/units/league", nil, 200},
			{"member", "GET", "/units/league.xlsx", nil, 403},
			{"anon", "GET", "/units/portal", nil, 303},
			{"proposal_office", "GET", "/units/portal", nil, 403},
			{"member", "GET", "/units/portal", nil, 403},
			{"unit", "GET", "/units/portal", nil, 200},
			// Assessments: the office scores; readers read.
			{"member", "GET", "/proposals/assessments", nil, 403},
			{"leader", "GET", "/proposals/assessments", nil, 200},
			{"leader", "POST", "/proposals/assessments/default", nil, 403},
			{"staff", "POST", "/proposals/assessments/default", nil, 403},
			{"unit", "POST", "/proposals/assessments/default", nil, 403},
			{"member", "POST", "/proposals/assessments/items", url.Values{"name": {"x"}, "max_points": {"5"}}, 403},
			{"unit", "POST", "/proposals/assessments", score, 403},
			{"anon", "POST", "/proposals/assessments", score, 401},
			{"proposal_office", "POST", "/proposals/assessments", score, 409}, // no score sheet yet
			{"proposal_office", "POST", "/proposals/assessments/default", nil, 303},
			{"proposal_office", "POST", "/proposals/assessments/items", url.Values{"name": {""}, "max_points": {"x"}}, 422},
			{"proposal_office", "POST", "/proposals/assessments", url.Values{"year": {"2026"}, "unit": {fmt.Sprint(f.B.UnitID)}}, 422},
			// Search and similarity.
			{"anon", "GET", "/proposals/search?q=道路", nil, 303},
			{"member", "GET", "/proposals/search?q=道路", nil, 200},
			{"unit", "GET", "/proposals/search?q=道路", nil, 200},
			{"assistance", "GET", "/proposals/search?q=道路", nil, 403},
			{"proposal_office", "GET", "/proposals/search?q=" + url.QueryEscape(string(make([]rune, 0))+longQuery()), nil, 422},
			{"anon", "POST", "/proposals/similar", url.Values{"title": {"道路"}}, 401},
			{"unit", "POST", "/proposals/similar", url.Values{"title": {"道路"}}, 403},
			{"other_admin", "GET", fmt.Sprintf("/proposals/similar?id=%d", f.Unpublished), nil, 404},
			{"member", "POST", "/proposals/similar", url.Values{"title": {"道路"}}, 200},
			// Public pages: published only.
			{"anon", "GET", "/public/proposals", nil, 200},
			{"anon", "GET", fmt.Sprintf("/public/proposals/%d", f.Published), nil, 200},
			{"anon", "GET", fmt.Sprintf("/public/proposals/%d", f.Unpublished), nil, 404},
			{"anon", "GET", fmt.Sprintf("/public/proposals/%d", f.Handling), nil, 404},
			{"member", "GET", fmt.Sprintf("/public/proposals/%d", f.Unpublished), nil, 404},
			{"anon", "GET", "/public/proposals/abc", nil, 404},
			{"anon", "GET", "/public/proposals?theme=bogus", nil, 422},
		})
	})
}

func longQuery() string {
	s := ""
	for range 101 {
		s += "长"
	}
	return s
}
