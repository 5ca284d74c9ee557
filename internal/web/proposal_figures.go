package web

import (
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
	"lvzhi/internal/i18n"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
	"lvzhi/internal/sheet"
)

// proposalFiguresRoutes registers the figures, search, similarity, public,
// league table and assessment pages. Every path under /proposals/ is made of
// literal segments only, so none overlaps the proposal pages' /proposals/{id}/….
func (s *Server) proposalFiguresRoutes() {
	if s.Proposals.Similar == nil {
		s.Proposals.Similar = proposal.Finder{Svc: s.Proposals}
	}
	s.handle("GET /proposals/figures", s.figuresPage)
	s.handle("GET /proposals/figures/export.xlsx", s.figuresExport)
	s.handle("GET /proposals/search", s.proposalSearch)
	s.handle("POST /proposals/similar", s.proposalSimilar)
	s.handle("GET /proposals/similar", s.proposalSimilarTo)
	s.handle("GET /public/proposals", s.publicList)
	s.handle("GET /public/proposals/{id}", s.publicDetail)
	s.handle("GET /units/portal", s.unitPortal)
	s.handle("GET /units/league", s.unitLeague)
	s.handle("GET /units/league.xlsx", s.unitLeagueExport)
	s.handle("GET /proposals/assessments", s.assessmentsPage)
	s.handle("POST /proposals/assessments", s.assessmentSave)
	s.handle("POST /proposals/assessments/items", s.assessItemSave)
	s.handle("POST /proposals/assessments/default", s.assessDefaultSheet)
}

// parseFigureFilter reads the shared filter from the query; the committee
// defaults to the actor's, and a committee with committees below it reads
// their roll-up unless subtree=0.
func (s *Server) parseFigureFilter(ctx context.Context, a *auth.Actor, q url.Values) proposal.FigureFilter {
	ff := proposal.FigureFilter{CommitteeID: queryID(q, "committee"), SessionID: queryID(q, "session"),
		Year: int(queryID(q, "year")), Theme: proposal.Theme(q.Get("theme")), UnitID: queryID(q, "unit"),
		Kind: proposal.Kind(q.Get("kind")), Category: proposal.Category(q.Get("category"))}
	if ff.CommitteeID == 0 {
		ff.CommitteeID = a.CommitteeID
	}
	switch q.Get("subtree") {
	case "1":
		ff.Subtree = true
	case "":
		// A committee the actor may not see has no children here; the figures refuse it.
		children, _ := s.Org.Children(ctx, a, ff.CommitteeID)
		ff.Subtree = len(children) > 0
	}
	if ff.Subtree {
		ff.SessionID, ff.UnitID = 0, 0 // sessions and units belong to one committee
	}
	return ff
}

// encodeFilter writes a filter back as query parameters.
func encodeFilter(ff proposal.FigureFilter) url.Values {
	v := url.Values{}
	set := func(k string, n int64) {
		if n != 0 {
			v.Set(k, strconv.FormatInt(n, 10))
		}
	}
	set("committee", ff.CommitteeID)
	set("session", ff.SessionID)
	set("year", int64(ff.Year))
	set("unit", ff.UnitID)
	if ff.Theme != "" {
		v.Set("theme", string(ff.Theme))
	}
	if ff.Kind != "" {
		v.Set("kind", string(ff.Kind))
	}
	if ff.Category != "" {
		v.Set("category", string(ff.Category))
	}
	if ff.Subtree {
		v.Set("subtree", "1")
	} else {
		v.Set("subtree", "0")
	}
	return v
}

// figureChoices are the filter form's choices.
type figureChoices struct {
	Sessions []org.Session
	Units    []org.Unit
	Themes   []proposal.Theme
	Years    []int
}

func (s *Server) figureChoices(ctx context.Context, a *auth.Actor, ff proposal.FigureFilter) figureChoices {
	c := s.figureSessionChoices(ctx, a, ff)
	if us, err := s.Org.Units(ctx, a, ff.CommitteeID, org.UnitFilter{}); err == nil {
		c.Units = us
	}
	return c
}

// figureSessionChoices are the choices without the units (the league table
// offers sessions and years only).
func (s *Server) figureSessionChoices(ctx context.Context, a *auth.Actor, ff proposal.FigureFilter) figureChoices {
	c := figureChoices{Themes: proposal.Themes}
	// Choices are a convenience: a reader without org access still gets the page.
	if ss, err := s.Org.Sessions(ctx, a, ff.CommitteeID, 0); err == nil {
		c.Sessions = ss
		seen := map[int]bool{}
		for _, x := range ss {
			if !seen[x.Year] {
				seen[x.Year] = true
				c.Years = append(c.Years, x.Year)
			}
		}
	}
	return c
}

// figureGroups is the order of the figures page's sections.
var figureGroups = []string{"intake", "handling", "results", "classes", "themes", "quality", "units"}

// figureRow is one figure as the page shows it.
type figureRow struct {
	proposal.FigureValue
	Label      string
	Definition string
	Link       string
	Bar        int // width of the share bar, 0..100
}

