package proposal

import (
	"context"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
	"lvzhi/internal/i18n"
)

// The proposal figures in the shared figure contract (internal/figure): the
// same definitions, values and records as Figures, Records and EachRecord,
// reached through figure.Registry by every page, export, API answer and report.

// Area is the proposal area's name in the figure registry.
const Area = "proposal"

// unitOf is the unit of a subject's records.
var unitOf = map[Counted]string{
	CountsProposals:       "item",
	CountsEvaluations:     "evaluation",
	CountsMembers:         "person",
	CountsUnits:           "unit",
	CountsAssignments:     "assignment",
	CountsUnitEvaluations: "evaluation",
	CountsAssessments:     "unit",
}

// Def returns the figure in the shared contract.
func (d FigureDef) Def() figure.Def {
	fd := figure.Def{ID: d.ID, Area: Area, Group: d.Group, Counts: string(d.Counts), Measure: figure.Count,
		Unit: unitOf[d.Counts], Den: d.Den, Param: d.Param}
	switch {
	case strings.HasPrefix(d.ID, themePrefix):
		fd.Family = strings.TrimSuffix(themePrefix, ".")
		fd.Label = func(lang string) string {
			return i18n.T(lang, "figures.family.theme", map[string]any{"Theme": i18n.T(lang, "proposal.theme."+d.Param)})
		}
	case strings.HasPrefix(d.ID, classPrefix), strings.HasPrefix(d.ID, unitClassPrefix):
		fd.Family = strings.TrimSuffix(classPrefix, ".")
		if strings.HasPrefix(d.ID, unitClassPrefix) {
			fd.Family = strings.TrimSuffix(unitClassPrefix, ".")
		}
		fd.Label = classLabel(d.ID, d.Param, nil)
	}
	return fd
}

// classLabel names a per-class figure with the committee's label of the class.
func classLabel(id, code string, classes []ResultClass) func(string) string {
	return func(lang string) string {
		label := code
		for _, c := range classes {
			if c.Code == code {
				label = c.Code + " " + c.Label(lang)
			}
		}
		key := "figures.family.class"
		if strings.HasPrefix(id, unitClassPrefix) {
			key = "figures.family.unit_class"
		}
		return i18n.T(lang, key, map[string]any{"Class": label})
	}
}

// labelClasses gives the per-class figures of vs the committee's class labels.
func labelClasses(vs []FigureValue, classes []ResultClass) {
	for i, v := range vs {
		if strings.HasPrefix(v.ID, classPrefix) || strings.HasPrefix(v.ID, unitClassPrefix) {
			vs[i].Label = classLabel(v.ID, v.Param, classes)
		}
	}
}

// Source returns the proposal figures as a figure.Source.
func (s *Service) Source() figure.Source { return figureSource{s} }

type figureSource struct{ s *Service }

func (figureSource) Area() string { return Area }

func (figureSource) Lookup(id string) (figure.Def, bool) {
	d, ok := FigureByID(id)
	if !ok {
		return figure.Def{}, false
	}
	return d.Def(), true
}

func (src figureSource) Figures(ctx context.Context, actor *auth.Actor, f figure.Filter) ([]figure.Value, error) {
	ff, err := FilterOf(f)
	if err != nil {
		return nil, err
	}
	fs, err := src.s.Figures(ctx, actor, ff)
	if err != nil {
		return nil, err
	}
	return fs.Values, nil
}

func (src figureSource) Records(ctx context.Context, actor *auth.Actor, f figure.Filter, id string, offset, limit int) (*figure.Page, error) {
	ff, err := FilterOf(f)
	if err != nil {
		return nil, err
	}
	pg, err := src.s.Records(ctx, actor, id, ff, offset, limit)
	if err != nil {
		return nil, err
	}
	out := src.page(ctx, actor, pg.Figure)
	out.Total, out.Offset, out.Limit = pg.Total, pg.Offset, pg.Limit
	out.Records = make([]figure.Record, 0, len(pg.Records))
	for _, r := range pg.Records {
		out.Records = append(out.Records, r.figureRecord(out.Columns))
	}
	return out, nil
}

func (src figureSource) Each(ctx context.Context, actor *auth.Actor, f figure.Filter, id string, fn func(figure.Record) error) (*figure.Page, error) {
	ff, err := FilterOf(f)
	if err != nil {
		return nil, err
	}
	d, ok := FigureByID(id)
	if !ok {
		return nil, apperr.ErrNotFound
	}
	cols := RecordColumns(d.Counts)
	if _, err := src.s.EachRecord(ctx, actor, id, ff, func(r Record) error { return fn(r.figureRecord(cols)) }); err != nil {
		return nil, err
	}
	return src.page(ctx, actor, d), nil
}

