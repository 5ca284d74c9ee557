package activity

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

// The consultation plan (年度协商计划): items drafted by the secretariat,
// reviewed by the chair's meeting and approved by the Party committee; each
// item is carried out by the activities linked to it (activities.plan_item_id).
// An item is done when a linked activity was held, late when it is approved,
// not done and its month is over.

// PlanState is a plan item's state.
type PlanState string

// The plan states and their steps.
const (
	PlanDrafted  PlanState = "drafted"
	PlanReviewed PlanState = "reviewed"
	PlanApproved PlanState = "approved"

	PlanEdit    Action = "plan_edit"    // 修改 (only while drafted: what was reviewed stays as reviewed)
	PlanReview  Action = "plan_review"  // 主席会议审议
	PlanApprove Action = "plan_approve" // 党委批准
)

// PlanTable is the plan workflow (staff record each step).
var PlanTable = map[PlanState]map[Action]PlanState{
	PlanDrafted:  {PlanEdit: PlanDrafted, PlanReview: PlanReviewed},
	PlanReviewed: {PlanApprove: PlanApproved},
}

// PlanItem is one item of the plan.
type PlanItem struct {
	ID        int64      `json:"id"`
	Year      int        `json:"year"`
	Month     int        `json:"month"`
	DueOn     civil.Date `json:"due_on"` // the last day of the month
	Topic     string     `json:"topic"`
	Form      Kind       `json:"form"`
	GroupID   int64      `json:"group_id,omitempty"`
	GroupName string     `json:"group_name,omitempty"`
	State     PlanState  `json:"state"`
	Version   int        `json:"version"`
	Held      int        `json:"held"` // linked activities held
	Late      bool       `json:"late"`
}

// PlanInput is a new plan item.
type PlanInput struct {
	Year    int    `json:"year"`
	Month   int    `json:"month"`
	Topic   string `json:"topic"`
	Form    Kind   `json:"form"`
	GroupID int64  `json:"group_id"`
}

// lastDay is the last day of a month.
func lastDay(year, month int) civil.Date {
	return civil.MustParse(fmt.Sprintf("%04d-%02d-01", year, month)).AddMonths(1).AddDays(-1)
}

// validate checks a plan item's input against the committee's groups.
func (in *PlanInput) validate(ctx context.Context, tx *sql.Tx, committeeID int64) error {
	in.Topic = strings.TrimSpace(in.Topic)
	fs := checkText(nil, "topic", in.Topic, 200, true)
	if in.Year < 1900 || in.Year > 9999 {
		fs = append(fs, outOfRange("year", 1900, 9999))
	}
	if in.Month < 1 || in.Month > 12 {
		fs = append(fs, outOfRange("month", 1, 12))
	}
	if !in.Form.Valid() {
		fs = append(fs, apperr.Field("form", "err.form.bad_choice"))
	}
	if in.GroupID != 0 && !exists(ctx, tx, `SELECT COUNT(*) FROM org_groups WHERE id = $1 AND committee_id = $2`, in.GroupID, committeeID) {
		fs = append(fs, apperr.Field("group_id", "err.form.bad_choice"))
	}
	return orInvalid(fs)
}

// EditPlanItem changes a drafted plan item (staff; ref's version when not 0).
func (s *Service) EditPlanItem(ctx context.Context, actor *auth.Actor, ref Ref, in PlanInput) (*PlanItem, error) {
	c, err := committeeOf(ctx, s.DB, "activity_plan_items", ref.ID)
	if err != nil {
		return nil, err
	}
	var out *PlanItem
	err = s.write(ctx, actor, c, PermManage, func(tx *sql.Tx) error {
		items, err := s.plan(ctx, tx, c, 0, ref.ID)
		if err != nil || len(items) == 0 {
			return err
		}
		before := items[0]
		if ref.Version != 0 && ref.Version != before.Version {
			return apperr.ErrConflict
		}
		if _, ok := PlanTable[before.State][PlanEdit]; !ok {
			return apperr.New(apperr.Conflict, "err.activity.plan_state."+string(before.State))
		}
		if err := in.validate(ctx, tx, c); err != nil {
			return err
		}
		if err := db.ExecVersioned(ctx, tx, `UPDATE activity_plan_items SET year = $1, month = $2, due_on = $3, topic = $4, form = $5,
			group_id = $6, version = version + 1, updated_at = $7 WHERE id = $8 AND version = $9`,
			in.Year, in.Month, lastDay(in.Year, in.Month), in.Topic, in.Form, nullID(in.GroupID), db.Now(), ref.ID, before.Version); err != nil {
			return err
		}
		if items, err = s.plan(ctx, tx, c, 0, ref.ID); err != nil {
			return err
		}
		out = &items[0]
		return recordChange(ctx, tx, actor, c, "activity."+string(PlanEdit), "activity_plan_item", ref.ID, before, out)
	})
	return out, err
}

