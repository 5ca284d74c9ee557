package proposal

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/figure"
)

// The figures reports cite (DOMAIN.md §3.3). Each figure is defined ONCE here:
// its records (subject) and a SQL predicate over them. The value is the number
// of records matching the predicate, computed with CASE sums in one query per
// subject; Records lists exactly those records with the same predicate. A rate
// divides by the value of another figure (Den), never by a number of its own.
// docs/FIGURES.md explains every definition in words.

// More proposal permissions.
const (
	PermFigures auth.Action = "proposal.figures" // figures, their records, the league table, search of every proposal
	PermPublish auth.Action = "proposal.publish" // publish and unpublish replies (proposal office)
	PermAssess  auth.Action = "proposal.assess"  // the unit score sheet and assessments (测评)
)

func init() {
	auth.Grant(PermFigures, auth.RoleAdmin, auth.RoleStaff, auth.RoleProposalOffice, auth.RoleLeader)
	auth.MarkReadOnly(PermFigures)
	auth.Grant(PermPublish, auth.RoleProposalOffice)
	auth.Grant(PermAssess, auth.RoleProposalOffice)
}

// Counted is what a figure counts.
type Counted string

// The subjects.
const (
	CountsProposals       Counted = "proposal"        // proposals (one row of proposal_facts each)
	CountsEvaluations     Counted = "evaluation"      // evaluations returned by signers
	CountsMembers         Counted = "member"          // memberships
	CountsUnits           Counted = "unit"            // distinct handling units
	CountsAssignments     Counted = "assignment"      // one unit's part in one proposal
	CountsUnitEvaluations Counted = "unit_evaluation" // an evaluation, once for each unit that replied
	CountsAssessments     Counted = "assessment"      // a unit's assessment (测评) in a year
)

// FigureDef is one figure's definition.
type FigureDef struct {
	ID     string
	Counts Counted
	Group  string // how the figures page groups it
	Den    string // the figure whose value is the denominator of the rate; "" for a plain count
	Param  string // the class code or theme of a family figure
	pred   func(b *db.Args, today civil.Date) string
}

func lit(s string) func(*db.Args, civil.Date) string {
	return func(*db.Args, civil.Date) string { return s }
}

// SQL fragments shared by definitions. f is proposal_facts, rc the committee's
// result class of f.result_class, uf proposal_unit_facts, e proposal_evaluations.
const (
	// solvedSQL: the class is reported as 已解决和正在解决 (A+B by default).
	solvedSQL      = `COALESCE(rc.solved, f.result_class IN ('A','B'))`
	unitSolvedSQL  = `COALESCE(rcu.solved, uf.result_class IN ('A','B'))`
	satisfiedSQL   = `e.overall IN ('satisfied','basic')`
	registeredOnly = `f.registered`

	// proposalEvaluatedSQL: at least one signer returned an evaluation, in any round.
	proposalEvaluatedSQL = `EXISTS (SELECT 1 FROM proposal_evaluations pe WHERE pe.committee_id = f.committee_id
		AND pe.proposal_id = f.proposal_id)`
	// proposalSatisfiedSQL: the proposal counts as satisfied (满意 or 基本满意)
	// when, in its latest round that any signer evaluated, no signer said
	// 不满意. A signer who did not evaluate counts neither way; a proposal
	// re-handled after 不满意 is judged by the evaluations of the new round
	// once they come (until then its latest evaluated round says 不满意).
	proposalSatisfiedSQL = proposalEvaluatedSQL + ` AND NOT EXISTS (SELECT 1 FROM proposal_evaluations pd
		WHERE pd.committee_id = f.committee_id AND pd.proposal_id = f.proposal_id AND pd.overall = 'dissatisfied'
		AND pd.round = (SELECT MAX(pm.round) FROM proposal_evaluations pm WHERE pm.committee_id = f.committee_id
		AND pm.proposal_id = f.proposal_id))`
)

// overdue is the figure form of overdueSQL over alias (f: a proposal, uf: one
// unit's assignment), narrowed by extra ("" for none).
func overdue(alias, extra string) func(*db.Args, civil.Date) string {
	return func(b *db.Args, today civil.Date) string {
		pred := overdueSQL(alias, b.Add(today.String()))
		if extra != "" {
			pred = extra + " AND " + pred
		}
		return pred
	}
}

