package auth

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/db"
)

// Scope is the committee a record belongs to: its id and materialised path
// ("/1/4/27/"), which is what the committee-scope decision needs.
type Scope struct {
	ID   int64
	Path string
}

// LoadScope returns the committee's scope, or apperr.ErrNotFound.
func LoadScope(ctx context.Context, q db.Querier, committeeID int64) (Scope, error) {
	sc := Scope{ID: committeeID}
	err := q.QueryRowContext(ctx, `SELECT path FROM committees WHERE id = $1`, committeeID).Scan(&sc.Path)
	if errors.Is(err, sql.ErrNoRows) {
		return sc, apperr.ErrNotFound
	}
	return sc, err
}

// CheckScope loads the committee and decides action in it (see Authorize).
// It is the one committee-scope check of every area.
func CheckScope(ctx context.Context, q db.Querier, a *Actor, action Action, committeeID int64) (Scope, error) {
	if a == nil {
		return Scope{}, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	sc, err := LoadScope(ctx, q, committeeID)
	if err != nil {
		return sc, err
	}
	return sc, Authorize(a, action, sc)
}

// Authorize decides action on a record of committee sc:
//
//   - no actor: Unauthorized;
//   - allowed by CanIn (the actor's own committee by role, or a higher
//     committee performing a read-only action in its subtree): nil;
//   - a committee the actor cannot see at all (a sibling, a higher one, or
//     below it without any reading role): apperr.ErrNotFound, leaking nothing;
//   - otherwise (its own committee, or one below it that it reads, but not
//     this action): Forbidden.
func Authorize(a *Actor, action Action, sc Scope) error {
	if a == nil {
		return apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	if CanIn(a, action, sc.ID, sc.Path) {
		return nil
	}
	if !Sees(a, sc) {
		return apperr.ErrNotFound
	}
	return apperr.New(apperr.Forbidden, "err.forbidden")
}

// Sees reports whether the committee itself is visible to the actor: its own,
// or one below it when the actor holds some read-only action (a reader of a
// higher committee). What the actor may do there is Authorize's question.
func Sees(a *Actor, sc Scope) bool {
	if a == nil {
		return false
	}
	if sc.ID == a.CommitteeID {
		return true
	}
	if a.CommitteePath == "" || !strings.HasPrefix(sc.Path, a.CommitteePath) {
		return false
	}
	for action := range readOnly {
		if Can(a, action) {
			return true
		}
	}
	return false
}
