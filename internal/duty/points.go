package duty

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
)

// ParsePoints reads points as people write them ("12.5", "-3", "0.25") into
// hundredths; more than two decimals or anything else is a field error.
func ParsePoints(field, s string) (int64, error) {
	s = strings.TrimSpace(s)
	bad := apperr.Fields(apperr.Field(field, "err.duty.bad_points"))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || (dot && frac == "") || len(whole) > 7 {
		return 0, bad
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || strings.ContainsAny(whole, "+- ") {
		return 0, bad
	}
	var f int64
	if frac != "" {
		if f, err = strconv.ParseInt(frac, 10, 64); err != nil || strings.ContainsAny(frac, "+- ") {
			return 0, bad
		}
		if len(frac) == 1 {
			f *= 10
		}
	}
	p := w*100 + f
	if neg {
		p = -p
	}
	return p, nil
}

// OwnMembership returns the actor's membership in their committee whose term
// covers the year (the latest one if several), or ErrNotFound.
func (s *Service) OwnMembership(ctx context.Context, actor *auth.Actor, year int) (int64, error) {
	if actor == nil || actor.PersonID == 0 {
		return 0, apperr.ErrNotFound
	}
	var id int64
	err := s.DB.QueryRowContext(ctx, `SELECT m.id FROM memberships m JOIN terms t ON t.id = m.term_id
		WHERE m.committee_id = $1 AND m.person_id = $2 AND t.starts_on <= $3
		ORDER BY t.starts_on DESC LIMIT 1`, actor.CommitteeID, actor.PersonID, fmt.Sprintf("%04d-12-31", year)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, apperr.ErrNotFound
	}
	return id, err
}
