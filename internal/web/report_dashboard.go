package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"slices"
	"strconv"

	"lvzhi/internal/civil"
	"lvzhi/internal/report"
)

// The dashboard: charts of registered figures, each also a table, each bar
// opening the records behind it (static/report_dash.js draws them from the
// page's JSON block; the CSP allows no inline script).

// dashBar is one bar as the page and the chart script read it.
type dashBar struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Shown string  `json:"-"`
	Unit  string  `json:"-"`
	Link  string  `json:"link"`
	Row   string  `json:"row,omitempty"` // a heat map's cell
	Col   string  `json:"col,omitempty"`
}

// dashGrid is a heat map as a table: a row per figure, a column per month.
type dashGrid struct {
	Cols []string
	Rows []dashGridRow
}

// dashGridRow is one row of a heat map's table.
type dashGridRow struct {
	Name  string
	Cells []dashBar
}

// gridOf lays a heat map's cells out as its table, in the order they come.
func gridOf(bars []dashBar) *dashGrid {
	g := &dashGrid{}
	at := map[string]int{}
	for _, b := range bars {
		if !slices.Contains(g.Cols, b.Col) {
			g.Cols = append(g.Cols, b.Col)
		}
		i, ok := at[b.Row]
		if !ok {
			i, at[b.Row] = len(g.Rows), len(g.Rows)
			g.Rows = append(g.Rows, dashGridRow{Name: b.Row})
		}
		g.Rows[i].Cells = append(g.Rows[i].Cells, b)
	}
	return g
}

// dashChart is one chart.
type dashChart struct {
	ID    string    `json:"id"`
	Kind  string    `json:"kind"` // bar or heatmap
	Title string    `json:"title"`
	Bars  []dashBar `json:"bars"`
	Grid  *dashGrid `json:"-"` // a heat map's table
}

func (s *Server) reportDashboard(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	ctx, lang, q := r.Context(), langOf(r), r.URL.Query()
	if q.Get("year") == "" && q.Get("from") == "" && q.Get("to") == "" {
		q.Set("year", strconv.Itoa(civil.Today().Year))
	}
	f, err := s.parseFilter(ctx, a, q)
	if err != nil {
		return err
	}
	d, err := s.Reports.Dashboard(ctx, a, f, lang)
	if err != nil {
		return err
	}
	var charts []dashChart
	for _, c := range d.Charts {
		dc := dashChart{ID: c.ID, Kind: c.Kind, Title: c.Title, Bars: []dashBar{}}
		for _, b := range c.Bars {
			v := float64(b.Value.Value)
			if b.Value.Unit == "fen" {
				v /= 100
			}
			dc.Bars = append(dc.Bars, dashBar{Name: b.Label, Value: v, Shown: b.Value.Amount(), Unit: b.Value.UnitName(lang),
				Link: recordsLink(b.Filter, b.Value.ID), Row: b.Row, Col: b.Col})
		}
		if c.Kind == "heatmap" {
			dc.Grid = gridOf(dc.Bars)
		}
		charts = append(charts, dc)
	}
	data, _ := json.Marshal(map[string]any{"charts": charts})
	missing := ""
	if len(d.Missing) > 0 {
		doc := &report.Document{Lang: lang, Missing: d.Missing}
		missing = doc.MissingNotice()
	}
	s.render(w, r, "report/dashboard.html", map[string]any{"Charts": charts, "Missing": missing, "Year": f.Year(),
		"Goals": goalLines(lang, d.Goals), "EditGoals": f.CommitteeID == a.CommitteeID && f.Year() != 0 && s.canEditReports(a),
		"Subtree": f.Subtree, "JSON": template.JS(data)}) //nolint:gosec // JSON of server data, encoded by encoding/json
	return nil
}
