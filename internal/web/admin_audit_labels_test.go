package web

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// TestAuditLabelsInChinese: every action and record kind the audit log shows,
// over a world with organisation, liaison, settings and a proposal taken to
// its close, is named in Chinese, never by its code (proposal.create).
func TestAuditLabelsInChinese(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ls := seedLists(t, h)
		ctx := context.Background()
		_, err := proposal.NewSeeder(h.Server.Proposals, h.A.ID).Drive(ctx, proposal.SeedSpec{FirstProposer: h.A.MembershipID,
			Target: proposal.Closed, Units: []int64{h.A.UnitID}, Content: proposal.Content{Kind: proposal.Individual,
				Theme: proposal.Economy, Title: "办结的提案", Matter: "情况", Analysis: "分析", Suggestions: "建议"}})
		h.must(err)
		h.post("proposal_office", "/proposals/settings/reasons", url.Values{"label_zh": {"另一理由"}, "active": {"1"}})
		h.get("staff", "/org/export/members.xlsx?sector="+itoa(ls.Sector.ID))
		cell := regexp.MustCompile(`<td data-label="(操作|对象)">(.*?)</td>`)
		ascii := regexp.MustCompile(`[A-Za-z_]{2,}`)
		seen, next := map[string]bool{}, "/admin/audit"
		for pages := 0; next != "" && pages < 40; pages++ {
			body := h.text(h.get("admin", next))
			for _, m := range cell.FindAllStringSubmatch(body, -1) {
				text := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m[2], ""))
				if seen[text] {
					continue
				}
				seen[text] = true
				if ascii.MatchString(text) {
					t.Errorf("%s shown as %q", m[1], text)
				}
			}
			next = ""
			if m := nextLink.FindStringSubmatch(body); m != nil {
				next = html.UnescapeString(m[1])
			}
		}
		if len(seen) < 15 {
			t.Errorf("only %d distinct labels: %v", len(seen), seen)
		}
	})
}
