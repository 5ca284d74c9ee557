package activity

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/figure"
)

// The activity area's figures in the shared figure contract (the ids agreed in
// notes/ids.md; docs/FIGURES.md says each in words). Each figure is defined
// ONCE: the kind of record it counts (a subject: its table, the date that
// places it in a period, its columns) and a SQL predicate over it. Values are
// CASE sums in one query per subject; Records lists exactly the rows matching
// the same predicate. Every figure counts records (Measure Count).

// Area is the activity area's name in the figure registry.
const Area = "activity"

// subject is one kind of record the figures count.
type subject struct {
	name  string // figure.Def.Counts
	from  string // FROM clause; x is the record, c its committee
	date  string // the column that places a record in a period
	order string
	cols  []string // record columns (headings figures.col.<id>)
	sel   string   // the record's id, link id and cells, in cols order
	scan  func(sc db.Scanner) (figure.Record, error)
}

func key(prefix string) func(string) any {
	return func(v string) any {
		if v == "" {
			return ""
		}
		return figure.Key(prefix + v)
	}
}

// rec scans id, a link id and n text cells; typed wraps the cells.
func scanRec(link string, typed ...func(string) any) func(db.Scanner) (figure.Record, error) {
	return func(sc db.Scanner) (figure.Record, error) {
		var id, linkID int64
		cells := make([]string, len(typed))
		dest := []any{&id, &linkID}
		for i := range cells {
			dest = append(dest, &cells[i])
		}
		if err := sc.Scan(dest...); err != nil {
			return figure.Record{}, err
		}
		r := figure.Record{ID: id, Cells: make([]any, len(cells))}
		if link != "" && linkID != 0 {
			r.Link = link + strconv.FormatInt(linkID, 10)
		}
		for i, c := range cells {
			r.Cells[i] = typed[i](c)
		}
		return r, nil
	}
}

func text(v string) any { return v }

func date(v string) any {
	d, err := civil.Parse(v)
	if err != nil {
		return v
	}
	return d
}

func number(v string) any {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return v
	}
	return n
}