// figureDefs are the fixed figures, in display order; the per-class and
// per-theme families follow the same pattern.
var figureDefs = []FigureDef{
	// Intake (收案与立案).
	{ID: "proposals.received", Counts: CountsProposals, Group: "intake", pred: lit(`f.received`)},
	{ID: "proposals.registered", Counts: CountsProposals, Group: "intake", Den: "proposals.received", pred: lit(registeredOnly)},
	{ID: "proposals.pending", Counts: CountsProposals, Group: "intake", Den: "proposals.received", pred: lit(`f.state IN ('SUBMITTED','RETURNED')`)},
	{ID: "proposals.merged", Counts: CountsProposals, Group: "intake", Den: "proposals.received", pred: lit(`f.state = 'MERGED'`)},
	{ID: "proposals.not_registered", Counts: CountsProposals, Group: "intake", Den: "proposals.received", pred: lit(`f.state = 'NOT_REGISTERED'`)},
	{ID: "proposals.converted_sqmy", Counts: CountsProposals, Group: "intake", Den: "proposals.not_registered", pred: lit(`f.state = 'NOT_REGISTERED' AND f.converted_to = 'sqmy'`)},
	{ID: "proposals.converted_opinion", Counts: CountsProposals, Group: "intake", Den: "proposals.not_registered", pred: lit(`f.state = 'NOT_REGISTERED' AND f.converted_to = 'opinion'`)},
	// A draft withdrawn before it was ever submitted was never received: not 撤案.
	{ID: "proposals.withdrawn", Counts: CountsProposals, Group: "intake", Den: "proposals.received", pred: lit(`f.received AND f.state = 'WITHDRAWN'`)},
	{ID: "proposals.collective", Counts: CountsProposals, Group: "intake", Den: "proposals.registered", pred: lit(registeredOnly + ` AND f.kind = 'body'`)},
	{ID: "proposals.by_members", Counts: CountsProposals, Group: "intake", Den: "proposals.registered", pred: lit(registeredOnly + ` AND f.kind IN ('individual','joint')`)},
	{ID: "proposals.plenary", Counts: CountsProposals, Group: "intake", Den: "proposals.registered", pred: lit(registeredOnly + ` AND f.category = 'plenary'`)},
	// Handling (交办与办理).
	{ID: "proposals.assigned", Counts: CountsProposals, Group: "handling", Den: "proposals.registered", pred: lit(registeredOnly + ` AND f.state <> 'REGISTERED'`)},
	{ID: "proposals.replied", Counts: CountsProposals, Group: "handling", Den: "proposals.registered", pred: lit(`f.replied`)},
	{ID: "proposals.on_time", Counts: CountsProposals, Group: "handling", Den: "proposals.replied", pred: lit(`f.replied AND f.on_time`)},
	{ID: "proposals.overdue", Counts: CountsProposals, Group: "handling", Den: "proposals.registered", pred: overdue("f", "")},
	{ID: "proposals.face_to_face", Counts: CountsProposals, Group: "handling", Den: "proposals.replied", pred: lit(`f.replied AND f.face_to_face`)},
	{ID: "proposals.closed", Counts: CountsProposals, Group: "handling", Den: "proposals.registered", pred: lit(`f.state = 'CLOSED'`)},
	// Results (办理结果).
	{ID: "proposals.solved", Counts: CountsProposals, Group: "results", Den: "proposals.registered", pred: lit(`f.replied AND ` + solvedSQL)},
	// 满意率 by proposal (件), as committees report it: see proposalSatisfiedSQL.
	{ID: "proposals.evaluated", Counts: CountsProposals, Group: "results", Den: "proposals.replied", pred: lit(`f.replied AND ` + proposalEvaluatedSQL)},
	{ID: "proposals.satisfied", Counts: CountsProposals, Group: "results", Den: "proposals.evaluated", pred: lit(`f.replied AND ` + proposalSatisfiedSQL)},
	// The same per evaluation returned (份), kept under its own name.
	{ID: "evaluations.returned", Counts: CountsEvaluations, Group: "results", pred: lit(`1 = 1`)},
	{ID: "evaluations.satisfied", Counts: CountsEvaluations, Group: "results", Den: "evaluations.returned", pred: lit(satisfiedSQL)},
	{ID: "evaluations.dissatisfied", Counts: CountsEvaluations, Group: "results", Den: "evaluations.returned", pred: lit(`e.overall = 'dissatisfied'`)},
	// Quality and people (重点、优秀、公开、参与).
	{ID: "proposals.key", Counts: CountsProposals, Group: "quality", Den: "proposals.registered", pred: lit(registeredOnly + ` AND f.is_key`)},
	{ID: "proposals.excellent", Counts: CountsProposals, Group: "quality", Den: "proposals.registered", pred: lit(registeredOnly + ` AND f.is_excellent`)},
	{ID: "proposals.published", Counts: CountsProposals, Group: "quality", Den: "proposals.replied", pred: lit(`f.replied AND f.is_published`)},
	{ID: "members.all", Counts: CountsMembers, Group: "quality", pred: lit(`1 = 1`)},
	{ID: "members.proposed", Counts: CountsMembers, Group: "quality", Den: "members.all", pred: memberProposed},
	// Units (承办单位).
	{ID: "units.assigned", Counts: CountsUnits, Group: "units", pred: lit(`1 = 1`)},
	{ID: "units.lead", Counts: CountsUnits, Group: "units", Den: "units.assigned", pred: lit(`uf.replying`)},
	{ID: "units.assessed", Counts: CountsAssessments, Group: "units", pred: lit(`1 = 1`)},
	// Per assignment, for the league table (a unit's own part).
	{ID: "assignments.all", Counts: CountsAssignments, Group: "league", pred: lit(`1 = 1`)},
	{ID: "assignments.replying", Counts: CountsAssignments, Group: "league", Den: "assignments.all", pred: lit(`uf.replying`)},
	{ID: "assignments.replied", Counts: CountsAssignments, Group: "league", Den: "assignments.replying", pred: lit(`uf.replied`)},
	{ID: "assignments.on_time", Counts: CountsAssignments, Group: "league", Den: "assignments.replied", pred: lit(`uf.replied AND uf.on_time`)},
	{ID: "assignments.face_to_face", Counts: CountsAssignments, Group: "league", Den: "assignments.replied", pred: lit(`uf.replied AND uf.face_to_face`)},
	{ID: "assignments.overdue", Counts: CountsAssignments, Group: "league", Den: "assignments.replying", pred: overdue("uf", "uf.replying")},
	{ID: "assignments.solved", Counts: CountsAssignments, Group: "league", Den: "assignments.replied", pred: lit(`uf.replied AND ` + unitSolvedSQL)},
	{ID: "assignments.evaluations", Counts: CountsUnitEvaluations, Group: "league", pred: lit(`1 = 1`)},
	{ID: "assignments.satisfied", Counts: CountsUnitEvaluations, Group: "league", Den: "assignments.evaluations", pred: lit(satisfiedSQL)},
}

