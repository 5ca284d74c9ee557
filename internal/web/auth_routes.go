package web

import (
	"net/http"
	"net/url"
	"strings"

	"lvzhi/internal/account"
	"lvzhi/internal/apperr"
)

// authRoutes registers login, logout and the own-password page.
func (s *Server) authRoutes() {
	s.handle("GET /login", s.loginForm)
	s.handle("POST /login", s.login)
	s.handle("POST /logout", s.logout)
	s.handle("GET /account/password", s.passwordForm)
	s.handle("POST /account/password", s.changePassword)
	s.handle("GET /account/tokens", s.accountTokens)
	s.handle("POST /account/tokens/{id}/revoke", s.accountTokenRevoke)
}

// safeNext returns next if it is a local path, else "/": the login page must
// never redirect to another site (open redirect).
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, `/\`) ||
		strings.ContainsAny(next, "\r\n\t") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	if u.Path == "/login" {
		return "/"
	}
	return next
}

type loginData struct {
	// Committee is the name of the committee the deployment serves ("" if several).
	Committee string
	Next      string
	Username  string
	Error     string
	Fields    []apperr.FieldError
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	if actorOf(r) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	name, err := s.Org.PublicName(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, "auth/login.html", loginData{Committee: name, Next: next})
	return nil
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	next := safeNext(r.PostFormValue("next"))
	username := r.PostFormValue("username")
	secret, _, err := s.Auth.Login(r.Context(), username, r.PostFormValue("password"), clientIP(r), userAgent(r))
	if err != nil {
		e := apperr.As(err)
		if e == nil {
			return err
		}
		msg, fields := Message(langOf(r), e)
		w.WriteHeader(StatusOf(e.Code))
		name, _ := s.Org.PublicName(r.Context())
		s.render(w, r, "auth/login.html", loginData{Committee: name, Next: next, Username: username, Error: msg, Fields: fields})
		return nil
	}
	s.setSessionCookie(w, secret)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// setSessionCookie sets (or, with an empty secret, clears) the session cookie.
// It lives as long as the browser; the server ends idle sessions after account.SessionTTL.
func (s *Server) setSessionCookie(w http.ResponseWriter, secret string) {
	c := &http.Cookie{Name: account.SessionCookie, Value: secret, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.SecureCookies}
	if secret == "" {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(account.SessionCookie); err == nil {
		if err := s.Auth.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.setSessionCookie(w, "")
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

type passwordData struct {
	First  bool // the first password handed out must be changed now
	Min    int
	Done   bool
	Error  string
	Fields []apperr.FieldError
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	s.render(w, r, "auth/password.html", passwordData{Min: account.MinPasswordLen, First: a.MustChangePassword})
	return nil
}

// changePassword changes the user's own password; every session ends, and a
// new one starts for this browser so the user stays logged in here.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	next, confirm := r.PostFormValue("password"), r.PostFormValue("confirm")
	if next != confirm {
		err = apperr.Fields(apperr.Field("confirm", "err.auth.password_mismatch"))
	} else {
		err = s.Auth.ChangeOwnPassword(r.Context(), a, r.PostFormValue("current"), next)
	}
	if e := apperr.As(err); e != nil && e.Code == apperr.Invalid {
		msg, fields := Message(langOf(r), e)
		w.WriteHeader(StatusOf(e.Code))
		s.render(w, r, "auth/password.html", passwordData{Min: account.MinPasswordLen, Error: msg, Fields: fields})
		return nil
	} else if err != nil {
		return err
	}
	secret, err := s.Auth.CreateSession(r.Context(), a.UserID, clientIP(r), userAgent(r))
	if err != nil {
		return err
	}
	s.setSessionCookie(w, secret)
	s.render(w, r, "auth/password.html", passwordData{Min: account.MinPasswordLen, Done: true})
	return nil
}
