package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/figure"
	"lvzhi/internal/i18n"
)

// The pages of the shared figure contract: every registered figure of every
// area, its definition, and the records behind it, with the same filter in
// the page, its pager and its .xlsx export.

func (s *Server) figureRoutes() {
	if s.Figures == nil {
		s.Figures = figure.NewRegistry(s.Proposals.Source())
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
		"Areas": areas, "Export": template.URL("/figures/export.xlsx?" + f.Query().Encode()),
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
	set, err := s.Figures.Figures(ctx, a, f)
	if err != nil {
		return err
	}
	heads := []string{i18n.T(lang, "figures.col.area"), i18n.T(lang, "figures.col.figure"), i18n.T(lang, "figures.col.value"),
		i18n.T(lang, "figures.col.unit_of"), i18n.T(lang, "figures.col.den"), i18n.T(lang, "figures.col.share"),
		i18n.T(lang, "figures.col.definition"), "id"}
	return writeXLSX(w, "figures.xlsx", i18n.T(lang, "figures.title"), heads, []float64{10, 36, 12, 8, 12, 10, 60, 30},
		func(row func([]any) error) error {
			for _, v := range set.Values {
				den, share := any(""), any("")
				if v.HasRate() {
					den = v.DenValue
				}
				if rt, ok := v.Rate(); ok {
					share = rt
				}
				if err := row([]any{i18n.T(lang, "figures.area."+v.Area), v.Name(lang), v.Value, v.UnitName(lang), den, share,
					v.Definition(lang), v.ID}); err != nil {
					return err
				}
			}
			return nil
		})
}

const recordsPerPage = 50

// figureRecords lists the records behind one figure of any area.
func (s *Server) figureRecords(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	ctx, lang := r.Context(), langOf(r)
	q := r.URL.Query()
	f, err := s.parseFilter(ctx, a, q)
	if err != nil {
		return err
	}
	src, _, ok := s.Figures.Lookup(q.Get("fig"))
	if !ok {
		return apperr.ErrNotFound
	}
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
	rows := make([][]recordCell, len(pg.Records))
	for i, rec := range pg.Records {
		rows[i] = make([]recordCell, len(pg.Columns))
		for j, c := range pg.Columns {
			rows[i][j] = recordCell{Col: c, Text: figure.CellText(lang, rec.Cells[j])}
			if j == linkCol {
				rows[i][j].Link = rec.Link
			}
		}
	}
	fq := f.Query()
	fq.Set("fig", pg.Figure.ID)
	link := func(p int) template.URL {
		x := url.Values{}
		for k, v := range fq {
			x[k] = v
		}
		x.Set("page", strconv.Itoa(p))
		return template.URL("?" + x.Encode())
	}
	data := map[string]any{
		"Page": pg, "Name": pg.Figure.Name(lang), "Definition": pg.Figure.Definition(lang), "Unit": pg.Figure.UnitName(lang),
		"Rows": rows, "PageNo": page, "Export": template.URL("/figures/records.xlsx?" + fq.Encode()),
		"Back": template.URL(s.figuresBack(src.Area()) + "?" + f.Query().Encode()), "CanFigures": s.canFigures(a),
	}
	if page > 1 {
		data["Prev"] = link(page - 1)
	}
	if pg.Offset+len(pg.Records) < pg.Total {
		data["Next"] = link(page + 1)
	}
	s.render(w, r, "figures/records.html", data)
	return nil
}

// recordCell is one shown cell of a record.
type recordCell struct {
	Col, Text, Link string
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
	return auth.Can(a, "proposal.figures")
}

// figureRecordsExport writes every record behind a figure as .xlsx, with the
// page's filter; cells keep their types (numbers, dates).
func (s *Server) figureRecordsExport(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	ctx, lang := r.Context(), langOf(r)
	q := r.URL.Query()
	f, err := s.parseFilter(ctx, a, q)
	if err != nil {
		return err
	}
	src, _, ok := s.Figures.Lookup(q.Get("fig"))
	if !ok {
		return apperr.ErrNotFound
	}
	var rows [][]any
	// Collect first: a refusal must be an error page, not half a spreadsheet.
	pg, err := src.Each(ctx, a, f, q.Get("fig"), func(rec figure.Record) error {
		cells := make([]any, len(rec.Cells))
		for i, c := range rec.Cells {
			cells[i] = xlsxCell(lang, c)
		}
		rows = append(rows, cells)
		return nil
	})
	if err != nil {
		return err
	}
	heads := make([]string, len(pg.Columns))
	widths := make([]float64, len(pg.Columns))
	for i, c := range pg.Columns {
		heads[i] = i18n.T(lang, "figures.col."+c)
		widths[i] = 14
		if c == "title" {
			widths[i] = 48
		}
	}
	return writeXLSX(w, "records.xlsx", pg.Figure.Name(lang), heads, widths, func(row func([]any) error) error {
		for _, cells := range rows {
			if err := row(cells); err != nil {
				return err
			}
		}
		return nil
	})
}

// xlsxCell is a record cell as a spreadsheet value: numbers stay numbers,
// everything else is its text.
func xlsxCell(lang string, v any) any {
	switch x := v.(type) {
	case int64, int:
		return x
	}
	return figure.CellText(lang, v)
}
