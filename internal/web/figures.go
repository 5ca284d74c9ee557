package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/duty"
	"lvzhi/internal/export"
	"lvzhi/internal/figure"
	"lvzhi/internal/i18n"
	"lvzhi/internal/proposal"
	"lvzhi/internal/sheet"
)

// The pages of the shared figure contract: every registered figure of every
// area, its definition, and the records behind it, with the same filter in
// the page, its pager and its .xlsx export.

func (s *Server) figureRoutes() {
	if s.Figures == nil {
		s.Figures = figure.NewRegistry(s.Proposals.Source(), duty.NewService(s.DB).Source())
	}
	s.handle("GET /figures", s.allFiguresPage)
	s.handle("GET /figures/export.xlsx", s.allFiguresExport)
	s.handle("GET /figures/records", s.figureRecords)
	s.handle("GET /figures/records.xlsx", s.figureRecordsExport)
	// The proposal area's older addresses of the same pages.
	s.handle("GET /proposals/figures/records", s.figureRecords)
	s.handle("GET /proposals/figures/records.xlsx", s.figureRecordsExport)
}

// parseFilter reads the neutral filter from the query (figure.ParseQuery):
// the committee defaults to the actor's, and a committee with committees below
// it reads their roll-up unless subtree=0.
func (s *Server) parseFilter(ctx context.Context, a *auth.Actor, q url.Values) (figure.Filter, error) {
	f, subtreeSet, err := figure.ParseQuery(q)
	if err != nil {
		return f, err
	}
	if f.CommitteeID == 0 {
		f.CommitteeID = a.CommitteeID
	}
	if !subtreeSet {
		// A committee the actor may not see has no children here; the figures refuse it.
		children, _ := s.Org.Children(ctx, a, f.CommitteeID)
		f.Subtree = len(children) > 0
	}
	return f, nil
}

// recordsLink is the address of the records behind figure id for a filter.
func recordsLink(f figure.Filter, id string) string {
	q := f.Query()
	q.Set("fig", id)
	return "/figures/records?" + q.Encode()
}

// figureLine is one figure as the pages show it.
type figureLine struct {
	figure.Value
	Name, Definition, Unit string
	Link                   string
	Bar                    int // width of the share bar, 0..100
}

func figureLines(lang string, f figure.Filter, vs []figure.Value) []figureLine {
	out := make([]figureLine, 0, len(vs))
	for _, v := range vs {
		l := figureLine{Value: v, Name: v.Name(lang), Definition: v.Definition(lang), Unit: v.UnitName(lang), Link: recordsLink(f, v.ID)}
		if r, ok := v.Rate(); ok {
			l.Bar = int(r*100 + 0.5)
		}
		out = append(out, l)
	}
	return out
}

// areaFigures is one area's figures on the all-figures page.
type areaFigures struct {
	Area  string
	Lines []figureLine
}

// allFiguresPage lists every registered figure of every area for the filter,
// each with its definition and a link to its records.
func (s *Server) allFiguresPage(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	ctx, lang := r.Context(), langOf(r)
	f, err := s.parseFilter(ctx, a, r.URL.Query())
	if err != nil {
		return err
	}
	var areas []areaFigures
	for _, src := range s.Figures.Sources() {
		vs, err := src.Figures(ctx, a, f)
		if err != nil {
			return err
		}
		areas = append(areas, areaFigures{Area: src.Area(), Lines: figureLines(lang, f, vs)})
	}
	s.render(w, r, "figures/all.html", map[string]any{
		"Areas": areas, "Export": link("/figures/export.xlsx", f.Query()),
	})
	return nil
}

