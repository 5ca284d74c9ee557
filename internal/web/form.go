package web

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
)

// The form toolkit every area's handlers use to read path values, query
// strings and submitted forms. Readers of form fields append a field error
// (one message key per kind of mistake, below) and return the zero value, so a
// handler reads every field, then shows all the mistakes at once.
const (
	keyNotNumber  = "err.form.not_number"   // not a whole number
	keyOutOfRange = "err.form.out_of_range" // a number outside {{.Min}}..{{.Max}}
	keyBadChoice  = "err.form.bad_choice"   // an id (select, checkbox) that is not one
	keyBadDate    = "err.form.bad_date"     // not written YYYY-MM-DD
	keyNoSuchDate = "err.form.no_such_date" // well written, but not on the calendar (1988-02-30)
)

// formValues is the request's form (query and body), parsed if it was not yet.
func formValues(r *http.Request) url.Values {
	if r.Form == nil {
		_ = r.FormValue("") // parses as FormValue does; a malformed body leaves the fields empty
	}
	return r.Form
}

// pathID reads the path value name as a positive id; anything else is not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.ErrNotFound
	}
	return id, nil
}

// formInt reads an optional whole number that fits an INTEGER column ("" is 0);
// anything else is a field error, never a database failure.
func formInt(v url.Values, name string, fe *[]apperr.FieldError) int {
	return int(formRange(v, name, math.MinInt32, math.MaxInt32, fe))
}

// formRange reads an optional whole number between lo and hi ("" is 0).
func formRange(v url.Values, name string, lo, hi int64, fe *[]apperr.FieldError) int64 {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case errors.Is(err, strconv.ErrRange) || err == nil && (n < lo || n > hi):
		*fe = append(*fe, apperr.Field(name, keyOutOfRange, map[string]any{"Min": lo, "Max": hi}))
		return 0
	case err != nil:
		*fe = append(*fe, apperr.Field(name, keyNotNumber))
		return 0
	}
	return n
}

// formID reads an optional id ("" and "0", a select's "none", are 0); anything
// but a positive number is a field error.
func formID(v url.Values, name string, fe *[]apperr.FieldError) int64 {
	s := strings.TrimSpace(v.Get(name))
	if s == "" || s == "0" {
		return 0
	}
	n, ok := parseID(s)
	if !ok {
		*fe = append(*fe, apperr.Field(name, keyBadChoice))
	}
	return n
}

// formIDs reads a repeated id field (checkboxes, multi-selects), in order,
// without blanks; one bad value is a field error and gives no ids.
func formIDs(v url.Values, name string, fe *[]apperr.FieldError) []int64 {
	var ids []int64
	for _, s := range v[name] {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		n, ok := parseID(s)
		if !ok {
			*fe = append(*fe, apperr.Field(name, keyBadChoice))
			return nil
		}
		ids = append(ids, n)
	}
	return ids
}

func parseID(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// formDate reads an optional date ("" is the zero date); a date not written
// YYYY-MM-DD and one that does not exist are field errors with their own keys.
func formDate(v url.Values, name string, fe *[]apperr.FieldError) civil.Date {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return civil.Date{}
	}
	d, err := civil.Parse(s)
	if err != nil {
		*fe = append(*fe, dateField(name, err))
	}
	return d
}

// dateField is the field error for a civil.Parse error.
func dateField(name string, err error) apperr.FieldError {
	if errors.Is(err, civil.ErrNoSuchDate) {
		return apperr.Field(name, keyNoSuchDate)
	}
	return apperr.Field(name, keyBadDate)
}

// queryID reads an optional id from a query string: 0 when absent or not one
// (filters ignore what they cannot use rather than fail the page).
func queryID(q url.Values, name string) int64 {
	n, _ := parseID(strings.TrimSpace(q.Get(name)))
	return n
}

// queryInt reads an optional non-negative int32 from a query string (page numbers, years): 0 when absent or bad.
func queryInt(q url.Values, name string) int {
	n, err := strconv.ParseInt(strings.TrimSpace(q.Get(name)), 10, 32)
	if err != nil || n < 0 {
		return 0
	}
	return int(n)
}

// formError splits an Invalid error into translated field errors and a
// message for re-rendering a form; any other error is returned as is (for the
// error page).
func formError(r *http.Request, err error) ([]apperr.FieldError, string, error) {
	e := apperr.As(err)
	if e == nil || e.Code != apperr.Invalid {
		return nil, "", err
	}
	msg, fields := Message(langOf(r), e)
	return fields, msg, nil
}

// actorAndID starts a handler on one record: the actor, who must hold action
// (or only be logged in, for ""), and the record's {id} path value.
func actorAndID(r *http.Request, action auth.Action) (*auth.Actor, int64, error) {
	a, err := requireActor(r)
	if err == nil && action != "" {
		a, err = requireCan(r, action)
	}
	if err != nil {
		return nil, 0, err
	}
	id, err := pathID(r, "id")
	return a, id, err
}
