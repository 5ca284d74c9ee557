package proposal

import (
	"context"
	"fmt"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/i18n"
)

// Record is one record behind a figure: a proposal, an evaluation, a member,
// a unit, an assignment or an assessment. Only the fields of its kind are set.
type Record struct {
	ID         int64      `json:"id"`          // the record's own id
	ProposalID int64      `json:"proposal_id"` // the proposal it is about, if any
	Committee  string     `json:"committee"`
	Number     string     `json:"number,omitempty"`
	Title      string     `json:"title,omitempty"` // a member's record: the sector
	Name       string     `json:"name,omitempty"`  // first proposer, evaluator, member or unit
	Unit       string     `json:"unit,omitempty"`  // the unit of an assignment or unit evaluation
	Units      []string   `json:"units,omitempty"`
	Leaders    []string   `json:"leaders,omitempty"` // supervising leaders of a key proposal
	State      State      `json:"state,omitempty"`
	Theme      Theme      `json:"theme,omitempty"`
	Year       int        `json:"year,omitempty"`
	Class      string     `json:"class,omitempty"`
	Role       AssignRole `json:"role,omitempty"`
	Round      int        `json:"round,omitempty"`
	Rating     Rating     `json:"rating,omitempty"`
	On         civil.Date `json:"on"`         // submitted, evaluated or due
	RepliedOn  civil.Date `json:"replied_on"` // replied
	Count      int        `json:"count,omitempty"`
	Score      int        `json:"score,omitempty"`
	MaxScore   int        `json:"max_score,omitempty"`
}

// RecordPage is one page of the records behind a figure.
type RecordPage struct {
	Figure  FigureDef `json:"-"`
	ID      string    `json:"figure"`
	Counts  Counted   `json:"counts"`
	Records []Record  `json:"records"`
	Total   int       `json:"total"`
	Offset  int       `json:"offset"`
	Limit   int       `json:"limit"`
}

// MaxExportRows bounds one export.
const MaxExportRows = 200000

// recordsAccess checks the actor may list the records of d, returning the
// scope path and the filter to use: readers of figures see every record; a
// unit sees its own assignments' records only (its league table row).
func (s *Service) recordsAccess(ctx context.Context, actor *auth.Actor, d FigureDef, ff FigureFilter) (string, FigureFilter, error) {
	unitFigure := d.Counts == CountsAssignments || d.Counts == CountsUnitEvaluations
	if actor != nil && !auth.Can(actor, PermFigures) && unitFigure && actor.UnitID != 0 && auth.Can(actor, PermHandle) {
		if ff.CommitteeID != actor.CommitteeID || ff.Subtree || (ff.UnitID != 0 && ff.UnitID != actor.UnitID) {
			return "", ff, apperr.ErrNotFound
		}
		ff.UnitID = actor.UnitID
		path, err := s.figureScope(ctx, actor, ff, PermHandle)
		return path, ff, err
	}
	path, err := s.figureScope(ctx, actor, ff, PermFigures)
	return path, ff, err
}

// Records lists the records a figure counts, with exactly its predicate, so
// their number is the figure's value.
func (s *Service) Records(ctx context.Context, actor *auth.Actor, figureID string, ff FigureFilter, offset, limit int) (*RecordPage, error) {
	d, ok := FigureByID(figureID)
	if !ok {
		return nil, apperr.ErrNotFound
	}
	path, ff, err := s.recordsAccess(ctx, actor, d, ff)
	if err != nil {
		return nil, err
	}
	if limit > 500 {
		limit = 500 // above the maximum is capped, as the API documents
	}
	if limit <= 0 {
		limit = 50
	}
	offset = max(offset, 0)
	if _, err := s.CatchUp(ctx, ff.CommitteeID, ff.rollUp(path)); err != nil {
		return nil, err
	}
	pg := &RecordPage{Figure: d, ID: d.ID, Counts: d.Counts, Offset: offset, Limit: limit}
	if pg.Total, err = s.countRecords(ctx, actor, d, ff, path); err != nil {
		return nil, err
	}
	pg.Records, err = s.queryRecords(ctx, actor, d, ff, path, offset, limit)
	return pg, err
}