// page is a records page's heading: the figure, labelled with the actor's
// committee's classes, and the subject's columns.
func (src figureSource) page(ctx context.Context, actor *auth.Actor, d FigureDef) *figure.Page {
	fd := d.Def()
	if d.Param != "" && fd.Family != strings.TrimSuffix(themePrefix, ".") {
		if classes, err := src.s.ResultClasses(ctx, actor); err == nil {
			fd.Label = classLabel(d.ID, d.Param, classes)
		}
	}
	return &figure.Page{Figure: fd, Columns: RecordColumns(d.Counts)}
}

// figureRecord is the record in the shared contract, its cells typed.
func (r Record) figureRecord(cols []string) figure.Record {
	fr := figure.Record{ID: r.ID, Cells: make([]any, len(cols))}
	if r.ProposalID != 0 {
		fr.Link = "/proposals/" + strconv.FormatInt(r.ProposalID, 10)
	}
	for i, c := range cols {
		fr.Cells[i] = r.typedCell(c)
	}
	return fr
}

// typedCell is column col of the record as a typed value: text, a number, a
// civil date, a list, or a figure.Key translated when shown.
func (r Record) typedCell(col string) any {
	key := func(prefix, v string) any {
		if v == "" {
			return ""
		}
		return figure.Key(prefix + v)
	}
	switch col {
	case "units":
		return r.Units
	case "leaders":
		return r.Leaders
	case "theme":
		return key("proposal.theme.", string(r.Theme))
	case "state":
		return key("proposal.state.", string(r.State))
	case "role":
		return key("proposal.assign_role.", string(r.Role))
	case "rating":
		return key("proposal.rating.", string(r.Rating))
	case "round":
		return int64(r.Round)
	case "count":
		return int64(r.Count)
	case "year":
		return int64(r.Year)
	case "submitted_on", "due_on":
		return r.On
	case "replied_on":
		return r.RepliedOn
	}
	return r.Cell("", col)
}

// The proposal figures' own dimensions in figure.Filter.Dims.
const (
	DimSession  = "session"
	DimYear     = "year"
	DimTheme    = "theme"
	DimUnit     = "unit"
	DimKind     = "kind"
	DimCategory = "category"
)

// FilterOf reads a neutral filter as the proposal filter. Proposals are counted
// by their session's year, so a period must be whole calendar years (one year
// today); anything else is refused rather than counted by another rule.
func FilterOf(f figure.Filter) (FigureFilter, error) {
	ff := FigureFilter{CommitteeID: f.CommitteeID, Subtree: f.Subtree, Theme: Theme(f.Dim(DimTheme)),
		Kind: Kind(f.Dim(DimKind)), Category: Category(f.Dim(DimCategory))}
	num := func(name string) (int64, error) {
		v := f.Dim(name)
		if v == "" {
			return 0, nil
		}
		n, err := strconv.ParseInt(v, 10, 32)
		if err != nil || n < 0 {
			return 0, apperr.Fields(apperr.Field(name, "err.figures.bad_filter"))
		}
		return n, nil
	}
	var err error
	if ff.SessionID, err = num(DimSession); err != nil {
		return ff, err
	}
	if ff.UnitID, err = num(DimUnit); err != nil {
		return ff, err
	}
	year, err := num(DimYear)
	if err != nil {
		return ff, err
	}
	ff.Year = int(year)
	if !f.From.IsZero() || !f.To.IsZero() {
		y := f.Year()
		if y == 0 || (ff.Year != 0 && ff.Year != y) {
			return ff, apperr.Fields(apperr.Field("period", "err.figures.period_years"))
		}
		ff.Year = y
	}
	return ff, nil
}

// Neutral writes the proposal filter as the shared filter.
func (ff FigureFilter) Neutral() figure.Filter {
	f := figure.Filter{CommitteeID: ff.CommitteeID, Subtree: ff.Subtree}
	set := func(k, v string) {
		if v != "" && v != "0" {
			f = f.WithDim(k, v)
		}
	}
	set(DimSession, strconv.FormatInt(ff.SessionID, 10))
	set(DimUnit, strconv.FormatInt(ff.UnitID, 10))
	if ff.Year != 0 {
		f.From, f.To = civil.Date{Year: ff.Year, Month: 1, Day: 1}, civil.Date{Year: ff.Year, Month: 12, Day: 31}
	}
	set(DimTheme, string(ff.Theme))
	set(DimKind, string(ff.Kind))
	set(DimCategory, string(ff.Category))
	return f
}
