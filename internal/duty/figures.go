package duty

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/changes"
	"lvzhi/internal/db"
	"lvzhi/internal/figure"
)

// The duty figures in the shared figure contract: every figure counts scored
// members of a year (a record is a member), so each one opens its list of
// members. The period must be one calendar year (duty is scored by year);
// for any other period the source lists no figures.

// Area is the duty area's name in the figure registry.
const Area = "duty"

// The dimensions the duty figures take (figure.Filter.Dims): a sector or a
// group id narrows the members.
const (
	DimSector = "sector"
	DimGroup  = "group"
)

// figureDef is a figure and the members it counts.
type figureDef struct {
	figure.Def
	counts func(r memberRow) bool
}

func def(id, group, den string, counts func(memberRow) bool) figureDef {
	return figureDef{figure.Def{ID: id, Area: Area, Group: group, Counts: "member", Measure: figure.Count, Unit: "person", Den: den}, counts}
}

const members = "duty.members"

// figureDefs are the duty figures, in display order.
var figureDefs = []figureDef{
	def(members, "duty", "", func(memberRow) bool { return true }),
	def("duty.grade.excellent", "duty", members, func(r memberRow) bool { return r.grade == Excellent }),
	def("duty.grade.good", "duty", members, func(r memberRow) bool { return r.grade == Good }),
	def("duty.grade.competent", "duty", members, func(r memberRow) bool { return r.grade == Competent }),
	def("duty.grade.incompetent", "duty", members, func(r memberRow) bool { return r.grade == Incompetent }),
	def("duty.part.proposal", "duty_part", members, func(r memberRow) bool { return r.parts[CatProposal] }),
	def("duty.part.activity", "duty_part", members, func(r memberRow) bool { return r.parts[CatActivity] }),
	def("duty.part.sqmy", "duty_part", members, func(r memberRow) bool { return r.parts[CatSqmy] }),
	def("duty.part.assist", "duty_part", members, func(r memberRow) bool { return r.parts[CatAssist] }),
	def("duty.exit", "duty", "", func(r memberRow) bool { return r.exit }),
}

// participation maps an event to the participation it shows: any proposal
// event, attending a (non-plenary) activity, any 社情民意 event, a verified
// assistance record (a pairing alone is not one: the figure counts records,
// DOMAIN.md §6).
func participation(e Event) string {
	switch {
	case strings.HasPrefix(e.Item, "proposal."):
		return CatProposal
	case (e.Item == ItemMandatory || e.Item == ItemSignup) && e.Variant == VarAttended:
		return CatActivity
	case strings.HasPrefix(e.Item, "sqmy."):
		return CatSqmy
	case e.Item == ItemAssist:
		return CatAssist
	}
	return ""
}

// memberRow is one scored member of a year, as the figures see them.
type memberRow struct {
	committee    string
	membershipID int64
	name, sector string
	sectorID     int64
	groups       []int64
	total        int64
	grade        string // "" when the year has no rules
	exit         bool
	parts        map[string]bool
	committeeID  int64
}

// Source returns the duty figures as a figure.Source.
func (s *Service) Source() figure.Source { return figureSource{s} }

type figureSource struct{ s *Service }

func (figureSource) Area() string { return Area }

func (figureSource) Lookup(id string) (figure.Def, bool) {
	for _, d := range figureDefs {
		if d.ID == id {
			return d.Def, true
		}
	}
	return figure.Def{}, false
}