var subjects = map[string]subject{
	"activity": {name: "activity", from: `activities x JOIN committees c ON c.id = x.committee_id LEFT JOIN org_groups g ON g.id = x.group_id`,
		date: "x.starts_on", order: "x.starts_on, x.id",
		cols: []string{"committee", "act_date", "act_kind", "act_title", "act_state", "act_group"},
		sel:  `x.id, x.id, c.name, x.starts_on, x.kind, x.title, x.state, COALESCE(g.name, '')`,
		scan: scanRec("/activities/", text, date, key("activity.kind."), text, key("activity.state."), text)},
	"attendance": {name: "attendance", from: `activity_attendance t JOIN activities x ON x.id = t.activity_id
		JOIN committees c ON c.id = x.committee_id JOIN people p ON p.id = t.person_id`,
		date: "x.starts_on", order: "x.starts_on, x.id, t.id",
		cols: []string{"committee", "act_date", "act_title", "act_member", "act_status"},
		sel:  `t.id, x.id, c.name, x.starts_on, x.title, p.name, t.status`,
		scan: scanRec("/activities/", text, date, text, text, key("activity.status."))},
	"output": {name: "output", from: `activity_outputs x JOIN committees c ON c.id = x.committee_id`,
		date: "x.dated_on", order: "x.dated_on, x.id",
		cols: []string{"committee", "act_date", "act_output_kind", "act_doc_number", "act_title", "act_sent_to"},
		sel:  `x.id, x.id, c.name, x.dated_on, x.kind, x.number, x.title, x.sent_to`,
		scan: scanRec("/consult/outputs/", text, date, key("activity.output_kind."), text, text, text)},
	"followup": {name: "followup", from: `activity_followups x JOIN committees c ON c.id = x.committee_id LEFT JOIN units u ON u.id = x.unit_id`,
		date: "x.due_on", order: "x.due_on, x.id",
		cols: []string{"committee", "act_due_on", "act_matter", "act_unit", "act_status"},
		sel:  `x.id, COALESCE(x.output_id, 0), c.name, x.due_on, x.matter, COALESCE(u.name, ''), x.status`,
		scan: scanRec("/consult/outputs/", text, date, text, text, key("activity.followup_status."))},
	"sqmy": {name: "sqmy", from: `sqmy_items x JOIN committees c ON c.id = x.committee_id LEFT JOIN people p ON p.id = x.person_id
		LEFT JOIN org_groups g ON g.id = x.group_id`,
		date: "x.submitted_on", order: "x.submitted_on, x.id",
		cols: []string{"committee", "act_date", "act_title", "act_author", "act_sqmy_state", "act_level"},
		sel:  `x.id, x.id, c.name, x.submitted_on, x.title, COALESCE(p.name, g.name, ''), x.state, x.level`,
		scan: scanRec("/consult/sqmy/", text, date, text, text, key("activity.sqmy_state."), key("activity.level."))},
	"speech": {name: "speech", from: `activity_speeches x JOIN committees c ON c.id = x.committee_id`,
		date: "x.given_on", order: "x.given_on, x.id",
		cols: []string{"committee", "act_date", "act_author", "act_title", "act_mode"},
		sel:  `x.id, 0, c.name, x.given_on, x.speaker, x.title, x.mode`,
		scan: scanRec("", text, date, text, text, key("activity.mode."))},
	"article": {name: "article", from: `activity_articles x JOIN committees c ON c.id = x.committee_id`,
		date: "x.collected_on", order: "x.collected_on, x.id",
		cols: []string{"committee", "act_date", "act_author", "act_title", "act_journal_issue"},
		sel:  `x.id, 0, c.name, x.collected_on, x.author, x.title, x.journal_issue`,
		scan: scanRec("", text, date, text, text, text)},
	"publicity": {name: "publicity", from: `activity_publicity x JOIN committees c ON c.id = x.committee_id`,
		date: "x.published_on", order: "x.published_on, x.id",
		cols: []string{"committee", "act_date", "act_publicity_kind", "act_title", "act_outlet"},
		sel:  `x.id, 0, c.name, x.published_on, x.kind, x.title, x.outlet`,
		scan: scanRec("", text, date, key("activity.publicity."), text, text)},
	"volume": {name: "volume", from: `activity_culture_volumes x JOIN committees c ON c.id = x.committee_id`,
		date: "x.compiled_on", order: "x.compiled_on, x.id",
		cols: []string{"committee", "act_date", "act_title", "act_volume_no"},
		sel:  `x.id, 0, c.name, x.compiled_on, x.title, x.volume_no`,
		scan: scanRec("", text, date, text, number)},
	"plan_item": {name: "plan_item", from: `activity_plan_items x JOIN committees c ON c.id = x.committee_id`,
		date: "x.due_on", order: "x.due_on, x.id",
		cols: []string{"committee", "act_due_on", "act_topic", "act_kind", "act_plan_state"},
		sel:  `x.id, 0, c.name, x.due_on, x.topic, x.form, x.state`,
		scan: scanRec("", text, date, text, key("activity.kind."), key("activity.plan_state."))},
}

// The activity figures' own dimensions in figure.Filter.Dims (named apart
// from other areas' "kind"): the activity kind, and the organising group
// (专委会、界别小组). Each subject says which of its columns answers each
// one; a subject with no such column counts nothing under that dimension
// (a speech has no kind), so a filtered page never shows unfiltered counts.
const (
	DimKind  = "act_kind"
	DimGroup = "act_group"
	// The attendance rate lists' drill-down (rates.go): one member's rows, or
	// the rows of the members of one group.
	DimPerson      = "act_person"
	DimMemberGroup = "act_member_group"
)

// kindOf and groupOf are the kind and group column of each subject (through
// the activity an output or a follow-up came from; a plan item's form).
var (
	viaOutput = func(col string) string {
		return `(SELECT k.` + col + ` FROM activities k WHERE k.id = x.activity_id)`
	}
	viaFollowup = func(col string) string {
		return `(SELECT k.` + col + ` FROM activity_outputs o JOIN activities k ON k.id = o.activity_id WHERE o.id = x.output_id)`
	}
	kindOf  = map[string]string{"activity": "x.kind", "attendance": "x.kind", "output": viaOutput("kind"), "followup": viaFollowup("kind"), "plan_item": "x.form"}
	groupOf = map[string]string{"activity": "x.group_id", "attendance": "x.group_id", "output": viaOutput("group_id"),
		"followup": viaFollowup("group_id"), "plan_item": "x.group_id", "sqmy": "x.group_id"}
)

