package web

import (
	"net/http"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
)

// adminTokens lists every API token of the committee.
func (s *Server) adminTokens(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.ManageUsers)
	if err != nil {
		return err
	}
	toks, err := s.Auth.ListTokens(r.Context(), a, 0)
	if err != nil {
		return err
	}
	d := tokenList{Tokens: toks, now: s.Auth.Now()}
	if r.URL.Query().Get("done") == "revoked" {
		d.Flash = "admin.tokens.revoked_done"
	}
	s.render(w, r, "admin/tokens.html", d)
	return nil
}

// adminTokenCreate creates a token for the user and shows its secret once.
func (s *Server) adminTokenCreate(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, auth.ManageUsers)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, secret, err := s.Auth.CreateTokenFor(r.Context(), a, id, r.FormValue("name"), tokenDays(r))
	if err != nil {
		if e := apperr.As(err); e != nil && e.Code == apperr.Invalid {
			return s.renderUserInvalid(w, r, a, id, err, nil)
		}
		return err
	}
	return s.renderUser(w, r, a, id, func(d *adminUserForm) { d.NewToken = secret })
}

func (s *Server) adminTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, auth.ManageUsers)
	if err != nil {
		return err
	}
	if err := s.Auth.RevokeToken(r.Context(), a, id); err != nil {
		return err
	}
	back := safeNext(r.FormValue("back"))
	if back == "/" {
		back = "/admin/tokens?done=revoked"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}
