package web

import (
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// inlineRE finds what the CSP forbids in a page: a script element without src
// (except a JSON data block), a <style> element, a style attribute, an event
// handler attribute and a javascript: URL.
var inlineRE = regexp.MustCompile(`(?i)<script(?:\s+type="[a-z/-]*javascript")?\s*>|<style[\s>]|\sstyle\s*=|\son[a-z]+\s*=\s*["']|javascript:`)

// TestSecurityHeadersEveryPage fetches every GET route (pages, redirects,
// errors), a static asset, the API and a refused POST, as a visitor and as each
// role: every answer carries the CSP (no inline script, frame-ancestors
// 'none'), X-Frame-Options, nosniff and the referrer policy, and no page holds
// an inline script, style or handler the CSP would block. Before, none of the
// headers was sent and the figures page ran an inline script.
func TestSecurityHeadersEveryPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		check := func(what string, resp *http.Response) {
			t.Helper()
			for k, v := range map[string]string{
				"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
			} {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("%s: %s %q, want %q", what, k, got, v)
				}
			}
			csp := resp.Header.Get("Content-Security-Policy")
			for _, want := range []string{"frame-ancestors 'none'", "script-src 'self';", "style-src 'self';", "object-src 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("%s: CSP %q lacks %q", what, csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("%s: CSP allows inline code: %q", what, csp)
			}
			if ct := resp.Header.Get("Content-Type"); strings.HasPrefix(ct, "text/html") {
				if m := inlineRE.FindString(h.text(resp)); m != "" {
					t.Errorf("%s: page holds %q, which the CSP blocks", what, m)
				}
			}
		}
		pages := 0
		for _, role := range []string{"anon", "admin", "staff", "proposal_office", "member", "unit", "leader"} {
			for _, route := range everyRoute(h) {
				method, path, _ := strings.Cut(route, " ")
				if method != http.MethodGet || path == "/logout" {
					continue
				}
				resp := h.get(role, path)
				check(role+" "+path, resp)
				if resp.StatusCode == http.StatusOK {
					pages++
				}
			}
		}
		if pages < 100 {
			t.Errorf("only %d pages answered 200: the check saw too few real pages", pages)
		}
		for _, path := range []string{"/static/app.js", "/static/app.css", "/healthz", "/no/such/page", "/proposals/figures?year=2147483648"} {
			check(path, h.get("staff", path))
		}
		check("refused POST", h.post("member", "/admin/users", nil))
	})
}

// TestNginxExampleSendsTheSamePolicy: the nginx example adds the same CSP on
// its own answers, so a change to one must be made to the other.
func TestNginxExampleSendsTheSamePolicy(t *testing.T) {
	b, err := os.ReadFile("../../deploy/nginx.conf.example")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`add_header Content-Security-Policy "` + ContentSecurityPolicy + `" always;`,
		"add_header X-Frame-Options DENY always;", "add_header X-Content-Type-Options nosniff always;"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("deploy/nginx.conf.example lacks %s", want)
		}
	}
}
