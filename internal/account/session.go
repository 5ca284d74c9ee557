package account

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// Session lifetimes: a session ends SessionTTL after it was last used; its
// last-seen time (and so its expiry) is written at most once per TouchEvery.
const (
	SessionTTL = 12 * time.Hour
	TouchEvery = time.Minute
)

// CreateSession starts a session for userID and returns the secret for the
// cookie; only its hash is stored. Login calls it after checking the password;
// tests call it directly to log users in without hashing passwords.
func (s *Service) CreateSession(ctx context.Context, userID int64, ip, userAgent string) (string, error) {
	secret, hash := newSecret("s_")
	now := s.Now()
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	res, err := s.DB.ExecContext(ctx, `INSERT INTO login_sessions (token_hash, user_id, committee_id, created_at, expires_at, last_seen_at, user_agent, ip)
		SELECT $1, id, committee_id, $2, $3, $2, $4, $5 FROM users WHERE id = $6 AND NOT disabled`,
		hash, now, now.Add(SessionTTL), userAgent, ip, userID)
	if err != nil {
		return "", err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return "", ErrBadLogin
	}
	return secret, nil
}

// ActorFromSession returns the actor of a live session, or nil. It slides the
// expiry forward, writing at most once a minute.
func (s *Service) ActorFromSession(ctx context.Context, secret string) (*auth.Actor, error) {
	if secret == "" || len(secret) > 100 {
		return nil, nil
	}
	hash := hashSecret(secret)
	var lastSeen, expires db.Time
	row := s.DB.QueryRowContext(ctx, `SELECT `+actorColumns+`, s.last_seen_at, s.expires_at
		FROM login_sessions s JOIN users u ON u.id = s.user_id JOIN committees c ON c.id = u.committee_id
		WHERE s.token_hash = $1 AND NOT u.disabled`, hash)
	a, err := scanActor(row, &lastSeen, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	now := s.Now()
	if !now.Before(expires.Time) {
		_, err := s.DB.ExecContext(ctx, `DELETE FROM login_sessions WHERE token_hash = $1`, hash)
		return nil, err
	}
	if now.Sub(lastSeen.Time) >= TouchEvery {
		if _, err := s.DB.ExecContext(ctx, `UPDATE login_sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3`,
			now, now.Add(SessionTTL), hash); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// Logout ends the session with this secret (no error if it is already gone).
func (s *Service) Logout(ctx context.Context, secret string) error {
	if secret == "" {
		return nil
	}
	_, err := s.DB.ExecContext(ctx, `DELETE FROM login_sessions WHERE token_hash = $1`, hashSecret(secret))
	return err
}

// PurgeExpired deletes expired sessions and login attempts older than a day;
// run it from a periodic job. It returns the number of rows deleted.
func (s *Service) PurgeExpired(ctx context.Context) (int64, error) {
	now := s.Now()
	r1, err := s.DB.ExecContext(ctx, `DELETE FROM login_sessions WHERE expires_at <= $1`, now)
	if err != nil {
		return 0, err
	}
	r2, err := s.DB.ExecContext(ctx, `DELETE FROM login_attempts WHERE at < $1`, now.Add(-24*time.Hour))
	if err != nil {
		return 0, err
	}
	n1, _ := r1.RowsAffected()
	n2, _ := r2.RowsAffected()
	return n1 + n2, nil
}

func deleteSessionsOf(ctx context.Context, q db.Querier, userID int64) error {
	_, err := q.ExecContext(ctx, `DELETE FROM login_sessions WHERE user_id = $1`, userID)
	return err
}
