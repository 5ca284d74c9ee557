package duty

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// AnnualReport is a standing-committee member's annual duty report (年度履职报告),
// attached to their record of the year: the member writes it, readers of the
// record read it.
type AnnualReport struct {
	Year      int       `json:"year"`
	Body      string    `json:"body"`
	Version   int       `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}

// maxReport bounds a report, in characters.
const maxReport = 20000

// SaveReport writes (or rewrites, with the version read; 0 for a first
// report) the acting member's report of a year. Only the member, and only a
// standing-committee member (常委), writes one; anyone else's record is not found.
func (s *Service) SaveReport(ctx context.Context, actor *auth.Actor, committeeID, membershipID int64, year int, body string, version int) (*AnnualReport, error) {
	var out *AnnualReport
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkReader(ctx, tx, actor, committeeID); err != nil {
			return err
		}
		rel, err := relation(ctx, tx, actor, committeeID, membershipID)
		if err != nil {
			return err
		}
		if rel != RelOwner {
			sc, _ := auth.LoadScope(ctx, tx, committeeID)
			if auth.CanIn(actor, View, sc.ID, sc.Path) {
				return apperr.New(apperr.Forbidden, "err.forbidden")
			}
			return apperr.ErrNotFound
		}
		var standing bool
		if err := tx.QueryRowContext(ctx, `SELECT is_standing FROM memberships WHERE id = $1`, membershipID).Scan(&standing); err != nil {
			return err
		}
		if !standing {
			return apperr.New(apperr.Conflict, "err.duty.report_standing")
		}
		body = strings.TrimSpace(body)
		switch {
		case body == "":
			return apperr.Fields(apperr.Field("body", "err.duty.report_required"))
		case utf8.RuneCountInString(body) > maxReport:
			return apperr.Fields(apperr.Field("body", "err.duty.too_long", map[string]any{"Max": maxReport}))
		case year < 2000 || year > 2100:
			return apperr.Fields(apperr.Field("year", "err.form.out_of_range", map[string]any{"Min": 2000, "Max": 2100}))
		}
		before, err := loadReport(ctx, tx, committeeID, membershipID, year)
		if err != nil {
			return err
		}
		now := db.Now()
		if before == nil {
			if version != 0 {
				return apperr.ErrConflict
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO duty_reports (committee_id, membership_id, year, body, updated_at)
				VALUES ($1,$2,$3,$4,$5)`, committeeID, membershipID, year, body, now)
		} else {
			err = db.ExecVersioned(ctx, tx, `UPDATE duty_reports SET body = $5, updated_at = $6, version = version + 1
				WHERE committee_id = $1 AND membership_id = $2 AND year = $3 AND version = $4`,
				committeeID, membershipID, year, version, body, now)
		}
		if err != nil {
			return err
		}
		if out, err = loadReport(ctx, tx, committeeID, membershipID, year); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, committeeID, "report", "duty_report", membershipID, before, out)
	})
	return out, err
}

// loadReport returns a member's report of a year, nil when none.
func loadReport(ctx context.Context, q db.Querier, committeeID, membershipID int64, year int) (*AnnualReport, error) {
	r := &AnnualReport{Year: year}
	var at db.Time
	err := q.QueryRowContext(ctx, `SELECT body, version, updated_at FROM duty_reports WHERE committee_id = $1
		AND membership_id = $2 AND year = $3`, committeeID, membershipID, year).Scan(&r.Body, &r.Version, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	r.UpdatedAt = at.Time
	return r, err
}
