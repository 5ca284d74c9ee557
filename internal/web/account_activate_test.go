package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/secret"
)

// importWithAccounts posts a member import asking for accounts, as role.
func importWithAccounts(h *harness, role string, file []byte) *http.Response {
	h.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("kind", "members")
	_ = mw.WriteField("accounts", "1")
	fw, _ := mw.CreateFormFile("file", "委员.xlsx")
	_, _ = fw.Write(file)
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, h.URL+"/org/import", &body)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return h.do(role, req)
}

var activationLinkRE = regexp.MustCompile(`/activate/(act_[A-Za-z0-9_-]+)`)

// TestActivationWeb: an admin imports members with accounts and gets the
// printable list of one-time links (staff asking for accounts are refused,
// nothing written); a link opens the form for its account, sets the
// password once (the account then logs in), and is refused in Chinese when
// used again or unknown; new links for the accounts not yet activated come
// as an .xlsx (admins only) and replace the old ones.
func TestActivationWeb(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		box, err := secret.New(bytes.Repeat([]byte{9}, 32))
		if err != nil {
			t.Fatal(err)
		}
		h.Server.Org.Secret = box
		head := []string{"姓名*", "性别*", "公民身份号码*", "手机或电话*", "界别*", "政治面貌*"}
		file := orgBook(t, [][]string{head,
			{"孙一", "男", orgIDNumber("53032519700101311"), "13600000001", "甲经济界", "中共党员"},
			{"孙二", "女", orgIDNumber("53032519800101322"), "13600000002", "甲经济界", "无党派人士"}})

		if b := h.text(h.get("admin", "/org/import")); !strings.Contains(b, `name="accounts"`) {
			t.Fatal("the admin's import form has no accounts box")
		}
		if b := h.text(h.get("staff", "/org/import")); strings.Contains(b, `name="accounts"`) {
			t.Fatal("staff are offered accounts")
		}
		users, members := h.count(`SELECT COUNT(*) FROM users`), h.count(`SELECT COUNT(*) FROM memberships`)
		if r := importWithAccounts(h, "staff", file); r.StatusCode != http.StatusForbidden {
			t.Fatalf("staff asking for accounts: %d", r.StatusCode)
		}
		if h.count(`SELECT COUNT(*) FROM users`) != users || h.count(`SELECT COUNT(*) FROM memberships`) != members {
			t.Fatal("a refused import wrote something")
		}
		r := importWithAccounts(h, "admin", file)
		body := h.text(r)
		links := activationLinkRE.FindAllStringSubmatch(body, -1)
		if r.StatusCode != 200 || !strings.Contains(body, `id="activations"`) || len(links) != 2 || !strings.Contains(body, "孙二") {
			t.Fatalf("import with accounts: %d %d links\n%s", r.StatusCode, len(links), snippet(body))
		}
		one, two := links[0][1], links[1][1]

		form := h.get("anon", "/activate/"+one)
		if b := h.text(form); form.StatusCode != 200 || !strings.Contains(b, "孙一") || !strings.Contains(b, `name="password"`) ||
			form.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("activation form: %d\n%s", form.StatusCode, snippet(b))
		}
		mismatch := h.post("anon", "/activate/"+one, url.Values{"password": {"sun-yi-2026-pw"}, "confirm": {"other"}})
		if mismatch.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(h.text(mismatch), `name="password"`) {
			t.Fatalf("mismatch: %d", mismatch.StatusCode)
		}
		done := h.post("anon", "/activate/"+one, url.Values{"password": {"sun-yi-2026-pw"}, "confirm": {"sun-yi-2026-pw"}})
		if b := h.text(done); done.StatusCode != 200 || !strings.Contains(b, `id="activated"`) {
			t.Fatalf("activate: %d\n%s", done.StatusCode, snippet(b))
		}
		var username string
		h.must(d.QueryRowContext(t.Context(), `SELECT username FROM users WHERE display_name = '孙一'`).Scan(&username))
		if login, _ := h.newClient().PostForm(h.URL+"/login", url.Values{"username": {username}, "password": {"sun-yi-2026-pw"}}); login.StatusCode != http.StatusSeeOther {
			t.Fatalf("login after activation: %d", login.StatusCode)
		}
		for _, x := range []struct {
			tok    string
			status int
			want   string
		}{{one, http.StatusConflict, "已经使用过"}, {"act_nosuchlink", http.StatusNotFound, "无效"}} {
			for _, r := range []*http.Response{h.get("anon", "/activate/"+x.tok),
				h.post("anon", "/activate/"+x.tok, url.Values{"password": {"another-pw-2026"}, "confirm": {"another-pw-2026"}})} {
				if b := h.text(r); r.StatusCode != x.status || !strings.Contains(b, x.want) || strings.Contains(b, `name="password"`) {
					t.Fatalf("%s: %d\n%s", x.tok, r.StatusCode, snippet(b))
				}
			}
		}

		runPermCases(t, h, []permCase{
			{"staff", http.MethodPost, "/admin/users/activations", nil, http.StatusForbidden},
			{"member", http.MethodPost, "/admin/users/activations", nil, http.StatusForbidden},
			{"unit", http.MethodPost, "/admin/users/activations", nil, http.StatusForbidden},
		})
		resp := h.post("admin", "/admin/users/activations", nil)
		x, err := excelize.OpenReader(bytes.NewReader([]byte(h.text(resp))))
		if err != nil {
			t.Fatalf("reissue: %d %v", resp.StatusCode, err)
		}
		rows, _ := x.GetRows(x.GetSheetList()[0])
		if len(rows) != 2 || rows[1][1] != "孙二" || !activationLinkRE.MatchString(rows[1][3]) {
			t.Fatalf("reissued %q", rows)
		}
		if r := h.get("anon", "/activate/"+two); r.StatusCode != http.StatusNotFound {
			t.Fatalf("a replaced link: %d", r.StatusCode)
		}
		fresh := activationLinkRE.FindStringSubmatch(rows[1][3])[1]
		if r := h.get("anon", "/activate/"+fresh); r.StatusCode != 200 {
			t.Fatalf("the new link: %d", r.StatusCode)
		}
	})
}
