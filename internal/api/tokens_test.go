package api

import (
	"testing"
	"time"

	"lvzhi/internal/account"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestOwnTokensAndExpiry: GET /me/tokens shows the caller their own tokens
// (expiry and last use, never a secret), and a token past its expiry is
// refused (401) like a revoked one.
func TestOwnTokensAndExpiry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		var toks []account.Token
		h.want(h.do(h.f.MemberParty, "GET", "/me/tokens", ""), 200).decode(t, &toks)
		if len(toks) != 1 || toks[0].UserID != h.f.MemberParty.UserID || toks[0].ExpiresAt.IsZero() || toks[0].LastUsedAt.IsZero() {
			t.Fatalf("own tokens %+v", toks)
		}
		if want := toks[0].CreatedAt.AddDate(0, 0, account.DefaultTokenDays); !toks[0].ExpiresAt.Equal(want) {
			t.Errorf("expiry %v, want %v", toks[0].ExpiresAt, want)
		}
		auth := h.api.deps.Auth
		auth.Now = func() time.Time { return time.Now().UTC().AddDate(0, 0, account.DefaultTokenDays+1) }
		defer func() { auth.Now = db.Now }()
		h.want(h.do(h.f.MemberParty, "GET", "/me", ""), 401)
	})
}