// memberProposed: the member signed (as first proposer, or co-signer who
// signed) a received proposal within the filter.
func memberProposed(b *db.Args, today civil.Date) string {
	return `EXISTS (SELECT 1 FROM proposal_signers s JOIN proposal_facts f ON f.committee_id = s.committee_id AND f.proposal_id = s.proposal_id
		WHERE s.committee_id = m.committee_id AND s.membership_id = m.id AND s.status = 'signed' AND f.received AND ` +
		placeholderScope + `)`
}

// placeholderScope marks where the proposal scope is spliced into a predicate.
const placeholderScope = "/*scope*/1 = 1"

// Family prefixes.
const (
	themePrefix      = "proposals.theme."
	classPrefix      = "proposals.class."
	unitClassPrefix  = "assignments.class."
	themeFigureGroup = "themes"
)

// FigureByID returns the definition of a figure, including the per-theme
// (proposals.theme.<theme>) and per-class (proposals.class.<code>,
// assignments.class.<code>) families.
func FigureByID(id string) (FigureDef, bool) {
	for _, d := range figureDefs {
		if d.ID == id {
			return d, true
		}
	}
	switch {
	case strings.HasPrefix(id, themePrefix):
		t := Theme(strings.TrimPrefix(id, themePrefix))
		if !slices.Contains(Themes, t) {
			return FigureDef{}, false
		}
		return FigureDef{ID: id, Counts: CountsProposals, Group: themeFigureGroup, Den: "proposals.registered", Param: string(t),
			pred: func(b *db.Args, _ civil.Date) string { return registeredOnly + ` AND f.theme = ` + b.Add(string(t)) }}, true
	case strings.HasPrefix(id, classPrefix) && len(id) > len(classPrefix):
		code := strings.TrimPrefix(id, classPrefix)
		return FigureDef{ID: id, Counts: CountsProposals, Group: "classes", Den: "proposals.registered", Param: code,
			pred: func(b *db.Args, _ civil.Date) string { return `f.replied AND f.result_class = ` + b.Add(code) }}, true
	case strings.HasPrefix(id, unitClassPrefix) && len(id) > len(unitClassPrefix):
		code := strings.TrimPrefix(id, unitClassPrefix)
		return FigureDef{ID: id, Counts: CountsAssignments, Group: "league", Den: "assignments.replied", Param: code,
			pred: func(b *db.Args, _ civil.Date) string { return `uf.replied AND uf.result_class = ` + b.Add(code) }}, true
	}
	return FigureDef{}, false
}

