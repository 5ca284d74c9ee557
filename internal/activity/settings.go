package activity

import (
	"context"
	"database/sql"
	"errors"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// DefaultMaxLeaves is the number of leaves a member may take in a year unless
// the committee sets another.
const DefaultMaxLeaves = 3

// Settings are a committee's settings of the area.
type Settings struct {
	MaxLeaves int `json:"max_leaves"`
	Version   int `json:"version"` // 0: never saved (defaults)
}

func loadSettings(ctx context.Context, q db.Querier, committeeID int64) (Settings, error) {
	st := Settings{MaxLeaves: DefaultMaxLeaves}
	err := q.QueryRowContext(ctx, `SELECT max_leaves, version FROM activity_settings WHERE committee_id = $1`, committeeID).
		Scan(&st.MaxLeaves, &st.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	return st, err
}

func maxLeaves(ctx context.Context, q db.Querier, committeeID int64) (int, error) {
	st, err := loadSettings(ctx, q, committeeID)
	return st.MaxLeaves, err
}

// Settings returns the committee's settings (readers of the committee).
func (s *Service) Settings(ctx context.Context, actor *auth.Actor, committeeID int64) (Settings, error) {
	var st Settings
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermView, committeeID); err != nil {
			return err
		}
		var err error
		st, err = loadSettings(ctx, tx, committeeID)
		return err
	})
	return st, err
}

// SetMaxLeaves sets how many leaves a member may take in a year (staff).
// version is the settings' version the caller saw (0 when never saved).
func (s *Service) SetMaxLeaves(ctx context.Context, actor *auth.Actor, committeeID int64, max, version int) (Settings, error) {
	var out Settings
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermManage, committeeID); err != nil {
			return err
		}
		if max < 0 || max > 365 {
			return apperr.Fields(outOfRange("max_leaves", 0, 365))
		}
		before, err := loadSettings(ctx, tx, committeeID)
		if err != nil {
			return err
		}
		if before.Version != version {
			return apperr.ErrConflict
		}
		if version == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO activity_settings (committee_id, max_leaves, version, updated_at) VALUES ($1, $2, 1, $3)`,
				committeeID, max, db.Now())
		} else {
			err = db.ExecVersioned(ctx, tx, `UPDATE activity_settings SET max_leaves = $1, version = version + 1, updated_at = $2
				WHERE committee_id = $3 AND version = $4`, max, db.Now(), committeeID, version)
		}
		if err != nil {
			return err
		}
		out = Settings{MaxLeaves: max, Version: version + 1}
		return audit.Record(ctx, tx, actor, committeeID, "activity.settings", "activity_settings", committeeID, before, out)
	})
	return out, err
}
