package activity

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"unicode/utf8"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/changes"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// op is one use case on one loaded activity inside its transaction.
type op struct {
	s      *Service
	ctx    context.Context
	tx     *sql.Tx
	actor  *auth.Actor
	a      *Activity
	before Activity
	today  civil.Date
}

// run loads the activity of ref in a write transaction, checks the actor may
// see it (else not found) and act in its committee (a higher committee reads,
// never edits), checks the caller's version, and runs fn.
func (s *Service) run(ctx context.Context, actor *auth.Actor, ref Ref, fn func(o *op) error) (*Activity, error) {
	var out *Activity
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		a, err := loadActivity(ctx, tx, ref.ID, s.DB.ForUpdate("a"))
		if err != nil {
			return err
		}
		ok, err := sees(ctx, tx, actor, a.ID)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.ErrNotFound
		}
		if actor.CommitteeID != a.CommitteeID {
			return apperr.New(apperr.Forbidden, "err.forbidden")
		}
		if ref.Version != 0 && ref.Version != a.Version {
			return apperr.ErrConflict
		}
		o := &op{s: s, ctx: ctx, tx: tx, actor: actor, a: a, before: *a, today: s.today()}
		if err := fn(o); err != nil {
			return err
		}
		out = o.a
		return nil
	})
	return out, err
}

// relations returns how actor stands to a record of committeeID whose
// attendance row (if any) belongs to personID.
func relations(actor *auth.Actor, committeeID, personID int64) []Relation {
	if actor == nil {
		return nil
	}
	if actor.CommitteeID != committeeID {
		return []Relation{RelOutsider}
	}
	var rels []Relation
	for _, r := range actor.Roles {
		switch r {
		case auth.RoleStaff:
			rels = append(rels, RelStaff)
		case auth.RoleLeader:
			rels = append(rels, RelLeader)
		case auth.RoleAdmin:
			rels = append(rels, RelAdmin)
		case auth.RoleUnit:
			if actor.UnitID != 0 {
				rels = append(rels, RelUnit)
			}
		case auth.RoleMember:
			if actor.PersonID != 0 && actor.PersonID == personID {
				rels = append(rels, RelSelf)
			} else {
				rels = append(rels, RelMember)
			}
		}
	}
	return rels
}

func stateErr(st State) error { return apperr.New(apperr.Conflict, "err.activity.state."+string(st)) }

func attStateErr(st Status) error {
	if st == None {
		return apperr.New(apperr.Conflict, "err.activity.att_state.none")
	}
	return apperr.New(apperr.Conflict, "err.activity.att_state."+string(st))
}

var errForbidden = apperr.New(apperr.Forbidden, "err.forbidden")

// checkActivity asks the activity table, returning the next state or the error to show.
func checkActivity(from State, a Action, rels []Relation) (State, error) {
	if next, ok := Next(from, a, rels); ok {
		return next, nil
	}
	if EverActivity(a, rels) {
		return "", stateErr(from)
	}
	return "", errForbidden
}

// checkAttendance asks the attendance table. "Not now" names the activity's
// state when the step is not possible in it at all (a held activity takes no
// leave requests), else the row's status (already signed up).
func checkAttendance(phase State, from Status, a Action, rels []Relation) (Status, error) {
	if next, ok := NextStatus(phase, from, a, rels); ok {
		return next, nil
	}
	if !EverAttendance(a, rels) {
		return "", errForbidden
	}
	for _, st := range AllStatuses {
		if _, ok := NextStatus(phase, st, a, rels); ok {
			return "", attStateErr(from)
		}
	}
	return "", stateErr(phase)
}

// move applies an activity action by the actor.
func (o *op) move(a Action) error {
	next, err := checkActivity(o.a.State, a, relations(o.actor, o.a.CommitteeID, 0))
	if err != nil {
		return err
	}
	o.a.State = next
	return nil
}

