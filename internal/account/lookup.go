package account

import (
	"context"
	"database/sql"
	"errors"

	"lvzhi/internal/apperr"
)

// CommitteeByCode returns the id of the committee with code (for the CLI, which
// names committees by code); apperr.ErrNotFound if there is none.
func (s *Service) CommitteeByCode(ctx context.Context, code string) (int64, error) {
	var id int64
	err := s.DB.QueryRowContext(ctx, `SELECT id FROM committees WHERE code = $1`, code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, apperr.ErrNotFound
	}
	return id, err
}

// CommitteeOfUser returns the committee of the user with username (for the CLI,
// which then acts as auth.System of that committee); apperr.ErrNotFound if none.
func (s *Service) CommitteeOfUser(ctx context.Context, username string) (int64, error) {
	var id int64
	err := s.DB.QueryRowContext(ctx, `SELECT committee_id FROM users WHERE username = $1`, NormalizeUsername(username)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, apperr.ErrNotFound
	}
	return id, err
}
