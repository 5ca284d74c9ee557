package auth

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

// RecordFunc has the signature of audit.Record. The audit package imports auth
// (for *Actor), so auth cannot import audit; the wiring packages (web, cmd)
// set AuditRecord to audit.Record in their init. Until it is set, every
// writing method of Service refuses to run, so nothing is ever changed unaudited.
type RecordFunc func(ctx context.Context, tx *sql.Tx, actor *Actor, committeeID int64, action, entity string, entityID int64, before, after any) error

// AuditRecord writes an audit entry; see RecordFunc.
var AuditRecord RecordFunc

var errNoAudit = errors.New("auth: audit recorder not wired (set auth.AuditRecord = audit.Record)")

func record(ctx context.Context, tx *sql.Tx, actor *Actor, committeeID int64, action, entity string, id int64, before, after any) error {
	if AuditRecord == nil {
		return errNoAudit
	}
	return AuditRecord(ctx, tx, actor, committeeID, action, entity, id, before, after)
}

// SessionCookie is the name of the login session cookie.
const SessionCookie = "lvzhi_session"

// ActorFromRequest returns the actor for a request's session cookie or its
// "Authorization: Bearer <token>" API token, or nil for an anonymous visitor
// (also for an unknown, expired, revoked or disabled credential). It costs one
// indexed query; a write happens at most once a minute per session or token.
func (s *Service) ActorFromRequest(ctx context.Context, r *http.Request) (*Actor, error) {
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
	COALESCE((SELECT string_agg(r.role, ',') FROM user_roles r WHERE r.user_id = u.id AND r.committee_id = u.committee_id), '')`

func scanActor(sc interface{ Scan(...any) error }, extra ...any) (*Actor, error) {
	a := &Actor{}
	var roles string
	dest := append([]any{&a.UserID, &a.Name, &a.CommitteeID, &a.CommitteePath, &a.PersonID, &a.UnitID, &a.Lang, &roles}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	a.Roles = parseRoles(roles)
	return a, nil
}

// parseRoles turns "staff,admin" into roles in display order, dropping unknown ones.
func parseRoles(s string) []Role {
	var out []Role
	have := map[Role]bool{}
	for _, p := range strings.Split(s, ",") {
		have[Role(strings.TrimSpace(p))] = true
	}
	for _, r := range AllRoles {
		if have[r] {
			out = append(out, r)
		}
	}
	return out
}
