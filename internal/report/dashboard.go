package report

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strconv"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/figure"
	"lvzhi/internal/i18n"
)

// The dashboards: charts of registered figures for a committee and a year,
// each bar one figure under one filter, so every bar is a value of the
// registry and opens the records behind it. A chart whose figures are not
// registered (its area is not built) is left out and named, like a report's
// section.

// Bar is one bar: a figure's value under a filter.
type Bar struct {
	Label  string
	Value  figure.Value
	Filter figure.Filter
	// Row and Col place a heat map's cell (Label names both).
	Row, Col string
}

// Chart is one chart: bars, or (Kind "heatmap") the cells of a grid.
type Chart struct {
	ID, Title string
	Kind      string // "bar" or "heatmap"
	Bars      []Bar
}

// Dashboard is the charts of a filter, and the charts left out.
type Dashboard struct {
	Filter  figure.Filter
	Charts  []Chart
	Missing []Missing
	// Goals are the committee's goals of the filter's year against their figures.
	Goals []Goal
}

// chartDef builds one chart from the registry.
type chartDef struct {
	ID    string
	Kind  string   // "" for bars
	Cites []string // figures it needs registered ("" for none fixed)
	bars  func(ctx context.Context, s *Service, actor *auth.Actor, f figure.Filter, lang string) ([]Bar, error)
}

// fixedBars is a chart of named figures under the dashboard's filter.
func fixedBars(ids ...string) func(context.Context, *Service, *auth.Actor, figure.Filter, string) ([]Bar, error) {
	return func(ctx context.Context, s *Service, actor *auth.Actor, f figure.Filter, lang string) ([]Bar, error) {
		set, err := s.figuresOf(ctx, actor, f, ids)
		if err != nil {
			return nil, err
		}
		var out []Bar
		for _, id := range ids {
			if has(set, id) {
				v := set.Get(id)
				out = append(out, Bar{Label: v.Name(lang), Value: v, Filter: f})
			}
		}
		return out, nil
	}
}

// groupBars is a chart of every figure of a source's group (the committee's
// result classes, the themes).
func groupBars(area, group string) func(context.Context, *Service, *auth.Actor, figure.Filter, string) ([]Bar, error) {
	return func(ctx context.Context, s *Service, actor *auth.Actor, f figure.Filter, lang string) ([]Bar, error) {
		set, err := s.readable(ctx, actor, f, []string{area})
		if err != nil {
			return nil, err
		}
		var out []Bar
		for _, v := range set.Group(group) {
			out = append(out, Bar{Label: v.Name(lang), Value: v, Filter: f})
		}
		return out, nil
	}
}

// dimBars is a chart of one figure under each value of a dimension.
func dimBars(id, dim string, values func(ctx context.Context, s *Service, f figure.Filter) ([][2]string, error)) func(context.Context, *Service, *auth.Actor, figure.Filter, string) ([]Bar, error) {
	return func(ctx context.Context, s *Service, actor *auth.Actor, f figure.Filter, lang string) ([]Bar, error) {
		vals, err := values(ctx, s, f)
		if err != nil {
			return nil, err
		}
		var out []Bar
		for _, kv := range vals {
			g := f.WithDim(dim, kv[0])
			set, err := s.figuresOf(ctx, actor, g, []string{id})
			if err != nil {
				return nil, err
			}
			if v := set.Get(id); has(set, id) && v.Value != 0 { // units without any are left out of the chart
				out = append(out, Bar{Label: kv[1], Value: v, Filter: g})
			}
		}
		slices.SortStableFunc(out, func(a, b Bar) int { return cmp.Compare(b.Value.Value, a.Value.Value) }) // largest first
		return out, nil
	}
}

