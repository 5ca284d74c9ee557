package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestFormErrorSummary: a form sent back with field errors lists them at the
// top of the page, each linking to its field, and a page without errors has
// no summary.
func TestFormErrorSummary(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		resp := h.post("staff", "/org/units", url.Values{"name": {" "}, "kind": {"bogus"}})
		body := h.text(resp)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		box := regexp.MustCompile(`(?s)<div class="errsummary"[^>]*role="alert"[^>]*>.*?</div>`).FindString(body)
		if box == "" {
			t.Fatalf("no error summary\n%s", snippet(body))
		}
		for _, want := range []string{"请更正以下 2 处错误", `href="#name"`, `href="#kind"`, "必须填写"} {
			if !strings.Contains(box, want) {
				t.Errorf("summary lacks %q\n%s", want, box)
			}
		}
		if main := body[strings.Index(body, `<main`):]; strings.Index(main, "errsummary") > strings.Index(main, "<form") {
			t.Error("the summary is not above the form")
		}
		clean := h.get("staff", "/org/units/new")
		if page := h.text(clean); clean.StatusCode != http.StatusOK || !strings.Contains(page, "<form") || strings.Contains(page, `class="errsummary"`) {
			t.Errorf("the empty form (status %d) shows a summary or no form", clean.StatusCode)
		}
	})
}

func TestFormErrorsOf(t *testing.T) {
	errs := []apperr.FieldError{{Field: "name", Text: "必须填写"}}
	type form struct{ Fields []apperr.FieldError }
	type other struct{ Fields []string }
	for _, c := range []struct {
		data any
		want int
	}{{form{errs}, 1}, {&form{errs}, 1}, {(*form)(nil), 0}, {other{[]string{"x"}}, 0}, {nil, 0}, {"text", 0}, {map[string]any{"Fields": errs}, 0}} {
		if got := len(formErrorsOf(c.data)); got != c.want {
			t.Errorf("%T: %d errors, want %d", c.data, got, c.want)
		}
	}
}
