package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"lvzhi/internal/account"
	"lvzhi/internal/apperr"
)

type tokenList struct {
	Tokens []account.Token
	Flash  string
	now    time.Time
}

// Expired reports whether t had expired when the page was made.
func (d tokenList) Expired(t account.Token) bool { return t.Expired(d.now) }

// accountTokens shows the logged-in user their own API tokens: created, last
// used, expiry, revoked, with a revoke button for each valid one.
func (s *Server) accountTokens(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	toks, err := s.Auth.OwnTokens(r.Context(), a)
	if err != nil {
		return err
	}
	d := tokenList{Tokens: toks, now: s.Auth.Now()}
	if r.URL.Query().Get("done") == "revoked" {
		d.Flash = "account.tokens.revoked_done"
	}
	s.render(w, r, "auth/tokens.html", d)
	return nil
}

// accountTokenRevoke revokes one of the user's own tokens; another user's is not found.
func (s *Server) accountTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return apperr.ErrNotFound
	}
	if err := s.Auth.RevokeOwnToken(r.Context(), a, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/account/tokens?done=revoked", http.StatusSeeOther)
	return nil
}

// tokenDays reads the lifetime field of the token form ("" is the default).
func tokenDays(r *http.Request) int {
	v := strings.TrimSpace(r.FormValue("days"))
	if v == "" {
		return account.DefaultTokenDays
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1 // refused by the service with the field named
	}
	return n
}
