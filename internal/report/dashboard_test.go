package report

import (
	"testing"

	"lvzhi/internal/figure"
)

// TestDashboardBars: every bar is the registry's value of its figure under
// its filter, and its records are as many; charts of unregistered figures
// are named, not drawn.
func TestDashboardBars(t *testing.T) {
	each(t, func(t *testing.T, f *rfx) {
		f.seedYear()
		d, err := f.svc.Dashboard(f.ctx, f.staff, figure.YearFilter(f.c.ID, Year), "zh")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, c := range d.Charts {
			got[c.ID] = len(c.Bars)
			for _, b := range c.Bars {
				src, _, _ := f.reg.Lookup(b.Value.ID)
				pg, err := src.Records(f.ctx, f.staff, b.Filter, b.Value.ID, 0, 1000)
				if err != nil {
					t.Fatal(err)
				}
				m := int64(pg.Total)
				if b.Value.Measure == figure.Sum {
					m = 0
					for _, r := range pg.Records {
						m += r.Amount
					}
				}
				if m != b.Value.Value {
					t.Errorf("%s bar %s = %d but %d records", c.ID, b.Label, b.Value.Value, pg.Total)
				}
			}
		}
		if got["proposal_progress"] != 6 || got["proposal_unit"] != 3 || got["proposal_class"] == 0 || got["activity_month"] != 12 ||
			got["activity_kind"] != 7 || got["assist_kind"] != 4 || got["assist_township"] != 1 ||
			got["activity_heat"] != 7*12 || got["attendance_month"] != 12 {
			t.Errorf("charts %v", got)
		}
		// The heat map's cells of a kind add up to the kind's bar; overdue
		// proposals by unit add up to the overdue bar.
		sums, totals := map[string]int64{}, map[string]int64{}
		for _, c := range d.Charts {
			for _, b := range c.Bars {
				switch c.ID {
				case "activity_heat", "proposal_overdue":
					sums[b.Value.ID] += b.Value.Value
					if c.Kind != map[string]string{"activity_heat": "heatmap", "proposal_overdue": "bar"}[c.ID] || (c.ID == "activity_heat" && b.Row == "") {
						t.Errorf("%s: kind %s, cell %+v", c.ID, c.Kind, b)
					}
				case "activity_kind", "proposal_progress":
					totals[b.Value.ID] = b.Value.Value
				}
			}
		}
		for id, v := range sums {
			if totals[id] != v {
				t.Errorf("%s: the cells add up to %d, the bar says %d", id, v, totals[id])
			}
		}
		if totals["activities.research"] == 0 {
			t.Error("no research activity to spread over the months")
		}
		for _, m := range d.Missing {
			if _, _, ok := f.reg.Lookup(m.Figures[0]); ok {
				t.Errorf("chart %s named missing but %s is registered", m.ID, m.Figures[0])
			}
		}
		if len(d.Charts)+len(d.Missing) != len(charts) {
			t.Errorf("%d charts and %d missing of %d", len(d.Charts), len(d.Missing), len(charts))
		}
		_, err = f.svc.Dashboard(f.ctx, f.foreignStaff, figure.YearFilter(f.c.ID, Year), "zh")
		wantCode(t, err, "not_found")
		_, err = f.svc.Dashboard(f.ctx, f.member, figure.YearFilter(f.c.ID, Year), "zh")
		wantCode(t, err, "forbidden")
	})
}