// EachRecord calls fn for every record of a figure (at most MaxExportRows), for exports.
func (s *Service) EachRecord(ctx context.Context, actor *auth.Actor, figureID string, ff FigureFilter, fn func(Record) error) (FigureDef, error) {
	d, ok := FigureByID(figureID)
	if !ok {
		return d, apperr.ErrNotFound
	}
	path, ff, err := s.recordsAccess(ctx, actor, d, ff)
	if err != nil {
		return d, err
	}
	if _, err := s.CatchUp(ctx, ff.CommitteeID, ff.rollUp(path)); err != nil {
		return d, err
	}
	const page = 2000
	for off := 0; off < MaxExportRows; off += page {
		rs, err := s.queryRecords(ctx, actor, d, ff, path, off, min(page, MaxExportRows-off))
		if err != nil {
			return d, err
		}
		for _, r := range rs {
			if err := fn(r); err != nil {
				return d, err
			}
		}
		if len(rs) < page {
			break
		}
	}
	return d, nil
}

func (s *Service) countRecords(ctx context.Context, actor *auth.Actor, d FigureDef, ff FigureFilter, path string) (int, error) {
	year, err := s.assessmentYear(ctx, ff)
	if err != nil {
		return 0, err
	}
	b := &db.Args{}
	from, where := ff.subjectParts(b, d.Counts, path, year)
	count := "COUNT(*)"
	if d.Counts == CountsUnits {
		count = "COUNT(DISTINCT uf.unit_id)"
	}
	var n int
	err = s.DB.QueryRowContext(ctx, `SELECT `+count+` FROM `+from+` WHERE `+where+` AND `+ff.predicate(b, d, path, s.today())+
		` AND `+recordsVisible(b, actor, d.Counts), *b...).Scan(&n)
	return n, err
}

// recordsVisible narrows the records of a subject about proposals to the
// proposals the actor may read (visibleSQL, what Get shows), so a records page
// never lists a proposal its reader cannot open. Figures count received
// proposals, which committee readers see, so for them this removes nothing;
// a figure that counted a proposal never submitted (a withdrawn draft) would
// show fewer records than its value, which the records == value tests catch.
// Members and assessments are not about proposals.
func recordsVisible(b *db.Args, actor *auth.Actor, c Counted) string {
	col, ok := map[Counted]string{CountsProposals: "f.proposal_id", CountsEvaluations: "e.proposal_id",
		CountsUnits: "uf.proposal_id", CountsAssignments: "uf.proposal_id", CountsUnitEvaluations: "e.proposal_id"}[c]
	if !ok {
		return `1 = 1`
	}
	return col + ` IN (SELECT p.id FROM proposals p WHERE ` + visibleSQL(b.Add, actor, Sight{}) + `)`
}

