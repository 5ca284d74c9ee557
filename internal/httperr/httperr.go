// Package httperr is what the web pages and the JSON API share about errors:
// the one table from error code to HTTP status, turning transport errors into
// application errors, and translating an error and its field errors.
package httperr

import (
	"errors"
	"net/http"

	"lvzhi/internal/apperr"
	"lvzhi/internal/i18n"
)

// StatusOf maps an error code to its HTTP status: the one table for web and API.
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

// Normalize turns transport errors (body too large) into application errors;
// anything unknown is Internal, its cause kept for the log only.
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
