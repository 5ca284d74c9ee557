package activity

import (
	"context"
	"database/sql"
	"strconv"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Detail is an activity with what the reader may see of its roll and what
// they may do now (Can, RowCan, MyCan: computed by the same tables the use
// cases check, so pages and API clients never re-implement the rules).
type Detail struct {
	Activity
	// Attendance is the roll: every row for committee readers, the reader's own row for a member.
	Attendance []Attendance       `json:"attendance"`
	Counts     map[Status]int     `json:"counts"`
	Mine       *Attendance        `json:"mine,omitempty"`
	Can        []Action           `json:"can"`               // activity actions (edit, open, hold, cancel) and invite/mark
	MyCan      []Action           `json:"my_can"`            // the reader's own steps (sign_up, withdraw, request_leave, check_in)
	RowCan     map[int64][]Action `json:"row_can,omitempty"` // per attendance row id: approve_leave, refuse_leave, set_role …
	Outputs    []Output           `json:"outputs"`
	Guests     []Guest            `json:"guests"` // invited leaders and units (guests.go)
	// Code is the check-in code, shown to staff while the activity is open.
	Code string `json:"code,omitempty"`
	// Editable is whether the reader may act in the activity's committee (not a higher committee's reader).
	Editable bool `json:"editable"`
}

// Get returns an activity the actor may read (else apperr.ErrNotFound).
func (s *Service) Get(ctx context.Context, actor *auth.Actor, id int64) (*Detail, error) {
	var d *Detail
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		a, err := loadActivity(ctx, tx, id, "")
		if err != nil {
			return err
		}
		ok, err := sees(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.ErrNotFound
		}
		d = &Detail{Activity: *a, Editable: actor.CommitteeID == a.CommitteeID}
		readsAll := auth.Can(actor, PermView)
		var who int64
		if !readsAll {
			who = -1
			if actor.PersonID != 0 {
				who = actor.PersonID
			}
		}
		if d.Attendance, err = listAttendance(ctx, tx, id, who); err != nil {
			return err
		}
		if d.Counts, err = statusCounts(ctx, tx, id); err != nil {
			return err
		}
		if d.Guests, err = listGuests(ctx, tx, id); err != nil {
			return err
		}
		if actor.PersonID != 0 {
			if d.Mine, err = attendanceOf(ctx, tx, id, actor.PersonID); err != nil {
				return err
			}
		}
		if readsAll {
			if d.Outputs, err = listOutputs(ctx, tx, OutputFilter{CommitteeID: a.CommitteeID, ActivityID: id, PageSize: -1}); err != nil {
				return err
			}
		}
		d.fillCan(actor)
		return nil
	})
	return d, err
}

// fillCan computes the actions from the tables.
func (d *Detail) fillCan(actor *auth.Actor) {
	if !d.Editable {
		return
	}
	rels := relations(actor, d.CommitteeID, 0)
	for _, a := range []Action{ActEdit, ActOpen, ActHold, ActCancel, ActGuests} {
		if _, ok := Next(d.State, a, rels); ok {
			d.Can = append(d.Can, a)
		}
	}
	if _, ok := NextStatus(d.State, None, ActInvite, rels); ok {
		d.Can = append(d.Can, ActInvite)
	}
	if _, ok := NextStatus(d.State, None, ActMarkAttended, rels); ok {
		d.Can = append(d.Can, ActMarkAttended)
	}
	if d.State == Open && slicesContains(d.Can, ActHold) {
		d.Code = d.CheckinCode
	}
	if actor.PersonID != 0 {
		mine := None
		if d.Mine != nil {
			mine = d.Mine.Status
		}
		self := relations(actor, d.CommitteeID, actor.PersonID)
		for _, a := range []Action{ActSignUp, ActWithdraw, ActRequestLeave, ActCheckIn} {
			if (a == ActSignUp || a == ActWithdraw) && d.Mandatory {
				continue
			}
			if _, ok := NextStatus(d.State, mine, a, self); ok {
				d.MyCan = append(d.MyCan, a)
			}
		}
	}
	for _, r := range d.Attendance {
		rr := relations(actor, d.CommitteeID, r.PersonID)
		for _, a := range []Action{ActApproveLeave, ActRefuseLeave, ActSetRole} {
			if _, ok := NextStatus(d.State, r.Status, a, rr); ok {
				if d.RowCan == nil {
					d.RowCan = map[int64][]Action{}
				}
				d.RowCan[r.ID] = append(d.RowCan[r.ID], a)
			}
		}
	}
}

