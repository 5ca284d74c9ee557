package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/i18n"
	"lvzhi/internal/proposal"
	"lvzhi/internal/sheet"
)

// leagueView is the league table with its labels and record links.
type leagueView struct {
	*proposal.League
	Heads []string
	Rows  []leagueRowView
}

type leagueRowView struct {
	proposal.LeagueRow
	// Copies of the row's fields the template shows, at the top: a field
	// promoted from an embedded struct costs the template a reflective search.
	Unit            string
	Mine, Assessed  bool
	Score, MaxScore int
	Cells           []leagueCell
	// CellsHTML is the row's figure cells, rendered here: a county's table
	// has ~60 units × ~20 figures, and as template actions the cells cost
	// ~10 reflective calls each (TestLeagueCellsHTML holds it to the template's output).
	CellsHTML template.HTML
	// Rank, OnTime and Satisfied are the ranked short list phones show
	// instead of the table: the place and the two rates the table is sorted by.
	Rank              int
	OnTime, Satisfied string
}

type leagueCell struct {
	proposal.FigureValue
	Link string
}

func newLeagueView(lang string, lg *proposal.League, linkOwnOnly bool) leagueView {
	v := leagueView{League: lg}
	for _, id := range lg.Columns {
		v.Heads = append(v.Heads, proposal.FigureLabel(lang, id, lg.Classes))
	}
	heads := make([]string, len(v.Heads))
	for i, h := range v.Heads {
		heads[i] = escapeHTML(h)
	}
	figs := make([]string, len(lg.Columns))
	for i, id := range lg.Columns {
		figs[i] = "fig=" + url.QueryEscape(id)
	}
	const mark = "fig=%00" // fig's place in the sorted query, filled per cell
	var b strings.Builder
	for rank, row := range lg.Rows {
		rv := leagueRowView{LeagueRow: row, Unit: row.Unit, Mine: row.Mine, Assessed: row.Assessed, Score: row.Score,
			MaxScore: row.MaxScore, Cells: make([]leagueCell, 0, len(lg.Columns)),
			Rank: rank + 1, OnTime: row.Get("assignments.on_time").Pct(), Satisfied: row.Get("assignments.satisfied").Pct()}
		f := lg.Filter
		f.UnitID = row.UnitID
		q := encodeFilter(f)
		q.Set("fig", "\x00")
		link := "/proposals/figures/records?" + q.Encode()
		for i, id := range lg.Columns {
			c := leagueCell{FigureValue: row.Get(id)}
			if !linkOwnOnly || row.Mine {
				c.Link = strings.Replace(link, mark, figs[i], 1)
			}
			rv.Cells = append(rv.Cells, c)
		}
		n := b.Len()
		b.Reset()
		b.Grow(n) // rows are alike: no regrowing from nothing
		writeLeagueCells(&b, lang, heads, rv.Cells)
		rv.CellsHTML = template.HTML(b.String()) //nolint:gosec // every value escaped
		v.Rows = append(v.Rows, rv)
	}
	return v
}

// writeLeagueCells renders a row's cells as the template did (heads already
// escaped):
//
//	{{range $i, $c := .Cells}}<td data-label="{{index $.Heads $i}}">{{if $c.Link}}<a href="{{$c.Link}}">{{num $c.Value}}</a>{{else}}{{num $c.Value}}{{end}}{{if $c.HasRate}} <small class="muted">{{$c.Pct}}</small>{{end}}</td>{{end}}
func writeLeagueCells(b *strings.Builder, lang string, heads []string, cells []leagueCell) {
	for i, c := range cells {
		b.WriteString(`<td data-label="`)
		b.WriteString(heads[i])
		b.WriteString(`">`)
		n := i18n.Number(lang, c.Value)
		if c.Link != "" {
			b.WriteString(`<a href="`)
			writeEscaped(b, normalizeURL(c.Link))
			b.WriteString(`">`)
			writeEscaped(b, n)
			b.WriteString(`</a>`)
		} else {
			writeEscaped(b, n)
		}
		if c.HasRate() {
			b.WriteString(` <small class="muted">`)
			writeEscaped(b, c.Pct())
			b.WriteString(`</small>`)
		}
		b.WriteString(`</td>`)
	}
}