// finish saves the activity, audits the change and marks it for the change queue.
func (o *op) finish(a Action) error {
	if err := saveActivity(o.ctx, o.tx, o.a); err != nil {
		return err
	}
	return o.record("activity."+string(a), EntityActivity, o.a.ID, auditView(&o.before), auditView(o.a))
}

// record audits a change of one of this activity's records and marks the activity changed.
func (o *op) record(action, entity string, id int64, before, after any) error {
	if err := audit.Record(o.ctx, o.tx, o.actor, o.a.CommitteeID, action, entity, id, before, after); err != nil {
		return err
	}
	return changes.Mark(o.ctx, o.tx, o.a.CommitteeID, EntityActivity, o.a.ID)
}

func auditView(a *Activity) map[string]any {
	return map[string]any{"kind": a.Kind, "title": a.Title, "place": a.Place, "starts_on": a.StartsOn.String(),
		"starts_at": a.StartsAt, "ends_at": a.EndsAt, "group_id": a.GroupID, "plan_item_id": a.PlanItemID,
		"mandatory": a.Mandatory, "capacity": a.Capacity, "state": a.State, "notes": a.Notes,
		"cancel_reason": a.CancelReason, "entered_later": a.EnteredLater, "version": a.Version}
}

// Input is what staff enter for an activity.
type Input struct {
	Kind       Kind       `json:"kind"`
	Title      string     `json:"title"`
	Place      string     `json:"place"`
	StartsOn   civil.Date `json:"starts_on"`
	StartsAt   string     `json:"starts_at"`
	EndsAt     string     `json:"ends_at"`
	GroupID    int64      `json:"group_id"`
	PlanItemID int64      `json:"plan_item_id"`
	Mandatory  bool       `json:"mandatory"`
	Capacity   int        `json:"capacity"`
	Notes      string     `json:"notes"`
}

var clock = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// validate checks the input against the committee's records.
func (in *Input) validate(ctx context.Context, q db.Querier, committeeID int64) error {
	in.Title, in.Place, in.Notes = strings.TrimSpace(in.Title), strings.TrimSpace(in.Place), strings.TrimSpace(in.Notes)
	in.StartsAt, in.EndsAt = strings.TrimSpace(in.StartsAt), strings.TrimSpace(in.EndsAt)
	var fs []apperr.FieldError
	if !in.Kind.Valid() {
		fs = append(fs, apperr.Field("kind", "err.form.bad_choice"))
	}
	fs = checkText(fs, "title", in.Title, 200, true)
	fs = checkText(fs, "place", in.Place, 200, false)
	fs = checkText(fs, "notes", in.Notes, 4000, false)
	if in.StartsOn.IsZero() {
		fs = append(fs, apperr.Field("starts_on", "err.activity.required"))
	}
	if in.StartsAt != "" && !clock.MatchString(in.StartsAt) {
		fs = append(fs, apperr.Field("starts_at", "err.activity.bad_time"))
	}
	if in.EndsAt != "" && !clock.MatchString(in.EndsAt) {
		fs = append(fs, apperr.Field("ends_at", "err.activity.bad_time"))
	} else if in.EndsAt != "" && in.StartsAt != "" && in.EndsAt < in.StartsAt {
		fs = append(fs, apperr.Field("ends_at", "err.activity.ends_before_start"))
	}
	if in.Capacity < 0 || in.Capacity > 100000 {
		fs = append(fs, outOfRange("capacity", 0, 100000))
	}
	if in.Mandatory && in.Capacity != 0 {
		fs = append(fs, apperr.Field("capacity", "err.activity.capacity_mandatory"))
	}
	if in.GroupID != 0 && !exists(ctx, q, `SELECT COUNT(*) FROM org_groups WHERE id = $1 AND committee_id = $2`, in.GroupID, committeeID) {
		fs = append(fs, apperr.Field("group_id", "err.form.bad_choice"))
	}
	if in.PlanItemID != 0 && !exists(ctx, q, `SELECT COUNT(*) FROM activity_plan_items WHERE id = $1 AND committee_id = $2`, in.PlanItemID, committeeID) {
		fs = append(fs, apperr.Field("plan_item_id", "err.form.bad_choice"))
	}
	if len(fs) > 0 {
		return apperr.Fields(fs...)
	}
	return nil
}