// PlanItemOf returns one plan item (committee readers).
func (s *Service) PlanItemOf(ctx context.Context, actor *auth.Actor, id int64) (*PlanItem, error) {
	c, err := committeeOf(ctx, s.DB, "activity_plan_items", id)
	if err != nil {
		return nil, err
	}
	var out *PlanItem
	err = s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermView, c); err != nil {
			return err
		}
		items, err := s.plan(ctx, tx, c, 0, id)
		if err == nil && len(items) == 1 {
			out = &items[0]
		}
		return err
	})
	return out, err
}

// AddPlanItem drafts a plan item (staff).
func (s *Service) AddPlanItem(ctx context.Context, actor *auth.Actor, committeeID int64, in PlanInput) (*PlanItem, error) {
	var out *PlanItem
	err := s.write(ctx, actor, committeeID, PermManage, func(tx *sql.Tx) error {
		if err := in.validate(ctx, tx, committeeID); err != nil {
			return err
		}
		p := PlanItem{Year: in.Year, Month: in.Month, DueOn: lastDay(in.Year, in.Month), Topic: in.Topic, Form: in.Form,
			GroupID: in.GroupID, State: PlanDrafted, Version: 1}
		now := db.Now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO activity_plan_items (committee_id, year, month, due_on, topic, form, group_id, state,
			version, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,'drafted',1,$8,$8) RETURNING id`,
			committeeID, p.Year, p.Month, p.DueOn, p.Topic, p.Form, nullID(p.GroupID), now).Scan(&p.ID); err != nil {
			return err
		}
		out = &p
		return recordChange(ctx, tx, actor, committeeID, "activity.plan_create", "activity_plan_item", p.ID, nil, p)
	})
	return out, err
}

// StepPlanItem records a review or approval of a plan item (staff).
func (s *Service) StepPlanItem(ctx context.Context, actor *auth.Actor, ref Ref, a Action) (*PlanItem, error) {
	c, err := committeeOf(ctx, s.DB, "activity_plan_items", ref.ID)
	if err != nil {
		return nil, err
	}
	var out *PlanItem
	err = s.write(ctx, actor, c, PermManage, func(tx *sql.Tx) error {
		var st PlanState
		var v int
		if err := tx.QueryRowContext(ctx, `SELECT state, version FROM activity_plan_items WHERE id = $1`, ref.ID).Scan(&st, &v); err != nil {
			return err
		}
		if ref.Version != 0 && ref.Version != v {
			return apperr.ErrConflict
		}
		next, ok := PlanTable[st][a]
		if !ok {
			return apperr.New(apperr.Conflict, "err.activity.plan_state."+string(st))
		}
		if err := db.ExecVersioned(ctx, tx, `UPDATE activity_plan_items SET state = $1, version = version + 1, updated_at = $2
			WHERE id = $3 AND version = $4`, next, db.Now(), ref.ID, v); err != nil {
			return err
		}
		items, err := s.plan(ctx, tx, c, 0, ref.ID)
		if err != nil || len(items) == 0 {
			return err
		}
		out = &items[0]
		return recordChange(ctx, tx, actor, c, "activity."+string(a), "activity_plan_item", ref.ID, map[string]any{"state": st}, map[string]any{"state": next})
	})
	return out, err
}

// Plan lists a committee's plan items of a year (committee readers) with what is done and late.
func (s *Service) Plan(ctx context.Context, actor *auth.Actor, committeeID int64, year int) ([]PlanItem, error) {
	var out []PlanItem
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermView, committeeID); err != nil {
			return err
		}
		var err error
		out, err = s.plan(ctx, tx, committeeID, year, 0)
		return err
	})
	return out, err
}

func (s *Service) plan(ctx context.Context, q db.Querier, committeeID int64, year int, id int64) ([]PlanItem, error) {
	var b db.Args
	where := `i.committee_id = ` + b.Add(committeeID)
	if year != 0 {
		where += ` AND i.year = ` + b.Add(year)
	}
	if id != 0 {
		where += ` AND i.id = ` + b.Add(id)
	}
	today := s.today()
	return db.Query(ctx, q, func(sc db.Scanner) (PlanItem, error) {
		var p PlanItem
		err := sc.Scan(&p.ID, &p.Year, &p.Month, &p.DueOn, &p.Topic, &p.Form, &p.GroupID, &p.GroupName, &p.State, &p.Version, &p.Held)
		p.Late = p.State == PlanApproved && p.Held == 0 && p.DueOn.Before(today)
		return p, err
	}, `SELECT i.id, i.year, i.month, i.due_on, i.topic, i.form, COALESCE(i.group_id, 0), COALESCE(g.name, ''), i.state, i.version,
		(SELECT COUNT(*) FROM activities a WHERE a.committee_id = i.committee_id AND a.plan_item_id = i.id AND a.state = 'HELD')
		FROM activity_plan_items i LEFT JOIN org_groups g ON g.id = i.group_id WHERE `+where+` ORDER BY i.due_on, i.id`, b...)
}
