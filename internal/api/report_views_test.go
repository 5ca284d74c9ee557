package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/figure"
	"lvzhi/internal/proposal"
	"lvzhi/internal/report"
)

// seedClosedProposal drives one proposal of county A to CLOSED.
func seedClosedProposal(t *testing.T, h *harness) {
	t.Helper()
	unit := proposalSetup(t, h)
	ctx := context.Background()
	var mid int64
	if err := h.d.QueryRowContext(ctx, `SELECT id FROM memberships WHERE committee_id = $1 AND person_id = $2`, h.f.A, h.f.MemberParty.PersonID).Scan(&mid); err != nil {
		t.Fatal(err)
	}
	_, err := proposal.NewSeeder(h.api.deps.Proposals, h.f.A).Drive(ctx, proposal.SeedSpec{FirstProposer: mid, Target: proposal.Closed,
		Units: []int64{unit}, ResultClass: "A", Content: proposal.Content{Kind: proposal.Individual, Theme: proposal.Society,
			Title: "关于一件事的建议", Matter: "案由", Analysis: "分析", Suggestions: "建议"}})
	if err != nil {
		t.Fatal(err)
	}
}

// checkRecords: the records the query lists make up the figure (as many as a
// count, summing to a sum).
func checkRecords(t *testing.T, h *harness, reader *auth.Actor, query string, v figure.Value) {
	t.Helper()
	var pg figure.Page
	h.want(h.do(reader, "GET", "/figures/records?"+query+"&limit=500", ""), http.StatusOK).decode(t, &pg)
	var got int64
	for _, r := range pg.Records {
		if v.Measure == figure.Sum {
			got += r.Amount
		} else {
			got++
		}
	}
	if got != v.Value {
		t.Errorf("%s = %d, but its records (%s) make %d", v.ID, v.Value, query, got)
	}
}

// TestReportViewsAPI: the dashboard, roll-up and bulletins over the API, each
// figure's records making it up, and who must not read them.
func TestReportViewsAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		seedClosedProposal(t, h)
		f := h.f
		year := strconv.Itoa(civil.Today().Year)
		var dash DashboardAnswer
		h.want(h.do(f.Staff, "GET", "/reports/dashboard", ""), http.StatusOK).decode(t, &dash)
		if !strings.Contains(dash.Filter, "year="+year) || len(dash.Charts) == 0 {
			t.Fatalf("dashboard %+v", dash)
		}
		bars := 0
		for _, c := range dash.Charts {
			for _, b := range c.Bars {
				bars++
				if b.Figure.ID == "proposals.registered" && c.ID == "proposal_progress" && b.Figure.Value != 1 {
					t.Errorf("registered = %d, want 1", b.Figure.Value)
				}
				if c.ID != "activity_month" { // twelve months of nothing: the others are enough
					checkRecords(t, h, f.Staff, b.Records, b.Figure)
				}
			}
		}
		if bars == 0 {
			t.Fatal("no bars")
		}
		var ru RollUpAnswer
		h.want(h.do(f.PrefLeader, "GET", "/reports/rollup?level=county&year="+year, ""), http.StatusOK).decode(t, &ru)
		if len(ru.Columns) < 3 || len(ru.Rows) == 0 || ru.Columns[len(ru.Columns)-1].Kind != "total" {
			t.Fatalf("roll-up %+v", ru)
		}
		for _, row := range ru.Rows {
			if row.ID != "proposals.registered" {
				continue
			}
			for i, c := range ru.Columns {
				checkRecords(t, h, f.PrefLeader, c.Filter+"&figure="+row.ID, row.Values[i])
			}
			if total := row.Values[len(row.Values)-1].Value; total != 1 {
				t.Errorf("the prefecture's total registered = %d, want 1", total)
			}
		}
		var doc ReportDocument
		h.want(h.do(f.Staff, "GET", "/reports/bulletins?kind=proposal_summary&year="+year, ""), http.StatusOK).decode(t, &doc)
		if !strings.Contains(doc.Report.Title, "提案办理情况汇报") || len(doc.Sections) == 0 {
			t.Fatalf("bulletin %+v", doc)
		}
		resp := h.do(f.Staff, "GET", "/reports/bulletins/docx?kind=proposal_summary&year="+year, "")
		if resp.Status != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), ".docx") || len(resp.Body) < 100 || string(resp.Body[:2]) != "PK" {
			t.Errorf("docx: %d %s %d bytes", resp.Status, resp.Header.Get("Content-Disposition"), len(resp.Body))
		}
		h.want(h.do(f.Staff, "GET", "/reports/bulletins?kind=assist_quarter&quarter=2&year="+year, ""), http.StatusOK)
		// What must be refused.
		other := fmt.Sprintf("?committee=%d", f.A)
		for _, c := range []struct {
			name string
			res  response
			want int
		}{
			{"a member's dashboard", h.do(f.MemberParty, "GET", "/reports/dashboard", ""), http.StatusForbidden},
			{"a unit's roll-up", h.do(f.Unit, "GET", "/reports/rollup", ""), http.StatusForbidden},
			{"another county's dashboard", h.do(f.StaffB, "GET", "/reports/dashboard"+other, ""), http.StatusNotFound},
			{"another county's roll-up", h.do(f.StaffB, "GET", "/reports/rollup"+other, ""), http.StatusNotFound},
			{"another county's bulletin", h.do(f.StaffB, "GET", "/reports/bulletins"+other, ""), http.StatusNotFound},
			{"another county's bulletin docx", h.do(f.StaffB, "GET", "/reports/bulletins/docx"+other, ""), http.StatusNotFound},
			{"a county reading up", h.do(f.Staff, "GET", fmt.Sprintf("/reports/rollup?committee=%d", f.P), ""), http.StatusNotFound},
			{"a bad level", h.do(f.PrefLeader, "GET", "/reports/rollup?level=village", ""), http.StatusUnprocessableEntity},
			{"a bad quarter", h.do(f.Staff, "GET", "/reports/bulletins?kind=assist_quarter&quarter=5", ""), http.StatusUnprocessableEntity},
			{"no such bulletin", h.do(f.Staff, "GET", "/reports/bulletins?kind=nosuch", ""), http.StatusNotFound},
			{"a bad period", h.do(f.Staff, "GET", "/reports/dashboard?from=2020-05-01&to=2020-01-01", ""), http.StatusUnprocessableEntity},
		} {
			if c.res.Status != c.want {
				t.Errorf("%s: %d, want %d", c.name, c.res.Status, c.want)
			}
		}
		h.want(h.do(f.PrefLeader, "GET", "/reports/dashboard"+other, ""), http.StatusOK)
	})
}

