package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"lvzhi/internal/account"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"":                       "/",
		"/proposals?x=1":         "/proposals?x=1",
		"//evil.example/":        "/",
		`/\evil.example`:         "/",
		"https://evil.example/":  "/",
		"javascript:alert(1)":    "/",
		"proposals":              "/",
		"/login":                 "/",
		"/a\r\nSet-Cookie: x=1":  "/",
		"/admin/users/3?done=ok": "/admin/users/3?done=ok",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLoginFlow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		// The login page renders, in Chinese by default.
		resp := h.get("anon", "/login?next=/admin")
		if body := h.text(resp); resp.StatusCode != 200 || !strings.Contains(body, `name="next" value="/admin"`) || !strings.Contains(body, "用户名") {
			t.Fatalf("login page %d\n%s", resp.StatusCode, snippet(body))
		}
		// An anonymous GET of a protected page is sent to /login with next.
		resp = h.get("anon", "/admin")
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
			t.Fatalf("anon /admin: %d %q", resp.StatusCode, loc)
		}
		c := h.newClient()
		post := func(form url.Values) *http.Response {
			req := h.request("POST", "/login", form)
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			return resp
		}
		// Wrong password: 401, the form again with a message, no cookie.
		resp = post(url.Values{"username": {h.Usernames["admin"]}, "password": {"wrong-password"}, "next": {"/admin"}})
		body := readAll(resp)
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "用户名或密码不正确") || strings.Contains(body, "wrong-password") {
			t.Fatalf("bad login %d\n%s", resp.StatusCode, snippet(body))
		}
		if hasCookie(resp, account.SessionCookie) {
			t.Fatal("cookie set on failure")
		}
		// Empty form: field errors.
		resp = post(url.Values{})
		if body := readAll(resp); resp.StatusCode != http.StatusUnprocessableEntity || strings.Count(body, `class="ferr"`) != 2 {
			t.Fatalf("empty login %d\n%s", resp.StatusCode, snippet(body))
		}
		// Right password: cookie with the right attributes, redirect to the safe next.
		resp = post(url.Values{"username": {strings.ToUpper(h.Usernames["admin"])}, "password": {harnessPassword}, "next": {"//evil.example/x"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
			t.Fatalf("login %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		sc := resp.Header.Get("Set-Cookie")
		if !strings.Contains(sc, account.SessionCookie+"=") || !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Lax") || strings.Contains(sc, "Secure") {
			t.Fatalf("cookie %q", sc)
		}
		resp, _ = c.Get(h.URL + "/admin")
		if body := readAll(resp); resp.StatusCode != 200 || !strings.Contains(body, h.Usernames["staff"]) {
			t.Fatalf("admin after login %d", resp.StatusCode)
		}
		// Logged in, /login goes on to next.
		resp, _ = c.Get(h.URL + "/login?next=/admin/audit")
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/audit" {
			t.Fatalf("login while logged in %d", resp.StatusCode)
		}
		// Logout deletes the session: the old cookie no longer works.
		u, _ := url.Parse(h.URL)
		old := c.Jar.Cookies(u)
		req := h.request("POST", "/logout", url.Values{})
		resp, err := c.Do(req)
		if err != nil || resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout %v %v", resp, err)
		}
		replay := h.newClient()
		replay.Jar.SetCookies(u, old)
		resp, _ = replay.Get(h.URL + "/admin")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("session survived logout: %d", resp.StatusCode)
		}
	})
}

func TestSecureCookies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		h.Server.SecureCookies = true
		resp := h.post("anon", "/login", url.Values{"username": {h.Usernames["staff"]}, "password": {harnessPassword}})
		if !strings.Contains(resp.Header.Get("Set-Cookie"), "Secure") {
			t.Fatalf("cookie %q", resp.Header.Get("Set-Cookie"))
		}
	})
}

func TestLoginThrottledPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		form := url.Values{"username": {h.Usernames["leader"]}, "password": {"wrong-password"}}
		for range account.MaxFailuresPerUser {
			if resp := h.post("anon", "/login", form); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("failure %d", resp.StatusCode)
			}
		}
		form.Set("password", harnessPassword)
		resp := h.post("anon", "/login", form)
		if body := h.text(resp); resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "登录失败次数过多") {
			t.Fatalf("throttled %d\n%s", resp.StatusCode, snippet(body))
		}
		if hasCookie(resp, account.SessionCookie) {
			t.Fatal("throttled login set a cookie")
		}
	})
}

// TestCrossOriginRefused: a cross-site POST is refused before any handler
// runs; the same POST from the same origin passes.
func TestCrossOriginRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		form := url.Values{"username": {"csrf_victim"}, "display_name": {"x"}, "password": {"long-enough-pw"}, "roles": {"admin"}}
		for name, set := range map[string]func(*http.Request){
			"sec-fetch-site cross-site": func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") },
			"foreign origin":            func(r *http.Request) { r.Header.Set("Origin", "https://evil.example") },
		} {
			req := h.request("POST", "/admin/users", form)
			set(req)
			if resp := h.do("admin", req); resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s: status %d", name, resp.StatusCode)
			}
			// Logout must not be forceable cross-site either.
			req = h.request("POST", "/logout", url.Values{})
			set(req)
			if resp := h.do("admin", req); resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s logout: status %d", name, resp.StatusCode)
			}
		}
		var n int
		d.QueryRow(`SELECT COUNT(*) FROM users WHERE username = 'csrf_victim'`).Scan(&n)
		if n != 0 {
			t.Fatal("cross-site POST created a user")
		}
		req := h.request("POST", "/admin/users", form)
		req.Header.Set("Origin", h.URL)
		if resp := h.do("admin", req); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("same-origin POST: %d\n%s", resp.StatusCode, snippet(h.text(resp)))
		}
		if resp := h.post("admin", "/admin/users", url.Values{"username": {"second"}, "display_name": {"x"}, "password": {"long-enough-pw"}, "roles": {"staff"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("Sec-Fetch-Site same-origin POST: %d", resp.StatusCode)
		}
	})
}

func TestChangeOwnPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		c := h.login("member")
		post := func(form url.Values) (*http.Response, string) {
			resp, err := c.Do(h.request("POST", "/account/password", form))
			if err != nil {
				t.Fatal(err)
			}
			return resp, readAll(resp)
		}
		resp, body := post(url.Values{"current": {"nope"}, "password": {"new-password-1"}, "confirm": {"new-password-1"}})
		if resp.StatusCode != 422 || !strings.Contains(body, "当前密码不正确") {
			t.Fatalf("wrong current %d", resp.StatusCode)
		}
		resp, body = post(url.Values{"current": {harnessPassword}, "password": {"new-password-1"}, "confirm": {"different-1"}})
		if resp.StatusCode != 422 || !strings.Contains(body, "两次输入的密码不一致") {
			t.Fatalf("mismatch %d", resp.StatusCode)
		}
		other := h.login("member") // another device
		resp, _ = post(url.Values{"current": {harnessPassword}, "password": {"new-password-1"}, "confirm": {"new-password-1"}})
		if resp.StatusCode != 200 {
			t.Fatalf("change %d", resp.StatusCode)
		}
		if r2, _ := c.Get(h.URL + "/account/password"); r2.StatusCode != 200 {
			t.Fatalf("this device logged out: %d", r2.StatusCode)
		}
		if r2, _ := other.Get(h.URL + "/account/password"); r2.StatusCode != http.StatusSeeOther {
			t.Fatalf("other device still logged in: %d", r2.StatusCode)
		}
		if _, _, err := h.Server.Auth.Login(t.Context(), h.Usernames["member"], "new-password-1", "", ""); err != nil {
			t.Fatalf("new password: %v", err)
		}
	})
}

func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}

func hasCookie(resp *http.Response, name string) bool {
	for _, c := range resp.Cookies() {
		if c.Name == name && c.Value != "" {
			return true
		}
	}
	return false
}
