package proposal

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// visible loads a proposal the actor may read, else apperr.ErrNotFound.
func (s *Service) visible(ctx context.Context, actor *auth.Actor, id int64) (*Proposal, error) {
	var out *Proposal
	err := s.readVisible(ctx, actor, id, func(o *op) error { out = o.p; return nil })
	return out, err
}

// Get returns a proposal with its signers, attachments, assignments, contacts,
// replies, evaluations, supervision, follow-ups and timeline, and what the actor
// may do with it now. Not visible or another committee's → apperr.ErrNotFound.
func (s *Service) Get(ctx context.Context, actor *auth.Actor, id int64) (*Detail, error) {
	var d *Detail
	err := s.readVisible(ctx, actor, id, func(o *op) error {
		d = &Detail{Proposal: *o.p}
		return o.fill(d)
	})
	return d, err
}

// readVisible runs fn in a read-only transaction over the proposal, if the
// actor may see it (the one visibility rule); else apperr.ErrNotFound.
func (s *Service) readVisible(ctx context.Context, actor *auth.Actor, id int64, fn func(o *op) error) error {
	return s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		p, err := loadProposal(ctx, tx, id)
		if err != nil {
			return err
		}
		o := &op{s: s, ctx: ctx, tx: tx, actor: actor, p: p, today: s.today()}
		ok, err := o.canSee()
		if err != nil {
			return err
		}
		if !ok {
			return apperr.ErrNotFound
		}
		return fn(o)
	})
}