// urlKeep are the bytes html/template's URL normalizer keeps as they are
// (RFC 3986's unreserved and reserved characters, and '%').
var urlKeep = func() (k [256]bool) {
	for c := 0; c < 256; c++ {
		k[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~!#$%&*+,/:;=?@[]", byte(c)) >= 0
	}
	return k
}()

// normalizeURL percent-encodes what html/template's URL normalizer encodes in
// a relative link. Links built here are relative, so no scheme to filter.
func normalizeURL(s string) string {
	i := 0
	for i < len(s) && urlKeep[s[i]] {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		if c := s[i]; urlKeep[c] {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02x", c)
		}
	}
	return b.String()
}

// leagueFilter is the league's filter: the actor's committee, a year (default
// this year) or a session.
func leagueFilter(a *auth.Actor, q url.Values) proposal.FigureFilter {
	ff := proposal.FigureFilter{CommitteeID: a.CommitteeID, SessionID: queryID(q, "session"), Year: int(queryID(q, "year")),
		Theme: proposal.Theme(q.Get("theme"))}
	if ff.SessionID == 0 && ff.Year == 0 && q.Get("year") == "" {
		ff.Year = civil.Today().Year
	}
	return ff
}

// unitPortal is a handling unit's page: its deadlines, its league table row
// beside the others, its assessment.
func (s *Server) unitPortal(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	if a.UnitID == 0 || !auth.Can(a, proposal.PermHandle) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	ctx, lang := r.Context(), langOf(r)
	ff := leagueFilter(a, r.URL.Query())
	lg, err := s.Proposals.League(ctx, a, ff)
	if err != nil {
		return err
	}
	open, err := s.unitDeadlines(ctx, a)
	if err != nil {
		return err
	}
	year := ff.Year
	if year == 0 {
		year = civil.Today().Year
	}
	assessed, err := s.Proposals.Assessments(ctx, a, year)
	if err != nil {
		return err
	}
	items, _, err := s.Proposals.AssessItems(ctx, a)
	if err != nil {
		return err
	}
	s.render(w, r, "proposal/units_portal.html", map[string]any{
		"League": newLeagueView(lang, lg, true), "Open": open, "Today": civil.Today(), "Assessments": assessed,
		"Items": items, "Year": year, "Years": yearChoices(),
	})
	return nil
}

// unitDeadlines lists the unit's proposals still being handled, earliest due first.
func (s *Server) unitDeadlines(ctx context.Context, a *auth.Actor) ([]proposal.Item, error) {
	pg, err := s.Proposals.List(ctx, a, a.CommitteeID, proposal.Filter{Limit: 500, States: []proposal.State{
		proposal.Assigned, proposal.ReturnRequested, proposal.Accepted, proposal.InHandling, proposal.ReplyDrafted,
		proposal.ReplyReview, proposal.Rehandling}})
	if err != nil {
		return nil, err
	}
	items := pg.Items
	sort.SliceStable(items, func(i, j int) bool {
		di, dj := items[i].DueOn, items[j].DueOn
		if di.IsZero() != dj.IsZero() {
			return !di.IsZero()
		}
		return di.Before(dj)
	})
	return items, nil
}

func yearChoices() []int {
	y := civil.Today().Year
	return []int{y, y - 1, y - 2, y - 3, y - 4}
}

// unitLeague is the league table for committee readers.
func (s *Server) unitLeague(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	ctx, lang := r.Context(), langOf(r)
	q := r.URL.Query()
	ff := leagueFilter(a, q)
	lg, err := s.Proposals.League(ctx, a, ff)
	if err != nil {
		return err
	}
	s.render(w, r, "proposal/units_league.html", map[string]any{
		"League": newLeagueView(lang, lg, !auth.Can(a, proposal.PermFigures)), "Choices": s.figureSessionChoices(ctx, a, ff),
		"Years": yearChoices(), "Export": link("/units/league.xlsx", leagueQuery(ff)),
	})
	return nil
}

// leagueQuery is the league's filter as a query: every year is year=0 (no
// year means this year).
func leagueQuery(ff proposal.FigureFilter) url.Values {
	q := encodeFilter(ff)
	if ff.Year == 0 && ff.SessionID == 0 {
		q.Set("year", "0")
	}
	return q
}

// unitLeagueExport writes the league table as .xlsx.
func (s *Server) unitLeagueExport(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	ctx, lang := r.Context(), langOf(r)
	lg, err := s.Proposals.League(ctx, a, leagueFilter(a, r.URL.Query()))
	if err != nil {
		return err
	}
	v := newLeagueView(lang, lg, true)
	cols := []sheet.Column{{Head: i18n.T(lang, "figures.col.unit"), Width: 24}}
	for _, h := range v.Heads {
		cols = append(cols, sheet.Column{Head: h, Width: 12, Kind: sheet.Number},
			sheet.Column{Head: h + " " + i18n.T(lang, "figures.col.share"), Width: 9, Kind: sheet.Percent})
	}
	cols = append(cols, sheet.Column{Head: i18n.T(lang, "figures.col.score"), Width: 10, Kind: sheet.Number},
		sheet.Column{Head: i18n.T(lang, "figures.col.max_score"), Width: 10, Kind: sheet.Number})
	title := i18n.T(lang, "figures.league.title")
	return writeXLSX(w, s.exportName(ctx, a, lg.Filter.CommitteeID, title), title, cols, func(row func(...any) error) error {
		for _, rv := range v.Rows {
			cells := []any{rv.Unit}
			for _, c := range rv.Cells {
				cells = append(cells, amount(c.FigureValue), rate(c.FigureValue))
			}
			if rv.Assessed {
				cells = append(cells, rv.Score, rv.MaxScore)
			}
			if err := row(cells...); err != nil {
				return err
			}
		}
		return nil
	})
}

// assessPage is the data of the assessment page.
type assessPage struct {
	Year        int
	Years       []int
	Items       []proposal.AssessItem
	Saved       bool // the committee has its own score sheet
	Assessments []proposal.Assessment
	Units       []assessUnit
	Edit        *assessUnit                // the unit being scored
	Prefill     map[int64]proposal.Prefill // the figures' points for Edit, by item
	Bases       []string                   // the bases an item may be prefilled from
	CanAssess   bool
	Fields      []apperr.FieldError
	Error       string
	Done        string
}

type assessUnit struct {
	ID         int64
	Name       string
	Assessment *proposal.Assessment
	Points     map[int64]string // as typed
	Reasons    map[int64]string // as typed
	Note       string
	Version    int
}

// assessmentsPage shows the score sheet, every unit's assessment of a year,
// and (unit=…) the form scoring one unit.
func (s *Server) assessmentsPage(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d, err := s.assessData(r.Context(), a, int(queryID(q, "year")), queryID(q, "unit"))
	if err != nil {
		return err
	}
	d.Done = q.Get("done")
	s.render(w, r, "proposal/units_assess.html", d)
	return nil
}

func (s *Server) assessData(ctx context.Context, a *auth.Actor, year int, unitID int64) (*assessPage, error) {
	if year == 0 {
		year = civil.Today().Year
	}
	d := &assessPage{Year: year, Years: yearChoices(), CanAssess: auth.Can(a, proposal.PermAssess), Bases: proposal.AssessBasisOrder}
	var err error
	if d.Items, d.Saved, err = s.Proposals.AssessItems(ctx, a); err != nil {
		return nil, err
	}
	if d.Assessments, err = s.Proposals.Assessments(ctx, a, year); err != nil {
		return nil, err
	}
	units, err := s.Proposals.League(ctx, a, proposal.FigureFilter{CommitteeID: a.CommitteeID, Year: year})
	if err != nil {
		return nil, err
	}
	for _, row := range units.Rows {
		u := assessUnit{ID: row.UnitID, Name: row.Unit, Points: map[int64]string{}, Reasons: map[int64]string{}}
		for i := range d.Assessments {
			if d.Assessments[i].UnitID == row.UnitID {
				u.Assessment = &d.Assessments[i]
				u.Note, u.Version = u.Assessment.Note, u.Assessment.Version
				for id, p := range u.Assessment.Points {
					u.Points[id] = strconv.Itoa(p)
				}
				for id, r := range u.Assessment.Reasons {
					u.Reasons[id] = r
				}
			}
		}
		d.Units = append(d.Units, u)
	}
	slices.SortFunc(d.Units, func(x, y assessUnit) int { return strings.Compare(x.Name, y.Name) })
	for i := range d.Units {
		if d.Units[i].ID == unitID && unitID != 0 {
			d.Edit = &d.Units[i]
		}
	}
	if d.Edit != nil && d.CanAssess {
		if d.Prefill, err = s.Proposals.AssessmentPrefill(ctx, a, year, unitID); err != nil {
			return nil, err
		}
		for id, p := range d.Prefill { // a new assessment starts from the figures
			if _, ok := d.Edit.Points[id]; !ok {
				d.Edit.Points[id] = strconv.Itoa(p.Points)
			}
		}
	}
	return d, nil
}

// assessmentSave records the scores of one unit (proposal office).
func (s *Server) assessmentSave(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, proposal.PermAssess)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "err.invalid")
	}
	f := r.PostForm
	var fe []apperr.FieldError
	in := proposal.AssessmentInput{Year: formInt(f, "year", &fe), UnitID: formID(f, "unit", &fe), Note: f.Get("note"),
		Version: formInt(f, "version", &fe), Points: map[int64]int{}, Reasons: map[int64]string{}}
	typed := map[int64]string{}
	for k, vs := range f {
		if id, ok := strings.CutPrefix(k, "reason_"); ok && len(vs) > 0 {
			if item, err := strconv.ParseInt(id, 10, 64); err == nil {
				in.Reasons[item] = strings.TrimSpace(vs[0])
			}
			continue
		}
		id, ok := strings.CutPrefix(k, "points_")
		if !ok || len(vs) == 0 {
			continue
		}
		item, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			continue
		}
		typed[item] = strings.TrimSpace(vs[0])
		in.Points[item] = formInt(f, k, &fe)
	}
	if len(fe) == 0 {
		_, err = s.Proposals.SaveAssessment(r.Context(), a, in)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/proposals/assessments?year=%d&done=saved", in.Year), http.StatusSeeOther)
			return nil
		}
		e := apperr.As(err)
		if e == nil || (e.Code != apperr.Invalid && e.Code != apperr.Conflict) {
			return err
		}
	} else {
		err = apperr.Fields(fe...)
	}
	// Show the form again with what was typed and the errors.
	d, derr := s.assessData(r.Context(), a, in.Year, in.UnitID)
	if derr != nil {
		return derr
	}
	if d.Edit == nil {
		return err
	}
	d.Edit.Points, d.Edit.Reasons, d.Edit.Note = typed, in.Reasons, in.Note
	msg, fields := Message(langOf(r), apperr.As(err))
	d.Error, d.Fields = msg, fields
	w.WriteHeader(StatusOf(apperr.CodeOf(err)))
	s.render(w, r, "proposal/units_assess.html", d)
	return nil
}