// dimsSQL is the condition the filter's activity dimensions put on a subject.
func dimsSQL(f figure.Filter, sub string, b *db.Args) (string, error) {
	var w string
	if k := f.Dim(DimKind); k != "" {
		if !Kind(k).Valid() {
			return "", apperr.Fields(apperr.Field(DimKind, "err.figures.bad_filter"))
		}
		col, ok := kindOf[sub]
		if !ok {
			return ` AND 1 = 0`, nil
		}
		w += ` AND ` + col + ` = ` + b.Add(k)
	}
	if g := f.Dim(DimGroup); g != "" {
		id, err := strconv.ParseInt(g, 10, 64)
		if err != nil || id <= 0 {
			return "", apperr.Fields(apperr.Field(DimGroup, "err.figures.bad_filter"))
		}
		col, ok := groupOf[sub]
		if !ok {
			return ` AND 1 = 0`, nil
		}
		w += ` AND ` + col + ` = ` + b.Add(id)
	}
	for _, d := range []struct{ name, cond string }{
		{DimPerson, `t.person_id = `},
		{DimMemberGroup, `t.person_id IN (SELECT m.person_id FROM memberships m JOIN membership_groups mg ON mg.membership_id = m.id WHERE mg.group_id = `},
	} {
		v := f.Dim(d.name)
		if v == "" {
			continue
		}
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return "", apperr.Fields(apperr.Field(d.name, "err.figures.bad_filter"))
		}
		if sub != "attendance" {
			return ` AND 1 = 0`, nil
		}
		w += ` AND ` + d.cond + b.Add(id)
		if d.name == DimMemberGroup {
			w += `)`
		}
	}
	return w, nil
}

// figDef is one figure: its definition and predicate over its subject (x).
type figDef struct {
	figure.Def
	subject string
	pred    func(b *db.Args, today civil.Date) string
}

func lit(s string) func(*db.Args, civil.Date) string {
	return func(*db.Args, civil.Date) string { return s }
}

func kindsSQL(ks ...Kind) string {
	q := make([]string, len(ks))
	for i, k := range ks {
		q[i] = "'" + string(k) + "'"
	}
	return `x.state = 'HELD' AND x.kind IN (` + strings.Join(q, ",") + `)`
}

func def(id, subj, group, unit, den string, pred func(*db.Args, civil.Date) string) figDef {
	return figDef{Def: figure.Def{ID: id, Area: Area, Group: group, Counts: subj, Measure: figure.Count, Unit: unit, Den: den},
		subject: subj, pred: pred}
}

const heldSQL = `x.state = 'HELD'`

