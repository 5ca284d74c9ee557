package api

import (
	"context"
	"strings"
	"testing"
	"time"

	"lvzhi/internal/account"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/fixture"
	"lvzhi/internal/org"
	"lvzhi/internal/secret"
)

// importBooks are a member workbook of two serving members and one who has
// resigned, the same with a bad cell, and a unit workbook of two units.
func importBooks(t *testing.T) (good, broken, units []byte) {
	id := func(first17 string) string { return first17 + string(org.IDCheckChar(first17)) }
	head := []string{"姓名*", "性别*", "公民身份号码*", "手机或电话*", "界别*", "政治面貌*", "状态"}
	rows := [][]string{head,
		{"赵一", "男", id("53032519700101211"), "13800000001", "经济界", "中共党员", "在任"},
		{"赵二", "女", id("53032519800101222"), "13800000002", "经济界", "无党派人士", "在任"},
		{"赵三", "女", id("53032519800101242"), "13800000003", "经济界", "无党派人士", "辞任"}}
	good = book(t, rows)
	bad := append([][]string{}, rows...)
	bad[2] = []string{"赵二", "女", id("53032519800101222"), "13800000002", "体育界", "无党派人士", "在任"}
	broken = book(t, bad)
	units = book(t, [][]string{{"单位名称*", "单位类别*", "联系人", "联系电话"}, {"县水务局", "政府", "钱一", "13900000001"}, {"县交通局", "政府", "", ""}})
	return good, broken, units
}

// TestImportAccountsAPI: an import asked for accounts opens one for every
// imported serving member (not the one who resigned) or unit, each with a
// one-time link answered once and stored only hashed; importing again opens
// nothing; a file with a bad cell writes neither members nor accounts; staff
// (who may import, not manage users) asking for accounts are refused before
// anything is written.
func TestImportAccountsAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		box, err := secret.New(fixture.Key)
		if err != nil {
			t.Fatal(err)
		}
		h.api.deps.Org.Secret = box
		good, broken, units := importBooks(t)
		yes := map[string]string{"accounts": "1"}
		users, members := h.rows("users"), h.rows("memberships")

		e := h.want(h.upload(h.f.Staff, "POST", "/members/import", yes, "委员.xlsx", good), 403).apiError(t)
		if e.Code != "forbidden" {
			t.Fatalf("staff asking for accounts: %+v", e)
		}
		h.want(h.upload(h.f.Admin, "POST", "/members/import", yes, "委员.xlsx", broken), 422)
		if h.rows("users") != users || h.rows("memberships") != members || h.rows("account_activations") != 0 {
			t.Fatal("a refused import wrote members or accounts")
		}

		var res ImportAnswer
		h.want(h.upload(h.f.Admin, "POST", "/members/import", yes, "委员.xlsx", good), 200).decode(t, &res)
		if res.Created != 3 || len(res.Activations) != 2 || h.rows("users") != users+2 || h.rows("account_activations") != 2 {
			t.Fatalf("import with accounts: %+v, users %d → %d", res, users, h.rows("users"))
		}
		for _, x := range res.Activations {
			if x.Kind != "member" || !strings.HasPrefix(x.Name, "赵") || x.Name == "赵三" || !strings.HasPrefix(x.Token, account.ActivationPrefix) ||
				!strings.HasSuffix(x.URL, "/activate/"+x.Token) || x.ExpiresAt.Before(time.Now().Add(29*24*time.Hour)) {
				t.Fatalf("activation %+v", x)
			}
			var stored int
			if err := d.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM account_activations WHERE token_hash LIKE $1`, "%"+x.Token[4:20]+"%").Scan(&stored); err != nil || stored != 0 {
				t.Fatalf("the link's secret is stored in clear (%v)", err)
			}
			// Nobody logs in before activating: the account has no password.
			if _, _, err := h.api.deps.Auth.Login(t.Context(), x.Username, "", "127.0.0.1", "t"); err == nil {
				t.Fatal("an account not yet activated logged in")
			}
		}
		res = ImportAnswer{}
		h.want(h.upload(h.f.Admin, "POST", "/members/import", yes, "委员.xlsx", good), 200).decode(t, &res)
		if len(res.Activations) != 0 || h.rows("users") != users+2 {
			t.Fatalf("a second import opened %+v", res.Activations)
		}

		h.want(h.upload(h.f.Staff, "POST", "/units/import", yes, "单位.xlsx", units), 403)
		h.want(h.upload(h.f.Admin, "POST", "/units/import", yes, "单位.xlsx", units), 200).decode(t, &res)
		if len(res.Activations) != 2 || res.Activations[0].Kind != "unit" || h.rows("users") != users+4 {
			t.Fatalf("unit import with accounts: %+v", res)
		}
		// Without accounts=1 an import opens none.
		res = ImportAnswer{}
		h.want(h.upload(h.f.Staff, "POST", "/units/import", nil, "单位.xlsx", units), 200).decode(t, &res)
		if res.Activations != nil || h.rows("users") != users+4 {
			t.Fatalf("an import without accounts: %+v", res)
		}
	})
}

// TestActivationAPI: a link tells whose account it opens, refuses a short
// password, sets the first password once (the account then logs in, without
// being asked to change it), and is refused when used again, once expired,
// when unknown, and when a newer link replaced it, each with its own message
// in Chinese. Only admins reissue links.
func TestActivationAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		box, err := secret.New(fixture.Key)
		if err != nil {
			t.Fatal(err)
		}
		h.api.deps.Org.Secret = box
		good, _, _ := importBooks(t)
		var res ImportAnswer
		h.want(h.upload(h.f.Admin, "POST", "/members/import", map[string]string{"accounts": "1"}, "委员.xlsx", good), 200).decode(t, &res)
		if len(res.Activations) != 2 {
			t.Fatalf("activations %+v", res.Activations)
		}
		one, two := res.Activations[0], res.Activations[1]

		var p account.Pending
		h.want(h.do(nil, "GET", "/activate/"+one.Token, ""), 200).decode(t, &p)
		if p.Username != one.Username || p.DisplayName != one.Name {
			t.Fatalf("pending %+v for %+v", p, one)
		}
		e := h.want(h.json(nil, "POST", "/activate/"+one.Token, ActivateBody{Password: "short"}), 422).apiError(t)
		if len(e.Fields) != 1 || e.Fields[0].Field != "password" {
			t.Fatalf("short password: %+v", e)
		}
		h.want(h.json(nil, "POST", "/activate/"+one.Token, ActivateBody{Password: "zhao-yi-2026!"}), 200).decode(t, &p)
		if _, actor, err := h.api.deps.Auth.Login(t.Context(), one.Username, "zhao-yi-2026!", "127.0.0.1", "t"); err != nil || actor.MustChangePassword {
			t.Fatalf("login after activation: %v %+v", err, actor)
		}
		var audited int
		if err := d.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM audit_log WHERE action = 'activate' AND entity = 'user'`).Scan(&audited); err != nil || audited != 1 {
			t.Fatalf("activation audited %d times (%v)", audited, err)
		}

		refused := func(tok string, status int, want string) {
			t.Helper()
			for _, r := range []response{h.do(nil, "GET", "/activate/"+tok, ""),
				h.json(nil, "POST", "/activate/"+tok, ActivateBody{Password: "another-pass-2026"})} {
				if e := h.want(r, status).apiError(t); !strings.Contains(e.Message, want) {
					t.Fatalf("link %q: %q, want %q", tok, e.Message, want)
				}
			}
		}
		refused(one.Token, 409, "已经使用过") // reuse
		if _, _, err := h.api.deps.Auth.Login(t.Context(), one.Username, "another-pass-2026", "127.0.0.1", "t"); err == nil {
			t.Fatal("a used link changed the password again")
		}
		refused("act_nosuchlink", 404, "无效")
		refused("x", 404, "无效")

		// Expiry: the same link a day after ActivationTTL.
		h.api.deps.Auth.Now = func() time.Time { return time.Now().Add(account.ActivationTTL + 24*time.Hour) }
		refused(two.Token, 409, "已过期")
		h.api.deps.Auth.Now = db.Now

		// Reissue: admins only; the old link stops working, the new one works.
		for _, who := range []string{"staff", "member", "unit", "proposal_office", "leader"} {
			h.want(h.do(h.actor(who), "POST", "/users/activations", ""), 403)
		}
		h.want(h.do(nil, "POST", "/users/activations", ""), 401)
		var again ActivationList
		h.want(h.do(h.f.Admin, "POST", "/users/activations", ""), 200).decode(t, &again)
		if len(again.Items) != 1 || again.Items[0].Username != two.Username {
			t.Fatalf("reissued %+v (only %s is not yet activated)", again.Items, two.Username)
		}
		refused(two.Token, 404, "无效")
		h.want(h.json(nil, "POST", "/activate/"+again.Items[0].Token, ActivateBody{Password: "zhao-er-2026!!"}), 200)
	})
}