func (o *op) fill(d *Detail) error {
	var err error
	if d.Signers, err = o.loadSigners(); err != nil {
		return err
	}
	if d.Assignments, err = o.loadAssignments(); err != nil {
		return err
	}
	steps := []func() error{
		func() error { d.Attachments, err = listAttachments(o.ctx, o.tx, o.p.ID); return err },
		func() error { d.Contacts, err = listContacts(o.ctx, o.tx, o.p.ID); return err },
		func() error { d.Replies, err = listReplies(o.ctx, o.tx, o.p.ID); return err },
		func() error { d.Evaluations, err = listEvaluations(o.ctx, o.tx, o.p.ID); return err },
		func() error { d.Events, err = listEvents(o.ctx, o.tx, o.p.ID); return err },
		func() error { d.Supervisors, err = listSupervisors(o.ctx, o.tx, o.p.ID); return err },
		func() error { d.Supervision, err = listSupervision(o.ctx, o.tx, o.p.ID); return err },
		func() error { d.FollowUps, err = listFollowUps(o.ctx, o.tx, o.p.ID); return err },
		func() error {
			d.MergedFrom, err = mergedFrom(o.ctx, o.tx, o.actor, o.p.CommitteeID, o.p.ID)
			return err
		},
		func() error {
			if o.p.ConvertedTo != ToSQMY || convertedLookup == nil {
				return nil
			}
			d.SqmyID, err = convertedLookup(o.ctx, o.tx, o.actor, o.p.CommitteeID, o.p.ID)
			return err
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	if err := o.hideDrafts(d); err != nil {
		return err
	}
	// What the actor may do now (for the web pages' buttons).
	rels, err := o.relations(nil)
	if err != nil {
		return err
	}
	for _, a := range AllActions {
		if SubjectOf(a) == OnProposal && a != ActRehandle {
			if _, ok := Next(o.p.State, a, rels); ok {
				d.Can = append(d.Can, a)
			}
		}
	}
	if err := o.fillEvaluation(d); err != nil {
		return err
	}
	if mine, err := o.myAssignment(); err != nil {
		return err
	} else if mine != nil {
		d.MyAssignment = mine.ID
	}
	d.AssignmentCan = map[int64][]Action{}
	for i := range d.Assignments {
		a := &d.Assignments[i]
		ar, err := o.relations(a)
		if err != nil {
			return err
		}
		for _, act := range AllActions {
			if SubjectOf(act) != OnAssignment {
				continue
			}
			if _, ok := Next(a.State, act, ar); ok && (act != ActFollowUp || o.p.State == Closed) {
				d.AssignmentCan[a.ID] = append(d.AssignmentCan[a.ID], act)
			}
		}
	}
	return nil
}

func listAttachments(ctx context.Context, q db.Querier, id int64) ([]Attachment, error) {
	return db.Query(ctx, q, func(sc interface{ Scan(...any) error }) (Attachment, error) {
		var a Attachment
		var at db.Time
		err := sc.Scan(&a.ID, &a.Name, &a.ContentType, &a.Size, &at)
		a.CreatedAt = at.Time
		return a, err
	}, `SELECT id, name, content_type, size, created_at FROM proposal_attachments WHERE proposal_id = $1 AND kind = 'file' ORDER BY id`, id)
}

func listContacts(ctx context.Context, q db.Querier, id int64) ([]Contact, error) {
	return db.Query(ctx, q, func(sc interface{ Scan(...any) error }) (Contact, error) {
		var c Contact
		err := sc.Scan(&c.ID, &c.AssignmentID, &c.Round, &c.On, &c.Method, &c.FaceToFace, &c.People, &c.Note)
		return c, err
	}, `SELECT id, assignment_id, round, contact_on, method, face_to_face, people, note FROM proposal_contacts
		WHERE proposal_id = $1 ORDER BY contact_on, id`, id)
}

func listReplies(ctx context.Context, q db.Querier, id int64) ([]Reply, error) {
	rs, err := db.Query(ctx, q, func(sc interface{ Scan(...any) error }) (Reply, error) {
		var r Reply
		var lid sql.NullInt64
		var lname, ltype sql.NullString
		var lsize sql.NullInt64
		var lat db.Time
		err := sc.Scan(&r.ID, &r.AssignmentID, &r.Round, &r.ResultClass, &r.DraftedClass, &r.Body, &r.Status, &r.ReviewNote,
			&r.DeliveredOn, &r.SubmittedOn, &r.Signer, &r.ContactName, &r.ContactPhone, &lid, &lname, &ltype, &lsize, &lat)
		if lid.Valid {
			r.Letter = &Attachment{ID: lid.Int64, Name: lname.String, ContentType: ltype.String, Size: lsize.Int64, CreatedAt: lat.Time}
		}
		return r, err
	}, `SELECT r.id, r.assignment_id, r.round, r.result_class, r.drafted_class, r.body, r.status, r.review_note, r.delivered_on,
		r.submitted_on, r.signer, r.contact_name, r.contact_phone, a.id, a.name, a.content_type, a.size, a.created_at
		FROM proposal_replies r LEFT JOIN proposal_attachments a ON a.id = r.letter_id
		WHERE r.proposal_id = $1 ORDER BY r.round, r.id`, id)
	if err != nil {
		return nil, err
	}
	cs, err := db.Query(ctx, q, func(sc interface{ Scan(...any) error }) (struct {
		reply int64
		c     Countersign
	}, error) {
		var v struct {
			reply int64
			c     Countersign
		}
		var at db.Time
		err := sc.Scan(&v.reply, &v.c.AssignmentID, &v.c.UnitName, &v.c.Opinion, &at)
		v.c.At = at.Time
		return v, err
	}, `SELECT c.reply_id, c.assignment_id, u.name, c.opinion, c.at FROM proposal_countersigns c
		JOIN proposal_replies r ON r.id = c.reply_id JOIN proposal_assignments a ON a.id = c.assignment_id
		JOIN units u ON u.id = a.unit_id WHERE r.proposal_id = $1 ORDER BY c.id`, id)
	if err != nil {
		return nil, err
	}
	for i := range rs {
		for _, c := range cs {
			if c.reply == rs[i].ID {
				rs[i].Countersigns = append(rs[i].Countersigns, c.c)
			}
		}
	}
	return rs, nil
}

func listEvaluations(ctx context.Context, q db.Querier, id int64) ([]Evaluation, error) {
	return db.Query(ctx, q, func(sc interface{ Scan(...any) error }) (Evaluation, error) {
		var e Evaluation
		var at db.Time
		err := sc.Scan(&e.ID, &e.MembershipID, &e.Name, &e.Round, &e.Overall, &e.Contact, &e.Attitude, &e.Addressed, &e.Comment, &at)
		e.CreatedAt = at.Time
		return e, err
	}, `SELECT e.id, e.membership_id, pe.name, e.round, e.overall, e.contact, e.attitude, e.addressed, e.comment, e.created_at
		FROM proposal_evaluations e JOIN memberships m ON m.id = e.membership_id JOIN people pe ON pe.id = m.person_id
		WHERE e.proposal_id = $1 ORDER BY e.round, e.id`, id)
}

func listEvents(ctx context.Context, q db.Querier, id int64) ([]Event, error) {
	if tx, ok := q.(*sql.Tx); ok { // inside an import: its kept-back events first
		if err := flushEvents(ctx, tx); err != nil {
			return nil, err
		}
	}
	return db.Query(ctx, q, func(sc interface{ Scan(...any) error }) (Event, error) {
		var e Event
		var at, entered db.Time
		err := sc.Scan(&e.ID, &e.AssignmentID, &at, &e.ActorName, &e.System, &e.UnitName, &e.Action, &e.From, &e.To, &e.Note,
			&e.EnteredBy, &entered)
		e.At = at.Time
		if e.System {
			e.ActorName = ""
		}
		if !entered.IsZero() {
			t := entered.Time
			e.EnteredAt = &t
		}
		return e, err
	}, `SELECT e.id, COALESCE(e.assignment_id, 0), e.at, e.actor_name,
		e.actor_user_id IS NULL AND e.actor_name IN ('', '`+auth.SystemName+`'), COALESCE(u.name, ''),
		e.action, e.from_state, e.to_state, e.note, e.entered_by_name, e.entered_at
		FROM proposal_events e LEFT JOIN proposal_assignments a ON a.id = e.assignment_id LEFT JOIN units u ON u.id = a.unit_id
		WHERE e.proposal_id = $1 ORDER BY e.id`, id)
}

func listSupervisors(ctx context.Context, q db.Querier, id int64) ([]Supervisor, error) {
	return db.Query(ctx, q, func(sc interface{ Scan(...any) error }) (Supervisor, error) {
		var s Supervisor
		return s, sc.Scan(&s.UserID, &s.Name)
	}, `SELECT u.id, u.display_name FROM proposal_supervisors s JOIN users u ON u.id = s.user_id WHERE s.proposal_id = $1 ORDER BY u.id`, id)
}

func listSupervision(ctx context.Context, q db.Querier, id int64) ([]Supervision, error) {
	return db.Query(ctx, q, func(sc interface{ Scan(...any) error }) (Supervision, error) {
		var s Supervision
		return s, sc.Scan(&s.ID, &s.On, &s.Kind, &s.Note)
	}, `SELECT id, activity_on, kind, note FROM proposal_supervision WHERE proposal_id = $1 ORDER BY activity_on, id`, id)
}

func listFollowUps(ctx context.Context, q db.Querier, id int64) ([]FollowUp, error) {
	return db.Query(ctx, q, func(sc interface{ Scan(...any) error }) (FollowUp, error) {
		var f FollowUp
		return f, sc.Scan(&f.ID, &f.AssignmentID, &f.Year, &f.ResultClass, &f.Note)
	}, `SELECT id, assignment_id, year, result_class, note FROM proposal_follow_ups WHERE proposal_id = $1 ORDER BY year, id`, id)
}

// mergedFrom lists the proposals merged into id that actor may read (the page
// links to them; visibleSQL).
func mergedFrom(ctx context.Context, q db.Querier, actor *auth.Actor, committeeID, id int64) ([]int64, error) {
	b := &db.Args{}
	cond := `p.committee_id = ` + b.Add(committeeID) + ` AND p.merged_into = ` + b.Add(id) + ` AND ` + visibleSQL(b.Add, actor, Sight{})
	return db.Query(ctx, q, func(sc interface{ Scan(...any) error }) (int64, error) {
		var v int64
		return v, sc.Scan(&v)
	}, `SELECT p.id FROM proposals p WHERE `+cond+` ORDER BY p.id`, *b...)
}

// Filter narrows List. Zero values do not filter.
type Filter struct {
	SessionID int64
	Year      int
	States    []State
	Theme     Theme
	UnitID    int64 // assigned to this unit
	// UnitStates keeps proposals with an assignment (of UnitID, else of the acting
	// unit, else of any unit) in one of these sub-states: "to sign", "to reply" lists.
	UnitStates []State
	Kind       Kind
	Category   Category
	KeyOnly    bool
	Overdue    bool  // still handled after the due date (as of today)
	ProposerID int64 // membership: first proposer or co-signer
	// SupervisedBy keeps the proposals this user (a leader) supervises.
	SupervisedBy int64
	Title        string // substring of the title
	ByNumber     bool   // order by registration number instead of newest first
	Offset       int
	Limit        int // default 50, at most 500
}

// Item is one row of a list.
type Item struct {
	ID                int64      `json:"id"`
	Version           int        `json:"version"`
	Year              int        `json:"year"`
	Number            string     `json:"number"`
	Title             string     `json:"title"`
	State             State      `json:"state"`
	Theme             Theme      `json:"theme"`
	Kind              Kind       `json:"kind"`
	Category          Category   `json:"category"`
	BodyName          string     `json:"body_name,omitempty"`
	FirstProposerName string     `json:"first_proposer_name"`
	SubmittedOn       civil.Date `json:"submitted_on"`
	DueOn             civil.Date `json:"due_on"`
	Overdue           bool       `json:"overdue"`
	Key               bool       `json:"key"`
	Excellent         bool       `json:"excellent"`
	Units             []string   `json:"units,omitempty"` // assigned units, lead first
	// For a unit actor: its own assignment's sub-state and due date.
	MyState State      `json:"my_state,omitempty"`
	MyDueOn civil.Date `json:"my_due_on"`
}

// Page is one page of a list and the total number of matching proposals.
type Page struct {
	Items  []Item `json:"items"`
	Total  int    `json:"total"`
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"`
}

// handlingList is handlingStates as an SQL list, for queries and figures.
var handlingList = func() string {
	q := make([]string, len(handlingStates))
	for i, s := range handlingStates {
		q[i] = "'" + string(s) + "'"
	}
	return strings.Join(q, ",")
}()

// List returns a committee's proposals matching f, as far as the actor may see
// them (visibleSQL, the rule Get applies): committee readers (office, staff,
// leaders, admin, and higher committees read-only) see every submitted
// proposal; members their own, those they were invited to co-sign and those
// theirs were merged into; units those assigned to them.
func (s *Service) List(ctx context.Context, actor *auth.Actor, committeeID int64, f Filter) (Page, error) {
	if actor == nil {
		return Page{}, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 500) // above the maximum is capped, as the API documents
	f.Offset = max(f.Offset, 0)
	sc, err := auth.LoadScope(ctx, s.DB, committeeID)
	if err != nil {
		return Page{}, err
	}
	if err := mayList(actor, committeeID, sc.Path); err != nil {
		return Page{}, err
	}
	w := &where{}
	unitActor, today := s.listWhere(w, actor, committeeID, f)
	cond, args := w.sql()
	var page Page
	page.Offset, page.Limit = f.Offset, f.Limit
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM proposals p WHERE `+cond, args...).Scan(&page.Total); err != nil {
		return Page{}, err
	}
	order := "p.id DESC"
	if f.ByNumber {
		order = "CASE WHEN p.seq IS NULL THEN 1 ELSE 0 END, p.seq, p.id"
	}
	n := len(args)
	rows, err := s.DB.QueryContext(ctx, `SELECT p.id, p.version, p.year, p.number, p.title, p.state, p.theme, p.kind, p.category,
		p.body_name, COALESCE(pe.name, ''), p.submitted_on, p.due_on, p.is_key, p.is_excellent
		FROM proposals p LEFT JOIN memberships m ON m.id = p.first_proposer_id LEFT JOIN people pe ON pe.id = m.person_id
		WHERE `+cond+fmt.Sprintf(` ORDER BY %s LIMIT $%d OFFSET $%d`, order, n+1, n+2), append(args, f.Limit, f.Offset)...)
	if err != nil {
		return Page{}, err
	}
	defer rows.Close()
	index := map[int64]int{}
	var ids []any
	for rows.Next() {
		var it Item
		if err := rows.Scan(&it.ID, &it.Version, &it.Year, &it.Number, &it.Title, &it.State, &it.Theme, &it.Kind, &it.Category,
			&it.BodyName, &it.FirstProposerName, &it.SubmittedOn, &it.DueOn, &it.Key, &it.Excellent); err != nil {
			return Page{}, err
		}
		it.Overdue = isOverdue(it.State, it.DueOn, today)
		index[it.ID] = len(page.Items)
		ids = append(ids, it.ID)
		page.Items = append(page.Items, it)
	}
	if err := rows.Err(); err != nil {
		return Page{}, err
	}
	if len(ids) == 0 {
		return page, nil
	}
	marks := make([]string, len(ids))
	for i := range ids {
		marks[i] = fmt.Sprintf("$%d", i+2)
	}
	urows, err := s.DB.QueryContext(ctx, `SELECT a.proposal_id, u.name, a.unit_id, a.state, a.due_on FROM proposal_assignments a JOIN units u ON u.id = a.unit_id
		WHERE a.committee_id = $1 AND a.proposal_id IN (`+strings.Join(marks, ",")+`)
		ORDER BY a.proposal_id, CASE a.role WHEN 'lead' THEN 0 WHEN 'sole' THEN 0 ELSE 1 END, a.id`, append([]any{committeeID}, ids...)...)
	if err != nil {
		return Page{}, err
	}
	defer urows.Close()
	for urows.Next() {
		var pid, unit int64
		var name string
		var st State
		var due civil.Date
		if err := urows.Scan(&pid, &name, &unit, &st, &due); err != nil {
			return Page{}, err
		}
		it := &page.Items[index[pid]]
		it.Units = append(it.Units, name)
		if unitActor && unit == actor.UnitID {
			it.MyState, it.MyDueOn = st, due
		}
	}
	return page, urows.Err()
}

// Counts returns, for each filter, how many of the committee's proposals the
// actor sees that match it (Limit and Offset are ignored): the tab counts of
// the list page, with one scope check and one COUNT each instead of a List.
func (s *Service) Counts(ctx context.Context, actor *auth.Actor, committeeID int64, fs []Filter) ([]int, error) {
	if actor == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	sc, err := auth.LoadScope(ctx, s.DB, committeeID)
	if err != nil {
		return nil, err
	}
	if err := mayList(actor, committeeID, sc.Path); err != nil {
		return nil, err
	}
	out := make([]int, len(fs))
	if len(fs) == 0 {
		return out, nil
	}
	// One pass over the committee's proposals: a COUNT of each filter's rows.
	var args db.Args
	cols := make([]string, len(fs))
	dest := make([]any, len(fs))
	for i, f := range fs {
		w := &where{args: args}
		s.listWhere(w, actor, committeeID, f)
		var cond string
		cond, args = w.sql()
		cols[i] = `COUNT(CASE WHEN ` + cond + ` THEN 1 END)`
		dest[i] = &out[i]
	}
	q := `SELECT ` + strings.Join(cols, ", ") + ` FROM proposals p WHERE p.committee_id = ` + args.Add(committeeID)
	if err := s.DB.QueryRowContext(ctx, q, args...).Scan(dest...); err != nil {
		return nil, err
	}
	return out, nil
}

// mayList decides who may list a committee's proposals at all (which rows
// they see is visibleSQL).
func mayList(actor *auth.Actor, committeeID int64, path string) error {
	switch {
	case auth.CanIn(actor, PermView, committeeID, path):
	case actor.CommitteeID != committeeID:
		return apperr.ErrNotFound
	case actor.PersonID != 0 && auth.Can(actor, PermSubmit):
	case actor.UnitID != 0 && auth.Can(actor, PermHandle):
	default:
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return nil
}

// listWhere builds List's conditions for f.
// The conditions are added to w, whose placeholders continue from its
// arguments so far (Counts puts several filters in one statement).
func (s *Service) listWhere(w *where, actor *auth.Actor, committeeID int64, f Filter) (unitActor bool, today civil.Date) {
	w.add("p.committee_id = ?", committeeID)
	w.add(visibleSQL(w.arg, actor, Sight{}))
	if f.SessionID != 0 {
		w.add("p.session_id = ?", f.SessionID)
	}
	if f.Year != 0 {
		w.add("p.year = ?", f.Year)
	}
	if len(f.States) > 0 {
		marks := make([]string, len(f.States))
		args := make([]any, len(f.States))
		for i, st := range f.States {
			marks[i], args[i] = "?", string(st)
		}
		w.add("p.state IN ("+strings.Join(marks, ",")+")", args...)
	}
	if f.Theme != "" {
		w.add("p.theme = ?", f.Theme)
	}
	if f.Kind != "" {
		w.add("p.kind = ?", f.Kind)
	}
	if f.Category != "" {
		w.add("p.category = ?", f.Category)
	}
	if f.KeyOnly {
		w.add("p.is_key")
	}
	if f.UnitID != 0 {
		w.add(`p.id IN (SELECT a.proposal_id FROM proposal_assignments a WHERE a.committee_id = ? AND a.unit_id = ?)`, committeeID, f.UnitID)
	}
	unitActor = actor.UnitID != 0 && auth.Can(actor, PermHandle) && actor.CommitteeID == committeeID
	if len(f.UnitStates) > 0 {
		unit := f.UnitID
		if unit == 0 && unitActor {
			unit = actor.UnitID
		}
		marks := make([]string, len(f.UnitStates))
		args := []any{committeeID}
		for i, st := range f.UnitStates {
			marks[i] = "?"
			args = append(args, string(st))
		}
		cond := `p.id IN (SELECT a.proposal_id FROM proposal_assignments a WHERE a.committee_id = ? AND a.state IN (` +
			strings.Join(marks, ",") + `)`
		if unit != 0 { // else: any unit's assignment in these sub-states
			cond += ` AND a.unit_id = ?`
			args = append(args, unit)
		}
		w.add(cond+`)`, args...)
	}
	if f.SupervisedBy != 0 {
		w.add(`p.id IN (SELECT ps.proposal_id FROM proposal_supervisors ps WHERE ps.committee_id = ? AND ps.user_id = ?)`, committeeID, f.SupervisedBy)
	}
	if f.ProposerID != 0 {
		w.add(`p.id IN (SELECT s.proposal_id FROM proposal_signers s WHERE s.committee_id = ? AND s.membership_id = ?)`, committeeID, f.ProposerID)
	}
	today = s.today()
	if f.Overdue {
		w.add(overdueSQL("p", "?"), today)
	}
	if t := strings.TrimSpace(f.Title); t != "" {
		w.add("p.title "+s.DB.ILike()+" ? ESCAPE '\\'", "%"+db.EscapeLike(t)+"%")
	}
	return unitActor, today
}

// where builds a WHERE clause with numbered placeholders from "?" marks.
type where struct {
	parts []string
	args  db.Args
}

func (w *where) add(cond string, args ...any) {
	for _, a := range args {
		cond = strings.Replace(cond, "?", w.args.Add(a), 1)
	}
	w.parts = append(w.parts, cond)
}

// arg adds a value and returns its placeholder, for conditions built
// elsewhere (visibleSQL); add such a condition with no further args.
func (w *where) arg(v any) string { return w.args.Add(v) }

func (w *where) sql() (string, []any) { return strings.Join(w.parts, " AND "), w.args }