func slicesContains(as []Action, a Action) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

// CanDo reports whether action a is listed in the detail's Can, MyCan or any row's RowCan.
func (d *Detail) CanDo(a string) bool {
	if slicesContains(d.Can, Action(a)) || slicesContains(d.MyCan, Action(a)) {
		return true
	}
	return false
}

// RowCanDo reports whether action a is possible on attendance row id.
func (d *Detail) RowCanDo(id int64, a string) bool { return slicesContains(d.RowCan[id], Action(a)) }

// Filter selects activities for List.
type Filter struct {
	CommitteeID int64 `json:"committee_id"`
	Kind        Kind  `json:"kind,omitempty"`
	Year        int   `json:"year,omitempty"`
	State       State `json:"state,omitempty"`
	GroupID     int64 `json:"group_id,omitempty"`     // organised by this group (专委会、界别)
	PlanItemID  int64 `json:"plan_item_id,omitempty"` // carrying out this plan item
	Page        int   `json:"page,omitempty"`         // 1-based
	PageSize    int   `json:"-"`                      // 0: ListPageSize; -1: every row (exports)
}

// ListPageSize is the number of activities on one page of the list.
const ListPageSize = 50

// Item is one row of the activity list.
type Item struct {
	Activity
	Invited  int `json:"invited"`
	Attended int `json:"attended"`
	Leave    int `json:"leave"`
}