// TestMustChangeTokenAPI: a token of an account that still has the first
// password handed out reaches only GET /me and POST /me/password; after the
// change the same token works.
func TestMustChangeTokenAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		var got ProvisionAnswer
		h.want(h.do(h.f.Admin, "POST", "/users/provision", ""), 200).decode(t, &got)
		var first ProvisionedAccount
		for _, x := range got.Items {
			if x.Kind == "member" {
				first = x
				break
			}
		}
		u, err := h.api.deps.Auth.UserByUsername(t.Context(), auth.System(h.f.Admin.CommitteeID), first.Username)
		if err != nil {
			t.Fatal(err)
		}
		_, secret, err := h.api.deps.Auth.CreateToken(context.Background(), auth.System(u.CommitteeID), u.ID, "script")
		if err != nil {
			t.Fatal(err)
		}
		flagged := &auth.Actor{UserID: u.ID, CommitteeID: u.CommitteeID}
		h.tokens[flagged] = secret
		for _, path := range []string{"/proposals", "/members", "/notifications", "/me/tokens", "/sectors"} {
			e := h.want(h.do(flagged, "GET", path, ""), 403).apiError(t)
			if !strings.Contains(e.Message, "初始密码") {
				t.Fatalf("%s: %+v", path, e)
			}
		}
		h.want(h.json(flagged, "POST", "/proposals", map[string]any{"title": "x"}), 403)
		h.want(h.do(flagged, "GET", "/me", ""), 200)
		h.want(h.json(flagged, "POST", "/me/password", OwnPasswordBody{Current: first.Password, Password: "my-own-pass-2026"}), 204)
		h.want(h.do(flagged, "GET", "/proposals", ""), 200)
		h.want(h.do(flagged, "GET", "/me/tokens", ""), 200)
	})
}