// FigureFilter is the one filter every figure, list and league table takes.
// Zero values do not filter.
type FigureFilter struct {
	CommitteeID int64    `json:"committee_id"` // required
	Subtree     bool     `json:"subtree"`      // also the committees below (a higher committee's read-only roll-up)
	SessionID   int64    `json:"session_id,omitempty"`
	Year        int      `json:"year,omitempty"`
	Theme       Theme    `json:"theme,omitempty"`
	UnitID      int64    `json:"unit_id,omitempty"` // proposals assigned to this unit (assignments: this unit's)
	Kind        Kind     `json:"kind,omitempty"`
	Category    Category `json:"category,omitempty"`
}

// scope returns the proposal filter as SQL over f (proposal_facts). Unit
// filtering of assignment subjects is done on uf by the caller.
func (ff FigureFilter) scope(b *db.Args, path string, unitOnF bool) string {
	return ff.scopeOn(b, "f", path, unitOnF)
}

// needsProposal reports whether the filter needs proposal_facts (kind and
// category are not copied to the assignments' rows).
func (ff FigureFilter) needsProposal() bool { return ff.Kind != "" || ff.Category != "" }

// scopeOn is scope over alias a: proposal_facts, or proposal_unit_facts when
// the filter does not need the proposal's own columns.
func (ff FigureFilter) scopeOn(b *db.Args, a, path string, unitOnF bool) string {
	var w []string
	if ff.Subtree {
		w = append(w, a+`.committee_id IN (SELECT id FROM committees WHERE `+db.Under("path", b.Add, path)+`)`)
	} else {
		w = append(w, a+`.committee_id = `+b.Add(ff.CommitteeID))
	}
	if ff.SessionID != 0 {
		w = append(w, a+`.session_id = `+b.Add(ff.SessionID))
	}
	if ff.Year != 0 {
		w = append(w, a+`.year = `+b.Add(ff.Year))
	}
	if ff.Theme != "" {
		w = append(w, a+`.theme = `+b.Add(string(ff.Theme)))
	}
	if ff.Kind != "" {
		w = append(w, `f.kind = `+b.Add(string(ff.Kind)))
	}
	if ff.Category != "" {
		w = append(w, `f.category = `+b.Add(string(ff.Category)))
	}
	if ff.UnitID != 0 && unitOnF {
		w = append(w, `EXISTS (SELECT 1 FROM proposal_unit_facts fu WHERE fu.committee_id = f.committee_id
			AND fu.proposal_id = f.proposal_id AND fu.unit_id = `+b.Add(ff.UnitID)+`)`)
	}
	return strings.Join(w, " AND ")
}

// rollUp is the committee path whose subtree the filter reads, or "" when it
// reads one committee (for CatchUp).
func (ff FigureFilter) rollUp(path string) string {
	if ff.Subtree {
		return path
	}
	return ""
}

