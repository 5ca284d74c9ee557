package web

import (
	"reflect"

	"lvzhi/internal/apperr"
)

var fieldErrorsType = reflect.TypeOf([]apperr.FieldError(nil))

// formErrorsOf returns the field errors a page's data carries in its Fields
// field (the convention of every form page), so the layout can summarise them
// at the top of the page without each form template doing it (WCAG 3.3.1).
func formErrorsOf(data any) []apperr.FieldError {
	v := reflect.ValueOf(data)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	f := v.FieldByName("Fields")
	if !f.IsValid() || f.Type() != fieldErrorsType {
		return nil
	}
	errs, _ := f.Interface().([]apperr.FieldError)
	return errs
}
