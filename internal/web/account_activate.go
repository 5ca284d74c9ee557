package web

import (
	"net/http"

	"lvzhi/internal/account"
	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/i18n"
	"lvzhi/internal/sheet"
)

// activateRoutes registers the one-time activation links of accounts opened
// by the member and unit import, and the office's list of new links.
func (s *Server) activateRoutes() {
	s.handle("GET /activate/{token}", s.activateForm)
	s.handle("POST /activate/{token}", s.activate)
	s.handle("POST /admin/users/activations", s.adminActivations)
}

type activateData struct {
	Token   string
	Pending account.Pending
	Min     int
	Done    bool
	Error   string // why the link cannot be used, or the form's error
	Broken  bool   // the link itself is unusable: no form
	Fields  []apperr.FieldError
}

// activateForm shows whose account a link opens and the first-password
// form, or in Chinese why the link is unusable (unknown, used, expired).
func (s *Server) activateForm(w http.ResponseWriter, r *http.Request) error {
	tok := r.PathValue("token")
	p, err := s.Auth.CheckActivation(r.Context(), tok)
	return s.renderActivate(w, r, activateData{Token: tok, Pending: p}, err)
}

// activate sets the first password through a link; the link is used up and
// the holder logs in with the password just chosen.
func (s *Server) activate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	tok := r.PathValue("token")
	d := activateData{Token: tok}
	pw := r.PostFormValue("password")
	var err error
	if pw != r.PostFormValue("confirm") {
		d.Pending, err = s.Auth.CheckActivation(r.Context(), tok)
		if err == nil {
			err = apperr.Fields(apperr.Field("confirm", "err.auth.password_mismatch"))
		}
	} else if d.Pending, err = s.Auth.Activate(r.Context(), tok, pw); err == nil {
		d.Done = true
	}
	return s.renderActivate(w, r, d, err)
}

func (s *Server) renderActivate(w http.ResponseWriter, r *http.Request, d activateData, err error) error {
	// The secret is in the address: not cached (the site's Referrer-Policy,
	// same-origin, already keeps it from other sites).
	w.Header().Set("Cache-Control", "no-store")
	d.Min = account.MinPasswordLen
	if err != nil {
		e := apperr.As(err)
		if e == nil {
			return err
		}
		d.Error, d.Fields = Message(langOf(r), e)
		d.Broken = len(e.Fields) == 0
		w.WriteHeader(StatusOf(e.Code))
	}
	s.render(w, r, "auth/activate.html", d)
	return nil
}

// adminActivations issues new activation links for every account of the
// committee not yet activated (the old links stop working) and answers with
// the .xlsx the office prints: the only copy of the links.
func (s *Server) adminActivations(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.ManageUsers)
	if err != nil {
		return err
	}
	acts, err := s.Auth.ReissueActivations(r.Context(), a)
	if err != nil {
		return err
	}
	return s.sendActivations(w, r, a, acts)
}

// sendActivations answers the activation links as an .xlsx.
func (s *Server) sendActivations(w http.ResponseWriter, r *http.Request, a *auth.Actor, acts []account.Activation) error {
	lang := langOf(r)
	title := i18n.T(lang, "activate.sheet")
	sh, err := sheet.New(title, []sheet.Column{
		{Head: i18n.T(lang, "admin.provision.kind"), Width: 8}, {Head: i18n.T(lang, "admin.users.name"), Width: 24},
		{Head: i18n.T(lang, "admin.users.username"), Width: 20}, {Head: i18n.T(lang, "activate.link"), Width: 80},
		{Head: i18n.T(lang, "activate.expires"), Width: 18},
	})
	if err != nil {
		return err
	}
	defer sh.Close()
	base := requestBase(r, s.SecureCookies)
	for _, x := range acts {
		if err := sh.Row(i18n.T(lang, "admin.provision.kind."+x.Kind), x.Name, x.Username, base+x.Path(),
			x.ExpiresAt.In(civil.Shanghai).Format("2006-01-02 15:04")); err != nil {
			return err
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	return sh.Send(w, s.exportName(r.Context(), a, 0, title))
}

// requestBase is the address the request reached ("https://host"), which
// starts the activation links handed out.
func requestBase(r *http.Request, secure bool) string {
	scheme := "http"
	if r.TLS != nil || secure {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