// assessItemSave creates or edits an item of the score sheet.
func (s *Server) assessItemSave(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, proposal.PermAssess)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "err.invalid")
	}
	f := r.PostForm
	var fe []apperr.FieldError
	it := proposal.AssessItem{ID: formID(f, "id", &fe), Name: f.Get("name"), MaxPoints: formInt(f, "max_points", &fe),
		Sort: formInt(f, "sort", &fe), Active: f.Get("active") == "1", Basis: f.Get("basis"), Version: formInt(f, "version", &fe)}
	if len(fe) == 0 {
		if _, err = s.Proposals.SaveAssessItem(r.Context(), a, it); err == nil {
			http.Redirect(w, r, "/proposals/assessments?done=item_saved", http.StatusSeeOther)
			return nil
		}
	} else {
		err = apperr.Fields(fe...)
	}
	e := apperr.As(err)
	if e == nil || (e.Code != apperr.Invalid && e.Code != apperr.Conflict) {
		return err
	}
	d, derr := s.assessData(r.Context(), a, 0, 0)
	if derr != nil {
		return derr
	}
	msg, fields := Message(langOf(r), e)
	d.Error, d.Fields = msg, fields
	w.WriteHeader(StatusOf(e.Code))
	s.render(w, r, "proposal/units_assess.html", d)
	return nil
}

// assessDefaultSheet adopts the default score sheet.
func (s *Server) assessDefaultSheet(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, proposal.PermAssess)
	if err != nil {
		return err
	}
	if err := s.Proposals.UseDefaultSheet(r.Context(), a); err != nil {
		return err
	}
	http.Redirect(w, r, "/proposals/assessments?done=sheet_saved", http.StatusSeeOther)
	return nil
}
