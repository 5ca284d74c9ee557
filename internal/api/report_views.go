package api

import (
	"bytes"
	"strconv"
	"strings"

	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
	"lvzhi/internal/report"
	"lvzhi/internal/sheet"
)

// The report views the web shows at /reports/dashboard, /reports/rollup and
// /reports/bulletins: the same use cases, the same defaults, so the API
// answers the numbers the pages show.

// DashboardAnswer is the dashboard of a filter: its charts, each bar a
// registry figure under its own filter, and the charts left out.
type DashboardAnswer struct {
	Filter  string           `json:"filter"` // the filter as a query string (committee, subtree, year or from/to)
	Charts  []DashboardChart `json:"charts"`
	Missing []report.Missing `json:"missing"` // charts left out: their figures are not registered
	Notice  string           `json:"notice"`
	Goals   []GoalAnswer     `json:"goals"` // the committee's goals of the year against their figures
}

// GoalAnswer is one goal of the year and its figure's value now.
type GoalAnswer struct {
	Figure  figure.Value `json:"figure"`
	Name    string       `json:"name"`
	Target  int64        `json:"target"` // in the figure's unit (fen for money)
	Share   float64      `json:"share"`  // value over target; 1 is met
	Records string       `json:"records"`
}

// GoalsAnswer are the goals of a year.
type GoalsAnswer struct {
	Year  int          `json:"year"`
	Goals []GoalAnswer `json:"goals"`
}

// GoalsBody replaces the token user's committee's goals of a year.
type GoalsBody struct {
	Year  int                `json:"year"`
	Goals []report.GoalInput `json:"goals,omitempty"` // figure and target (figure's unit; fen for money); an empty list clears the year
}

// DashboardChart is one chart.
type DashboardChart struct {
	ID    string         `json:"id"`
	Kind  string         `json:"kind"` // bar, or heatmap: each bar a cell at its row and col
	Title string         `json:"title"`
	Bars  []DashboardBar `json:"bars"`
}

// DashboardBar is one bar: its label, the figure's value and the query of
// GET /figures/records that lists the records behind it.
type DashboardBar struct {
	Label   string       `json:"label"`
	Shown   string       `json:"shown"` // the value as the page shows it (yuan with two decimals for money)
	Figure  figure.Value `json:"figure"`
	Records string       `json:"records"`
	Row     string       `json:"row,omitempty"` // a heat map's cell
	Col     string       `json:"col,omitempty"`
}

// RollUpAnswer is the roll-up table: columns of committees, rows of figures.
type RollUpAnswer struct {
	Committee string          `json:"committee"`
	Year      int             `json:"year"`
	Level     string          `json:"level"` // "" for the committees directly below
	Columns   []RollUpColumn  `json:"columns"`
	Rows      []RollUpRowJSON `json:"rows"`
}

// RollUpColumn is one column: a committee, its kind ("own", "below", "total")
// and the filter of its cells as a query string.
type RollUpColumn struct {
	CommitteeID int64  `json:"committee_id"`
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Filter      string `json:"filter"`
}

// RollUpRowJSON is one figure across the columns.
type RollUpRowJSON struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	Definition string         `json:"definition"`
	Unit       string         `json:"unit"`
	Values     []figure.Value `json:"values"` // one per column
	Shown      []string       `json:"shown"`  // each value as the page shows it
}

var dashboardParams = []Param{
	{Name: "committee", Type: "integer", Description: "committee id; default the token user's"},
	{Name: "subtree", Type: "boolean", Description: "count the committees below too; default: when the committee has any"},
	{Name: "year", Type: "integer", Description: "a calendar year; default this year unless from or to is given"},
	{Name: "from", Type: "string", Description: "the period's first day, YYYY-MM-DD"},
	{Name: "to", Type: "string", Description: "the period's last day, YYYY-MM-DD"},
}

