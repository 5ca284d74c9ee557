package web

import (
	"math"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/civil"
	"lvzhi/internal/i18n"
)

// TestFormToolkit: each reader's values, and one field error with its own
// key for each kind of mistake.
func TestFormToolkit(t *testing.T) {
	v := url.Values{
		"n": {" 42 "}, "neg": {"-7"}, "big": {"2147483648"}, "huge": {"99999999999999999999"}, "word": {"十"},
		"id": {"12"}, "zero": {"0"}, "ids": {"3", "", "5"}, "badids": {"3", "x"},
		"d": {"1988-02-29"}, "nodate": {"1988-02-30"}, "baddate": {"1988/02/28"},
	}
	var fe []apperr.FieldError
	got := []any{
		formInt(v, "n", &fe), formInt(v, "neg", &fe), formInt(v, "missing", &fe),
		formID(v, "id", &fe), formID(v, "missing", &fe), formID(v, "zero", &fe), formIDs(v, "ids", &fe), formDate(v, "d", &fe),
	}
	want := []any{42, -7, 0, int64(12), int64(0), int64(0), []int64{3, 5}, civil.MustParse("1988-02-29")}
	for i := range want {
		if w, ok := want[i].([]int64); ok {
			if !slices.Equal(got[i].([]int64), w) {
				t.Errorf("value %d = %v, want %v", i, got[i], w)
			}
		} else if got[i] != want[i] {
			t.Errorf("value %d = %v, want %v", i, got[i], want[i])
		}
	}
	if len(fe) != 0 {
		t.Fatalf("good input gave field errors %v", fe)
	}
	for _, c := range []struct {
		read func(*[]apperr.FieldError)
		key  string
	}{
		{func(fe *[]apperr.FieldError) { formInt(v, "big", fe) }, "err.form.out_of_range"},
		{func(fe *[]apperr.FieldError) { formInt(v, "huge", fe) }, "err.form.out_of_range"},
		{func(fe *[]apperr.FieldError) { formInt(v, "word", fe) }, "err.form.not_number"},
		{func(fe *[]apperr.FieldError) { formID(v, "neg", fe) }, "err.form.bad_choice"},
		{func(fe *[]apperr.FieldError) { formIDs(v, "zero", fe) }, "err.form.bad_choice"},
		{func(fe *[]apperr.FieldError) { formID(v, "word", fe) }, "err.form.bad_choice"},
		{func(fe *[]apperr.FieldError) { formIDs(v, "badids", fe) }, "err.form.bad_choice"},
		{func(fe *[]apperr.FieldError) { formDate(v, "nodate", fe) }, "err.form.no_such_date"},
		{func(fe *[]apperr.FieldError) { formDate(v, "baddate", fe) }, "err.form.bad_date"},
	} {
		var fe []apperr.FieldError
		c.read(&fe)
		if len(fe) != 1 || fe[0].Key != c.key {
			t.Errorf("want one %s, got %v", c.key, fe)
			continue
		}
		if !i18n.Has("zh", c.key) || !i18n.Has("en", c.key) {
			t.Errorf("%s not translated", c.key)
		}
	}
	var fe2 []apperr.FieldError
	formInt(v, "big", &fe2)
	if fe2[0].Args["Max"] != int64(math.MaxInt32) {
		t.Errorf("range error args %v", fe2[0].Args)
	}
	if queryID(v, "word") != 0 || queryID(v, "neg") != 0 || queryID(v, "id") != 12 || queryInt(v, "huge") != 0 || queryInt(v, "n") != 42 {
		t.Error("query readers do not ignore what they cannot use")
	}
	r := httptest.NewRequest("GET", "/x/7", nil)
	r.SetPathValue("id", "7")
	if id, err := pathID(r, "id"); err != nil || id != 7 {
		t.Errorf("pathID = %d, %v", id, err)
	}
	for _, bad := range []string{"0", "-1", "x", "99999999999999999999"} {
		r.SetPathValue("id", bad)
		if _, err := pathID(r, "id"); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("pathID(%q): %v, want not found", bad, err)
		}
	}
}
