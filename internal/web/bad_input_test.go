package web

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestBadInput sends what a careless or hostile client sends (oversized and
// broken forms, unknown and malformed ids, bad values, the same form twice)
// and checks the status, that the page says which field and why, and that the
// database is unchanged. Foreign committees' ids are in the permission tables;
// Excel files in TestOrgWebFlows.
func TestBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		big := strings.Repeat("长", MaxBody/3+10) // over MaxBody once encoded
		unit := fmt.Sprintf("/org/units/%d", h.A.UnitID)
		member := fmt.Sprintf("/org/members/%d", h.A.MembershipID)
		raw := func(role, path, body string) *http.Response {
			req, _ := http.NewRequest(http.MethodPost, h.URL+path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return h.do(role, req)
		}
		cases := []struct {
			name   string
			send   func() *http.Response
			status int
			want   []string // text the page must show (zh unless the case switches language)
		}{
			// Bodies the form parser refuses: before any handler, nothing written.
			{"oversized unit form", func() *http.Response {
				return h.post("staff", "/org/units", url.Values{"name": {big}, "kind": {"government"}})
			}, http.StatusRequestEntityTooLarge, []string{"提交的内容过大", "1024 KB"}},
			{"oversized member form", func() *http.Response {
				return h.post("staff", member, url.Values{"name": {big}, "version": {"1"}})
			}, http.StatusRequestEntityTooLarge, []string{"提交的内容过大"}},
			{"oversized login", func() *http.Response {
				return h.post("anon", "/login", url.Values{"username": {"admin"}, "password": {big}})
			}, http.StatusRequestEntityTooLarge, []string{"提交的内容过大"}},
			{"oversized new user", func() *http.Response {
				return h.post("admin", "/admin/users", url.Values{"username": {"big"}, "display_name": {big}, "password": {"long-enough-pw"}, "roles": {"staff"}})
			}, http.StatusRequestEntityTooLarge, []string{"提交的内容过大"}},
			{"broken encoding", func() *http.Response { return raw("staff", "/org/units", "name=%zz&kind=government") },
				http.StatusUnprocessableEntity, []string{"提交的表单无法读取"}},
			{"broken encoding, English", func() *http.Response {
				req, _ := http.NewRequest(http.MethodPost, h.URL+"/org/sectors", strings.NewReader("name=%G0"))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Cookie", "lang=en")
				return h.do("staff", req)
			}, http.StatusUnprocessableEntity, []string{"The form could not be read"}},
			// Unknown or malformed ids: not found, whatever the shape.
			{"unknown member", func() *http.Response { return h.get("staff", "/org/members/999999") }, http.StatusNotFound, []string{"找不到该记录"}},
			{"member id not a number", func() *http.Response { return h.get("staff", "/org/members/abc") }, http.StatusNotFound, []string{"找不到该记录"}},
			{"negative unit id", func() *http.Response { return h.get("staff", "/org/units/-1") }, http.StatusNotFound, nil},
			{"unknown committee", func() *http.Response { return h.get("staff", "/org?c=999999") }, http.StatusNotFound, nil},
			{"committee not a number", func() *http.Response { return h.get("staff", "/org/members?c=x") }, http.StatusNotFound, nil},
			{"edit unknown unit", func() *http.Response {
				return h.post("staff", "/org/units/999999", url.Values{"name": {"改"}, "kind": {"government"}, "version": {"1"}})
			}, http.StatusNotFound, nil},
			{"edit unit id not a number", func() *http.Response {
				return h.post("staff", "/org/units/x1", url.Values{"name": {"改"}, "kind": {"government"}, "version": {"1"}})
			}, http.StatusNotFound, nil},
			{"unknown user", func() *http.Response { return h.post("admin", "/admin/users/999999/disable", nil) }, http.StatusNotFound, nil},
			// Malformed values: the form again, the field named, why.
			{"unit kind unknown", func() *http.Response {
				return h.post("staff", "/org/units", url.Values{"name": {"新单位"}, "kind": {"bogus"}})
			}, http.StatusUnprocessableEntity, []string{`class="ferr"`}},
			{"unit without name", func() *http.Response {
				return h.post("staff", "/org/units", url.Values{"name": {"  "}, "kind": {"government"}})
			}, http.StatusUnprocessableEntity, []string{`class="ferr"`, "必须填写"}},
			{"sector sort not a number", func() *http.Response {
				return h.post("staff", "/org/sectors", url.Values{"name": {"新界别"}, "sort": {"abc"}})
			}, http.StatusUnprocessableEntity, []string{`class="ferr"`}},
			{"stale version not a number", func() *http.Response {
				return h.post("staff", unit, url.Values{"name": {"改"}, "kind": {"government"}, "version": {"v"}})
			}, http.StatusUnprocessableEntity, nil},
			// Duplicate submissions: the second names the field that clashes.
			{"unit twice", func() *http.Response {
				return h.post("staff", "/org/units", url.Values{"name": {h.A.UnitName}, "kind": {"government"}})
			}, http.StatusUnprocessableEntity, []string{`class="ferr"`, "名称已被使用"}},
			{"user twice", func() *http.Response {
				return h.post("admin", "/admin/users", url.Values{"username": {h.Usernames["staff"]}, "display_name": {"x"}, "password": {"long-enough-pw"}, "roles": {"staff"}})
			}, http.StatusUnprocessableEntity, []string{`class="ferr"`}},
		}
		for _, role := range []string{"staff", "admin"} {
			h.client(role) // log in now: those sessions are not the requests' doing
		}
		before := countRows(t, d)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				resp := c.send()
				body := h.text(resp)
				if resp.StatusCode != c.status {
					t.Fatalf("status %d, want %d\n%s", resp.StatusCode, c.status, snippet(body))
				}
				for _, w := range c.want {
					if !strings.Contains(body, w) {
						t.Errorf("page lacks %q\n%s", w, snippet(body))
					}
				}
			})
		}
		if after := countRows(t, d); !maps.Equal(after, before) {
			t.Errorf("database changed: rows %v before, %v after", before, after)
		}
	})
}

// countRows counts the rows of the tables a bad request could touch.
func countRows(t *testing.T, d *db.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"units", "sectors", "people", "memberships", "users", "audit_log", "login_sessions"} {
		var n int
		if err := d.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	var v int
	if err := d.QueryRow(`SELECT COALESCE(SUM(version), 0) FROM units`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	out["units.version"] = v
	return out
}