var rollUpParams = []Param{
	{Name: "committee", Type: "integer", Description: "committee id; default the token user's"},
	{Name: "year", Type: "integer", Description: "the year; default this year"},
	{Name: "level", Type: "string", Description: "compare every committee of this level below (province, prefecture, county); default the committees directly below"},
}

var bulletinParams = []Param{
	{Name: "kind", Type: "string", Description: "proposal_summary (default, a year) or assist_quarter (a quarter of 三送三帮)"},
	{Name: "year", Type: "integer", Description: "the year; default this year"},
	{Name: "quarter", Type: "integer", Description: "1–4 for assist_quarter; default this quarter"},
	{Name: "committee", Type: "integer", Description: "committee id; default the token user's"},
}

// dashboardFilter reads the dashboard's filter with the web page's defaults.
func (a *API) dashboardFilter(r *Request) (figure.Filter, error) {
	q := r.URL.Query()
	if q.Get("year") == "" && q.Get("from") == "" && q.Get("to") == "" {
		q.Set("year", strconv.Itoa(civil.Today().Year))
	}
	f, subtreeSet, err := figure.ParseQuery(q)
	if err != nil {
		return f, err
	}
	if f.CommitteeID == 0 {
		f.CommitteeID = r.Actor.CommitteeID
	}
	if !subtreeSet {
		children, _ := a.deps.Org.Children(r.Context(), r.Actor, f.CommitteeID)
		f.Subtree = len(children) > 0
	}
	return f, nil
}

// recordsQuery is the query of GET /figures/records for figure id under f.
func recordsQuery(f figure.Filter, id string) string {
	q := f.Query()
	q.Set("figure", id)
	return q.Encode()
}

func goalsOf(gs []report.Goal, lang string) []GoalAnswer {
	out := []GoalAnswer{}
	for _, g := range gs {
		out = append(out, GoalAnswer{Figure: g.Figure, Name: g.Figure.Name(lang), Target: g.Target, Share: g.Share(),
			Records: recordsQuery(g.Filter, g.Figure.ID)})
	}
	return out
}

func dashboardOf(d *report.Dashboard, lang string) DashboardAnswer {
	out := DashboardAnswer{Filter: d.Filter.Query().Encode(), Charts: []DashboardChart{}, Missing: orEmpty(d.Missing),
		Goals: goalsOf(d.Goals, lang)}
	if len(d.Missing) > 0 {
		out.Notice = (&report.Document{Lang: lang, Missing: d.Missing}).MissingNotice()
	}
	for _, c := range d.Charts {
		dc := DashboardChart{ID: c.ID, Kind: c.Kind, Title: c.Title, Bars: []DashboardBar{}}
		for _, b := range c.Bars {
			dc.Bars = append(dc.Bars, DashboardBar{Label: b.Label, Shown: b.Value.Amount(), Figure: b.Value, Records: recordsQuery(b.Filter, b.Value.ID),
				Row: b.Row, Col: b.Col})
		}
		out.Charts = append(out.Charts, dc)
	}
	return out
}

func rollUpOf(ru *report.RollUp, lang string) RollUpAnswer {
	out := RollUpAnswer{Committee: ru.Committee, Year: ru.Year, Level: ru.Level, Columns: []RollUpColumn{}, Rows: []RollUpRowJSON{}}
	for _, c := range ru.Cols {
		out.Columns = append(out.Columns, RollUpColumn{CommitteeID: c.CommitteeID, Name: c.Name, Kind: c.Kind, Filter: c.Filter.Query().Encode()})
	}
	for _, row := range ru.Rows {
		rr := RollUpRowJSON{ID: row.Def.ID, Name: row.Def.Name(lang), Definition: row.Def.Definition(lang), Unit: row.Def.UnitName(lang),
			Values: row.Values, Shown: []string{}}
		for _, v := range row.Values {
			rr.Shown = append(rr.Shown, v.Amount())
		}
		out.Rows = append(out.Rows, rr)
	}
	return out
}

