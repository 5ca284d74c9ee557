// Package apperr is the small set of error codes every layer shares. Services
// return *Error with a message key; web and API translate the key into the
// user's language and map the code to an HTTP status in one place.
package apperr

import (
	"errors"
	"fmt"
)

// Code classifies an error for the caller.
type Code string

// The codes, each mapped to one HTTP status by web and api.
const (
	Invalid      Code = "invalid"      // 400/422: bad input; see Fields
	NotFound     Code = "not_found"    // 404: absent or not visible to the actor
	Conflict     Code = "conflict"     // 409: concurrent edit, duplicate, wrong state
	Unauthorized Code = "unauthorized" // 401: not logged in
	Forbidden    Code = "forbidden"    // 403: logged in but not allowed
	TooLarge     Code = "too_large"    // 413: body or upload too big
	RateLimited  Code = "rate_limited" // 429: throttled
	Internal     Code = "internal"     // 500: never shown in detail
)

// FieldError names one bad field (and, for imports, the row) and why.
type FieldError struct {
	Row   int            `json:"row,omitempty"`     // 1-based spreadsheet row; 0 for forms
	Field string         `json:"field"`             // form field or column name
	Key   string         `json:"key"`               // i18n message id
	Args  map[string]any `json:"args,omitempty"`    // template data for the message
	Text  string         `json:"message,omitempty"` // filled in by the translating layer
}

// Error is an application error with a code and an i18n message key.
type Error struct {
	Code   Code
	Key    string         // i18n message id, e.g. "err.proposal.wrong_state"
	Args   map[string]any // template data for the message
	Fields []FieldError
	Err    error // wrapped cause, never shown to users
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Key
	if len(e.Fields) > 0 {
		s += fmt.Sprintf(" (%d field errors)", len(e.Fields))
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error with code and message key.
func New(code Code, key string, args ...map[string]any) *Error {
	e := &Error{Code: code, Key: key}
	if len(args) > 0 {
		e.Args = args[0]
	}
	return e
}

// Fields returns an Invalid error carrying field errors.
func Fields(fields ...FieldError) *Error {
	return &Error{Code: Invalid, Key: "err.invalid", Fields: fields}
}

// Field builds one FieldError.
func Field(field, key string, args ...map[string]any) FieldError {
	f := FieldError{Field: field, Key: key}
	if len(args) > 0 {
		f.Args = args[0]
	}
	return f
}

// ErrNotFound is the shared not-found error: absent or not visible to the actor alike.
var ErrNotFound = New(NotFound, "err.not_found")

// CodeOf returns the code of err, Internal for unknown errors and "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns err as *Error, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// ErrConflict is the optimistic-locking failure: the record changed or went
// away since the actor read it (see db.ExecVersioned).
var ErrConflict = New(Conflict, "err.conflict")
