package web

import (
	"fmt"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// TestSimilarHooks: the draft form asks for similar proposals while the member
// writes, and the office sees them on a submitted proposal it reviews (and only then).
func TestSimilarHooks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPropFixture(t, d)
		submitted := f.seed("关于校车的提案", proposal.Submitted, proposal.SeedSpec{})
		registered := f.seed("关于道路的提案", proposal.Registered, proposal.SeedSpec{})
		hook := func(role, path string) bool {
			resp := f.get(role, path)
			body := f.text(resp)
			if resp.StatusCode != 200 {
				t.Fatalf("%s %s: %d", role, path, resp.StatusCode)
			}
			return strings.Contains(body, `id="similar"`)
		}
		if !hook("member", "/proposals/new") {
			t.Error("draft form has no similar-proposals panel")
		}
		if !hook("proposal_office", fmt.Sprintf("/proposals/%d", submitted)) {
			t.Error("office reviewing a submitted proposal sees no similar proposals")
		}
		if hook("proposal_office", fmt.Sprintf("/proposals/%d", registered)) {
			t.Error("similar panel shown on an already registered proposal")
		}
		if hook("member", fmt.Sprintf("/proposals/%d", submitted)) {
			t.Error("similar review panel shown to the proposer")
		}
	})
}
