package web

import (
	"errors"
	"net/http"

	"lvzhi/internal/apperr"
	"lvzhi/internal/i18n"
)

// handlerFunc is a handler that returns an error; handle turns errors into pages.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle registers h at pattern, translating its error into a status and a page.
func (s *Server) handle(pattern string, h handlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// StatusOf maps an error code to its HTTP status: the one table for the web.
func StatusOf(code apperr.Code) int {
	switch code {
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.TooLarge:
		return http.StatusRequestEntityTooLarge
	case apperr.RateLimited:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// Normalize turns transport errors (body too large) into application errors.
func Normalize(err error) *apperr.Error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return apperr.New(apperr.TooLarge, "err.too_large")
	}
	if e := apperr.As(err); e != nil {
		return e
	}
	return &apperr.Error{Code: apperr.Internal, Key: "err.internal", Err: err}
}

// Message translates an application error and its field errors into lang.
func Message(lang string, e *apperr.Error) (string, []apperr.FieldError) {
	msg := i18n.T(lang, e.Key, e.Args)
	fields := make([]apperr.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		f.Text = i18n.T(lang, f.Key, f.Args)
		fields[i] = f
	}
	return msg, fields
}

// fail renders an error page (or redirects anonymous users to log in).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := Normalize(err)
	if e.Code == apperr.Internal {
		s.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if e.Code == apperr.Unauthorized && r.Method == http.MethodGet && r.Header.Get("HX-Request") == "" {
		http.Redirect(w, r, "/login?next="+r.URL.RequestURI(), http.StatusSeeOther)
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