// committeeScope filters a committee column (members, assessments).
func (ff FigureFilter) committeeScope(b *db.Args, col, path string) string {
	if ff.Subtree {
		return col + ` IN (SELECT id FROM committees WHERE ` + db.Under("path", b.Add, path) + `)`
	}
	return col + ` = ` + b.Add(ff.CommitteeID)
}

// subjectFrom is the FROM and WHERE of a subject's records within the filter.
func (ff FigureFilter) subjectFrom(b *db.Args, c Counted, path string, year int) string {
	from, where := ff.subjectParts(b, c, path, year)
	return " FROM " + from + " WHERE " + where
}

// subjectParts returns the FROM list and the WHERE condition of a subject's
// records within the filter; Records adds joins for the columns it shows.
func (ff FigureFilter) subjectParts(b *db.Args, c Counted, path string, year int) (from, where string) {
	switch c {
	case CountsProposals:
		return `proposal_facts f LEFT JOIN result_classes rc ON rc.committee_id = f.committee_id AND rc.code = f.result_class`,
			ff.scope(b, path, true)
	case CountsEvaluations:
		return `proposal_evaluations e JOIN proposal_facts f ON f.committee_id = e.committee_id AND f.proposal_id = e.proposal_id`, ff.scope(b, path, true)
	case CountsUnits, CountsAssignments:
		// Only registered proposals are ever assigned, so the assignments' own
		// rows suffice unless the filter asks for the proposal's kind or category.
		from := `proposal_unit_facts uf`
		if ff.needsProposal() {
			from += ` JOIN proposal_facts f ON f.committee_id = uf.committee_id AND f.proposal_id = uf.proposal_id`
		}
		w := ff.scopeOn(b, "uf", path, false)
		if ff.UnitID != 0 {
			w += ` AND uf.unit_id = ` + b.Add(ff.UnitID)
		}
		return from + ` LEFT JOIN result_classes rcu ON rcu.committee_id = uf.committee_id AND rcu.code = uf.result_class`, w
	case CountsUnitEvaluations:
		w := ff.scope(b, path, false)
		if ff.UnitID != 0 {
			w += ` AND uf.unit_id = ` + b.Add(ff.UnitID)
		}
		return `proposal_evaluations e JOIN proposal_unit_facts uf ON uf.committee_id = e.committee_id AND uf.proposal_id = e.proposal_id AND uf.replying
			JOIN proposal_facts f ON f.committee_id = e.committee_id AND f.proposal_id = e.proposal_id`, w
	case CountsMembers:
		terms := `SELECT ps.term_id FROM plenary_sessions ps WHERE ps.committee_id = m.committee_id`
		if ff.SessionID != 0 {
			terms += ` AND ps.id = ` + b.Add(ff.SessionID)
		}
		if ff.Year != 0 {
			terms += ` AND ps.year = ` + b.Add(ff.Year)
		}
		return `memberships m`, `m.status = 'active' AND ` + ff.committeeScope(b, "m.committee_id", path) +
			` AND m.term_id IN (` + terms + `)`
	case CountsAssessments:
		w := ff.committeeScope(b, "a.committee_id", path)
		if year != 0 {
			w += ` AND a.year = ` + b.Add(year)
		}
		if ff.UnitID != 0 {
			w += ` AND a.unit_id = ` + b.Add(ff.UnitID)
		}
		return `proposal_assessments a`, w
	}
	panic("proposal: unknown subject " + string(c))
}

// where returns the predicate of d, with the proposal scope spliced in where
// the predicate asks for it (members).
func (ff FigureFilter) predicate(b *db.Args, d FigureDef, path string, today civil.Date) string {
	p := d.pred(b, today)
	if strings.Contains(p, placeholderScope) {
		p = strings.Replace(p, placeholderScope, ff.scope(b, path, true), 1)
	}
	return "(" + p + ")"
}

// FigureValue is one computed figure, in the shared figure contract.
type FigureValue = figure.Value