// figDefs are the figures in display order.
var figDefs = []figDef{
	def("activities.held", "activity", "act_activities", "times", "", lit(heldSQL)),
	def("activities.research", "activity", "act_activities", "times", "", lit(kindsSQL(KindResearch))),
	def("activities.inspection", "activity", "act_activities", "times", "", lit(kindsSQL(KindInspection))),
	def("activities.consultation", "activity", "act_activities", "times", "", lit(kindsSQL(ConsultKinds...))),
	def("activities.bimonthly", "activity", "act_activities", "times", "", lit(kindsSQL(KindBimonthly))),
	def("activities.followup", "activity", "act_activities", "times", "", lit(kindsSQL(KindFollowUp))),
	def("activities.appraisal", "activity", "act_activities", "times", "", lit(kindsSQL(KindAppraisal))),
	def("activities.study", "activity", "act_activities", "times", "", lit(kindsSQL(KindStudy))),
	def("attendance.invited", "attendance", "act_attendance", "person_times", "", lit(heldSQL)),
	def("attendance.attended", "attendance", "act_attendance", "person_times", "attendance.invited", lit(heldSQL+` AND t.status = 'attended'`)),
	def("attendance.leave", "attendance", "act_attendance", "person_times", "attendance.invited", lit(heldSQL+` AND t.status = 'leave_approved'`)),
	def("attendance.absent", "attendance", "act_attendance", "person_times", "attendance.invited", lit(heldSQL+` AND t.status = 'absent'`)),
	def("outputs.all", "output", "act_outputs", "article", "", lit(`1 = 1`)),
	def("outputs.to_party", "output", "act_outputs", "article", "outputs.all", lit(`x.to_party`)),
	def("outputs.instructed", "output", "act_outputs", "article", "outputs.all",
		lit(`EXISTS (SELECT 1 FROM activity_instructions i WHERE i.committee_id = x.committee_id AND i.output_id = x.id)`)),
	def("followups.all", "followup", "act_outputs", "matter", "", lit(`1 = 1`)),
	def("followups.closed", "followup", "act_outputs", "matter", "followups.all", lit(`x.status = 'closed'`)),
	def("followups.overdue", "followup", "act_outputs", "matter", "followups.all", func(b *db.Args, today civil.Date) string {
		return `x.status = 'open' AND x.due_on < ` + b.Add(today.String())
	}),
	def("sqmy.submitted", "sqmy", "act_sqmy", "article", "", lit(`1 = 1`)),
	def("sqmy.adopted", "sqmy", "act_sqmy", "article", "sqmy.submitted", lit(`x.state = 'adopted'`)),
	def("sqmy.instructed", "sqmy", "act_sqmy", "article", "sqmy.submitted",
		lit(`EXISTS (SELECT 1 FROM activity_instructions i WHERE i.committee_id = x.committee_id AND i.sqmy_id = x.id)`)),
	def("speeches.all", "speech", "act_sqmy", "article", "", lit(`1 = 1`)),
	def("speeches.adopted", "speech", "act_sqmy", "article", "speeches.all", lit(`x.adopted`)),
	def("study.articles_collected", "article", "act_study", "article", "", lit(`1 = 1`)),
	def("study.articles_published", "article", "act_study", "article", "study.articles_collected", lit(`x.published`)),
	def("publicity.tv", "publicity", "act_study", "episode", "", lit(`x.kind = 'tv'`)),
	def("publicity.articles", "publicity", "act_study", "article", "", lit(`x.kind = 'article'`)),
	def("culture.volumes", "volume", "act_study", "volume", "", lit(`1 = 1`)),
	def("plan.items", "plan_item", "act_plan", "matter", "", lit(`1 = 1`)),
	def("plan.done", "plan_item", "act_plan", "matter", "plan.items", lit(planDoneSQL)),
	def("plan.late", "plan_item", "act_plan", "matter", "plan.items", func(b *db.Args, today civil.Date) string {
		return `x.state = 'approved' AND NOT ` + planDoneSQL + ` AND x.due_on < ` + b.Add(today.String())
	}),
}

// planDoneSQL: a linked activity was held.
const planDoneSQL = `EXISTS (SELECT 1 FROM activities pa WHERE pa.committee_id = x.committee_id AND pa.plan_item_id = x.id AND pa.state = 'HELD')`

func figByID(id string) (figDef, bool) {
	for _, d := range figDefs {
		if d.ID == id {
			return d, true
		}
	}
	return figDef{}, false
}

// FigureIDs lists the area's figure ids in display order.
func FigureIDs() []string {
	out := make([]string, len(figDefs))
	for i, d := range figDefs {
		out[i] = d.ID
	}
	return out
}

// Source returns the activity figures as a figure.Source.
func (s *Service) Source() figure.Source { return figureSource{s} }

type figureSource struct{ s *Service }

func (figureSource) Area() string { return Area }

func (figureSource) Lookup(id string) (figure.Def, bool) {
	d, ok := figByID(id)
	return d.Def, ok
}

// where is the scope and period condition of a subject for the filter.
func (src figureSource) where(ctx context.Context, tx *sql.Tx, actor *auth.Actor, f figure.Filter, sub subject, b *db.Args) (string, error) {
	sc, err := auth.CheckScope(ctx, tx, actor, PermFigures, f.CommitteeID)
	if err != nil {
		return "", err
	}
	var w string
	if !f.Subtree {
		w = `x.committee_id = ` + b.Add(sc.ID)
	} else {
		w = `x.committee_id IN (SELECT s.id FROM committees s WHERE s.path LIKE ` + b.Add(db.EscapeLike(sc.Path)+"%") + ` ESCAPE '\')`
	}
	if !f.From.IsZero() {
		w += ` AND ` + sub.date + ` >= ` + b.Add(f.From.String())
	}
	if !f.To.IsZero() {
		w += ` AND ` + sub.date + ` <= ` + b.Add(f.To.String())
	}
	dims, err := dimsSQL(f, sub.name, b)
	return w + dims, err
}

