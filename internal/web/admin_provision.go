package web

import (
	"net/http"
	"strings"

	"lvzhi/internal/auth"
	"lvzhi/internal/i18n"
	"lvzhi/internal/sheet"
)

// adminProvision opens an account for every serving member and active unit
// that has none (account.ProvisionAll) and answers with the .xlsx of their
// usernames and first passwords: the only copy, since only the hashes are
// kept. Each account must change its password at the first login (firstLogin).
func (s *Server) adminProvision(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.ManageUsers)
	if err != nil {
		return err
	}
	issued, err := s.Auth.ProvisionAll(r.Context(), a)
	if err != nil {
		return err
	}
	lang := langOf(r)
	title := i18n.T(lang, "admin.provision.sheet")
	sh, err := sheet.New(title, []sheet.Column{
		{Head: i18n.T(lang, "admin.provision.kind"), Width: 8}, {Head: i18n.T(lang, "admin.users.name"), Width: 24},
		{Head: i18n.T(lang, "admin.users.username"), Width: 20}, {Head: i18n.T(lang, "admin.provision.password"), Width: 16},
	})
	if err != nil {
		return err
	}
	defer sh.Close()
	for _, x := range issued {
		if err := sh.Row(i18n.T(lang, "admin.provision.kind."+x.Kind), x.Name, x.Username, x.Password); err != nil {
			return err
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	return sh.Send(w, s.exportName(r.Context(), a, 0, title))
}

// firstLogin sends a user who still has the first password handed out to
// them to the password form before anything else; logging out, the form
// itself, the language switch and assets stay reachable.
func (s *Server) firstLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := actorOf(r)
		if a == nil || !a.MustChangePassword || firstLoginAllowed(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			http.Redirect(w, r, "/account/password?first=1", http.StatusSeeOther)
			return
		}
		http.Error(w, i18n.T(langOf(r), "admin.provision.change_first"), http.StatusForbidden)
	})
}

func firstLoginAllowed(path string) bool {
	return path == "/account/password" || path == "/logout" || path == "/login" ||
		strings.HasPrefix(path, "/static/") || strings.HasPrefix(path, "/lang/") || strings.HasPrefix(path, "/api/")
}