// TestReportGoalsAPI: staff set the year's goals; the goals and the dashboard
// show each against its figure, whose records make it up; what must be
// refused is, and writes nothing.
func TestReportGoalsAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		seedClosedProposal(t, h)
		f := h.f
		year := civil.Today().Year
		body := GoalsBody{Year: year, Goals: []report.GoalInput{{Figure: "proposals.registered", Target: 4}, {Figure: "assist.cash", Target: 5000000}}}
		h.want(h.json(f.MemberParty, "PUT", "/reports/goals", body), http.StatusForbidden)
		h.want(h.json(f.ProposalOffice, "PUT", "/reports/goals", body), http.StatusForbidden)
		h.want(h.json(f.Staff, "PUT", "/reports/goals", GoalsBody{Year: year, Goals: []report.GoalInput{{Figure: "nosuch", Target: 1}}}), http.StatusUnprocessableEntity)
		h.want(h.json(f.Staff, "PUT", "/reports/goals", GoalsBody{Year: year, Goals: []report.GoalInput{{Figure: "proposals.registered"}}}), http.StatusUnprocessableEntity)
		h.want(h.json(f.Staff, "PUT", "/reports/goals", body), http.StatusOK)
		var gs GoalsAnswer
		h.want(h.do(f.Staff, "GET", "/reports/goals", ""), http.StatusOK).decode(t, &gs)
		if len(gs.Goals) != 2 || gs.Goals[0].Figure.ID != "proposals.registered" || gs.Goals[0].Target != 4 ||
			gs.Goals[0].Figure.Value != 1 || gs.Goals[0].Share != 0.25 {
			t.Fatalf("goals %+v", gs)
		}
		for _, g := range gs.Goals {
			checkRecords(t, h, f.Staff, g.Records, g.Figure)
		}
		var dash DashboardAnswer
		h.want(h.do(f.LeaderRole, "GET", "/reports/dashboard", ""), http.StatusOK).decode(t, &dash)
		if len(dash.Goals) != 2 || dash.Goals[0].Figure.Value != gs.Goals[0].Figure.Value || dash.Goals[0].Records != gs.Goals[0].Records {
			t.Errorf("dashboard goals %+v, want %+v", dash.Goals, gs.Goals)
		}
		// The prefecture reads A's goals; B's staff do not; last year has none.
		h.want(h.do(f.PrefLeader, "GET", fmt.Sprintf("/reports/goals?committee=%d", f.A), ""), http.StatusOK).decode(t, &gs)
		if len(gs.Goals) != 2 {
			t.Errorf("the prefecture reads %d goals", len(gs.Goals))
		}
		h.want(h.do(f.StaffB, "GET", fmt.Sprintf("/reports/goals?committee=%d", f.A), ""), http.StatusNotFound)
		h.want(h.do(f.Staff, "GET", fmt.Sprintf("/reports/goals?year=%d", year-1), ""), http.StatusOK).decode(t, &gs)
		if len(gs.Goals) != 0 {
			t.Errorf("last year's goals %+v", gs.Goals)
		}
		// An empty list clears the year.
		h.want(h.json(f.Staff, "PUT", "/reports/goals", GoalsBody{Year: year}), http.StatusOK)
		h.want(h.do(f.Staff, "GET", "/reports/goals", ""), http.StatusOK).decode(t, &gs)
		if len(gs.Goals) != 0 {
			t.Errorf("cleared goals %+v", gs.Goals)
		}
	})
}