func (src figureSource) Figures(ctx context.Context, actor *auth.Actor, f figure.Filter) ([]figure.Value, error) {
	var out []figure.Value
	today := src.s.today()
	err := src.s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		var order []string
		bySubject := map[string][]figDef{}
		for _, d := range figDefs {
			if _, ok := bySubject[d.subject]; !ok {
				order = append(order, d.subject)
			}
			bySubject[d.subject] = append(bySubject[d.subject], d)
		}
		vals := map[string]int64{}
		for _, name := range order {
			sub := subjects[name]
			var b db.Args
			sums := make([]string, len(bySubject[name]))
			for i, d := range bySubject[name] {
				sums[i] = `COALESCE(SUM(CASE WHEN ` + d.pred(&b, today) + ` THEN 1 ELSE 0 END), 0)`
			}
			w, err := src.where(ctx, tx, actor, f, sub, &b)
			if err != nil {
				return err
			}
			dest := make([]any, len(sums))
			ns := make([]int64, len(sums))
			for i := range ns {
				dest[i] = &ns[i]
			}
			if err := tx.QueryRowContext(ctx, `SELECT `+strings.Join(sums, ", ")+` FROM `+sub.from+` WHERE `+w, b...).Scan(dest...); err != nil {
				return err
			}
			for i, d := range bySubject[name] {
				vals[d.ID] = ns[i]
			}
		}
		for _, d := range figDefs {
			out = append(out, figure.Value{Def: d.Def, Value: vals[d.ID]})
		}
		return figure.Pair(out)
	})
	return out, err
}

// query returns the records query (and count query) of figure id.
func (src figureSource) query(ctx context.Context, tx *sql.Tx, actor *auth.Actor, f figure.Filter, id string) (figDef, subject, string, string, db.Args, error) {
	d, ok := figByID(id)
	if !ok {
		return d, subject{}, "", "", nil, apperr.ErrNotFound
	}
	sub := subjects[d.subject]
	var b db.Args
	w, err := src.where(ctx, tx, actor, f, sub, &b)
	if err != nil {
		return d, sub, "", "", nil, err
	}
	w += ` AND ` + d.pred(&b, src.s.today())
	return d, sub, `SELECT ` + sub.sel + ` FROM ` + sub.from + ` WHERE ` + w + ` ORDER BY ` + sub.order,
		`SELECT COUNT(*) FROM ` + sub.from + ` WHERE ` + w, b, nil
}

func (src figureSource) Records(ctx context.Context, actor *auth.Actor, f figure.Filter, id string, offset, limit int) (*figure.Page, error) {
	var pg *figure.Page
	err := src.s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		d, sub, q, count, b, err := src.query(ctx, tx, actor, f, id)
		if err != nil {
			return err
		}
		pg = &figure.Page{Figure: d.Def, Columns: sub.cols, Offset: max(offset, 0), Limit: limit}
		if err := tx.QueryRowContext(ctx, count, b...).Scan(&pg.Total); err != nil {
			return err
		}
		if limit <= 0 {
			limit = 50
			pg.Limit = limit
		}
		pg.Records, err = db.Query(ctx, tx, sub.scan, q+` LIMIT `+strconv.Itoa(limit)+` OFFSET `+strconv.Itoa(pg.Offset), b...)
		return err
	})
	return pg, err
}

func (src figureSource) Each(ctx context.Context, actor *auth.Actor, f figure.Filter, id string, fn func(figure.Record) error) (*figure.Page, error) {
	var pg *figure.Page
	err := src.s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		d, sub, q, _, b, err := src.query(ctx, tx, actor, f, id)
		if err != nil {
			return err
		}
		pg = &figure.Page{Figure: d.Def, Columns: sub.cols}
		rows, err := tx.QueryContext(ctx, q+` LIMIT `+strconv.Itoa(figure.MaxExportRows), b...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := sub.scan(rows)
			if err != nil {
				return err
			}
			if err := fn(r); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	return pg, err
}
