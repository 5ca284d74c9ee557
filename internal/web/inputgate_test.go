package web

import (
	"log/slog"
	"lvzhi/internal/logbuf"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// everyRoute lists the server's registered routes as "METHOD path", each
// wildcard replaced by 1, logging out last (so a route that was not refused
// does not end the session the later requests use).
func everyRoute(h *harness) []string {
	wildcard := regexp.MustCompile(`\{[^}]+\}`)
	var out []string
	for _, p := range h.Server.patterns {
		method, path, ok := strings.Cut(p, " ")
		if !ok {
			continue
		}
		out = append(out, method+" "+strings.TrimSuffix(wildcard.ReplaceAllString(path, "1"), "{$}"))
	}
	sort.SliceStable(out, func(i, j int) bool {
		return !strings.HasSuffix(out[i], "/logout") && strings.HasSuffix(out[j], "/logout")
	})
	return out
}

// textFields are the text fields the forms and filters use; a bad value is
// sent in all of them at once.
var textFields = []string{"name", "title", "username", "display_name", "password", "q", "content", "body",
	"note", "reason", "phone", "summary", "remark", "opinion", "subject", "address", "id_number"}

// TestInputGateEveryRoute sends bad text (NUL, invalid UTF-8, a control
// character) and numbers beyond their column to every route the server
// registers, as a visitor, a member and the administrator. Each must be
// refused with 422 and the translated message before any handler runs (the
// same on both engines: before the gate PostgreSQL answered 500 and SQLite
// stored the text), nothing may be written, and no ERROR line logged. Ids above
// 32 bits (still inside BIGINT) must never be a 500, and a huge page number is
// clamped, not an error. A route added later is covered without editing this.
func TestInputGateEveryRoute(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		logs := &logbuf.Buffer{}
		h.Server.Log = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelError}))
		routes := everyRoute(h)
		if len(routes) < 90 {
			t.Fatalf("only %d routes found", len(routes))
		}
		for _, role := range []string{"admin", "member"} {
			h.client(role) // log in first: the session is not the requests' doing
		}
		audited := h.auditCount()
		send := func(role, route string, v url.Values) *http.Response {
			method, path, _ := strings.Cut(route, " ")
			if method == http.MethodGet {
				return h.do(role, h.request(method, path+"?"+v.Encode(), nil))
			}
			v.Set("version", "1")
			return h.do(role, h.request(method, path, v))
		}
		refused := []struct {
			name, param, value, want string
		}{
			{"NUL", "text", "a\x00b", "无法保存的字符"},
			{"invalid UTF-8", "text", "a\xffb", "无法保存的字符"},
			{"control character", "text", "a\x1bb", "无法保存的字符"},
			{"year beyond INTEGER", "year", "2147483648", "数字超出范围"},
			{"sort beyond INTEGER", "sort", "-2147483649", "数字超出范围"},
			{"entity_id beyond BIGINT", "entity_id", "9223372036854775808", "数字超出范围"},
			{"term beyond BIGINT", "term", "99999999999999999999", "数字超出范围"},
		}
		for _, role := range []string{"anon", "member", "admin"} {
			for _, route := range routes {
				for _, c := range refused {
					v := url.Values{c.param: {c.value}}
					if c.param == "text" { // every common text field at once
						for _, f := range textFields {
							v.Set(f, c.value)
						}
					}
					resp := send(role, route, v)
					body := h.text(resp)
					if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, c.want) {
						t.Errorf("%s as %s, %s: status %d, want 422 with %q\n%s", route, role, c.name, resp.StatusCode, c.want, snippet(body))
					}
				}
			}
		}
		if n := h.auditCount(); n != audited {
			t.Errorf("bad input changed records: audit log %d → %d", audited, n)
		}
		// Ids above 32 bits fit BIGINT: whatever a route answers (some of
		// these writes succeed), never a 500.
		for _, route := range routes {
			for _, name := range []string{"c", "committee", "term", "term_id", "member", "liaison", "session", "unit",
				"sector", "sector_id", "group", "entity_id", "before", "person_id", "unit_id", "liaison_id", "member_id"} {
				resp := send("admin", route, url.Values{name: {"2147483648"}})
				if resp.StatusCode >= 500 {
					t.Errorf("%s with %s=2147483648: status %d\n%s", route, name, resp.StatusCode, snippet(h.text(resp)))
				}
			}
			if strings.HasPrefix(route, "GET ") {
				resp := send("admin", route, url.Values{"page": {"9223372036854775807"}})
				if resp.StatusCode >= 500 || resp.StatusCode == http.StatusUnprocessableEntity {
					t.Errorf("%s with a huge page: status %d, want it clamped\n%s", route, resp.StatusCode, snippet(h.text(resp)))
				}
			}
		}
		if l := logs.String(); l != "" {
			t.Errorf("bad input logged errors:\n%s", snippet(l))
		}
	})
}

// TestInputGateLanguageAndLogin: the refusal is in the user's language, and
// the login form (the one form a visitor can send) refuses a NUL in the name.
func TestInputGateLanguageAndLogin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		resp := h.post("anon", "/login", url.Values{"username": {"a\x00b"}, "password": {"x"}})
		if body := h.text(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "无法保存的字符") {
			t.Errorf("login with NUL: %d\n%s", resp.StatusCode, snippet(body))
		}
		// A User-Agent of bytes that are not UTF-8 is allowed by HTTP; the
		// session row stores it, so it must not turn a login into a 500.
		req := h.request(http.MethodPost, "/login", url.Values{"username": {h.Usernames["staff"]}, "password": {harnessPassword}})
		req.Header.Set("User-Agent", "Mozilla\xff\xfe/5.0")
		if resp := h.do("anon", req); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("login with a non-UTF-8 User-Agent: %d\n%s", resp.StatusCode, snippet(h.text(resp)))
		}
		req = h.request(http.MethodGet, "/public/proposals?year=2147483648", nil)
		req.Header.Set("Cookie", "lang=en")
		resp = h.do("anon", req)
		if body := h.text(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Number out of range") {
			t.Errorf("English refusal: %d\n%s", resp.StatusCode, snippet(body))
		}
	})
}
