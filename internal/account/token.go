package account

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

// TokenPrefix starts every API token, so leaked tokens are easy to recognise.
const TokenPrefix = "lvz_"

// Token is an API token's metadata; the secret itself is shown once, at creation.
type Token struct {
	ID          int64     `json:"id"`
	CommitteeID int64     `json:"committee_id"`
	UserID      int64     `json:"user_id"`
	Username    string    `json:"username"`
	Name        string    `json:"name"`
	CreatedAt   time.Time `json:"created_at"`
	LastUsedAt  time.Time `json:"last_used_at"` // zero if never used
	ExpiresAt   time.Time `json:"expires_at"`   // refused from then on
	RevokedAt   time.Time `json:"revoked_at"`   // zero while valid
}

// Token lifetimes: a token expires DefaultTokenDays after its creation unless
// another lifetime (1 to MaxTokenDays days) is chosen.
const (
	DefaultTokenDays = 90
	MaxTokenDays     = 365
)

// Revoked reports whether the token was revoked.
func (t Token) Revoked() bool { return !t.RevokedAt.IsZero() }

// Expired reports whether the token had expired at now.
func (t Token) Expired(now time.Time) bool { return !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt) }

// ActorFromToken returns the actor of a valid API token (the token's user, with
// that user's roles), or nil for an unknown, revoked or expired token or a
// disabled user.
// This is what the JSON API calls for "Authorization: Bearer <token>".
// last_used_at is written at most once a minute.
func (s *Service) ActorFromToken(ctx context.Context, secret string) (*auth.Actor, error) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 100 {
		return nil, nil
	}
	hash := hashSecret(secret)
	var lastUsed db.Time
	row := s.DB.QueryRowContext(ctx, `SELECT `+actorColumns+`, t.last_used_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN committees c ON c.id = u.committee_id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2) AND NOT u.disabled`, hash, s.Now())
	a, err := scanActor(row, &lastUsed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if now := s.Now(); now.Sub(lastUsed.Time) >= TouchEvery {
		if _, err := s.DB.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2`, now, hash); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// CreateToken creates an API token for a user of the actor's committee (admin
// only), expiring after DefaultTokenDays, and returns its secret, which is
// never shown again.
func (s *Service) CreateToken(ctx context.Context, actor *auth.Actor, userID int64, name string) (Token, string, error) {
	return s.CreateTokenFor(ctx, actor, userID, name, DefaultTokenDays)
}

// CreateTokenFor is CreateToken with a lifetime of days (1 to MaxTokenDays).
func (s *Service) CreateTokenFor(ctx context.Context, actor *auth.Actor, userID int64, name string, days int) (Token, string, error) {
	if days < 1 || days > MaxTokenDays {
		return Token{}, "", apperr.Fields(apperr.Field("days", "err.auth.token_days", map[string]any{"Max": MaxTokenDays}))
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return Token{}, "", apperr.Fields(apperr.Field("name", "err.auth.token_name_required"))
	}
	if utf8.RuneCountInString(name) > 100 {
		return Token{}, "", apperr.Fields(apperr.Field("name", "err.auth.too_long", map[string]any{"Max": 100}))
	}
	var tok Token
	secret, hash := newSecret(TokenPrefix)
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		u, err := s.loadUser(ctx, tx, actor, userID)
		if err != nil {
			return err
		}
		now := s.Now()
		tok = Token{CommitteeID: u.CommitteeID, UserID: u.ID, Username: u.Username, Name: name, CreatedAt: now,
			ExpiresAt: now.AddDate(0, 0, days)}
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (committee_id, user_id, name, token_hash, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, tok.CommitteeID, tok.UserID, name, hash, tok.CreatedAt, tok.ExpiresAt).Scan(&tok.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, tok.CommitteeID, "create", "api_token", tok.ID, nil, tok)
	})
	if err != nil {
		return Token{}, "", err
	}
	return tok, secret, nil
}

// RevokeToken revokes a token of the actor's committee; revoking twice is a no-op.
func (s *Service) RevokeToken(ctx context.Context, actor *auth.Actor, tokenID int64) error {
	if !auth.Can(actor, auth.ManageUsers) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return s.revoke(ctx, actor, 0, tokenID)
}

// RevokeOwnToken revokes one of the actor's own tokens (any user may); another
// user's token is not found.
func (s *Service) RevokeOwnToken(ctx context.Context, actor *auth.Actor, tokenID int64) error {
	if actor == nil || actor.UserID == 0 {
		return apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	return s.revoke(ctx, actor, actor.UserID, tokenID)
}

// OwnTokens lists the actor's own API tokens, newest first: their owner sees
// when each was created and last used, when it expires, and whether it was
// revoked.
func (s *Service) OwnTokens(ctx context.Context, actor *auth.Actor) ([]Token, error) {
	if actor == nil || actor.UserID == 0 {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	return listTokens(ctx, s.DB, actor.CommitteeID, actor.UserID, 0)
}

// revoke revokes token tokenID of the actor's committee (of userID only, unless 0).
func (s *Service) revoke(ctx context.Context, actor *auth.Actor, userID, tokenID int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		toks, err := listTokens(ctx, tx, actor.CommitteeID, userID, tokenID)
		if err != nil {
			return err
		}
		if len(toks) == 0 {
			return apperr.ErrNotFound
		}
		before := toks[0]
		if before.Revoked() {
			return nil
		}
		after := before
		after.RevokedAt = s.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND committee_id = $3`,
			after.RevokedAt, tokenID, actor.CommitteeID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "revoke", "api_token", tokenID, before, after)
	})
}

// ListTokens lists the API tokens of the actor's committee, newest first;
// userID 0 lists every user's tokens.
func (s *Service) ListTokens(ctx context.Context, actor *auth.Actor, userID int64) ([]Token, error) {
	if !auth.Can(actor, auth.ManageUsers) {
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return listTokens(ctx, s.DB, actor.CommitteeID, userID, 0)
}

func listTokens(ctx context.Context, q db.Querier, committeeID, userID, tokenID int64) ([]Token, error) {
	return db.Query(ctx, q, scanToken, `SELECT t.id, t.committee_id, t.user_id, u.username, t.name, t.created_at, t.last_used_at, t.expires_at, t.revoked_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.committee_id = $1 AND (CAST($2 AS BIGINT) = 0 OR t.user_id = $2) AND (CAST($3 AS BIGINT) = 0 OR t.id = $3)
		ORDER BY t.id DESC LIMIT 500`, committeeID, userID, tokenID)
}

func scanToken(sc db.Scanner) (Token, error) {
	var t Token
	var created, used, expires, revoked db.Time
	err := sc.Scan(&t.ID, &t.CommitteeID, &t.UserID, &t.Username, &t.Name, &created, &used, &expires, &revoked)
	t.CreatedAt, t.LastUsedAt, t.ExpiresAt, t.RevokedAt = created.Time, used.Time, expires.Time, revoked.Time
	return t, err
}
