package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestEveryPostRefusesCrossSite sends every state-changing route the server
// registers, as the administrator and as a member, from a foreign site: each
// must be refused (403) before its handler runs, leaving the audit log alone.
// A route added later is covered without editing this test.
func TestEveryPostRefusesCrossSite(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		wildcard := regexp.MustCompile(`\{[^}]+\}`)
		var posts []string
		for _, p := range h.Server.patterns {
			method, path, ok := strings.Cut(p, " ")
			if !ok || method == http.MethodGet || method == http.MethodHead {
				continue
			}
			posts = append(posts, method+" "+wildcard.ReplaceAllString(path, "1"))
		}
		if len(posts) < 40 {
			t.Fatalf("only %d state-changing routes found: %v", len(posts), posts)
		}
		audited := h.auditCount()
		for _, role := range []string{"admin", "member"} {
			for _, p := range posts {
				method, path, _ := strings.Cut(p, " ")
				for name, set := range map[string]func(*http.Request){
					"cross-site": func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") },
					"origin":     func(r *http.Request) { r.Header.Set("Origin", "https://evil.example") },
				} {
					req := h.request(method, path, url.Values{"name": {"x"}, "version": {"1"}})
					set(req)
					if resp := h.do(role, req); resp.StatusCode != http.StatusForbidden {
						t.Errorf("%s %s as %s (%s): status %d, want 403", method, path, role, name, resp.StatusCode)
					}
				}
			}
		}
		if n := h.auditCount(); n != audited {
			t.Errorf("cross-site requests changed records: audit log %d → %d", audited, n)
		}
	})
}