// recordSQL is what each subject selects and joins, and how it orders.
var recordSQL = map[Counted]struct{ cols, joins, order string }{
	CountsProposals: {
		cols: `p.id, p.id, c.name, p.number, p.title, COALESCE(pe.name, p.body_name), '', f.state, f.theme, f.year,
			f.result_class, '', 0, '', p.submitted_on, p.replied_on, 0, 0, 0`,
		joins: ` JOIN proposals p ON p.id = f.proposal_id JOIN committees c ON c.id = f.committee_id
			LEFT JOIN memberships m ON m.id = p.first_proposer_id LEFT JOIN people pe ON pe.id = m.person_id`,
		order: `f.committee_id, f.year DESC, CASE WHEN p.seq IS NULL THEN 1 ELSE 0 END, p.seq, p.id`,
	},
	CountsEvaluations: {
		cols: `e.id, p.id, c.name, p.number, p.title, ep.name, '', f.state, f.theme, f.year,
			f.result_class, '', e.round, e.overall, '', '', 0, 0, 0`,
		joins: ` JOIN proposals p ON p.id = e.proposal_id JOIN committees c ON c.id = f.committee_id
			JOIN memberships em ON em.id = e.membership_id JOIN people ep ON ep.id = em.person_id`,
		order: `f.committee_id, f.year DESC, p.id, e.round, e.id`,
	},
	CountsMembers: {
		cols: `m.id, 0, c.name, '', COALESCE(sc.name, ''), pe.name, '', '', '', 0, '', '', 0, '', '', '', 0, 0, 0`,
		joins: ` JOIN people pe ON pe.id = m.person_id JOIN committees c ON c.id = m.committee_id
			LEFT JOIN sectors sc ON sc.id = m.sector_id`,
		order: `m.committee_id, pe.name, m.id`,
	},
	CountsAssignments: {
		cols: `uf.assignment_id, p.id, c.name, p.number, p.title, '', u.name, uf.state, uf.theme, uf.year,
			uf.result_class, uf.role, 0, '', uf.due_on, a.replied_on, 0, 0, 0`,
		joins: ` JOIN proposals p ON p.id = uf.proposal_id JOIN committees c ON c.id = uf.committee_id
			JOIN units u ON u.id = uf.unit_id JOIN proposal_assignments a ON a.id = uf.assignment_id`,
		order: `uf.committee_id, u.name, uf.year DESC, CASE WHEN p.seq IS NULL THEN 1 ELSE 0 END, p.seq, uf.assignment_id`,
	},
	CountsUnitEvaluations: {
		cols: `e.id, p.id, c.name, p.number, p.title, ep.name, u.name, f.state, f.theme, f.year,
			uf.result_class, uf.role, e.round, e.overall, '', '', 0, 0, 0`,
		joins: ` JOIN proposals p ON p.id = e.proposal_id JOIN committees c ON c.id = f.committee_id
			JOIN units u ON u.id = uf.unit_id JOIN memberships em ON em.id = e.membership_id JOIN people ep ON ep.id = em.person_id`,
		order: `f.committee_id, u.name, p.id, e.round, e.id`,
	},
	CountsAssessments: {
		cols:  `a.id, 0, c.name, '', '', u.name, u.name, '', '', a.year, '', '', 0, '', '', '', 0, a.total, a.max_total`,
		joins: ` JOIN units u ON u.id = a.unit_id JOIN committees c ON c.id = a.committee_id`,
		order: `a.committee_id, a.year DESC, a.total DESC, u.name, a.id`,
	},
}

