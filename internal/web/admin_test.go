package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

func (h *harness) count(q string, args ...any) int {
	h.t.Helper()
	var n int
	if err := h.DB.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

func TestAdminUsersPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		// List, search, paging.
		body := h.text(h.get("admin", "/admin"))
		for _, role := range []string{"staff", "member", "unit"} {
			if !strings.Contains(body, h.Usernames[role]) {
				t.Errorf("list lacks %s", role)
			}
		}
		if strings.Contains(body, h.Usernames["other_admin"]) || strings.Contains(body, h.Usernames["prefecture"]) {
			t.Error("list shows users of other committees")
		}
		body = h.text(h.get("admin", "/admin?q=proposal"))
		if !strings.Contains(body, h.Usernames["proposal_office"]) || strings.Contains(body, h.Usernames["leader"]) {
			t.Error("search")
		}
		body = h.text(h.get("admin", "/admin?role=unit"))
		if !strings.Contains(body, h.Usernames["unit"]) || strings.Contains(body, ">"+h.Usernames["leader"]+"<") {
			t.Error("role filter")
		}
		if resp := h.get("admin", "/admin/users/new"); resp.StatusCode != 200 || !strings.Contains(h.text(resp), h.A.PersonName) {
			t.Fatalf("new form %d", resp.StatusCode)
		}

		// Bad input: 422, errors next to the fields, the typed values kept, nothing written.
		before := h.count(`SELECT COUNT(*) FROM users`)
		resp := h.post("admin", "/admin/users", url.Values{"username": {"Bad Name"}, "display_name": {"周"}, "password": {"short"},
			"roles": {"member"}, "unit_id": {"abc"}})
		body = h.text(resp)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad create %d", resp.StatusCode)
		}
		for _, msg := range []string{"用户名只能包含", "密码至少需要", "选项无效，请重新选择"} {
			if !strings.Contains(body, msg) {
				t.Errorf("missing error %q", msg)
			}
		}
		if !strings.Contains(body, `value="Bad Name"`) {
			t.Error("typed username lost")
		}
		resp = h.post("admin", "/admin/users", url.Values{"username": {"zhou"}, "display_name": {"周"}, "password": {"long-enough-pw"}, "roles": {"member"}})
		if body := h.text(resp); resp.StatusCode != 422 || !strings.Contains(body, "委员账号必须关联一名人员") {
			t.Fatalf("member without person %d", resp.StatusCode)
		}
		if h.count(`SELECT COUNT(*) FROM users`) != before {
			t.Fatal("invalid create wrote a user")
		}

		// Create with a generated password, shown once; the user can log in with it.
		resp = h.post("admin", "/admin/users", url.Values{"username": {"zhou"}, "display_name": {"周敏"}, "roles": {"staff", "leader"}})
		body = h.text(resp)
		pw := regexp.MustCompile(`data-secret="password">([^<]+)<`).FindStringSubmatch(body)
		if resp.StatusCode != 200 || pw == nil || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("create %d\n%s", resp.StatusCode, snippet(body))
		}
		if _, _, err := h.Server.Auth.Login(t.Context(), "zhou", pw[1], "", ""); err != nil {
			t.Fatalf("generated password: %v", err)
		}
		var id int64
		d.QueryRow(`SELECT id FROM users WHERE username = 'zhou'`).Scan(&id)
		userPath := fmt.Sprintf("/admin/users/%d", id)

		// Edit roles; a stale version is a conflict.
		resp = h.post("admin", userPath, url.Values{"display_name": {"周敏"}, "roles": {"proposal_office"}, "version": {"1"}, "lang": {"en"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit %d\n%s", resp.StatusCode, snippet(h.text(resp)))
		}
		if h.count(`SELECT COUNT(*) FROM user_roles WHERE user_id = $1 AND role = 'proposal_office'`, id) != 1 ||
			h.count(`SELECT COUNT(*) FROM user_roles WHERE user_id = $1`, id) != 1 {
			t.Fatal("roles not saved")
		}
		if resp := h.post("admin", userPath, url.Values{"display_name": {"x"}, "roles": {"staff"}, "version": {"1"}}); resp.StatusCode != http.StatusConflict {
			t.Fatalf("stale edit %d", resp.StatusCode)
		}
		resp = h.post("admin", userPath, url.Values{"display_name": {""}, "roles": {"staff"}, "version": {"2"}})
		if body := h.text(resp); resp.StatusCode != 422 || !strings.Contains(body, "必须填写") {
			t.Fatalf("empty name %d", resp.StatusCode)
		}

		// Reset password with a chosen one; the old one stops working.
		if resp := h.post("admin", userPath+"/password", url.Values{"password": {"x"}}); resp.StatusCode != 422 {
			t.Fatalf("short reset %d", resp.StatusCode)
		}
		if resp := h.post("admin", userPath+"/password", url.Values{"password": {"chosen-password"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("reset %d", resp.StatusCode)
		}
		if _, _, err := h.Server.Auth.Login(t.Context(), "zhou", "chosen-password", "", ""); err != nil {
			t.Fatalf("reset password: %v", err)
		}

		// Disable kills the user's sessions at once; enable lets them back.
		victim := h.login("leader")
		if resp, _ := victim.Get(h.URL + "/consult"); resp.StatusCode != 200 {
			t.Fatal("leader not logged in")
		}
		leaderPath := fmt.Sprintf("/admin/users/%d", h.Users["leader"])
		if resp := h.post("admin", leaderPath+"/disable", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("disable %d", resp.StatusCode)
		}
		if resp, _ := victim.Get(h.URL + "/consult"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("disabled user's session alive: %d", resp.StatusCode)
		}
		if body := h.text(h.get("admin", leaderPath)); !strings.Contains(body, "已停用") {
			t.Fatal("disabled not shown")
		}
		if resp := h.post("admin", leaderPath+"/enable", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("enable %d", resp.StatusCode)
		}
		// The admin cannot disable themselves.
		if resp := h.post("admin", fmt.Sprintf("/admin/users/%d/disable", h.Users["admin"]), nil); resp.StatusCode != http.StatusConflict {
			t.Fatalf("self disable %d", resp.StatusCode)
		}
		// Everything above is in the audit log, without secrets.
		if n := h.count(`SELECT COUNT(*) FROM audit_log WHERE entity = 'user' AND entity_id = $1`, id); n != 3 {
			t.Fatalf("audit entries for the new user: %d, want create, update, reset_password", n)
		}
		if n := h.count(`SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%chosen-password%' OR after_json LIKE '%argon2%'`); n != 0 {
			t.Fatal("secret in the audit log")
		}
		if resp := h.get("admin", "/admin/users/abc"); resp.StatusCode != 404 {
			t.Fatalf("bad id %d", resp.StatusCode)
		}
	})
}

func TestAdminTokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		staffPath := fmt.Sprintf("/admin/users/%d", h.Users["staff"])
		if resp := h.post("admin", staffPath+"/tokens", url.Values{"name": {" "}}); resp.StatusCode != 422 || !strings.Contains(h.text(resp), "请填写令牌名称") {
			t.Fatalf("empty token name %d", resp.StatusCode)
		}
		resp := h.post("admin", staffPath+"/tokens", url.Values{"name": {"数据同步"}})
		m := regexp.MustCompile(`data-secret="token">([^<]+)<`).FindStringSubmatch(h.text(resp))
		if resp.StatusCode != 200 || m == nil {
			t.Fatalf("create token %d", resp.StatusCode)
		}
		secret := m[1]
		// The secret is shown once: not on the next view of the page or the list.
		if strings.Contains(h.text(h.get("admin", staffPath)), secret) || strings.Contains(h.text(h.get("admin", "/admin/tokens")), secret) {
			t.Fatal("token secret shown again")
		}
		// The token works as the staff user (bearer, no cookie, no CSRF headers needed).
		api := func() int {
			req, _ := http.NewRequest("GET", h.URL+"/consult", nil)
			req.Header.Set("Authorization", "Bearer "+secret)
			resp, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if got := api(); got != 200 {
			t.Fatalf("bearer token: %d", got)
		}
		var tokID int64
		d.QueryRow(`SELECT id FROM api_tokens WHERE name = '数据同步'`).Scan(&tokID)
		// Non-admins cannot revoke it.
		if resp := h.post("staff", fmt.Sprintf("/admin/tokens/%d/revoke", tokID), nil); resp.StatusCode != 403 {
			t.Fatalf("staff revoke %d", resp.StatusCode)
		}
		if resp := h.post("other_admin", fmt.Sprintf("/admin/tokens/%d/revoke", tokID), nil); resp.StatusCode != 404 {
			t.Fatalf("county B admin revoke %d", resp.StatusCode)
		}
		if resp := h.post("admin", fmt.Sprintf("/admin/tokens/%d/revoke", tokID), url.Values{"back": {staffPath}}); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != staffPath {
			t.Fatalf("revoke %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if got := api(); got != http.StatusSeeOther {
			t.Fatalf("revoked token still works: %d", got)
		}
		if body := h.text(h.get("admin", "/admin/tokens")); !strings.Contains(body, "已吊销") {
			t.Fatal("revoked not shown")
		}
	})
}

