package web

import (
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestLoginPageNamesTheCommittee: the login page says whose platform it is,
// also after a failed attempt; a deployment of several top committees names none.
func TestLoginPageNamesTheCommittee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		const name = `<small class="committee">曲靖市政协</small>`
		if body := h.text(h.get("anon", "/login")); !strings.Contains(body, name) {
			t.Fatalf("login page lacks the committee: %s", snippet(body))
		}
		resp := h.post("anon", "/login", map[string][]string{"username": {"h_staff"}, "password": {"wrong-password"}})
		if body := h.text(resp); !strings.Contains(body, name) {
			t.Errorf("failed login page lacks the committee: %s", snippet(body))
		}
		h.W.Root("prefecture", "另一市政协", "P9")
		if body := h.text(h.get("anon", "/login")); strings.Contains(body, `class="committee"`) {
			t.Error("a deployment of two committees names one")
		}
	})
}
