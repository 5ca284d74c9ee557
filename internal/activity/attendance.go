package activity

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/notify"
)

// loadRow reads one attendance row of the op's activity for update.
func (o *op) loadRow(personID int64) (*Attendance, error) {
	r, err := scanAtt(o.tx.QueryRowContext(o.ctx, `SELECT `+attCols+attFrom+` WHERE t.activity_id = $1 AND t.person_id = $2`+o.s.DB.ForUpdate("t"), o.a.ID, personID))
	if errors.Is(err, sql.ErrNoRows) {
		return &Attendance{ActivityID: o.a.ID, PersonID: personID, Status: None}, nil
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// step checks attendance action a on row r by the actor and returns the next status.
func (o *op) step(r *Attendance, a Action) (Status, error) {
	return checkAttendance(o.a.State, r.Status, a, relations(o.actor, o.a.CommitteeID, r.PersonID))
}

// saveRow writes row r (inserting it when new, deleting it when its status
// becomes None) and audits the change.
func (o *op) saveRow(r *Attendance, before Attendance, a Action) error {
	now := db.Now()
	var err error
	switch {
	case before.Status == None:
		err = o.tx.QueryRowContext(o.ctx, `INSERT INTO activity_attendance (committee_id, activity_id, person_id, status, role,
			leave_reason, version, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,1,$7,$7) RETURNING id`,
			o.a.CommitteeID, o.a.ID, r.PersonID, r.Status, r.Role, r.LeaveReason, now).Scan(&r.ID)
		r.Version = 1
	case r.Status == None:
		err = db.ExecVersioned(o.ctx, o.tx, `DELETE FROM activity_attendance WHERE id = $1 AND version = $2`, r.ID, r.Version)
	default:
		var decided, checked any
		if r.DecidedBy != 0 && r.DecidedBy != before.DecidedBy {
			decided = now
		}
		if r.Status == CheckedIn {
			checked = now
		}
		err = db.ExecVersioned(o.ctx, o.tx, `UPDATE activity_attendance SET status = $1, role = $2, leave_reason = $3,
			decided_by = $4, decided_at = COALESCE($5, decided_at), checked_in_at = COALESCE($6, checked_in_at),
			version = version + 1, updated_at = $7 WHERE id = $8 AND version = $9`,
			r.Status, r.Role, r.LeaveReason, nullID(r.DecidedBy), decided, checked, now, r.ID, r.Version)
		r.Version++
	}
	if err != nil {
		return err
	}
	return o.record("activity."+string(a), EntityAttendance, r.ID, rowView(before), rowView(*r))
}

func rowView(r Attendance) map[string]any {
	if r.Status == None {
		return nil
	}
	return map[string]any{"activity_id": r.ActivityID, "person_id": r.PersonID, "status": r.Status, "role": r.Role,
		"leave_reason": r.LeaveReason, "decided_by": r.DecidedBy}
}

// selfRun runs a member's own attendance step on activity id.
func (s *Service) selfRun(ctx context.Context, actor *auth.Actor, id int64, a Action, fn func(o *op, r *Attendance) error) (*Attendance, error) {
	var out *Attendance
	_, err := s.run(ctx, actor, Ref{ID: id}, func(o *op) error {
		r, err := o.loadRow(o.actor.PersonID)
		if err != nil {
			return err
		}
		before := *r
		next, err := o.step(r, a)
		if err != nil {
			return err
		}
		r.Status = next
		if fn != nil {
			if err := fn(o, r); err != nil {
				return err
			}
		}
		if err := o.saveRow(r, before, a); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}

// serving reports whether person is a serving member of the committee.
func serving(ctx context.Context, q db.Querier, committeeID, personID int64) (bool, error) {
	ids, err := db.Column[int64](ctx, q, servingSQL+` AND m.person_id = $2`, committeeID, personID)
	return len(ids) > 0, err
}

// SignUp signs the acting member up for a sign-up activity (报名), within its capacity.
func (s *Service) SignUp(ctx context.Context, actor *auth.Actor, id int64) (*Attendance, error) {
	return s.selfRun(ctx, actor, id, ActSignUp, func(o *op, r *Attendance) error {
		if o.a.Mandatory {
			return apperr.New(apperr.Conflict, "err.activity.mandatory")
		}
		ok, err := serving(o.ctx, o.tx, o.a.CommitteeID, r.PersonID)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.New(apperr.Forbidden, "err.activity.not_serving")
		}
		if o.a.Capacity > 0 {
			var n int
			if err := o.tx.QueryRowContext(o.ctx, `SELECT COUNT(*) FROM activity_attendance WHERE activity_id = $1 AND status <> 'leave_approved'`, o.a.ID).Scan(&n); err != nil {
				return err
			}
			if n >= o.a.Capacity {
				return apperr.New(apperr.Conflict, "err.activity.full")
			}
		}
		return nil
	})
}

// Withdraw takes the acting member's sign-up back (not for a mandatory activity: ask for leave).
func (s *Service) Withdraw(ctx context.Context, actor *auth.Actor, id int64) (*Attendance, error) {
	return s.selfRun(ctx, actor, id, ActWithdraw, func(o *op, r *Attendance) error {
		if o.a.Mandatory {
			return apperr.New(apperr.Conflict, "err.activity.mandatory")
		}
		return nil
	})
}

// RequestLeave asks for leave from an activity (请假), within the committee's
// yearly number of leaves (approved and pending requests count).
func (s *Service) RequestLeave(ctx context.Context, actor *auth.Actor, id int64, reason string) (*Attendance, error) {
	reason = strings.TrimSpace(reason)
	return s.selfRun(ctx, actor, id, ActRequestLeave, func(o *op, r *Attendance) error {
		if fs := checkText(nil, "reason", reason, 500, true); len(fs) > 0 {
			return apperr.Fields(fs...)
		}
		max, err := maxLeaves(o.ctx, o.tx, o.a.CommitteeID)
		if err != nil {
			return err
		}
		year := fmt.Sprintf("%04d", o.a.StartsOn.Year)
		var n int
		err = o.tx.QueryRowContext(o.ctx, `SELECT COUNT(*) FROM activity_attendance t JOIN activities a ON a.id = t.activity_id
			WHERE t.committee_id = $1 AND t.person_id = $2 AND t.status IN ('leave_requested','leave_approved')
			AND a.state <> 'CANCELLED' AND a.id <> $3 AND a.starts_on >= $4 AND a.starts_on <= $5`,
			o.a.CommitteeID, r.PersonID, o.a.ID, year+"-01-01", year+"-12-31").Scan(&n)
		if err != nil {
			return err
		}
		if n >= max {
			return apperr.New(apperr.Conflict, "err.activity.leave_quota", map[string]any{"Max": max})
		}
		r.LeaveReason, r.DecidedBy = reason, 0
		return nil
	})
}

// CheckIn checks the acting member in with the code shown at the venue (签到):
// only while the activity is open, and only if they were invited or signed up.
func (s *Service) CheckIn(ctx context.Context, actor *auth.Actor, id int64, code string) (*Attendance, error) {
	code = strings.TrimSpace(code)
	return s.selfRun(ctx, actor, id, ActCheckIn, func(o *op, r *Attendance) error {
		if o.a.CheckinCode == "" || code != o.a.CheckinCode {
			return apperr.Fields(apperr.Field("code", "err.activity.bad_code"))
		}
		return nil
	})
}

// rowRun runs a step on the attendance row ref (staff and leaders' actions).
func (s *Service) rowRun(ctx context.Context, actor *auth.Actor, ref Ref, a Action, fn func(o *op, r *Attendance) error) (*Attendance, error) {
	ids, err := db.Column[int64](ctx, s.DB, `SELECT activity_id FROM activity_attendance WHERE id = $1`, ref.ID)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, apperr.ErrNotFound
	}
	var out *Attendance
	_, err = s.run(ctx, actor, Ref{ID: ids[0]}, func(o *op) error {
		rows, err := db.Query(o.ctx, o.tx, scanAtt, `SELECT `+attCols+attFrom+` WHERE t.id = $1 AND t.activity_id = $2`+o.s.DB.ForUpdate("t"), ref.ID, o.a.ID)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return apperr.ErrNotFound
		}
		r := &rows[0]
		if ref.Version != 0 && ref.Version != r.Version {
			return apperr.ErrConflict
		}
		before := *r
		next, err := o.step(r, a)
		if err != nil {
			return err
		}
		r.Status = next
		if fn != nil {
			if err := fn(o, r); err != nil {
				return err
			}
		}
		if err := o.saveRow(r, before, a); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}

// ApproveLeave grants a leave request (准假).
func (s *Service) ApproveLeave(ctx context.Context, actor *auth.Actor, row Ref) (*Attendance, error) {
	return s.rowRun(ctx, actor, row, ActApproveLeave, func(o *op, r *Attendance) error {
		r.DecidedBy = o.actor.UserID
		return nil
	})
}

// RefuseLeave refuses a leave request (不准假): the member is still expected.
func (s *Service) RefuseLeave(ctx context.Context, actor *auth.Actor, row Ref) (*Attendance, error) {
	return s.rowRun(ctx, actor, row, ActRefuseLeave, func(o *op, r *Attendance) error {
		r.DecidedBy = o.actor.UserID
		return nil
	})
}

// SetRole gives a member a role in the activity (发言人, 执笔人) or takes it away.
func (s *Service) SetRole(ctx context.Context, actor *auth.Actor, row Ref, role Role) (*Attendance, error) {
	return s.rowRun(ctx, actor, row, ActSetRole, func(o *op, r *Attendance) error {
		if !role.Valid() {
			return apperr.Fields(apperr.Field("role", "err.form.bad_choice"))
		}
		r.Role = role
		return nil
	})
}

// Invite invites members to an activity (通知参加); members already invited or
// signed up are left as they are. Every person must be a serving member.
func (s *Service) Invite(ctx context.Context, actor *auth.Actor, ref Ref, personIDs []int64) (int, error) {
	n := 0
	_, err := s.run(ctx, actor, ref, func(o *op) error {
		var err error
		n, err = o.invite(personIDs, false)
		return err
	})
	return n, err
}

// InviteServing invites every serving member (every standing member for a
// 常委会议) who is not yet on the activity's roll.
func (s *Service) InviteServing(ctx context.Context, actor *auth.Actor, ref Ref) (int, error) {
	n := 0
	_, err := s.run(ctx, actor, ref, func(o *op) error {
		q := servingSQL
		if o.a.Kind == KindStanding {
			q += ` AND m.is_standing`
		}
		ids, err := db.Column[int64](o.ctx, o.tx, q, o.a.CommitteeID)
		if err != nil {
			return err
		}
		n, err = o.invite(ids, true)
		return err
	})
	return n, err
}

// invite adds Registered rows for the people without one.
func (o *op) invite(personIDs []int64, all bool) (int, error) {
	rels := relations(o.actor, o.a.CommitteeID, 0)
	if _, err := checkAttendance(o.a.State, None, ActInvite, rels); err != nil {
		return 0, err
	}
	if len(personIDs) == 0 {
		if all {
			return 0, nil
		}
		return 0, apperr.Fields(apperr.Field("person_ids", "err.activity.required"))
	}
	okIDs, err := db.Column[int64](o.ctx, o.tx, servingSQL, o.a.CommitteeID)
	if err != nil {
		return 0, err
	}
	have, err := db.Column[int64](o.ctx, o.tx, `SELECT person_id FROM activity_attendance WHERE activity_id = $1`, o.a.ID)
	if err != nil {
		return 0, err
	}
	var add []int64
	for _, p := range personIDs {
		if !slices.Contains(okIDs, p) {
			return 0, apperr.Fields(apperr.Field("person_ids", "err.activity.not_serving_id", map[string]any{"ID": p}))
		}
		if !slices.Contains(have, p) && !slices.Contains(add, p) {
			add = append(add, p)
		}
	}
	rows := make([]newRow, len(add))
	for i, p := range add {
		rows[i] = newRow{person: p, status: Registered}
	}
	if err := o.insertRows(rows); err != nil {
		return 0, err
	}
	if o.a.State != Held {
		if err := o.notifyPeople(add, "invited"); err != nil {
			return 0, err
		}
	}
	return len(add), o.record("activity."+string(ActInvite), EntityActivity, o.a.ID, nil, map[string]any{"invited": add})
}

type newRow struct {
	person int64
	status Status
	role   Role
}

// insertRows adds attendance rows in batches.
func (o *op) insertRows(rows []newRow) error {
	now := db.Now()
	const chunk = 100 // 5 arguments each
	for start := 0; start < len(rows); start += chunk {
		part := rows[start:min(start+chunk, len(rows))]
		var b db.Args
		vals := make([]string, len(part))
		c, act, at := b.Add(o.a.CommitteeID), b.Add(o.a.ID), b.Add(now)
		for i, r := range part {
			vals[i] = `(` + c + `, ` + act + `, ` + b.Add(r.person) + `, ` + b.Add(r.status) + `, ` + b.Add(r.role) + `, 1, ` + at + `, ` + at + `)`
		}
		if _, err := o.tx.ExecContext(o.ctx, `INSERT INTO activity_attendance (committee_id, activity_id, person_id, status, role,
			version, created_at, updated_at) VALUES `+strings.Join(vals, ", "), b...); err != nil {
			return err
		}
	}
	return nil
}

// Mark is one member's attendance as staff record it.
type Mark struct {
	PersonID int64  `json:"person_id"`
	Status   Status `json:"status"` // attended, absent or leave_approved
	Role     Role   `json:"role,omitempty"`
}

// markActions maps a recorded status to the table's action.
var markActions = map[Status]Action{Attended: ActMarkAttended, Absent: ActMarkAbsent, LeaveApproved: ActRecordLeave}

// MarkAttendance records the attendance of many members in one action (staff):
// every mark is checked against the table first, and nothing is written unless
// all are allowed. It returns the number of rows changed.
func (s *Service) MarkAttendance(ctx context.Context, actor *auth.Actor, ref Ref, marks []Mark) (int, error) {
	n := 0
	_, err := s.run(ctx, actor, ref, func(o *op) error {
		var err error
		n, err = o.mark(marks)
		return err
	})
	return n, err
}

func (o *op) mark(marks []Mark) (int, error) {
	if len(marks) == 0 {
		return 0, nil
	}
	var b db.Args
	ids := make([]int64, len(marks))
	for i, m := range marks {
		ids[i] = m.PersonID
	}
	people, err := db.Column[int64](o.ctx, o.tx, `SELECT id FROM people WHERE committee_id = `+b.Add(o.a.CommitteeID)+` AND id IN `+db.In(&b, ids), b...)
	if err != nil {
		return 0, err
	}
	existing, err := listAttendance(o.ctx, o.tx, o.a.ID, 0)
	if err != nil {
		return 0, err
	}
	cur := map[int64]Attendance{}
	for _, r := range existing {
		cur[r.PersonID] = r
	}
	rels := relations(o.actor, o.a.CommitteeID, 0)
	var fs []apperr.FieldError
	seen := map[int64]bool{}
	type change struct {
		person   int64
		from, to Status
		role     Role
		roleSet  bool
	}
	var chs []change
	for _, m := range marks {
		field := fmt.Sprintf("person_%d", m.PersonID)
		if !slices.Contains(people, m.PersonID) {
			fs = append(fs, apperr.Field(field, "err.activity.no_such_member"))
			continue
		}
		if seen[m.PersonID] {
			fs = append(fs, apperr.Field(field, "err.activity.duplicate_member"))
			continue
		}
		seen[m.PersonID] = true
		act, ok := markActions[m.Status]
		if !ok || !m.Role.Valid() {
			fs = append(fs, apperr.Field(field, "err.form.bad_choice"))
			continue
		}
		from := None
		if r, ok := cur[m.PersonID]; ok {
			from = r.Status
		}
		if from == m.Status && (m.Role == "" || m.Role == cur[m.PersonID].Role) {
			continue // already so
		}
		to := from
		if from != m.Status {
			if to, err = checkAttendance(o.a.State, from, act, rels); err != nil {
				if apperr.CodeOf(err) == apperr.Forbidden {
					return 0, err
				}
				fs = append(fs, apperr.Field(field, apperr.As(err).Key))
				continue
			}
		}
		if m.Role != "" {
			if _, err := checkAttendance(o.a.State, to, ActSetRole, rels); err != nil {
				fs = append(fs, apperr.Field(field, "err.activity.role_not_now"))
				continue
			}
		}
		chs = append(chs, change{person: m.PersonID, from: from, to: to, role: m.Role, roleSet: m.Role != ""})
	}
	if len(fs) > 0 {
		return 0, apperr.Fields(fs...)
	}
	// Write: new rows in batches, existing rows by target status.
	var inserts []newRow
	byTo := map[Status][]int64{}
	var log []map[string]any
	now := db.Now()
	for _, c := range chs {
		log = append(log, map[string]any{"person_id": c.person, "from": c.from, "to": c.to, "role": c.role})
		if c.from == None {
			inserts = append(inserts, newRow{person: c.person, status: c.to, role: c.role})
			continue
		}
		if c.from != c.to {
			byTo[c.to] = append(byTo[c.to], c.person)
		}
		if c.roleSet {
			if _, err := o.tx.ExecContext(o.ctx, `UPDATE activity_attendance SET role = $1, version = version + 1, updated_at = $2
				WHERE activity_id = $3 AND person_id = $4`, c.role, now, o.a.ID, c.person); err != nil {
				return 0, err
			}
		}
	}
	if err := o.insertRows(inserts); err != nil {
		return 0, err
	}
	for _, to := range AllStatuses {
		ps := byTo[to]
		if len(ps) == 0 {
			continue
		}
		var b db.Args
		q := `UPDATE activity_attendance SET status = ` + b.Add(to) + `, version = version + 1, updated_at = ` + b.Add(now) +
			` WHERE activity_id = ` + b.Add(o.a.ID) + ` AND person_id IN ` + db.In(&b, ps)
		if _, err := o.tx.ExecContext(o.ctx, q, b...); err != nil {
			return 0, err
		}
	}
	if len(chs) == 0 {
		return 0, nil
	}
	return len(chs), o.record("activity.mark", EntityActivity, o.a.ID, nil, map[string]any{"marks": log})
}

// notifyPeople sends the members' accounts a notification about this activity.
func (o *op) notifyPeople(people []int64, kind string) error {
	if len(people) == 0 {
		return nil
	}
	var b db.Args
	users, err := db.Column[int64](o.ctx, o.tx, `SELECT id FROM users WHERE committee_id = `+b.Add(o.a.CommitteeID)+
		` AND NOT disabled AND person_id IN `+db.In(&b, people), b...)
	if err != nil {
		return err
	}
	return notify.Send(o.ctx, o.tx, o.a.CommitteeID, users, "activity."+kind, "notify.activity."+kind,
		map[string]any{"Title": o.a.Title, "On": o.a.StartsOn.String()}, actURL(o.a.ID))
}