func TestAdminAudit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		// Make more than a page of entries in county A.
		for i := range 55 {
			resp := h.post("admin", fmt.Sprintf("/admin/users/%d", h.Users["leader"]), url.Values{
				"display_name": {fmt.Sprintf("领导%d", i)}, "roles": {"leader"}, "version": {fmt.Sprint(i + 1)}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("edit %d: %d", i, resp.StatusCode)
			}
		}
		resp := h.get("admin", "/admin/audit")
		body := h.text(resp)
		if resp.StatusCode != 200 || !strings.Contains(body, "领导54") || strings.Contains(body, "领导0&#34;") {
			t.Fatalf("audit page %d", resp.StatusCode)
		}
		if strings.Contains(body, h.Usernames["other_admin"]) {
			t.Fatal("audit shows county B")
		}
		older := regexp.MustCompile(`href="(/admin/audit\?before=\d+)"`).FindStringSubmatch(body)
		if older == nil {
			t.Fatal("no older link")
		}
		if body := h.text(h.get("admin", strings.ReplaceAll(older[1], "&amp;", "&"))); !strings.Contains(body, "领导0&#34;") || strings.Contains(body, "领导54") {
			t.Fatal("older page lacks the first edits")
		}
		body = h.text(h.get("admin", fmt.Sprintf("/admin/audit?entity=user&entity_id=%d", h.Users["member"])))
		if !strings.Contains(body, "新建") || strings.Contains(body, "领导") {
			t.Fatal("entity filter")
		}
		if resp := h.get("admin", "/admin/audit?entity_id=x"); resp.StatusCode != 422 || !strings.Contains(h.text(resp), "请填写数字") {
			t.Fatalf("bad filter %d", resp.StatusCode)
		}
		// Verify: intact, then tampered.
		if body := h.text(h.post("admin", "/admin/audit/verify", nil)); !strings.Contains(body, `data-verify="intact"`) {
			t.Fatal("intact chain not reported")
		}
		if _, err := d.Exec(`UPDATE audit_log SET actor_name = 'x' WHERE committee_id = $1 AND seq = 3`, h.A.ID); err != nil {
			t.Fatal(err)
		}
		if body := h.text(h.post("admin", "/admin/audit/verify", nil)); !strings.Contains(body, `data-verify="broken"`) {
			t.Fatal("tampering not reported")
		}
		// County B's admin sees its own chain intact (problems are per committee).
		if body := h.text(h.post("other_admin", "/admin/audit/verify", nil)); !strings.Contains(body, `data-verify="intact"`) {
			t.Fatal("county B sees county A's problem")
		}
	})
}

// noRedirect is a plain client (no cookies, no CSRF headers) that does not follow redirects.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