type figureSection struct {
	Group string
	Rows  []figureRow
}

func figureRows(lang string, fs *proposal.FigureSet, vs []proposal.FigureValue) []figureRow {
	f := fs.Filter.Neutral()
	var out []figureRow
	for _, v := range vs {
		row := figureRow{FigureValue: v, Label: fs.Label(lang, v), Definition: v.Definition(lang), Link: recordsLink(f, v.ID)}
		if r, ok := v.Rate(); ok {
			row.Bar = int(r*100 + 0.5)
		}
		out = append(out, row)
	}
	return out
}

// chartJSON is the data of the page's two charts, as JSON for the inline script.
func chartJSON(lang string, fs *proposal.FigureSet) template.JS {
	type item struct {
		Name  string `json:"name"`
		Value int64  `json:"value"`
		Link  string `json:"link"`
	}
	var themes, classes []item
	for _, v := range figureRows(lang, fs, fs.Group("themes")) {
		themes = append(themes, item{v.Label, v.Value, v.Link})
	}
	for _, v := range figureRows(lang, fs, fs.Group("classes")) {
		classes = append(classes, item{v.Label, v.Value, v.Link})
	}
	b, _ := json.Marshal(map[string]any{"themes": themes, "classes": classes})
	return template.JS(b) //nolint:gosec // JSON of server data, encoded by encoding/json (which escapes <, >, &)
}

// figuresPage shows every figure for the filter, each a link to its records,
// with the report sentence and two charts.
func (s *Server) figuresPage(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	ctx, lang := r.Context(), langOf(r)
	ff := s.parseFigureFilter(ctx, a, r.URL.Query())
	fs, err := s.Proposals.Figures(ctx, a, ff)
	if err != nil {
		return err
	}
	var sections []figureSection
	for _, g := range figureGroups {
		sections = append(sections, figureSection{Group: g, Rows: figureRows(lang, fs, fs.Group(g))})
	}
	children, err := s.Org.Children(ctx, a, ff.CommitteeID)
	if err != nil {
		return err
	}
	s.render(w, r, "proposal/figures.html", map[string]any{
		"Set": fs, "Sections": sections, "Sentence": fs.Sentence(lang), "Charts": chartJSON(lang, fs),
		"Choices": s.figureChoices(ctx, a, ff), "Export": link("/proposals/figures/export.xlsx", encodeFilter(ff)), "HasChildren": len(children) > 0,
	})
	return nil
}

// figuresExport writes every figure of the filter as .xlsx.
func (s *Server) figuresExport(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	ctx, lang := r.Context(), langOf(r)
	fs, err := s.Proposals.Figures(ctx, a, s.parseFigureFilter(ctx, a, r.URL.Query()))
	if err != nil {
		return err
	}
	cols := []sheet.Column{{Head: i18n.T(lang, "figures.col.figure"), Width: 36}, {Head: i18n.T(lang, "figures.col.value"), Width: 12, Kind: sheet.Number},
		{Head: i18n.T(lang, "figures.col.den"), Width: 12, Kind: sheet.Number}, {Head: i18n.T(lang, "figures.col.share"), Width: 10, Kind: sheet.Percent},
		{Head: "id", Width: 30}}
	title := i18n.T(lang, "figures.title")
	return writeXLSX(w, s.exportName(ctx, a, fs.Filter.CommitteeID, title), title, cols, func(row func(...any) error) error {
		for _, v := range fs.Values {
			if err := row(fs.Label(lang, v), amount(v), den(v), rate(v), v.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

// amount is a figure's value as a spreadsheet number: fen as yuan.
func amount(v figure.Value) any {
	if v.Unit == "fen" {
		return float64(v.Value) / 100
	}
	return v.Value
}

// den is the base's value of a share, empty without one.
func den(v figure.Value) any {
	if !v.HasRate() {
		return nil
	}
	return v.DenValue
}

// rate is the share 0..1, empty without a base.
func rate(v figure.Value) any {
	if r, ok := v.Rate(); ok {
		return r
	}
	return nil
}

// writeXLSX sends one sheet named title (the sheet package: typed cells,
// frozen heading, filters on) as the download name.
func writeXLSX(w http.ResponseWriter, name, title string, cols []sheet.Column, fill func(row func(...any) error) error) error {
	sh, err := sheet.New(title, cols)
	if err != nil {
		return err
	}
	defer sh.Close()
	if err := fill(sh.Row); err != nil {
		return err
	}
	return sh.Send(w, name)
}

// exportName is the download's name: committee, what and today, e.g.
// 滇富县政协-提案-2026-12-07.xlsx (the actor's committee when committeeID is 0).
func (s *Server) exportName(ctx context.Context, a *auth.Actor, committeeID int64, what string) string {
	if committeeID == 0 {
		committeeID = a.CommitteeID
	}
	var parts []string
	if c, err := s.Org.Committee(ctx, a, committeeID); err == nil {
		parts = append(parts, c.Name)
	}
	return sheet.FileName(civil.Today(), append(parts, what)...)
}
