// Package account holds user accounts, sessions, API tokens, passwords and
// login; the actor they resolve to and the permission policy are package auth.
//
// What other packages call:
//
//   - Resolving the caller: (*Service).ActorFromRequest(ctx, r) reads the session
//     cookie (SessionCookie) or "Authorization: Bearer <token>"; the JSON API may
//     call (*Service).ActorFromToken(ctx, token) directly. Both return nil, nil
//     for anonymous, unknown, expired, revoked or disabled credentials and cost one
//     indexed query (writes at most once a minute per session or token).
//   - Sessions: (*Service).Login(ctx, username, password, ip, userAgent) checks the
//     password under throttling (see login.go for the rules) and starts a session;
//     CreateSession starts one without a password (tests); Logout ends one;
//     PurgeExpired runs from the hourly auth.purge job (purge_job.go).
//   - Accounts (admins of the committee, or auth.System(committeeID) for the CLI):
//     CreateUser, UpdateUser, ResetPassword, SetDisabled (ends sessions),
//     ChangeOwnPassword, GetUser, ListUsers, UserByUsername; API tokens:
//     CreateToken (secret returned once), RevokeToken, ListTokens.
//   - Going live: ProvisionAll opens every missing member and unit account with
//     a first password; an Opener (Service.Opener) opens them inside the member
//     and unit import's transactions (org.ImportHook) with one-time activation
//     links instead, which CheckActivation and Activate use up and
//     ReissueActivations replaces; DisableEnded (the daily auth.disable_ended
//     job, also at start) disables the accounts whose membership or unit ended.
//   - Passwords: HashPassword(pw, params) gives a PHC-style argon2id string,
//     CheckPassword(hash, pw) compares in constant time, PasswordProblem(pw) says
//     what breaks the length rule, GeneratePassword makes one. Tests set
//     Service.Passwords = FastPasswordParams.
//
// Every write records its audit entry with audit.Record in its own transaction.
package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"time"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// Service is accounts, sessions and API tokens.
type Service struct {
	DB *db.DB
	// Passwords are the argon2id parameters for new hashes; tests set FastPasswordParams.
	Passwords PasswordParams
	// Now returns the current instant (UTC); tests replace it to move time.
	Now func() time.Time
}

// NewService returns the account service over d.
func NewService(d *db.DB) *Service {
	return &Service{DB: d, Passwords: DefaultPasswordParams, Now: db.Now}
}

// SessionCookie is the name of the login session cookie.
const SessionCookie = "lvzhi_session"

// ActorFromRequest returns the actor for a request's session cookie or its
// "Authorization: Bearer <token>" API token, or nil for an anonymous visitor
// (also for an unknown, expired, revoked or disabled credential). It costs one
// indexed query; a write happens at most once a minute per session or token.
func (s *Service) ActorFromRequest(ctx context.Context, r *http.Request) (*auth.Actor, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		if tok, ok := strings.CutPrefix(h, "Bearer "); ok {
			return s.ActorFromToken(ctx, strings.TrimSpace(tok))
		}
		return nil, nil
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	return s.ActorFromSession(ctx, c.Value)
}

// newSecret returns a random URL-safe secret (256 bits) with a prefix, and its stored hash.
func newSecret(prefix string) (secret, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, hashSecret(secret)
}

// hashSecret is how session and API tokens are stored: only their SHA-256.
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// actorColumns selects an actor from users u joined to committees c; the roles
// are those the user holds in its own committee, aggregated in the same query.
const actorColumns = `u.id, u.display_name, u.committee_id, c.path, COALESCE(u.person_id, 0), COALESCE(u.unit_id, 0), u.lang,
	u.must_change_password, COALESCE((SELECT string_agg(r.role, ',') FROM user_roles r WHERE r.user_id = u.id AND r.committee_id = u.committee_id), '')`

func scanActor(sc interface{ Scan(...any) error }, extra ...any) (*auth.Actor, error) {
	a := &auth.Actor{}
	var roles string
	dest := append([]any{&a.UserID, &a.Name, &a.CommitteeID, &a.CommitteePath, &a.PersonID, &a.UnitID, &a.Lang,
		&a.MustChangePassword, &roles}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	a.Roles = parseRoles(roles)
	return a, nil
}

// parseRoles turns "staff,admin" into roles in display order, dropping unknown ones.
func parseRoles(s string) []auth.Role {
	var out []auth.Role
	have := map[auth.Role]bool{}
	for _, p := range strings.Split(s, ",") {
		have[auth.Role(strings.TrimSpace(p))] = true
	}
	for _, r := range auth.AllRoles {
		if have[r] {
			out = append(out, r)
		}
	}
	return out
}

// ActorByID is the actor of an enabled user as their own request would have
// it, or nil when the user is gone or disabled. Background work done for a
// user (exports) rebuilds the actor when it runs, so a role lost since the
// request is lost there too.
func (s *Service) ActorByID(ctx context.Context, userID int64) (*auth.Actor, error) {
	row := s.DB.QueryRowContext(ctx, `SELECT `+actorColumns+`
		FROM users u JOIN committees c ON c.id = u.committee_id WHERE u.id = $1 AND NOT u.disabled`, userID)
	a, err := scanActor(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return a, err
}
