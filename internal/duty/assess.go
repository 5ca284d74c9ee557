package duty

import (
	"context"
	"database/sql"
	"errors"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/changes"
	"lvzhi/internal/db"
)

// Assessment is a member's confirmed year: the score and grade when staff
// confirmed it, the rank, and the action the rules proposed with staff's
// decision on it (confirmed, dismissed, or "" while undecided).
type Assessment struct {
	CommitteeID  int64  `json:"committee_id"`
	Year         int    `json:"year"`
	MembershipID int64  `json:"membership_id"`
	Name         string `json:"name"`
	Score        int64  `json:"score"`
	Grade        string `json:"grade"`
	Rank         int    `json:"rank"`
	Action       string `json:"action"`
	ActionState  string `json:"action_state"`
	Version      int    `json:"version"`
}

// Action decisions.
const (
	ActionConfirmed = "confirmed"
	ActionDismissed = "dismissed"
)

// ConfirmYear records the year's assessment of every scored member as it
// stands (score, grade, rank, proposed action) and closes the year's rules,
// so later edits cannot change what was assessed. Confirming again refreshes
// the undecided members only.
func (s *Service) ConfirmYear(ctx context.Context, actor *auth.Actor, committeeID int64, year int) ([]Assessment, error) {
	if _, err := changes.CatchUp(ctx, s.DB, committeeID); err != nil {
		return nil, err
	}
	var out []Assessment
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkScope(ctx, tx, actor, Manage, committeeID); err != nil {
			return err
		}
		y, err := scoreYear(ctx, tx, committeeID, year)
		if err != nil {
			return err
		}
		if y.Rules == nil {
			return apperr.Fields(apperr.Field("year", "err.duty.no_rules"))
		}
		now := db.Now()
		for _, sc := range y.Scores {
			_, err := tx.ExecContext(ctx, `INSERT INTO duty_assessments (committee_id, year, membership_id, score, grade, rank,
				action, confirmed_by, confirmed_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
				ON CONFLICT (committee_id, year, membership_id) DO UPDATE SET score = $4, grade = $5, rank = $6, action = $7,
				confirmed_by = $8, confirmed_at = $9, version = duty_assessments.version + 1
				WHERE duty_assessments.action_state = ''`,
				committeeID, year, sc.MembershipID, sc.Total, sc.Grade, sc.Rank, sc.Action, userRef(actor), now)
			if err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE duty_rule_sets SET closed = TRUE, version = version + 1, updated_at = $3
			WHERE committee_id = $1 AND year = $2`, committeeID, year, now); err != nil {
			return err
		}
		out, err = listAssessments(ctx, tx, committeeID, year)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, committeeID, "confirm", "duty_year", int64(year), nil, out)
	})
	return out, err
}

// DecideAction confirms or dismisses the action proposed for a member's year.
func (s *Service) DecideAction(ctx context.Context, actor *auth.Actor, committeeID int64, year int, membershipID int64,
	decision string, version int) (*Assessment, error) {
	var out *Assessment
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkScope(ctx, tx, actor, Manage, committeeID); err != nil {
			return err
		}
		if decision != ActionConfirmed && decision != ActionDismissed {
			return apperr.Fields(apperr.Field("decision", "err.form.bad_choice"))
		}
		before, err := loadAssessment(ctx, tx, committeeID, year, membershipID)
		if err != nil {
			return err
		}
		if before.Action == "" || before.ActionState != "" {
			return apperr.New(apperr.Conflict, "err.duty.no_action")
		}
		if err := db.ExecVersioned(ctx, tx, `UPDATE duty_assessments SET action_state = $5, version = version + 1
			WHERE committee_id = $1 AND year = $2 AND membership_id = $3 AND version = $4`,
			committeeID, year, membershipID, version, decision); err != nil {
			return err
		}
		out, err = loadAssessment(ctx, tx, committeeID, year, membershipID)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, committeeID, "decide_action", "duty_assessment", membershipID, before, out)
	})
	return out, err
}

// Assessments lists a year's confirmed assessments by rank.
func (s *Service) Assessments(ctx context.Context, actor *auth.Actor, committeeID int64, year int) ([]Assessment, error) {
	var out []Assessment
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if err := checkScope(ctx, tx, actor, View, committeeID); err != nil {
			return err
		}
		var err error
		out, err = listAssessments(ctx, tx, committeeID, year)
		return err
	})
	return out, err
}

const assessmentSelect = `SELECT a.committee_id, a.year, a.membership_id, p.name, a.score, a.grade, a.rank, a.action,
	a.action_state, a.version FROM duty_assessments a JOIN memberships m ON m.id = a.membership_id
	JOIN people p ON p.id = m.person_id`

func scanAssessment(sc db.Scanner) (Assessment, error) {
	var a Assessment
	err := sc.Scan(&a.CommitteeID, &a.Year, &a.MembershipID, &a.Name, &a.Score, &a.Grade, &a.Rank, &a.Action,
		&a.ActionState, &a.Version)
	return a, err
}

func listAssessments(ctx context.Context, q db.Querier, committeeID int64, year int) ([]Assessment, error) {
	return db.Query(ctx, q, scanAssessment, assessmentSelect+` WHERE a.committee_id = $1 AND a.year = $2
		ORDER BY a.rank, a.membership_id`, committeeID, year)
}

func loadAssessment(ctx context.Context, q db.Querier, committeeID int64, year int, membershipID int64) (*Assessment, error) {
	a, err := scanAssessment(q.QueryRowContext(ctx, assessmentSelect+` WHERE a.committee_id = $1 AND a.year = $2
		AND a.membership_id = $3`, committeeID, year, membershipID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.ErrNotFound
	}
	return &a, err
}
