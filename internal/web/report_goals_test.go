package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"lvzhi/internal/api"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestReportGoalsPage: staff set the year's goals on the form (money in
// yuan); the dashboard shows each target against its figure, linking to the
// records, with the numbers the API answers; a bad target is a field error
// and writes nothing; who must not set or read goals cannot.
func TestReportGoalsPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		h.seedReportProposal()
		year := strconv.Itoa(db.Now().Year())
		form := h.text(h.get("staff", "/reports/goals?year="+year))
		for _, want := range []string{`name="goal.proposals.registered"`, `name="goal.assist.cash"`, "提高提案质量，推动办理落实"} {
			if !strings.Contains(form, want) {
				t.Errorf("goals form lacks %q", want)
			}
		}
		bad := url.Values{"year": {year}, "goal.proposals.registered": {"-3"}}
		if resp := h.post("staff", "/reports/goals", bad); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(h.text(resp), "errorbox") {
			t.Errorf("a negative target: %d", resp.StatusCode)
		}
		if resp := h.post("staff", "/reports/goals", url.Values{"year": {year}, "goal.assist.cash": {"1.234"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("three decimals of yuan: %d", resp.StatusCode)
		}
		if body := h.text(h.get("staff", "/reports/dashboard")); strings.Contains(body, "完成率") || !strings.Contains(body, "/reports/goals?year="+year) {
			t.Errorf("a refused form wrote goals, or the dashboard offers no form")
		}
		resp := h.post("staff", "/reports/goals", url.Values{"year": {year}, "goal.proposals.registered": {"4"}, "goal.assist.cash": {"12,000.5"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d %s", resp.StatusCode, snippet(h.text(resp)))
		}
		if form := h.text(h.get("staff", "/reports/goals?year="+year)); !strings.Contains(form, `value="12000.50"`) || !strings.Contains(form, `value="4"`) {
			t.Errorf("the form does not read the goals back:\n%s", snippet(form))
		}
		body := h.text(h.get("leader", "/reports/dashboard"))
		for _, want := range []string{"年度目标", "完成率", "25.0%", "12000.50", "fig=proposals.registered"} {
			if !strings.Contains(body, want) {
				t.Errorf("dashboard lacks %q", want)
			}
		}
		// The page's goals are the API's.
		var dash api.DashboardAnswer
		h.apiAs("leader", h.A.ID).get("/reports/dashboard", &dash)
		if len(dash.Goals) != 2 {
			t.Fatalf("API goals %+v", dash.Goals)
		}
		for _, g := range dash.Goals {
			link := "/figures/records?" + strings.ReplaceAll(figureQueryWeb(t, g.Records), "&", "&amp;")
			if !strings.Contains(body, `<a href="`+link+`">`+g.Figure.Amount()+`</a>`) {
				t.Errorf("the page lacks %s = %s linking %s", g.Figure.ID, g.Figure.Amount(), link)
			}
		}
		runPermCases(t, h, []permCase{
			{"member", "GET", "/reports/goals", nil, http.StatusForbidden},
			{"proposal_office", "POST", "/reports/goals", url.Values{"year": {year}}, http.StatusForbidden},
			{"unit", "POST", "/reports/goals", url.Values{"year": {year}}, http.StatusForbidden},
			{"anon", "GET", "/reports/goals", nil, http.StatusSeeOther},
		})
	})
}

// figureQueryWeb is an API records query in the web's spelling (fig=).
func figureQueryWeb(t *testing.T, raw string) string {
	t.Helper()
	q, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	q.Set("fig", q.Get("figure"))
	q.Del("figure")
	return q.Encode()
}
