package activity

import (
	"context"
	"database/sql"
	"errors"

	"lvzhi/internal/apperr"
	"lvzhi/internal/db"
)

const activityCols = `a.id, a.committee_id, a.kind, a.title, a.place, a.starts_on, a.starts_at, a.ends_at,
	COALESCE(a.group_id, 0), COALESCE(g.name, ''), COALESCE(a.plan_item_id, 0), a.mandatory, a.capacity, a.state,
	a.checkin_code, a.notes, a.cancel_reason, a.entered_later, COALESCE(a.entered_by, 0), COALESCE(u.display_name, ''),
	a.entered_at, a.version, a.created_at, a.updated_at`

const activityFrom = ` FROM activities a LEFT JOIN org_groups g ON g.id = a.group_id LEFT JOIN users u ON u.id = a.entered_by`

func scanActivity(sc db.Scanner) (Activity, error) {
	var a Activity
	err := sc.Scan(&a.ID, &a.CommitteeID, &a.Kind, &a.Title, &a.Place, &a.StartsOn, &a.StartsAt, &a.EndsAt,
		&a.GroupID, &a.GroupName, &a.PlanItemID, &a.Mandatory, &a.Capacity, &a.State,
		&a.CheckinCode, &a.Notes, &a.CancelReason, &a.EnteredLater, &a.EnteredBy, &a.EnteredByName,
		&a.EnteredAt, &a.Version, &a.CreatedAt, &a.UpdatedAt)
	return a, err
}

// loadActivity reads one activity (suffix: " FOR UPDATE" on PostgreSQL in use cases).
func loadActivity(ctx context.Context, q db.Querier, id int64, suffix string) (*Activity, error) {
	a, err := scanActivity(q.QueryRowContext(ctx, `SELECT `+activityCols+activityFrom+` WHERE a.id = $1`+suffix, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return &a, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func insertActivity(ctx context.Context, tx *sql.Tx, a *Activity, createdBy int64) error {
	now := db.Now()
	a.CreatedAt, a.UpdatedAt, a.Version = db.Time{Time: now}, db.Time{Time: now}, 1
	return tx.QueryRowContext(ctx, `INSERT INTO activities (committee_id, kind, title, place, starts_on, starts_at, ends_at,
		group_id, plan_item_id, mandatory, capacity, state, checkin_code, notes, entered_later, entered_by, entered_at,
		created_by, version, created_at, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,1,$19,$19) RETURNING id`,
		a.CommitteeID, a.Kind, a.Title, a.Place, a.StartsOn, a.StartsAt, a.EndsAt, nullID(a.GroupID), nullID(a.PlanItemID),
		a.Mandatory, a.Capacity, a.State, a.CheckinCode, a.Notes, a.EnteredLater, nullID(a.EnteredBy), a.EnteredAt,
		nullID(createdBy), now).Scan(&a.ID)
}

// saveActivity writes a loaded activity back, bumping its version (which
// serializes concurrent use cases on one activity).
func saveActivity(ctx context.Context, tx *sql.Tx, a *Activity) error {
	a.UpdatedAt = db.Time{Time: db.Now()}
	err := db.ExecVersioned(ctx, tx, `UPDATE activities SET kind = $1, title = $2, place = $3, starts_on = $4, starts_at = $5,
		ends_at = $6, group_id = $7, plan_item_id = $8, mandatory = $9, capacity = $10, state = $11, checkin_code = $12,
		notes = $13, cancel_reason = $14, updated_at = $15, version = version + 1 WHERE id = $16 AND version = $17`,
		a.Kind, a.Title, a.Place, a.StartsOn, a.StartsAt, a.EndsAt, nullID(a.GroupID), nullID(a.PlanItemID), a.Mandatory,
		a.Capacity, a.State, a.CheckinCode, a.Notes, a.CancelReason, a.UpdatedAt, a.ID, a.Version)
	if err == nil {
		a.Version++
	}
	return err
}

const attCols = `t.id, t.activity_id, t.person_id, p.name, t.status, t.role, t.leave_reason, COALESCE(t.decided_by, 0), t.version, t.updated_at`

const attFrom = ` FROM activity_attendance t JOIN people p ON p.id = t.person_id`

func scanAtt(sc db.Scanner) (Attendance, error) {
	var r Attendance
	err := sc.Scan(&r.ID, &r.ActivityID, &r.PersonID, &r.Name, &r.Status, &r.Role, &r.LeaveReason, &r.DecidedBy, &r.Version, &r.UpdatedAt)
	return r, err
}

// listAttendance returns an activity's rows by name (personID != 0: that person's row only).
func listAttendance(ctx context.Context, q db.Querier, activityID, personID int64) ([]Attendance, error) {
	var b db.Args
	where := `t.activity_id = ` + b.Add(activityID)
	if personID != 0 {
		where += ` AND t.person_id = ` + b.Add(personID)
	}
	return db.Query(ctx, q, scanAtt, `SELECT `+attCols+attFrom+` WHERE `+where+` ORDER BY p.name, t.id`, b...)
}

// attendanceOf returns the person's row in the activity, or nil.
func attendanceOf(ctx context.Context, q db.Querier, activityID, personID int64) (*Attendance, error) {
	rs, err := listAttendance(ctx, q, activityID, personID)
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return &rs[0], nil
}

// statusCounts counts an activity's rows by status.
func statusCounts(ctx context.Context, q db.Querier, activityID int64) (map[Status]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT status, COUNT(*) FROM activity_attendance WHERE activity_id = $1 GROUP BY status`, activityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[Status]int{}
	for rows.Next() {
		var st Status
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

// servingSQL selects the person ids of a committee's serving members: active
// memberships of its current term ($1: the committee).
const servingSQL = `SELECT m.person_id FROM memberships m WHERE m.committee_id = $1 AND m.status = 'active'
	AND m.term_id = (SELECT t.id FROM terms t WHERE t.committee_id = $1 ORDER BY t.number DESC LIMIT 1)`