// monthBars is a chart of one figure in each month of the filter's year.
func monthBars(id string) func(context.Context, *Service, *auth.Actor, figure.Filter, string) ([]Bar, error) {
	return func(ctx context.Context, s *Service, actor *auth.Actor, f figure.Filter, lang string) ([]Bar, error) {
		year := f.Year()
		if year == 0 {
			return nil, nil
		}
		var out []Bar
		for m := 1; m <= 12; m++ {
			g := f
			g.From = civil.Date{Year: year, Month: time.Month(m), Day: 1}
			g.To = g.From.AddMonths(1).AddDays(-1)
			set, err := s.figuresOf(ctx, actor, g, []string{id})
			if err != nil {
				return nil, err
			}
			if !has(set, id) {
				return nil, nil
			}
			out = append(out, Bar{Label: i18n.T(lang, "report.dash.month", map[string]any{"Month": m}), Value: set.Get(id), Filter: g})
		}
		return out, nil
	}
}

// monthHeat is a heat map of figures (rows) by month of the filter's year
// (columns): each cell the figure's value in that month, opening its records.
func monthHeat(ids ...string) func(context.Context, *Service, *auth.Actor, figure.Filter, string) ([]Bar, error) {
	return func(ctx context.Context, s *Service, actor *auth.Actor, f figure.Filter, lang string) ([]Bar, error) {
		year := f.Year()
		if year == 0 {
			return nil, nil
		}
		var out []Bar
		for m := 1; m <= 12; m++ {
			g := f
			g.From = civil.Date{Year: year, Month: time.Month(m), Day: 1}
			g.To = g.From.AddMonths(1).AddDays(-1)
			set, err := s.figuresOf(ctx, actor, g, ids)
			if err != nil {
				return nil, err
			}
			col := i18n.T(lang, "report.dash.month", map[string]any{"Month": m})
			for _, id := range ids {
				if !has(set, id) {
					return nil, nil
				}
				v := set.Get(id)
				row := v.Name(lang)
				out = append(out, Bar{Label: i18n.T(lang, "report.dash.cell", map[string]any{"Row": row, "Col": col}), Value: v, Filter: g,
					Row: row, Col: col})
			}
		}
		return out, nil
	}
}

// figuresOf computes the sources of ids under f.
func (s *Service) figuresOf(ctx context.Context, actor *auth.Actor, f figure.Filter, ids []string) (*figure.Set, error) {
	var areas []string
	for _, id := range ids {
		if src, _, ok := s.Figures.Lookup(id); ok && !slices.Contains(areas, src.Area()) {
			areas = append(areas, src.Area())
		}
	}
	return s.readable(ctx, actor, f, areas)
}

// readable computes the figures of the areas the actor may read: an area
// whose source refuses the reader (forbidden) is left out, not an error, so
// a reader of some areas' figures sees those.
func (s *Service) readable(ctx context.Context, actor *auth.Actor, f figure.Filter, areas []string) (*figure.Set, error) {
	set := &figure.Set{Filter: f}
	for _, area := range areas {
		part, err := s.Figures.Figures(ctx, actor, f, area)
		if apperr.CodeOf(err) == apperr.Forbidden {
			continue
		}
		if err != nil {
			return nil, err
		}
		set.Values = append(set.Values, part.Values...)
	}
	return set, nil
}

// has reports whether the set computed figure id (its area is readable).
func has(set *figure.Set, id string) bool {
	return slices.ContainsFunc(set.Values, func(v figure.Value) bool { return v.ID == id })
}

