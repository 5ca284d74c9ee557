package httperr

import (
	"errors"
	"net/http"
	"testing"

	"lvzhi/internal/apperr"
)

func TestStatusTable(t *testing.T) {
	want := map[apperr.Code]int{
		apperr.Invalid: 422, apperr.NotFound: 404, apperr.Conflict: 409, apperr.Unauthorized: 401,
		apperr.Forbidden: 403, apperr.TooLarge: 413, apperr.RateLimited: 429, apperr.Internal: 500, "other": 500,
	}
	for code, status := range want {
		if got := StatusOf(code); got != status {
			t.Errorf("%s: %d, want %d", code, got, status)
		}
	}
}

func TestNormalizeAndMessage(t *testing.T) {
	if e := Normalize(&http.MaxBytesError{Limit: 1}); e.Code != apperr.TooLarge {
		t.Fatalf("too large: %v", e)
	}
	if e := Normalize(errors.New("sql: boom")); e.Code != apperr.Internal || e.Key != "err.internal" {
		t.Fatalf("internal: %v", e)
	}
	e := apperr.Fields(apperr.Field("name", "err.required"))
	if Normalize(e) != e {
		t.Fatal("application errors pass through")
	}
	msg, fields := Message("en", e)
	if msg == "err.invalid" || len(fields) != 1 || fields[0].Text == "" || fields[0].Text == "err.required" {
		t.Fatalf("untranslated: %q %+v", msg, fields)
	}
	if e.Fields[0].Text != "" {
		t.Fatal("Message changed the error it was given")
	}
}
