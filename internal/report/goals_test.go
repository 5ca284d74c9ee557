package report

import (
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/figure"
)

// TestGoals: staff set a year's goals, the dashboard shows each against its
// figure's value (the registry's, its records as many), a new set replaces
// the old, and what must be refused is.
func TestGoals(t *testing.T) {
	each(t, func(t *testing.T, f *rfx) {
		f.seedProposals()
		in := []GoalInput{{Figure: "activities.research", Target: 5}, {Figure: "proposals.registered", Target: 10},
			{Figure: "assist.cash", Target: 100000000}}
		if _, err := f.svc.SetGoals(f.ctx, f.staff, Year, in); err != nil {
			t.Fatal(err)
		}
		yf := figure.YearFilter(f.c.ID, Year)
		d, err := f.svc.Dashboard(f.ctx, f.leader, yf, "zh")
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Goals) != 3 || d.Goals[0].Figure.ID != "activities.research" || d.Goals[1].Figure.ID != "proposals.registered" { // the report's order
			t.Fatalf("goals %+v", d.Goals)
		}
		set, err := f.reg.Figures(f.ctx, f.staff, yf, "proposal")
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range d.Goals {
			src, _, _ := f.reg.Lookup(g.Figure.ID)
			pg, err := src.Records(f.ctx, f.staff, g.Filter, g.Figure.ID, 0, 1000)
			if err != nil {
				t.Fatal(err)
			}
			if g.Figure.Measure == figure.Count && int64(pg.Total) != g.Figure.Value {
				t.Errorf("%s = %d but %d records", g.Figure.ID, g.Figure.Value, pg.Total)
			}
		}
		if g := d.Goals[1]; g.Target != 10 || g.Figure.Value != set.Get("proposals.registered").Value || g.Figure.Value == 0 ||
			g.Share() != float64(g.Figure.Value)/10 {
			t.Errorf("registered goal %+v", g)
		}
		// Another year has none; a period that is not a year has none.
		if gs, _ := f.svc.Goals(f.ctx, f.staff, figure.YearFilter(f.c.ID, Year-1)); len(gs) != 0 {
			t.Errorf("last year's goals %+v", gs)
		}
		// Replacing: one goal left.
		if _, err := f.svc.SetGoals(f.ctx, f.leader, Year, in[1:2]); err != nil {
			t.Fatal(err)
		}
		if ts, _ := f.svc.Targets(f.ctx, f.staff, Year); len(ts) != 1 || ts["proposals.registered"] != 10 {
			t.Errorf("targets after replacing %v", ts)
		}
		var audits int
		if err := f.d.QueryRowContext(f.ctx, `SELECT COUNT(*) FROM audit_log WHERE entity = 'report_goals'`).Scan(&audits); err != nil {
			t.Fatal(err)
		}
		if audits != 2 {
			t.Errorf("%d audit entries", audits)
		}
		// Refused, and nothing written.
		for name, bad := range map[string][]GoalInput{
			"no such figure":   {{Figure: "proposals.nosuch", Target: 1}},
			"a zero target":    {{Figure: "proposals.registered", Target: 0}},
			"a figure twice":   {{Figure: "proposals.registered", Target: 1}, {Figure: "proposals.registered", Target: 2}},
			"a target too big": {{Figure: "proposals.registered", Target: MaxTarget + 1}},
		} {
			if _, err := f.svc.SetGoals(f.ctx, f.staff, Year, bad); apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("%s: %v", name, err)
			}
		}
		_, err = f.svc.SetGoals(f.ctx, f.staff, Year+3, in)
		wantCode(t, err, "invalid")
		_, err = f.svc.SetGoals(f.ctx, f.office, Year, in)
		wantCode(t, err, "forbidden")
		_, err = f.svc.SetGoals(f.ctx, f.member, Year, in)
		wantCode(t, err, "forbidden")
		_, err = f.svc.Goals(f.ctx, f.foreignStaff, yf)
		wantCode(t, err, "not_found")
		_, err = f.svc.Goals(f.ctx, f.member, yf)
		wantCode(t, err, "forbidden")
		if ts, _ := f.svc.Targets(f.ctx, f.staff, Year); len(ts) != 1 {
			t.Errorf("a refused set wrote: %v", ts)
		}
		// Another county's staff set their own committee's goals only.
		if _, err := f.svc.SetGoals(f.ctx, f.foreignStaff, Year, in); err != nil {
			t.Fatal(err)
		}
		if ts, _ := f.svc.Targets(f.ctx, f.staff, Year); len(ts) != 1 {
			t.Errorf("another county's goals landed here: %v", ts)
		}
	})
}