// committeeUnits are the handling units of the filter's committee, by name.
func committeeUnits(ctx context.Context, s *Service, f figure.Filter) ([][2]string, error) {
	var out [][2]string
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, name FROM units WHERE committee_id = $1 AND active ORDER BY name, id`, f.CommitteeID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				return err
			}
			out = append(out, [2]string{strconv.FormatInt(id, 10), name})
		}
		return rows.Err()
	})
	return out, err
}

// activityKinds are the figures of each kind of activity.
var activityKinds = []string{"activities.research", "activities.inspection", "activities.consultation", "activities.bimonthly",
	"activities.followup", "activities.appraisal", "activities.study"}

// charts are the dashboard's charts, in order.
var charts = []chartDef{
	{ID: "proposal_progress", Cites: []string{"proposals.received", "proposals.registered", "proposals.assigned", "proposals.replied",
		"proposals.closed", "proposals.overdue"},
		bars: fixedBars("proposals.received", "proposals.registered", "proposals.assigned", "proposals.replied", "proposals.closed", "proposals.overdue")},
	{ID: "proposal_class", Cites: []string{"proposals.registered"}, bars: groupBars("proposal", "classes")},
	{ID: "proposal_theme", Cites: []string{"proposals.registered"}, bars: groupBars("proposal", "themes")},
	{ID: "proposal_unit", Cites: []string{"proposals.registered"}, bars: dimBars("proposals.registered", "unit", committeeUnits)},
	{ID: "proposal_overdue", Cites: []string{"proposals.overdue"}, bars: dimBars("proposals.overdue", "unit", committeeUnits)},
	{ID: "activity_kind", Cites: []string{"activities.research", "activities.inspection", "activities.consultation",
		"activities.bimonthly", "activities.followup", "activities.appraisal", "activities.study"},
		bars: fixedBars("activities.research", "activities.inspection", "activities.consultation", "activities.bimonthly",
			"activities.followup", "activities.appraisal", "activities.study")},
	{ID: "activity_month", Cites: []string{"activities.held"}, bars: monthBars("activities.held")},
	{ID: "activity_heat", Kind: "heatmap", Cites: activityKinds, bars: monthHeat(activityKinds...)},
	{ID: "attendance_month", Cites: []string{"attendance.attended"}, bars: monthBars("attendance.attended")},
	{ID: "assist_kind", Cites: []string{"assist.goods", "assist.industry_households", "assist.students", "assist.jobs"},
		bars: fixedBars("assist.goods", "assist.industry_households", "assist.students", "assist.jobs")},
	{ID: "assist_township", Cites: []string{"assist.cash"}, bars: dimBars("assist.cash", "township", townships)},
}

// townships are the townships of the committee's 三送三帮 villages.
func townships(ctx context.Context, s *Service, f figure.Filter) ([][2]string, error) {
	var out [][2]string
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		ts, err := db.Column[string](ctx, tx, `SELECT DISTINCT township FROM assist_villages WHERE committee_id = $1 ORDER BY township`,
			f.CommitteeID)
		for _, t := range ts {
			out = append(out, [2]string{t, t})
		}
		return err
	})
	return out, err
}

// Dashboard computes the charts for a committee's year. Readers of the
// committee's figures (auth.ViewReports) see it; a higher committee reads a
// lower one's; any other committee is not found.
func (s *Service) Dashboard(ctx context.Context, actor *auth.Actor, f figure.Filter, lang string) (*Dashboard, error) {
	if err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		_, err := auth.CheckScope(ctx, tx, actor, auth.ViewReports, f.CommitteeID)
		return err
	}); err != nil {
		return nil, err
	}
	d := &Dashboard{Filter: f}
	for _, c := range charts {
		title := i18n.T(lang, "report.dash."+c.ID)
		var miss []string
		for _, id := range c.Cites {
			if _, _, ok := s.Figures.Lookup(id); !ok {
				miss = append(miss, id)
			}
		}
		if len(miss) > 0 {
			d.Missing = append(d.Missing, Missing{ID: c.ID, Title: title, Figures: miss})
			continue
		}
		bars, err := c.bars(ctx, s, actor, f, lang)
		if err != nil {
			return nil, err
		}
		if len(bars) == 0 && !s.reads(ctx, actor, f, c.Cites) {
			continue // the reader may not read these figures: no chart, and nothing to name
		}
		kind := c.Kind
		if kind == "" {
			kind = "bar"
		}
		d.Charts = append(d.Charts, Chart{ID: c.ID, Title: title, Kind: kind, Bars: bars})
	}
	var err error
	d.Goals, err = s.Goals(ctx, actor, f)
	return d, err
}

// reads reports whether the actor may read the figures' areas.
func (s *Service) reads(ctx context.Context, actor *auth.Actor, f figure.Filter, ids []string) bool {
	set, err := s.figuresOf(ctx, actor, f, ids)
	return err == nil && len(ids) > 0 && has(set, ids[0])
}
