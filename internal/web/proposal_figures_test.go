package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// figFixture is the harness with proposals of county A (and one of county B)
// driven through the real use cases.
type figFixture struct {
	*harness
	Published, Unpublished, Handling, ForeignPublished int64
}

func newFigFixture(t *testing.T, d *db.DB) *figFixture {
	t.Helper()
	h := newHarness(t, d)
	f := &figFixture{harness: h}
	ctx := context.Background()
	drive := func(c seededCommittee, title, matter string, target proposal.State, consent bool) int64 {
		sd := proposal.NewSeeder(h.Server.Proposals, c.ID)
		p, err := sd.Drive(ctx, proposal.SeedSpec{FirstProposer: c.MembershipID, Target: target, Units: []int64{c.UnitID},
			Content: proposal.Content{Kind: proposal.Individual, Theme: proposal.Economy, Title: title,
				Matter: matter, Analysis: "分析", Suggestions: "建议扶持龙头企业", PublishConsent: consent}})
		h.must(err)
		if consent && target == proposal.Closed {
			_, err := h.Server.Proposals.Publish(ctx, sd.Office, proposal.Ref{ID: p.ID})
			h.must(err)
		}
		return p.ID
	}
	f.Published = drive(h.A, "关于发展乡村振兴特色产业的建议", "联系电话13812345678，乡村振兴需要产业。", proposal.Closed, true)
	f.Unpublished = drive(h.A, "关于改善山区道路的建议", "道路狭窄。", proposal.Replied, false)
	f.Handling = drive(h.A, "关于建设农贸市场的建议", "市场不足。", proposal.InHandling, false)
	f.ForeignPublished = drive(h.B, "关于罗平油菜花旅游的建议", "旅游。", proposal.Closed, true)
	return f
}

// TestFiguresPages renders every page for the roles that may see it, on both engines.
func TestFiguresPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFigFixture(t, d)
		page := func(role, path string, want ...string) string {
			t.Helper()
			resp := f.get(role, path)
			body := f.text(resp)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s %s: %d\n%s", role, path, resp.StatusCode, snippet(body))
			}
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s %s: missing %q", role, path, w)
				}
			}
			return body
		}
		body := page("proposal_office", "/proposals/figures", "提案所提事项已解决和正在解决的达", "echarts.min.js", "/figures/records?")
		if strings.Contains(body, "罗平") {
			t.Errorf("county A's figures show county B")
		}
		page("proposal_office", "/proposals/figures/records?fig=proposals.replied&subtree=0", "关于发展乡村振兴特色产业的建议", "关于改善山区道路的建议")
		page("leader", "/proposals/figures/records?fig=proposals.published&subtree=0", "关于发展乡村振兴特色产业的建议")
		// The prefecture's roll-up holds both counties.
		page("prefecture", "/proposals/figures/records?fig=proposals.published", "罗平", "乡村振兴")
		page("member", "/proposals/search?q=乡村振兴", "关于发展乡村振兴特色产业的建议")
		if b := page("member", "/proposals/search?q=道路"); !strings.Contains(b, "关于改善山区道路的建议") ||
			!strings.Contains(b, fmt.Sprintf(`href="/proposals/%d"`, f.Unpublished)) {
			t.Errorf("member does not find own proposal, or its link is not the proposal's page")
		}
		page("unit", "/units/portal", "关于建设农贸市场的建议", "mine")
		page("proposal_office", "/units/league", f.A.UnitName)
		page("proposal_office", "/proposals/assessments", "领导重视、组织有力")
		// Exports are spreadsheets.
		for _, p := range []string{"/proposals/figures/export.xlsx", "/proposals/figures/records.xlsx?fig=proposals.received&subtree=0", "/units/league.xlsx"} {
			resp := f.get("proposal_office", p)
			if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") || !strings.HasPrefix(f.text(resp), "PK") {
				t.Errorf("%s: %d %s", p, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
		}
		// Public pages: the published one with contact details removed; others 404.
		body = page("anon", "/public/proposals", "关于发展乡村振兴特色产业的建议", "关于罗平油菜花旅游的建议")
		if strings.Contains(body, "道路") {
			t.Errorf("unpublished proposal listed publicly")
		}
		page("anon", fmt.Sprintf("/public/proposals?committee=%d&q=乡村振兴", f.A.ID), "关于发展乡村振兴特色产业的建议")
		body = page("anon", fmt.Sprintf("/public/proposals/%d", f.Published), "[电话已隐去]", "乡村振兴需要产业")
		if strings.Contains(body, "13812345678") {
			t.Errorf("public page shows the phone number")
		}
		// The draft form's similarity fragment.
		resp := f.post("member", "/proposals/similar", map[string][]string{"title": {"关于乡村振兴特色产业的建议"}, "matter": {"发展特色产业"}})
		if b := f.text(resp); resp.StatusCode != 200 || !strings.Contains(b, "关于发展乡村振兴特色产业的建议") || strings.Contains(b, "<html") {
			t.Errorf("similar fragment: %d %s", resp.StatusCode, snippet(b))
		}
		page("proposal_office", fmt.Sprintf("/proposals/similar?id=%d", f.Unpublished))
		// English works too.
		page("proposal_office", "/proposals/figures?subtree=0")
	})
}
