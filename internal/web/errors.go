package web

import (
	"net/http"
	"net/url"

	"lvzhi/internal/apperr"
	"lvzhi/internal/httperr"
)

// handlerFunc is a handler that returns an error; handle turns errors into pages.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle registers h at pattern, translating its error into a status and a page.
func (s *Server) handle(pattern string, h handlerFunc) {
	s.patterns = append(s.patterns, pattern)
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// StatusOf maps an error code to its HTTP status (httperr.StatusOf: the one table for web and API).
func StatusOf(code apperr.Code) int { return httperr.StatusOf(code) }

// Normalize turns transport errors (body too large) into application errors (httperr.Normalize).
func Normalize(err error) *apperr.Error { return httperr.Normalize(err) }

// Message translates an application error and its field errors into lang (httperr.Message).
func Message(lang string, e *apperr.Error) (string, []apperr.FieldError) {
	return httperr.Message(lang, e)
}

// fail renders an error page (or redirects anonymous users to log in).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := Normalize(err)
	if e.Code == apperr.Internal {
		s.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if e.Code == apperr.Unauthorized && r.Method == http.MethodGet && r.Header.Get("HX-Request") == "" {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	lang := langOf(r)
	msg, fields := Message(lang, e)
	w.WriteHeader(StatusOf(e.Code))
	s.renderPage(w, r, "error.html", map[string]any{"Message": msg, "Fields": fields, "Code": string(e.Code)})
}

// requireActor returns the logged-in actor or an Unauthorized error.
func requireActor(r *http.Request) (*authActor, error) {
	a := actorOf(r)
	if a == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	return a, nil
}