// Figures lists nothing for a reader without duty.view (the member lists
// name members), as other areas hide theirs, so pages and reports that show
// every area's figures still work for them; Records refuses them.
func (src figureSource) Figures(ctx context.Context, actor *auth.Actor, f figure.Filter) ([]figure.Value, error) {
	if f.Year() == 0 || (actor != nil && !auth.Can(actor, View)) {
		return nil, nil
	}
	rows, err := src.s.memberRows(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	vs := make([]figure.Value, 0, len(figureDefs))
	for _, d := range figureDefs {
		v := figure.Value{Def: d.Def}
		for _, r := range rows {
			if d.counts(r) {
				v.Value++
			}
		}
		vs = append(vs, v)
	}
	return vs, figure.Pair(vs)
}

func (src figureSource) Records(ctx context.Context, actor *auth.Actor, f figure.Filter, id string, offset, limit int) (*figure.Page, error) {
	var all []figure.Record
	pg, err := src.each(ctx, actor, f, id, func(r figure.Record) error { all = append(all, r); return nil })
	if err != nil {
		return nil, err
	}
	pg.Total, pg.Offset, pg.Limit = len(all), offset, limit
	if offset < len(all) {
		pg.Records = all[offset:min(offset+limit, len(all))]
	}
	return pg, nil
}

func (src figureSource) Each(ctx context.Context, actor *auth.Actor, f figure.Filter, id string, fn func(figure.Record) error) (*figure.Page, error) {
	return src.each(ctx, actor, f, id, fn)
}

// recordColumns are the columns of a duty figure's records.
var recordColumns = []string{"committee", "member", "sector", "duty_score", "duty_grade"}

func (src figureSource) each(ctx context.Context, actor *auth.Actor, f figure.Filter, id string, fn func(figure.Record) error) (*figure.Page, error) {
	i := slices.IndexFunc(figureDefs, func(d figureDef) bool { return d.ID == id })
	if i < 0 {
		return nil, apperr.ErrNotFound
	}
	if f.Year() == 0 {
		return nil, apperr.Fields(apperr.Field("year", "err.duty.figure_year"))
	}
	rows, err := src.s.memberRows(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	d := figureDefs[i]
	n := 0
	for _, r := range rows {
		if !d.counts(r) || n >= figure.MaxExportRows {
			continue
		}
		n++
		grade := any("")
		if r.grade != "" {
			grade = figure.Key("duty.grade." + r.grade)
		}
		rec := figure.Record{ID: r.membershipID, Cells: []any{r.committee, r.name, r.sector, FormatPoints(r.total), grade},
			Link: "/duty/members/" + strconv.FormatInt(r.membershipID, 10) + "?year=" + strconv.Itoa(f.Year())}
		if err := fn(rec); err != nil {
			return nil, err
		}
	}
	return &figure.Page{Figure: d.Def, Columns: recordColumns}, nil
}

// memberRows scores the year's members of the filter's committee (and those
// below it with Subtree), narrowed by sector and group.
func (s *Service) memberRows(ctx context.Context, actor *auth.Actor, f figure.Filter) ([]memberRow, error) {
	sc, err := auth.CheckScope(ctx, s.DB, actor, View, f.CommitteeID)
	if err != nil {
		return nil, err
	}
	ids := []int64{f.CommitteeID}
	if f.Subtree {
		ids, err = db.Column[int64](ctx, s.DB, `SELECT id FROM committees WHERE path LIKE $1 ORDER BY path`, sc.Path+"%")
		if err != nil {
			return nil, err
		}
	}
	if _, err := changes.CatchUp(ctx, s.DB, ids...); err != nil {
		return nil, err
	}
	sector, _ := strconv.ParseInt(f.Dim(DimSector), 10, 64)
	group, _ := strconv.ParseInt(f.Dim(DimGroup), 10, 64)
	var out []memberRow
	err = s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			rows, err := committeeRows(ctx, tx, id, f.Year())
			if err != nil {
				return err
			}
			for _, r := range rows {
				if (sector == 0 || r.sectorID == sector) && (group == 0 || slices.Contains(r.groups, group)) {
					out = append(out, r)
				}
			}
		}
		return nil
	})
	return out, err
}

// committeeRows is one committee's scored members of a year with their
// grade, exit and participation.
func committeeRows(ctx context.Context, tx *sql.Tx, committeeID int64, year int) ([]memberRow, error) {
	var name string
	if err := tx.QueryRowContext(ctx, `SELECT name FROM committees WHERE id = $1`, committeeID).Scan(&name); err != nil {
		return nil, err
	}
	ms, err := scoredMembers(ctx, tx, committeeID, year)
	if err != nil {
		return nil, err
	}
	y, err := scoreYear(ctx, tx, committeeID, year)
	if err != nil {
		return nil, err
	}
	events, err := loadEvents(ctx, tx, committeeID, scope{year: year})
	if err != nil {
		return nil, err
	}
	parts := map[int64]map[string]bool{}
	for _, e := range events {
		if p := participation(e); p != "" {
			if parts[e.MembershipID] == nil {
				parts[e.MembershipID] = map[string]bool{}
			}
			parts[e.MembershipID][p] = true
		}
	}
	groups, err := memberGroups(ctx, tx, committeeID)
	if err != nil {
		return nil, err
	}
	scores := map[int64]Score{}
	for _, sc := range y.Scores {
		scores[sc.MembershipID] = sc
	}
	out := make([]memberRow, 0, len(ms))
	for _, m := range ms {
		sc := scores[m.id]
		out = append(out, memberRow{committee: name, committeeID: committeeID, membershipID: m.id, name: m.name,
			sector: m.sectorName, sectorID: m.sector, groups: groups[m.id], total: sc.Total, grade: sc.Grade,
			exit: len(sc.Exit) > 0, parts: parts[m.id]})
	}
	return out, nil
}