func (s *Service) queryRecords(ctx context.Context, actor *auth.Actor, d FigureDef, ff FigureFilter, path string, offset, limit int) ([]Record, error) {
	year, err := s.assessmentYear(ctx, ff)
	if err != nil {
		return nil, err
	}
	b := &db.Args{}
	from, where := ff.subjectParts(b, d.Counts, path, year)
	pred := ff.predicate(b, d, path, s.today()) + ` AND ` + recordsVisible(b, actor, d.Counts)
	var q string
	if d.Counts == CountsUnits {
		q = `SELECT uf.unit_id, MIN(c.name), MIN(u.name), COUNT(*) FROM ` + from + ` JOIN units u ON u.id = uf.unit_id
			JOIN committees c ON c.id = uf.committee_id WHERE ` + where + ` AND ` + pred + `
			GROUP BY uf.unit_id ORDER BY MIN(c.name), MIN(u.name), uf.unit_id`
	} else {
		rs := recordSQL[d.Counts]
		q = `SELECT ` + rs.cols + ` FROM ` + from + rs.joins + ` WHERE ` + where + ` AND ` + pred + ` ORDER BY ` + rs.order
	}
	q += fmt.Sprintf(` LIMIT %s OFFSET %s`, b.Add(limit), b.Add(offset))
	rows, err := s.DB.QueryContext(ctx, q, *b...)
	if err != nil {
		return nil, fmt.Errorf("records %s: %w", d.ID, err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		if d.Counts == CountsUnits {
			err = rows.Scan(&r.ID, &r.Committee, &r.Name, &r.Count)
		} else {
			var on, replied string
			err = rows.Scan(&r.ID, &r.ProposalID, &r.Committee, &r.Number, &r.Title, &r.Name, &r.Unit, &r.State, &r.Theme,
				&r.Year, &r.Class, &r.Role, &r.Round, &r.Rating, &on, &replied, &r.Count, &r.Score, &r.MaxScore)
			r.On, _ = civil.Parse(on)
			r.RepliedOn, _ = civil.Parse(replied)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if d.Counts == CountsProposals && len(out) > 0 {
		if err := s.fillUnitsAndLeaders(ctx, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// fillUnitsAndLeaders adds the assigned units and supervising leaders of proposal records.
func (s *Service) fillUnitsAndLeaders(ctx context.Context, rs []Record) error {
	index := map[int64]int{}
	marks := make([]string, len(rs))
	args := make([]any, len(rs))
	for i, r := range rs {
		index[r.ProposalID] = i
		marks[i], args[i] = fmt.Sprintf("$%d", i+1), r.ProposalID
	}
	in := strings.Join(marks, ",")
	for _, q := range []struct {
		sql  string
		dest func(i int, v string)
	}{
		{`SELECT a.proposal_id, u.name FROM proposal_assignments a JOIN units u ON u.id = a.unit_id WHERE a.proposal_id IN (` + in + `)
			ORDER BY a.proposal_id, CASE a.role WHEN 'co' THEN 1 ELSE 0 END, a.id`, func(i int, v string) { rs[i].Units = append(rs[i].Units, v) }},
		{`SELECT s.proposal_id, u.display_name FROM proposal_supervisors s JOIN users u ON u.id = s.user_id WHERE s.proposal_id IN (` + in + `)
			ORDER BY s.proposal_id, u.id`, func(i int, v string) { rs[i].Leaders = append(rs[i].Leaders, v) }},
	} {
		rows, err := s.DB.QueryContext(ctx, q.sql, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var v string
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return err
			}
			q.dest(index[id], v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// RecordColumns lists the columns shown for records of a subject (i18n keys
// "figures.col.<name>").
func RecordColumns(c Counted) []string {
	switch c {
	case CountsProposals:
		return []string{"committee", "number", "title", "proposer", "theme", "state", "units", "class", "leaders", "submitted_on", "replied_on"}
	case CountsEvaluations:
		return []string{"committee", "number", "title", "evaluator", "round", "rating"}
	case CountsMembers:
		return []string{"committee", "member", "sector"}
	case CountsUnits:
		return []string{"committee", "unit", "count"}
	case CountsAssignments:
		return []string{"committee", "number", "title", "unit", "role", "state", "due_on", "replied_on", "class"}
	case CountsUnitEvaluations:
		return []string{"committee", "number", "title", "unit", "evaluator", "round", "rating"}
	case CountsAssessments:
		return []string{"committee", "unit", "year", "score"}
	}
	return nil
}

// Cell returns the text of column col of the record in lang.
func (r Record) Cell(lang, col string) string {
	date := func(d civil.Date) string {
		if d.IsZero() {
			return ""
		}
		return d.String()
	}
	switch col {
	case "committee":
		return r.Committee
	case "number":
		return r.Number
	case "title":
		return r.Title
	case "proposer", "evaluator", "member":
		return r.Name
	case "sector":
		return r.Title
	case "unit":
		if r.Unit != "" {
			return r.Unit
		}
		return r.Name
	case "units":
		return strings.Join(r.Units, "、")
	case "leaders":
		return strings.Join(r.Leaders, "、")
	case "theme":
		if r.Theme == "" {
			return ""
		}
		return i18n.T(lang, "proposal.theme."+string(r.Theme))
	case "state":
		if r.State == "" {
			return ""
		}
		return r.State.Label(lang)
	case "class":
		return r.Class
	case "role":
		if r.Role == "" {
			return ""
		}
		return i18n.T(lang, "proposal.assign_role."+string(r.Role))
	case "round":
		return fmt.Sprint(r.Round)
	case "rating":
		if r.Rating == "" {
			return ""
		}
		return i18n.T(lang, "proposal.rating."+string(r.Rating))
	case "submitted_on", "due_on":
		return date(r.On)
	case "replied_on":
		return date(r.RepliedOn)
	case "count":
		return fmt.Sprint(r.Count)
	case "year":
		return fmt.Sprint(r.Year)
	case "score":
		return fmt.Sprintf("%d / %d", r.Score, r.MaxScore)
	}
	return ""
}