// allFiguresExport writes every figure of the filter, with its definition, as .xlsx.
func (s *Server) allFiguresExport(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	ctx, lang := r.Context(), langOf(r)
	f, err := s.parseFilter(ctx, a, r.URL.Query())
	if err != nil {
		return err
	}
	var areas []string // ?area=: one area's figures only, as the API's GET /figures
	if v := r.URL.Query().Get("area"); v != "" {
		areas = append(areas, v)
	}
	set, err := s.Figures.Figures(ctx, a, f, areas...)
	if err != nil {
		return err
	}
	cols := []sheet.Column{{Head: i18n.T(lang, "figures.col.area"), Width: 10}, {Head: i18n.T(lang, "figures.col.figure"), Width: 36},
		{Head: i18n.T(lang, "figures.col.value"), Width: 12, Kind: sheet.Number}, {Head: i18n.T(lang, "figures.col.unit_of"), Width: 8},
		{Head: i18n.T(lang, "figures.col.den"), Width: 12, Kind: sheet.Number}, {Head: i18n.T(lang, "figures.col.share"), Width: 10, Kind: sheet.Percent},
		{Head: i18n.T(lang, "figures.col.definition"), Width: 60}, {Head: "id", Width: 30}}
	title := i18n.T(lang, "figures.title")
	return writeXLSX(w, s.exportName(ctx, a, f.CommitteeID, title), title, cols, func(row func(...any) error) error {
		for _, v := range set.Values {
			if err := row(i18n.T(lang, "figures.area."+v.Area), v.Name(lang), amount(v), v.UnitName(lang), den(v), rate(v),
				v.Definition(lang), v.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

const recordsPerPage = 50

// recordsRequest is what both records handlers read from the request: the
// actor, the filter, and the figure (fig) with its source.
type recordsRequest struct {
	actor *auth.Actor
	f     figure.Filter
	src   figure.Source
	id    string
}

func (s *Server) readRecordsRequest(r *http.Request) (*recordsRequest, error) {
	a, err := requireActor(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	f, err := s.parseFilter(r.Context(), a, q)
	if err != nil {
		return nil, err
	}
	src, _, ok := s.Figures.Lookup(q.Get("fig"))
	if !ok {
		return nil, apperr.ErrNotFound
	}
	return &recordsRequest{actor: a, f: f, src: src, id: q.Get("fig")}, nil
}

// figureRecords lists the records behind one figure of any area.
func (s *Server) figureRecords(w http.ResponseWriter, r *http.Request) error {
	rq, err := s.readRecordsRequest(r)
	if err != nil {
		return err
	}
	ctx, lang, q, a, f, src := r.Context(), langOf(r), r.URL.Query(), rq.actor, rq.f, rq.src
	page := max(int(min(queryID(q, "page"), 1_000_000)), 1)
	pg, err := src.Records(ctx, a, f, q.Get("fig"), (page-1)*recordsPerPage, recordsPerPage)
	if err != nil {
		return err
	}
	// The record's link sits on its title, or else on its first own column.
	linkCol := slices.Index(pg.Columns, "title")
	if linkCol < 0 {
		linkCol = slices.IndexFunc(pg.Columns, func(c string) bool { return c != "committee" })
	}
	labels := make([]string, len(pg.Columns)) // each column's name, translated once
	for j, c := range pg.Columns {
		labels[j] = i18n.T(lang, "figures.col."+c)
	}
	rows := make([][]recordCell, len(pg.Records))
	for i, rec := range pg.Records {
		rows[i] = make([]recordCell, len(pg.Columns))
		for j, c := range pg.Columns {
			rows[i][j] = recordCell{Col: c, Label: labels[j], Text: figure.CellText(lang, rec.Cells[j])}
			if j == linkCol {
				rows[i][j].Link = rec.Link
			}
		}
	}
	fq := f.Query()
	fq.Set("fig", pg.Figure.ID)
	data := map[string]any{
		"Page": pg, "Name": pg.Figure.Name(lang), "Definition": pg.Figure.Definition(lang), "Unit": pg.Figure.UnitName(lang),
		"Rows": rows, "Pager": newPager(r.URL.Path, fq, page, pg.Offset+len(pg.Records) < pg.Total),
		"Export": link("/figures/records.xlsx", fq), "Back": link(s.figuresBack(src.Area()), f.Query()), "CanFigures": s.canFigures(a),
	}
	s.render(w, r, "figures/records.html", data)
	return nil
}

// recordCell is one shown cell of a record.
type recordCell struct {
	Col, Label, Text, Link string // Label: the column's name, for the cell's data-label
}

// figuresBack is the figures page of an area.
func (s *Server) figuresBack(area string) string {
	if area == "proposal" {
		return "/proposals/figures"
	}
	return "/figures"
}

// canFigures reports whether the actor reads the figures pages (not only its own records).
func (s *Server) canFigures(a *auth.Actor) bool {
	return auth.Can(a, proposal.PermFigures)
}

// figureRecordsExport writes every record behind a figure as .xlsx, with the
// page's filter (export.Write: typed cells, bounded memory). The file is sent
// only once every record is in, so a refusal or a failure half way is an
// error page, never half a spreadsheet. More than export.AsyncRows records, or
// async=1, make it a background export: the reader goes to its progress page.
func (s *Server) figureRecordsExport(w http.ResponseWriter, r *http.Request) error {
	rq, err := s.readRecordsRequest(r)
	if err != nil {
		return err
	}
	ctx, lang, a, f, src, id := r.Context(), langOf(r), rq.actor, rq.f, rq.src, rq.id
	// The first records check the reader and give the columns and their kinds.
	first, err := export.First(ctx, src, a, f, id)
	if err != nil {
		return err
	}
	title := first.Figure.Name(lang)
	name := s.exportName(ctx, a, f.CommitteeID, title)
	if r.URL.Query().Get("async") == "1" || first.Total > export.AsyncRows {
		xid, err := s.exports().StartRecords(ctx, a, export.RecordsRequest{Figure: id, Filter: f, Lang: lang, FileName: name, Total: first.Total})
		if err != nil {
			return err
		}
		http.Redirect(w, r, "/exports/"+strconv.FormatInt(xid, 10), http.StatusSeeOther)
		return nil
	}
	sh, err := export.Write(ctx, src, a, f, id, lang, first, nil)
	if err != nil {
		return err
	}
	defer sh.Close()
	return sh.Send(w, name)
}
