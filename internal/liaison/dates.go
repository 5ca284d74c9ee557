package liaison

import (
	"lvzhi/internal/apperr"
	"lvzhi/internal/civil"
)

// maxNotes caps free-text notes.
const maxNotes = 2000

// fieldErrs collects field errors while validating an input.
type fieldErrs []apperr.FieldError

func (f *fieldErrs) add(field, key string, args ...map[string]any) {
	*f = append(*f, apperr.Field(field, key, args...))
}

func (f fieldErrs) err() error {
	if len(f) == 0 {
		return nil
	}
	return apperr.Fields(f...)
}

// has reports whether field already has an error (so later checks skip it).
func (f fieldErrs) has(field string) bool {
	for _, e := range f {
		if e.Field == field {
			return true
		}
	}
	return false
}

// date parses a required date field, recording an error under field.
func (f *fieldErrs) date(field, s string, required bool) civil.Date {
	if s == "" {
		if required {
			f.add(field, "err.required")
		}
		return civil.Date{}
	}
	d, err := civil.Parse(s)
	if err != nil {
		f.add(field, "err.liaison.date_invalid")
	}
	return d
}

// period checks a from/to pair; to may be open-ended when optional.
func (f *fieldErrs) period(fromField, from, toField, to string, toRequired bool) (civil.Date, civil.Date) {
	a := f.date(fromField, from, true)
	b := f.date(toField, to, toRequired)
	if !a.IsZero() && !b.IsZero() && b.Before(a) {
		f.add(toField, "err.liaison.ends_before_starts")
	}
	return a, b
}

func (f *fieldErrs) notes(field, s string) {
	if len([]rune(s)) > maxNotes {
		f.add(field, "err.liaison.too_long", map[string]any{"Max": maxNotes})
	}
}