// checkText adds a field error for a missing required or too long text.
func checkText(fs []apperr.FieldError, field, v string, max int, required bool) []apperr.FieldError {
	switch {
	case required && v == "":
		return append(fs, apperr.Field(field, "err.activity.required"))
	case utf8.RuneCountInString(v) > max:
		return append(fs, apperr.Field(field, "err.activity.too_long", map[string]any{"Max": max}))
	}
	return fs
}

// outOfRange is the form toolkit's error for a number outside min..max.
func outOfRange(field string, min, max int) apperr.FieldError {
	return apperr.Field(field, "err.form.out_of_range", map[string]any{"Min": min, "Max": max})
}

func exists(ctx context.Context, q db.Querier, query string, args ...any) bool {
	var n int
	if err := q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return false
	}
	return n > 0
}

func (a *Activity) apply(in Input) {
	a.Kind, a.Title, a.Place, a.StartsOn, a.StartsAt, a.EndsAt = in.Kind, in.Title, in.Place, in.StartsOn, in.StartsAt, in.EndsAt
	a.GroupID, a.PlanItemID, a.Mandatory, a.Capacity, a.Notes = in.GroupID, in.PlanItemID, in.Mandatory, in.Capacity, in.Notes
}

// create is the envelope of Create and EnterPast: scope, table, validation, insert, audit, change mark.
func (s *Service) create(ctx context.Context, actor *auth.Actor, committeeID int64, action Action, in Input, after func(o *op) error) (*Activity, error) {
	var out *Activity
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.createTx(ctx, tx, actor, committeeID, action, in, after)
		return err
	})
	return out, err
}

