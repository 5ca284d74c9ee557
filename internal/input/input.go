// Package input is the outer gate every web form, query string and API body
// passes before a handler sees it. Text must be valid UTF-8 without NUL or
// control characters other than tab and newline (and the carriage return a
// browser sends before a newline); an integer in a parameter named after an
// integer column must fit that column; page numbers are clamped.
//
// Why a gate and not the database: PostgreSQL refuses such text and numbers
// with an error (a 500 before this gate), while SQLite stores them, so the two
// engines answered differently and a SQLite database could hold rows that
// PostgreSQL cannot take. Checking here, before either engine sees the value,
// makes the answer the same on both (a 422 on pages, a 400 in the API, with a
// translated message) and keeps such values out of every database.
package input

import (
	"math"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"lvzhi/internal/apperr"
)

// MaxPage is the highest page number a list serves; higher pages are clamped
// to it (an empty page), so page × size can never overflow an offset.
const MaxPage = 100_000

// Message keys of the gate's refusals (internal/i18n/locales/common.*.toml).
const (
	KeyText   = "err.input.text"
	KeyNumber = "err.input.number"
)

// int32Names are parameters stored in (or compared with) INTEGER columns:
// years, numbers, sort keys, versions, counts and settings.
var int32Names = map[string]bool{
	"year": true, "number": true, "sort": true, "version": true, "per_year": true,
	"min_visits": true, "max_points": true, "points": true, "total": true, "round": true,
	"limit": true, "offset": true, "per_page": true, "max_total": true,
	"max_months": true, "deadline_months": true, "rehandle_months": true, "extensions": true,
	"remind_workdays": true, "return_workdays": true, "evaluation_workdays": true,
	"signing_workdays": true, "contact_workdays": true, "return_requests": true,
}

// int64Names are parameters holding record ids (BIGINT columns) besides the
// names ending in "id" or "_id".
var int64Names = map[string]bool{
	"c": true, "committee": true, "session": true, "unit": true, "units": true, "term": true,
	"member": true, "liaison": true, "sector": true, "group": true, "lead_unit": true,
	"leaders": true, "co_signers": true, "assignment": true, "before": true,
}

// pageNames are clamped to [1, MaxPage] rather than refused.
var pageNames = map[string]bool{"page": true}

var integerRE = regexp.MustCompile(`^\s*[+-]?[0-9]+\s*$`)

// Text checks one text value: valid UTF-8, no NUL, no control characters but
// tab, newline and carriage return. field names it in the error.
func Text(field, s string) *apperr.Error {
	if TextOK(s) {
		return nil
	}
	return refuse([]apperr.FieldError{apperr.Field(field, KeyText)})
}

// TextOK reports whether s is text every engine stores as given.
func TextOK(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == '\t' || r == '\n' || r == '\r' {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return true
}

// Range returns the range an integer parameter called name must fit, and
// whether name is an integer parameter at all.
func Range(name string) (lo, hi int64, ok bool) {
	switch {
	case int32Names[name]:
		return math.MinInt32, math.MaxInt32, true
	case int64Names[name], name == "id", strings.HasSuffix(name, "_id"), strings.HasPrefix(name, "group_"):
		return math.MinInt64, math.MaxInt64, true
	}
	return 0, 0, false
}

// Number checks an integer written in parameter name against its column's
// range. Values that are not integers are left to the handler (which knows
// whether the field is optional and how to say what is wrong).
func Number(name, v string) *apperr.Error {
	lo, hi, ok := Range(name)
	if !ok || !integerRE.MatchString(v) {
		return nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < lo || n > hi {
		return refuse([]apperr.FieldError{apperr.Field(name, KeyNumber, map[string]any{"Min": lo, "Max": hi})})
	}
	return nil
}

// Values checks every name and value of a form or query string; the error
// names every bad field once, in name order.
func Values(v url.Values) *apperr.Error {
	var fields []apperr.FieldError
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if !TextOK(k) {
			fields = append(fields, apperr.Field("", KeyText))
			continue
		}
		for _, s := range v[k] {
			if e := Text(k, s); e != nil {
				fields = append(fields, e.Fields...)
				break
			}
			if pageNames[k] {
				continue
			}
			if e := Number(k, s); e != nil {
				fields = append(fields, e.Fields...)
				break
			}
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return refuse(fields)
}

// refuse is an Invalid error whose message is the first field's, so a client
// reading only the message learns what is wrong.
func refuse(fields []apperr.FieldError) *apperr.Error {
	return &apperr.Error{Code: apperr.Invalid, Key: fields[0].Key, Args: fields[0].Args, Fields: fields}
}

// ClampPages clamps page parameters to [1, MaxPage] in place and reports
// whether any changed. A page that is not a number is left to the handler.
func ClampPages(v url.Values) bool {
	changed := false
	for k := range pageNames {
		for i, s := range v[k] {
			if !integerRE.MatchString(s) {
				continue
			}
			n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
			switch {
			case err != nil && strings.HasPrefix(strings.TrimSpace(s), "-"), err == nil && n < 1:
				n = 1
			case err != nil, n > MaxPage:
				n = MaxPage
			default:
				continue
			}
			v[k][i] = strconv.FormatInt(n, 10)
			changed = true
		}
	}
	return changed
}

// Path checks a request path (its decoded form) like any text.
func Path(p string) *apperr.Error { return Text("", p) }
