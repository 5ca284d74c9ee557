package account

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
)

// Login throttling. Within ThrottleWindow, a username is refused after
// MaxFailuresPerUser failed attempts and an IP address after MaxFailuresPerIP.
//
// What a success does: it resets the username's count (failures before the
// last successful login of that username no longer count), so a member who
// mistyped a few times and then got in starts afresh. It does not reset the
// IP's count: otherwise an attacker holding one valid account could keep
// guessing other accounts' passwords from the same address. Refused attempts
// (while throttled) are not recorded, so the block lifts ThrottleWindow after
// the last counted failure, whatever the attacker keeps sending.
const (
	ThrottleWindow     = 15 * time.Minute
	MaxFailuresPerUser = 5
	MaxFailuresPerIP   = 20
)

// ErrBadLogin is the one answer for an unknown username or a wrong password,
// so that the login form does not reveal which usernames exist.
var ErrBadLogin = apperr.New(apperr.Unauthorized, "err.auth.bad_login")

// ErrThrottled refuses a login after too many failures.
var ErrThrottled = apperr.New(apperr.RateLimited, "err.auth.throttled", map[string]any{"Minutes": int(ThrottleWindow / time.Minute)})

var dummyHash struct {
	sync.Once
	hash string
}

// Login checks a username and password and starts a session, returning the
// cookie secret and the actor. Failures are ErrBadLogin (unknown user or wrong
// password), err.auth.disabled (right password, disabled account) or ErrThrottled.
func (s *Service) Login(ctx context.Context, username, password, ip, userAgent string) (string, *auth.Actor, error) {
	username = NormalizeUsername(username)
	var fields []apperr.FieldError
	if username == "" {
		fields = append(fields, apperr.Field("username", "err.required"))
	}
	if password == "" {
		fields = append(fields, apperr.Field("password", "err.required"))
	}
	if len(fields) > 0 {
		return "", nil, apperr.Fields(fields...)
	}
	if len(username) > 100 || len(password) > MaxPasswordLen {
		return "", nil, ErrBadLogin
	}
	if throttled, err := s.throttled(ctx, username, ip); err != nil {
		return "", nil, err
	} else if throttled {
		return "", nil, ErrThrottled
	}
	var (
		id       int64
		hash     string
		disabled bool
	)
	err := s.DB.QueryRowContext(ctx, `SELECT id, password_hash, disabled FROM users WHERE username = $1`, username).Scan(&id, &hash, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		// Spend the same time as for a real user, so timing does not reveal usernames.
		dummyHash.Do(func() { dummyHash.hash, _ = HashPassword("dummy password", s.Passwords) })
		hash = dummyHash.hash
	} else if err != nil {
		return "", nil, err
	}
	ok := CheckPassword(hash, password) && id != 0
	if err := s.recordAttempt(ctx, username, ip, ok); err != nil {
		return "", nil, err
	}
	if !ok {
		return "", nil, ErrBadLogin
	}
	if disabled {
		return "", nil, apperr.New(apperr.Forbidden, "err.auth.disabled")
	}
	secret, err := s.CreateSession(ctx, id, ip, userAgent)
	if err != nil {
		return "", nil, err
	}
	a, err := s.ActorFromSession(ctx, secret)
	if err != nil || a == nil {
		return "", nil, errors.Join(err, errors.New("account: new session not found"))
	}
	if NeedsRehash(hash, s.Passwords) {
		// Best effort: the login has succeeded; a failure leaves the old hash,
		// which still verifies, and the upgrade is tried again next time.
		_ = s.rehash(ctx, a, id, hash, password)
	}
	return secret, a, nil
}

// rehash replaces a password hash made with other parameters (e.g. the 64 MiB
// argon2id of earlier versions, which cost the server that much memory at
// every login) by one with the current parameters. It runs only after the
// password was verified, changes nothing if the hash changed meanwhile, and
// does not touch the user's version (an admin's open edit form stays valid).
func (s *Service) rehash(ctx context.Context, a *auth.Actor, id int64, old, password string) error {
	hash, err := HashPassword(password, s.Passwords)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3`, hash, id, old)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		// The hash is never logged: the entry only says that it was upgraded.
		return audit.Record(ctx, tx, a, a.CommitteeID, "rehash_password", "user", id, nil, map[string]any{"password_rehashed": true})
	})
}

// throttled reports whether the username or the IP has too many recent failures.
func (s *Service) throttled(ctx context.Context, username, ip string) (bool, error) {
	since := s.Now().Add(-ThrottleWindow)
	var lastOK, byUser, byIP int64
	// Failures of the username since its last success (within the window).
	err := s.DB.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM login_attempts WHERE username = $1 AND ok AND at > $2`,
		username, since).Scan(&lastOK)
	if err != nil {
		return false, err
	}
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_attempts WHERE username = $1 AND at > $2 AND NOT ok AND id > $3`,
		username, since, lastOK).Scan(&byUser); err != nil {
		return false, err
	}
	if byUser >= MaxFailuresPerUser {
		return true, nil
	}
	if ip == "" {
		return false, nil
	}
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_attempts WHERE ip = $1 AND at > $2 AND NOT ok`,
		ip, since).Scan(&byIP); err != nil {
		return false, err
	}
	return byIP >= MaxFailuresPerIP, nil
}

func (s *Service) recordAttempt(ctx context.Context, username, ip string, ok bool) error {
	_, err := s.DB.ExecContext(ctx, `INSERT INTO login_attempts (username, ip, at, ok) VALUES ($1, $2, $3, $4)`,
		username, ip, s.Now(), ok)
	return err
}