// List returns one page of the activities the actor may read in a committee,
// newest first, and the total.
func (s *Service) List(ctx context.Context, actor *auth.Actor, f Filter) ([]Item, int, error) {
	var items []Item
	total := 0
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if actor == nil {
			return apperr.New(apperr.Unauthorized, "err.unauthorized")
		}
		sc, err := auth.LoadScope(ctx, tx, f.CommitteeID)
		if err != nil {
			return err
		}
		if !auth.Sees(actor, sc) {
			return apperr.ErrNotFound
		}
		if f.Kind != "" && !f.Kind.Valid() {
			return apperr.Fields(apperr.Field("kind", "err.form.bad_choice"))
		}
		var b db.Args
		where := `a.committee_id = ` + b.Add(f.CommitteeID) + ` AND ` + visibleSQL(b.Add, actor)
		if f.GroupID != 0 {
			where += ` AND a.group_id = ` + b.Add(f.GroupID)
		}
		if f.PlanItemID != 0 {
			where += ` AND a.plan_item_id = ` + b.Add(f.PlanItemID)
		}
		if f.Kind != "" {
			where += ` AND a.kind = ` + b.Add(f.Kind)
		}
		if f.State != "" {
			where += ` AND a.state = ` + b.Add(f.State)
		}
		if f.Year != 0 {
			y := strconv.Itoa(f.Year)
			where += ` AND a.starts_on >= ` + b.Add(y+"-01-01") + ` AND a.starts_on <= ` + b.Add(y+"-12-31")
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM activities a WHERE `+where, b...).Scan(&total); err != nil {
			return err
		}
		size := f.PageSize
		if size == 0 {
			size = ListPageSize
		}
		limit := ""
		if size > 0 {
			page := max(f.Page, 1)
			limit = ` LIMIT ` + strconv.Itoa(size) + ` OFFSET ` + strconv.Itoa((page-1)*size)
		}
		items, err = db.Query(ctx, tx, scanItem, `SELECT `+activityCols+`,
			(SELECT COUNT(*) FROM activity_attendance t WHERE t.committee_id = a.committee_id AND t.activity_id = a.id),
			(SELECT COUNT(*) FROM activity_attendance t WHERE t.committee_id = a.committee_id AND t.activity_id = a.id AND t.status IN ('attended','checked_in')),
			(SELECT COUNT(*) FROM activity_attendance t WHERE t.committee_id = a.committee_id AND t.activity_id = a.id AND t.status = 'leave_approved')`+
			activityFrom+` WHERE `+where+` ORDER BY a.starts_on DESC, a.id DESC`+limit, b...)
		return err
	})
	return items, total, err
}

func scanItem(sc db.Scanner) (Item, error) {
	var it Item
	a := &it.Activity
	err := sc.Scan(&a.ID, &a.CommitteeID, &a.Kind, &a.Title, &a.Place, &a.StartsOn, &a.StartsAt, &a.EndsAt,
		&a.GroupID, &a.GroupName, &a.PlanItemID, &a.Mandatory, &a.Capacity, &a.State,
		&a.CheckinCode, &a.Notes, &a.CancelReason, &a.EnteredLater, &a.EnteredBy, &a.EnteredByName,
		&a.EnteredAt, &a.Version, &a.CreatedAt, &a.UpdatedAt, &it.Invited, &it.Attended, &it.Leave)
	it.CheckinCode = ""
	return it, err
}

// Entry is one activity on a member's calendar.
type Entry struct {
	Activity
	Status Status `json:"status"` // the member's status ("" for a sign-up activity they have not joined)
	Role   Role   `json:"role,omitempty"`
}

// Calendar returns the acting member's activities from..to (inclusive): those
// they are on the roll of, and the sign-up activities of their committee still
// open to them. Cancelled activities are shown only if they were on the roll.
func (s *Service) Calendar(ctx context.Context, actor *auth.Actor, from, to civil.Date) ([]Entry, error) {
	if actor == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	if actor.PersonID == 0 || !auth.Can(actor, PermJoin) {
		return nil, nil
	}
	var out []Entry
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		var b db.Args
		c, p := b.Add(actor.CommitteeID), b.Add(actor.PersonID)
		where := `a.committee_id = ` + c + ` AND a.starts_on >= ` + b.Add(from) + ` AND a.starts_on <= ` + b.Add(to) +
			` AND ` + visibleSQL(b.Add, actor) + ` AND (t.id IS NOT NULL OR (NOT a.mandatory AND a.state IN ('PLANNED','OPEN')))`
		var err error
		out, err = db.Query(ctx, tx, func(sc db.Scanner) (Entry, error) {
			var e Entry
			a := &e.Activity
			err := sc.Scan(&a.ID, &a.CommitteeID, &a.Kind, &a.Title, &a.Place, &a.StartsOn, &a.StartsAt, &a.EndsAt,
				&a.GroupID, &a.GroupName, &a.PlanItemID, &a.Mandatory, &a.Capacity, &a.State,
				&a.CheckinCode, &a.Notes, &a.CancelReason, &a.EnteredLater, &a.EnteredBy, &a.EnteredByName,
				&a.EnteredAt, &a.Version, &a.CreatedAt, &a.UpdatedAt, &e.Status, &e.Role)
			a.CheckinCode = ""
			return e, err
		}, `SELECT `+activityCols+`, COALESCE(t.status, ''), COALESCE(t.role, '')`+activityFrom+
			` LEFT JOIN activity_attendance t ON t.committee_id = a.committee_id AND t.activity_id = a.id AND t.person_id = `+p+
			` WHERE `+where+` ORDER BY a.starts_on, a.starts_at, a.id`, b...)
		return err
	})
	return out, err
}

// Person is a member offered by a form (invitation, walk-ins).
type Person struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// OffRoll lists the serving members of an activity's committee who are not on
// its roll (staff: for inviting and recording walk-ins).
func (s *Service) OffRoll(ctx context.Context, actor *auth.Actor, id int64) ([]Person, error) {
	var out []Person
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		a, err := loadActivity(ctx, tx, id, "")
		if err != nil {
			return err
		}
		if _, err := auth.CheckScope(ctx, tx, actor, PermManage, a.CommitteeID); err != nil {
			return err
		}
		out, err = db.Query(ctx, tx, func(sc db.Scanner) (Person, error) {
			var p Person
			return p, sc.Scan(&p.ID, &p.Name)
		}, `SELECT p.id, p.name FROM people p WHERE p.committee_id = $1 AND p.id IN (`+servingSQL+`)
			AND p.id NOT IN (SELECT t.person_id FROM activity_attendance t WHERE t.activity_id = $2) ORDER BY p.name, p.id`, a.CommitteeID, id)
		return err
	})
	return out, err
}

// Members lists the committee's serving members (staff forms: who submitted a 社情民意).
func (s *Service) Members(ctx context.Context, actor *auth.Actor, committeeID int64) ([]Person, error) {
	var out []Person
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermManage, committeeID); err != nil {
			return err
		}
		var err error
		out, err = db.Query(ctx, tx, func(sc db.Scanner) (Person, error) {
			var p Person
			return p, sc.Scan(&p.ID, &p.Name)
		}, `SELECT p.id, p.name FROM people p WHERE p.committee_id = $1 AND p.id IN (`+servingSQL+`) ORDER BY p.name, p.id`, committeeID)
		return err
	})
	return out, err
}

// Count is the number of roll rows in status st (for pages).
func (d *Detail) Count(st string) int { return d.Counts[Status(st)] }
