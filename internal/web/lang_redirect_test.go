package web

import (
	"net/http"
	"net/url"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestLangReturnsOnlyWithinTheSite: switching the language returns to the
// page the Referer names only when that page is on this site; any other
// Referer (another site, scheme-relative tricks, other schemes) returns home.
// Before, /lang/en followed any Referer: an open redirect.
func TestLangReturnsOnlyWithinTheSite(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		self, _ := url.Parse(h.URL)
		cases := []struct{ referer, want string }{
			{h.URL + "/proposals?tab=mine&page=2", "/proposals?tab=mine&page=2"},
			{h.URL + "/org/members", "/org/members"},
			{"", "/"},
			{"https://evil.example/phish", "/"},
			{"https://evil.example/" + self.Host + "/x", "/"},
			{"http://" + self.Host + ".evil.example/x", "/"},
			{"//evil.example/x", "/"},
			{"javascript:alert(1)", "/"},
			{"http://" + self.Host + "//evil.example/x", "/"},
			{"http://" + self.Host + `/\evil.example`, "/%5Cevil.example"}, // escaped: a path here
			{"http://user@evil.example/", "/"},
		}
		for _, role := range []string{"anon", "member"} {
			for _, c := range cases {
				req := h.request(http.MethodGet, "/lang/en", nil)
				if c.referer != "" {
					req.Header.Set("Referer", c.referer)
				}
				resp := h.do(role, req)
				if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != c.want {
					t.Errorf("%s with Referer %q: %d to %q, want %q", role, c.referer, resp.StatusCode, resp.Header.Get("Location"), c.want)
				}
			}
		}
	})
}