// createTx is create inside the caller's transaction (an import writes many).
func (s *Service) createTx(ctx context.Context, tx *sql.Tx, actor *auth.Actor, committeeID int64, action Action, in Input, after func(o *op) error) (*Activity, error) {
	if _, err := auth.CheckScope(ctx, tx, actor, PermManage, committeeID); err != nil {
		return nil, err
	}
	next, err := checkActivity(New, action, relations(actor, committeeID, 0))
	if err != nil {
		return nil, err
	}
	if err := in.validate(ctx, tx, committeeID); err != nil {
		return nil, err
	}
	a := &Activity{CommitteeID: committeeID, State: next}
	a.apply(in)
	o := &op{s: s, ctx: ctx, tx: tx, actor: actor, a: a, today: s.today()}
	if action == ActEnterPast {
		if o.today.Before(in.StartsOn) {
			return nil, apperr.Fields(apperr.Field("starts_on", "err.activity.past_in_future"))
		}
		a.EnteredLater, a.EnteredBy, a.EnteredAt = true, actor.UserID, db.Time{Time: db.Now()}
	}
	if err := insertActivity(ctx, tx, a, actor.UserID); err != nil {
		return nil, err
	}
	if err := o.record("activity."+string(action), EntityActivity, a.ID, nil, auditView(a)); err != nil {
		return nil, err
	}
	if after != nil {
		if err := after(o); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// Create announces an activity (PLANNED).
func (s *Service) Create(ctx context.Context, actor *auth.Actor, committeeID int64, in Input) (*Activity, error) {
	return s.create(ctx, actor, committeeID, ActCreate, in, nil)
}

// PastRow is one member's recorded outcome in an activity entered later.
type PastRow struct {
	PersonID int64  `json:"person_id"`
	Status   Status `json:"status"` // attended, absent or leave_approved
	Role     Role   `json:"role"`
}

// EnterPast records an activity that already took place (HELD) with its real
// date and attendance, marked as entered later by the actor, now.
func (s *Service) EnterPast(ctx context.Context, actor *auth.Actor, committeeID int64, in Input, roll []PastRow) (*Activity, error) {
	return s.create(ctx, actor, committeeID, ActEnterPast, in, func(o *op) error {
		marks := make([]Mark, len(roll))
		for i, r := range roll {
			marks[i] = Mark{PersonID: r.PersonID, Status: r.Status, Role: r.Role}
		}
		_, err := o.mark(marks)
		return err
	})
}

// Edit changes an activity that has not taken place.
func (s *Service) Edit(ctx context.Context, actor *auth.Actor, ref Ref, in Input) (*Activity, error) {
	return s.run(ctx, actor, ref, func(o *op) error {
		if err := o.move(ActEdit); err != nil {
			return err
		}
		if err := in.validate(o.ctx, o.tx, o.a.CommitteeID); err != nil {
			return err
		}
		if in.Capacity != 0 {
			var n int
			if err := o.tx.QueryRowContext(o.ctx, `SELECT COUNT(*) FROM activity_attendance WHERE activity_id = $1 AND status <> 'leave_approved'`, o.a.ID).Scan(&n); err != nil {
				return err
			}
			if n > in.Capacity {
				return apperr.Fields(apperr.Field("capacity", "err.activity.capacity_below_signed", map[string]any{"N": n}))
			}
		}
		o.a.apply(in)
		return o.finish(ActEdit)
	})
}

// Open starts an activity: check-in opens, with a fresh code shown at the venue.
func (s *Service) Open(ctx context.Context, actor *auth.Actor, ref Ref) (*Activity, error) {
	return s.run(ctx, actor, ref, func(o *op) error {
		if err := o.move(ActOpen); err != nil {
			return err
		}
		code, err := newCode()
		if err != nil {
			return err
		}
		o.a.CheckinCode = code
		return o.finish(ActOpen)
	})
}

// Hold records that the activity took place and closes its roll: who checked
// in attended, who was expected and neither came nor had leave was absent.
func (s *Service) Hold(ctx context.Context, actor *auth.Actor, ref Ref) (*Activity, error) {
	return s.run(ctx, actor, ref, func(o *op) error {
		phase := o.a.State
		if err := o.move(ActHold); err != nil {
			return err
		}
		closed := map[string]int64{}
		for _, st := range AllStatuses {
			to, ok := NextStatus(phase, st, ActClose, []Relation{RelSystem})
			if !ok || st == None {
				continue
			}
			res, err := o.tx.ExecContext(o.ctx, `UPDATE activity_attendance SET status = $1, version = version + 1, updated_at = $2
				WHERE activity_id = $3 AND status = $4`, to, db.Now(), o.a.ID, st)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			closed[string(st)+"→"+string(to)] = n
		}
		o.a.CheckinCode = ""
		if err := o.finish(ActHold); err != nil {
			return err
		}
		return o.record("activity.close_roll", EntityActivity, o.a.ID, nil, closed)
	})
}

// Cancel calls an activity off, with the reason.
func (s *Service) Cancel(ctx context.Context, actor *auth.Actor, ref Ref, reason string) (*Activity, error) {
	return s.run(ctx, actor, ref, func(o *op) error {
		if err := o.move(ActCancel); err != nil {
			return err
		}
		reason = strings.TrimSpace(reason)
		if fs := checkText(nil, "reason", reason, 500, true); len(fs) > 0 {
			return apperr.Fields(fs...)
		}
		o.a.CancelReason, o.a.CheckinCode = reason, ""
		people, err := db.Column[int64](o.ctx, o.tx, `SELECT person_id FROM activity_attendance WHERE activity_id = $1
			AND status <> 'leave_approved'`, o.a.ID)
		if err != nil {
			return err
		}
		if err := o.notifyPeople(people, "cancelled"); err != nil {
			return err
		}
		return o.finish(ActCancel)
	})
}

// newCode is a six-digit check-in code.
func newCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1000000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}
