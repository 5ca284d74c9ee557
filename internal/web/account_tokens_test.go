package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestOwnTokensPage: a user sees their own API tokens (with last use and
// expiry) at /account/tokens, never another user's, and revokes their own;
// another user's token is not found. The administrator's pages show the
// expiry too, and a token's lifetime is chosen when it is made.
func TestOwnTokensPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		admin := h.actor("admin")
		mine, _, err := h.Server.Auth.CreateTokenFor(ctx, admin, h.Users["staff"], "我的同步脚本", 30)
		if err != nil {
			t.Fatal(err)
		}
		theirs, _, err := h.Server.Auth.CreateToken(ctx, admin, h.Users["member"], "别人的令牌")
		if err != nil {
			t.Fatal(err)
		}
		body := h.text(h.get("staff", "/account/tokens"))
		if !strings.Contains(body, "我的同步脚本") || strings.Contains(body, "别人的令牌") || !strings.Contains(body, mine.ExpiresAt.Format("2006-01-02")) ||
			!strings.Contains(body, "从未使用") {
			t.Fatalf("own tokens page:\n%s", snippet(body))
		}
		if resp := h.post("staff", fmt.Sprintf("/account/tokens/%d/revoke", theirs.ID), nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("revoking another user's token: %d", resp.StatusCode)
		}
		if resp := h.post("staff", fmt.Sprintf("/account/tokens/%d/revoke", mine.ID), nil); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("revoking one's own token: %d", resp.StatusCode)
		}
		if body := h.text(h.get("staff", "/account/tokens")); !strings.Contains(body, "已吊销") {
			t.Errorf("revoked token not shown as revoked")
		}
		if resp := h.get("anon", "/account/tokens"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("anonymous: %d", resp.StatusCode)
		}
		resp := h.post("admin", fmt.Sprintf("/admin/users/%d/tokens", h.Users["staff"]), map[string][]string{"name": {"两天"}, "days": {"400"}})
		if body := h.text(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "365") {
			t.Errorf("a 400-day token: %d", resp.StatusCode)
		}
		if body := h.text(h.get("admin", "/admin/tokens")); !strings.Contains(body, theirs.ExpiresAt.Format("2006-01-02")) {
			t.Errorf("admin tokens page lacks the expiry")
		}
	})
}
