package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestLiaisonTabOnEveryOrgPage: the 联系制度 tab is on every organisation
// page for those who may open it, and on none for those who may not.
func TestLiaisonTabOnEveryOrgPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		pages := []string{"/org", "/org/committee", "/org/members", "/org/members/new", fmt.Sprintf("/org/members/%d", h.A.MembershipID),
			fmt.Sprintf("/org/members/%d/edit", h.A.MembershipID), "/org/units", "/org/units/new", fmt.Sprintf("/org/units/%d", h.A.UnitID),
			"/org/sectors", "/org/groups", "/org/import"}
		const tab = `<a class="btn ghost" href="/org/liaison">`
		for _, p := range pages {
			resp := h.get("admin", p)
			body := h.text(resp)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s: %d", p, resp.StatusCode)
				continue
			}
			if !strings.Contains(body, tab) {
				t.Errorf("%s: no 联系制度 tab for the admin", p)
			}
		}
		for _, p := range []string{"/org", "/org/members", fmt.Sprintf("/org/members/%d", h.A.MembershipID)} {
			if body := h.text(h.get("proposal_office", p)); strings.Contains(body, tab) {
				t.Errorf("%s: 联系制度 tab for the proposal office, which may not open it", p)
			}
		}
	})
}
