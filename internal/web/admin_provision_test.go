package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/org"
)

// TestProvisionAll: the admin opens the missing accounts of every serving
// member and unit in one action and downloads their first passwords once;
// a new account must change its password before anything else; running it
// again opens nothing; other roles are refused.
func TestProvisionAll(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		c := h.Committees[h.A.ID]
		m := h.W.Member(c, org.MemberInput{Name: "甲委员李强", TermID: h.A.TermID})
		u := h.W.Unit(c, "甲县水务局")
		runPermCases(t, h, []permCase{
			{"staff", http.MethodPost, "/admin/users/provision", nil, http.StatusForbidden},
			{"proposal_office", http.MethodPost, "/admin/users/provision", nil, http.StatusForbidden},
			{"member", http.MethodPost, "/admin/users/provision", nil, http.StatusForbidden},
		})
		resp := h.post("admin", "/admin/users/provision", nil)
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("provision: %d %s", resp.StatusCode, snippet(h.text(resp)))
		}
		x, err := excelize.OpenReader(bytes.NewReader([]byte(h.text(resp))))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows(x.GetSheetList()[0])
		// The seeded member and unit have accounts already: only the new ones are opened.
		if len(rows) != 3 || rows[1][1] != "甲委员李强" || rows[2][1] != "甲县水务局" || rows[2][0] != "承办单位" {
			t.Fatalf("rows %q", rows)
		}
		wantUser := "c1-m" + strconv.FormatInt(m.PersonID, 10)
		if rows[1][2] != wantUser || rows[2][2] != "c1-u"+strconv.FormatInt(u.ID, 10) || len(rows[1][3]) != 12 {
			t.Fatalf("usernames %q, %q, password %q", rows[1][2], rows[2][2], rows[1][3])
		}
		var stored string
		h.must(d.QueryRowContext(t.Context(), `SELECT password_hash FROM users WHERE username = $1`, wantUser).Scan(&stored))
		if strings.Contains(stored, rows[1][3]) {
			t.Fatal("the first password is stored in clear")
		}
		// The first login leads to the password form, and nothing else works until it is changed.
		cl := h.newClient()
		login, err := cl.PostForm(h.URL+"/login", url.Values{"username": {wantUser}, "password": {rows[1][3]}, "next": {"/proposals"}})
		if err != nil || login.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: %v %v", login.StatusCode, err)
		}
		get := func(path string) *http.Response {
			t.Helper()
			r, err := cl.Get(h.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		if r := get("/proposals"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/account/password?first=1" {
			t.Fatalf("first page: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		if r, _ := cl.PostForm(h.URL+"/proposals", url.Values{"title": {"x"}}); r.StatusCode != http.StatusForbidden {
			t.Fatalf("a POST before changing the password: %d", r.StatusCode)
		}
		form := get("/account/password")
		if b := h.text(form); form.StatusCode != 200 || !strings.Contains(b, `id="first-login"`) {
			t.Fatalf("password form: %d %s", form.StatusCode, snippet(b))
		}
		r, err := cl.PostForm(h.URL+"/account/password", url.Values{"current": {rows[1][3]}, "password": {"my-own-password-1"}, "confirm": {"my-own-password-1"}})
		if err != nil || r.StatusCode != 200 {
			t.Fatalf("change: %v %v", r.StatusCode, err)
		}
		if r := get("/proposals"); r.StatusCode != 200 {
			t.Fatalf("after the change: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		// Again: nothing left to open; the member whose membership ended loses the account.
		h.exec(`UPDATE memberships SET status = 'resigned' WHERE id = $1`, m.ID)
		resp = h.post("admin", "/admin/users/provision", nil)
		x2, err := excelize.OpenReader(bytes.NewReader([]byte(h.text(resp))))
		if err != nil {
			t.Fatal(err)
		}
		rows2, _ := x2.GetRows(x2.GetSheetList()[0])
		if len(rows2) != 2 || rows2[1][2] != wantUser || !strings.HasPrefix(rows2[1][0], "已停用") || len(rows2[1]) > 3 && rows2[1][3] != "" {
			t.Fatalf("second run: %q", rows2)
		}
		if r := get("/proposals"); r.StatusCode == 200 {
			t.Fatal("the session of a disabled account still works")
		}
		if r, _ := h.newClient().PostForm(h.URL+"/login", url.Values{"username": {wantUser}, "password": {"my-own-password-1"}}); r.StatusCode == http.StatusSeeOther {
			t.Fatal("a disabled account logged in")
		}
	})
}