// bulletin renders the bulletin the query asks for.
func (a *API) bulletin(r *Request) (*report.Document, error) {
	kind, f, _, err := report.BulletinQuery(r.URL.Query(), r.Actor.CommitteeID, civil.Today())
	if err != nil {
		return nil, err
	}
	return a.deps.Reports.Bulletin(r.Context(), r.Actor, kind, f, r.Lang)
}

func (a *API) reportViewRoutes() []Route {
	svc := a.deps.Reports
	return []Route{
		{Method: "GET", Path: "/reports/dashboard", Tag: "reports",
			Summary: "The dashboard's charts of registered figures (staff, leaders; a higher committee reads down), each bar with the query of its records",
			Query:   dashboardParams, Result: DashboardAnswer{}, Handle: func(r *Request) (any, error) {
				f, err := a.dashboardFilter(r)
				if err != nil {
					return nil, err
				}
				d, err := svc.Dashboard(r.Context(), r.Actor, f, r.Lang)
				if err != nil {
					return nil, err
				}
				return dashboardOf(d, r.Lang), nil
			}},
		{Method: "GET", Path: "/reports/goals", Tag: "reports",
			Summary: "The committee's goals of the year (年度目标) against their figures' values under the dashboard's filter",
			Query:   dashboardParams, Result: GoalsAnswer{}, Handle: func(r *Request) (any, error) {
				f, err := a.dashboardFilter(r)
				if err != nil {
					return nil, err
				}
				gs, err := svc.Goals(r.Context(), r.Actor, f)
				return GoalsAnswer{Year: f.Year(), Goals: goalsOf(gs, r.Lang)}, err
			}},
		{Method: "PUT", Path: "/reports/goals", Tag: "reports",
			Summary: "Replace the token user's committee's goals of a year (staff, leaders); figures of the annual report only, targets positive",
			Body:    GoalsBody{}, Result: GoalsBody{}, Handle: func(r *Request) (any, error) {
				var in GoalsBody
				if err := r.Decode(&in); err != nil {
					return nil, err
				}
				gs, err := svc.SetGoals(r.Context(), r.Actor, in.Year, in.Goals)
				return GoalsBody{Year: in.Year, Goals: orEmpty(gs)}, err
			}},
		{Method: "GET", Path: "/reports/rollup", Tag: "reports",
			Summary: "The annual report's figures of a year for a committee, each committee below it and their total (or one level's committees side by side)",
			Query:   rollUpParams, Result: RollUpAnswer{}, Handle: func(r *Request) (any, error) {
				committee, year, level := report.RollUpQuery(r.URL.Query(), r.Actor.CommitteeID, civil.Today())
				ru, err := svc.RollUp(r.Context(), r.Actor, committee, year, level)
				if err != nil {
					return nil, err
				}
				return rollUpOf(ru, r.Lang), nil
			}},
		{Method: "GET", Path: "/reports/bulletins", Tag: "reports",
			Summary: "A bulletin generated for a period and not stored: the proposal-handling summary of a year or the quarterly 三送三帮 bulletin",
			Query:   bulletinParams, Result: ReportDocument{}, Handle: func(r *Request) (any, error) {
				d, err := a.bulletin(r)
				if err != nil {
					return nil, err
				}
				return documentOf(d), nil
			}},
		{Method: "GET", Path: "/reports/bulletins/docx", Tag: "reports",
			Summary: "The same bulletin as a Word document (.docx)",
			Query:   bulletinParams, Result: Download{}, Handle: func(r *Request) (any, error) {
				d, err := a.bulletin(r)
				if err != nil {
					return nil, err
				}
				var buf bytes.Buffer
				if err := d.WriteDOCX(&buf); err != nil {
					return nil, err
				}
				name := strings.TrimSuffix(sheet.FileName(civil.Today(), d.Committee, d.Report.Title), ".xlsx") + ".docx"
				return &Download{Name: name, Data: buf.Bytes()}, nil
			}},
	}
}
