package duty

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Adjustment is a manual change of a member's score by staff, with its reason.
type Adjustment struct {
	ID           int64      `json:"id"`
	CommitteeID  int64      `json:"committee_id"`
	MembershipID int64      `json:"membership_id"`
	Date         civil.Date `json:"date"`
	Points       int64      `json:"points"`
	Reason       string     `json:"reason"`
	AppealID     int64      `json:"appeal_id,omitempty"`
	Cancelled    bool       `json:"cancelled"`
	Version      int        `json:"version"`
}

// AdjustInput is a new adjustment.
type AdjustInput struct {
	MembershipID int64
	Date         civil.Date
	Points       int64 // hundredths; not zero
	Reason       string
}

// maxReason bounds reasons and notes, in characters.
const maxReason = 500

// Adjust adds a manual adjustment (posted to the ledger at once).
func (s *Service) Adjust(ctx context.Context, actor *auth.Actor, committeeID int64, in AdjustInput) (*Adjustment, error) {
	var out *Adjustment
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkScope(ctx, tx, actor, Manage, committeeID); err != nil {
			return err
		}
		var err error
		out, err = addAdjustment(ctx, tx, actor, committeeID, in, 0)
		return err
	})
	return out, err
}

// addAdjustment validates, writes, audits and posts an adjustment inside tx.
func addAdjustment(ctx context.Context, tx *sql.Tx, actor *auth.Actor, committeeID int64, in AdjustInput, appealID int64) (*Adjustment, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	var fs []apperr.FieldError
	if in.Points == 0 || in.Points < -maxPoints || in.Points > maxPoints {
		fs = append(fs, apperr.Field("points", "err.duty.points_range"))
	}
	if in.Reason == "" {
		fs = append(fs, apperr.Field("reason", "err.duty.reason_required"))
	} else if utf8.RuneCountInString(in.Reason) > maxReason {
		fs = append(fs, apperr.Field("reason", "err.duty.too_long", map[string]any{"Max": maxReason}))
	}
	if in.Date.IsZero() {
		fs = append(fs, apperr.Field("date", "err.form.bad_date"))
	}
	if ok, err := isMember(ctx, tx, committeeID, in.MembershipID); err != nil {
		return nil, err
	} else if !ok {
		fs = append(fs, apperr.Field("membership_id", "err.duty.no_member"))
	}
	if len(fs) > 0 {
		return nil, apperr.Fields(fs...)
	}
	a := &Adjustment{CommitteeID: committeeID, MembershipID: in.MembershipID, Date: in.Date, Points: in.Points,
		Reason: in.Reason, AppealID: appealID, Version: 1}
	var appeal any
	if appealID != 0 {
		appeal = appealID
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO duty_adjustments (committee_id, membership_id, on_date, points, reason,
		appeal_id, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`, committeeID, in.MembershipID,
		in.Date, in.Points, in.Reason, appeal, userRef(actor), db.Now()).Scan(&a.ID)
	if err != nil {
		return nil, err
	}
	if err := audit.Record(ctx, tx, actor, committeeID, "create", "duty_adjustment", a.ID, nil, a); err != nil {
		return nil, err
	}
	_, err = sync(ctx, tx, committeeID, scope{entity: adjustmentSource.Entity, ids: []int64{a.ID}})
	return a, err
}

// CancelAdjustment cancels an adjustment; its posting is reversed.
func (s *Service) CancelAdjustment(ctx context.Context, actor *auth.Actor, committeeID, id int64, version int) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkScope(ctx, tx, actor, Manage, committeeID); err != nil {
			return err
		}
		a, err := loadAdjustment(ctx, tx, committeeID, id)
		if err != nil {
			return err
		}
		if a.Cancelled {
			return apperr.New(apperr.Conflict, "err.duty.cancelled")
		}
		if err := db.ExecVersioned(ctx, tx, `UPDATE duty_adjustments SET cancelled = TRUE, version = version + 1
			WHERE id = $1 AND version = $2`, id, version); err != nil {
			return err
		}
		after := *a
		after.Cancelled, after.Version = true, a.Version+1
		if err := audit.Record(ctx, tx, actor, committeeID, "cancel", "duty_adjustment", id, a, after); err != nil {
			return err
		}
		_, err = sync(ctx, tx, committeeID, scope{entity: adjustmentSource.Entity, ids: []int64{id}})
		return err
	})
}

const adjustmentSelect = `SELECT id, committee_id, membership_id, on_date, points, reason, COALESCE(appeal_id, 0), cancelled,
	version FROM duty_adjustments`

func scanAdjustment(sc db.Scanner) (Adjustment, error) {
	var a Adjustment
	err := sc.Scan(&a.ID, &a.CommitteeID, &a.MembershipID, &a.Date, &a.Points, &a.Reason, &a.AppealID, &a.Cancelled, &a.Version)
	return a, err
}

func loadAdjustment(ctx context.Context, q db.Querier, committeeID, id int64) (*Adjustment, error) {
	a, err := scanAdjustment(q.QueryRowContext(ctx, adjustmentSelect+` WHERE id = $1 AND committee_id = $2`, id, committeeID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.ErrNotFound
	}
	return &a, err
}

// isMember reports whether the membership belongs to the committee.
func isMember(ctx context.Context, q db.Querier, committeeID, membershipID int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE id = $1 AND committee_id = $2`,
		membershipID, committeeID).Scan(&n)
	return n > 0, err
}

// userRef is the actor's user id for created_by columns (NULL for the system).
func userRef(a *auth.Actor) any {
	if a == nil || a.UserID == 0 {
		return nil
	}
	return a.UserID
}