// FigureSet is every figure for one filter.
type FigureSet struct {
	Filter  FigureFilter  `json:"filter"`
	AsOf    civil.Date    `json:"as_of"` // "overdue" is as of this day
	Values  []FigureValue `json:"values"`
	Classes []ResultClass `json:"classes"` // the committee's result classes, for labels
}

// Get returns the figure with id (zero value if absent).
func (fs *FigureSet) Get(id string) FigureValue {
	for _, v := range fs.Values {
		if v.ID == id {
			return v
		}
	}
	return FigureValue{Def: figure.Def{ID: id}}
}

// Group returns the figures of a group, in order.
func (fs *FigureSet) Group(g string) []FigureValue {
	var out []FigureValue
	for _, v := range fs.Values {
		if v.Group == g {
			out = append(out, v)
		}
	}
	return out
}

// figureScope checks the actor may read figures of the filter's committee
// (its own, or below it read-only) and returns that committee's path.
func (s *Service) figureScope(ctx context.Context, actor *auth.Actor, ff FigureFilter, perm auth.Action) (string, error) {
	sc, err := auth.CheckScope(ctx, s.DB, actor, perm, ff.CommitteeID)
	if err != nil {
		return "", err
	}
	path := sc.Path
	if ff.SessionID != 0 {
		var n int
		a := db.Args{ff.SessionID}
		if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM plenary_sessions ps JOIN committees c ON c.id = ps.committee_id
			WHERE ps.id = $1 AND `+db.Under("c.path", a.Add, path), a...).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return "", apperr.Fields(apperr.Field("session", "err.figures.bad_filter"))
		}
	}
	if ff.Theme != "" && !slices.Contains(Themes, ff.Theme) {
		return "", apperr.Fields(apperr.Field("theme", "err.figures.bad_filter"))
	}
	return path, nil
}

// assessmentYear is the year assessments are filtered by: the filter's year,
// or its session's year.
func (s *Service) assessmentYear(ctx context.Context, ff FigureFilter) (int, error) {
	if ff.Year != 0 || ff.SessionID == 0 {
		return ff.Year, nil
	}
	var y int
	err := s.DB.QueryRowContext(ctx, `SELECT year FROM plenary_sessions WHERE id = $1`, ff.SessionID).Scan(&y)
	return y, err
}

// Figures computes every figure for the filter (proposal office, staff,
// leaders, admin; a higher committee reads its subtree). Each subject takes one
// aggregate query; the proposals' query is grouped by result class, which gives
// the per-class figures in the same pass. The per-assignment figures (group
// "league") are computed per unit by League, not here.
func (s *Service) Figures(ctx context.Context, actor *auth.Actor, ff FigureFilter) (*FigureSet, error) {
	path, err := s.figureScope(ctx, actor, ff, PermFigures)
	if err != nil {
		return nil, err
	}
	if _, err := s.CatchUp(ctx, ff.CommitteeID, ff.rollUp(path)); err != nil {
		return nil, err
	}
	fs := &FigureSet{Filter: ff, AsOf: s.today()}
	if fs.Classes, err = listClasses(ctx, s.DB, ff.CommitteeID); err != nil {
		return nil, err
	}
	var defs []FigureDef
	for _, d := range figureDefs {
		if d.Group != "league" {
			defs = append(defs, d)
		}
	}
	for _, t := range Themes {
		d, _ := FigureByID(themePrefix + string(t))
		defs = append(defs, d)
	}
	got, byClass, err := s.cachedDefs(ctx, ff, path, defs, fs.AsOf)
	if err != nil {
		return nil, err
	}
	// proposals.class.<code> is "replied AND result_class = code": the replied
	// count of the code's group.
	var codes []string
	for _, c := range fs.Classes {
		codes = append(codes, c.Code)
	}
	var extra []string
	for c := range byClass {
		if c != "" && !slices.Contains(codes, c) {
			extra = append(extra, c)
		}
	}
	slices.Sort(extra)
	for _, c := range append(codes, extra...) {
		d, _ := FigureByID(classPrefix + c)
		defs = append(defs, d)
		got[d.ID] = byClass[c]
	}
	if fs.Values, err = figureValues(defs, got); err != nil {
		return nil, err
	}
	labelClasses(fs.Values, fs.Classes)
	return fs, nil
}

// figureValues pairs each definition with its value and its denominator's.
func figureValues(defs []FigureDef, got map[string]int64) ([]FigureValue, error) {
	out := make([]FigureValue, 0, len(defs))
	for _, d := range defs {
		v := FigureValue{Def: d.Def(), Value: got[d.ID]}
		if d.Den != "" {
			den, ok := got[d.Den]
			if !ok {
				return nil, fmt.Errorf("figures: %s divides by %s, which was not computed", d.ID, d.Den)
			}
			v.DenValue = den
		}
		out = append(out, v)
	}
	return out, nil
}

// computeDefs evaluates the definitions, one query per subject, the subjects'
// queries running concurrently (a roll-up's queries each scan many rows). The
// proposals' query is grouped by result class; byClass holds each class's
// replied count.
func (s *Service) computeDefs(ctx context.Context, ff FigureFilter, path string, defs []FigureDef, today civil.Date) (got, byClass map[string]int64, err error) {
	year, err := s.assessmentYear(ctx, ff)
	if err != nil {
		return nil, nil, err
	}
	got, byClass = map[string]int64{}, map[string]int64{}
	var subjects []Counted
	for _, d := range defs {
		if !slices.Contains(subjects, d.Counts) {
			subjects = append(subjects, d.Counts)
		}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make([]error, len(subjects))
	for i, sub := range subjects {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vals, classes, err := s.subjectValues(ctx, ff, path, sub, defs, today, year)
			mu.Lock()
			defer mu.Unlock()
			errs[i] = err
			maps.Copy(got, vals)
			for c, n := range classes {
				byClass[c] += n
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return got, byClass, nil
}

// subjectValues runs one subject's aggregate query.
func (s *Service) subjectValues(ctx context.Context, ff FigureFilter, path string, sub Counted, defs []FigureDef, today civil.Date,
	year int) (map[string]int64, map[string]int64, error) {
	got, byClass := map[string]int64{}, map[string]int64{}
	b := &db.Args{}
	var cols, ids []string
	grouped := sub == CountsProposals
	if grouped {
		cols = append(cols, `f.result_class`, `COALESCE(SUM(CASE WHEN f.replied THEN 1 ELSE 0 END), 0)`)
	}
	for _, d := range defs {
		if d.Counts != sub {
			continue
		}
		pred := ff.predicate(b, d, path, today)
		if sub == CountsUnits {
			// Per unit, whether any of its rows matches; summed below.
			cols = append(cols, `MAX(CASE WHEN `+pred+` THEN 1 ELSE 0 END)`)
		} else {
			cols = append(cols, `COALESCE(SUM(CASE WHEN `+pred+` THEN 1 ELSE 0 END), 0)`)
		}
		ids = append(ids, d.ID)
		got[d.ID] = 0 // computed, even when no row matches
	}
	from := ff.subjectFrom(b, sub, path, year)
	q := `SELECT ` + strings.Join(cols, ", ") + from
	switch {
	case grouped:
		q += ` GROUP BY f.result_class`
	case sub == CountsUnits:
		// Distinct units without COUNT(DISTINCT …) (a sort): group by unit, then sum.
		sums := make([]string, len(ids))
		for i := range ids {
			sums[i] = fmt.Sprintf("COALESCE(SUM(c%d), 0)", i)
			cols[i] = cols[i] + fmt.Sprintf(" AS c%d", i)
		}
		q = `SELECT ` + strings.Join(sums, ", ") + ` FROM (SELECT ` + strings.Join(cols, ", ") + from + ` GROUP BY uf.unit_id) u`
	}
	rows, err := s.DB.QueryContext(ctx, q, *b...)
	if err != nil {
		return nil, nil, fmt.Errorf("figures %s: %w", sub, err)
	}
	defer rows.Close()
	for rows.Next() {
		var class string
		var replied int64
		vals := make([]int64, len(ids))
		var ptrs []any
		if grouped {
			ptrs = append(ptrs, &class, &replied)
		}
		for i := range vals {
			ptrs = append(ptrs, &vals[i])
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		byClass[class] += replied
		for i, id := range ids {
			got[id] += vals[i]
		}
	}
	return got, byClass, rows.Err()
}
