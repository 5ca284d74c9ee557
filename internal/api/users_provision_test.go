package api

import (
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestProvisionAPI: an admin opens the missing accounts and gets each first
// password once (stored only hashed, and it logs in); a second run opens
// nothing; other roles and anonymous callers are refused and open nothing.
func TestProvisionAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		before := h.rows("users")
		for _, who := range []string{"staff", "member", "unit", "proposal_office", "leader", "assistance", "prefecture"} {
			h.want(h.do(h.actor(who), "POST", "/users/provision", ""), 403)
		}
		h.want(h.do(nil, "POST", "/users/provision", ""), 401)
		if n := h.rows("users"); n != before {
			t.Fatalf("refused runs opened %d accounts", n-before)
		}

		var got ProvisionAnswer
		h.want(h.do(h.f.Admin, "POST", "/users/provision", ""), 200).decode(t, &got)
		opened, first := 0, ProvisionedAccount{}
		for _, x := range got.Items {
			if x.Kind == "disabled" {
				continue
			}
			opened++
			first = x
			if (x.Kind != "member" && x.Kind != "unit") || x.Name == "" || x.Username == "" || len(x.Password) != 12 {
				t.Fatalf("issued %+v", x)
			}
			var hash string
			if err := d.QueryRowContext(t.Context(), `SELECT password_hash FROM users WHERE username = $1`, x.Username).Scan(&hash); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(hash, x.Password) {
				t.Fatal("the first password is stored in clear")
			}
		}
		if opened == 0 || h.rows("users") != before+opened {
			t.Fatalf("opened %d, users %d → %d: %+v", opened, before, h.rows("users"), got.Items)
		}
		if _, actor, err := h.api.deps.Auth.Login(t.Context(), first.Username, first.Password, "127.0.0.1", "test"); err != nil || !actor.MustChangePassword {
			t.Fatalf("first login: %v %+v", err, actor)
		}

		var again ProvisionAnswer
		h.want(h.do(h.f.Admin, "POST", "/users/provision", ""), 200).decode(t, &again)
		for _, x := range again.Items {
			if x.Kind != "disabled" {
				t.Fatalf("a second run opened %+v", x)
			}
		}
		if h.rows("users") != before+opened {
			t.Fatal("a second run opened accounts")
		}
	})
}
