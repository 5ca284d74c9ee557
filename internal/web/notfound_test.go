package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestUnknownAddressesGetTheErrorPage: an unknown address or a method the
// address does not take gets the styled Chinese error page with a way back,
// logged in or not, while the API keeps answering JSON.
func TestUnknownAddressesGetTheErrorPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		for _, c := range []struct {
			role, method, path string
			status             int
			text               string
		}{
			{"anon", "GET", "/no-such-page", 404, "找不到该页面"},
			{"staff", "GET", "/org/no-such-page", 404, "找不到该页面"},
			{"member", "GET", "/proposals/1/attachments", 405, "该页面不支持这种操作"},
			{"staff", "GET", "/static/no-such.css", 404, "找不到该页面"},
			{"staff", "GET", "/static/", 404, "找不到该页面"},
			{"staff", "DELETE", "/org/members", 405, "该页面不支持这种操作"},
			{"anon", "PUT", "/login", 405, "该页面不支持这种操作"},
			{"staff", "POST", "/figures", 405, "该页面不支持这种操作"},
		} {
			req, _ := http.NewRequest(c.method, h.URL+c.path, nil)
			resp := h.do(c.role, req)
			body := h.text(resp)
			if resp.StatusCode != c.status {
				t.Errorf("%s %s as %s: %d, want %d", c.method, c.path, c.role, resp.StatusCode, c.status)
			}
			if strings.Contains(body, "404 page not found") || strings.Contains(body, "Method Not Allowed") {
				t.Errorf("%s %s: Go's bare text: %q", c.method, c.path, snippet(body))
			}
			if c.text == "" {
				continue
			}
			if !strings.Contains(body, c.text) || !strings.Contains(body, `class="errorbox"`) || !strings.Contains(body, `<a href="/" data-back>`) {
				t.Errorf("%s %s as %s: not the styled page with a way back: %s", c.method, c.path, c.role, snippet(body))
			}
			if c.status == 405 && resp.Header.Get("Allow") == "" {
				t.Errorf("%s %s: 405 without Allow", c.method, c.path)
			}
		}
	})
}

// TestAPIKeepsItsOwnNotFound: everything under /api/v1/ goes to the API,
// which answers unknown paths and methods in JSON; the error pages stay out.
func TestAPIKeepsItsOwnNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if d.Engine != db.SQLite {
			t.Skip("routing does not depend on the engine")
		}
		s := New(d, slog.New(slog.NewTextHandler(io.Discard, nil)))
		s.API = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"error":{"code":"not_found"}}`)
		})
		ts := httptest.NewServer(s.Handler())
		defer ts.Close()
		for _, m := range []string{"GET", "DELETE"} {
			req, _ := http.NewRequest(m, ts.URL+"/api/v1/no-such-thing", nil)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != "application/json" || !strings.Contains(string(b), `"not_found"`) {
				t.Errorf("%s /api/v1/no-such-thing: %d %q %s", m, resp.StatusCode, resp.Header.Get("Content-Type"), b)
			}
		}
	})
}
