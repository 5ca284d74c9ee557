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

// TestAuditPageKeepsDraftsPrivate: a member's unsubmitted draft (its text and
// its attached file's name) is 404 to the administrator everywhere, and the
// audit page shows that it was written (who, when, what) but not its values.
// Once submitted, the administrator may read the proposal, and the audit page
// shows the recorded values too. Before, /admin/audit showed a draft's full
// text.
func TestAuditPageKeepsDraftsPrivate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		member := h.actor("member")
		const secretText, fileName = "草稿里尚未公开的想法", "私下的材料.txt"
		p, err := h.Server.Proposals.Create(ctx, member, proposal.Content{Kind: proposal.Individual, Theme: proposal.Economy,
			Title: "草稿标题", Matter: secretText, Analysis: "分析", Suggestions: "建议"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Server.Proposals.AddAttachment(ctx, member, proposal.Ref{ID: p.ID, Version: p.Version}, fileName, "text/plain", []byte("x")); err != nil {
			t.Fatal(err)
		}
		if resp := h.get("admin", fmt.Sprintf("/proposals/%d", p.ID)); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("admin reads the draft: %d", resp.StatusCode)
		}
		for _, path := range []string{"/admin/audit", fmt.Sprintf("/admin/audit?entity=proposal&entity_id=%d", p.ID),
			"/admin/audit?entity=proposal_attachment"} {
			resp := h.get("admin", path)
			body := h.text(resp)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d", path, resp.StatusCode)
			}
			if strings.Contains(body, secretText) || strings.Contains(body, fileName) || strings.Contains(body, "草稿标题") {
				t.Errorf("%s shows the unsubmitted draft", path)
			}
			if !strings.Contains(body, "内容不显示") {
				t.Errorf("%s does not say the values are withheld\n%s", path, snippet(body))
			}
		}
		cur, err := h.Server.Proposals.Get(ctx, member, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Server.Proposals.Submit(ctx, member, proposal.Ref{ID: p.ID, Version: cur.Version}); err != nil {
			t.Fatal(err)
		}
		if resp := h.get("admin", fmt.Sprintf("/proposals/%d", p.ID)); resp.StatusCode != http.StatusOK {
			t.Fatalf("admin reads the submitted proposal: %d", resp.StatusCode)
		}
		body := h.text(h.get("admin", fmt.Sprintf("/admin/audit?entity=proposal&entity_id=%d", p.ID)))
		if !strings.Contains(body, secretText) {
			t.Errorf("after submission the audit page still withholds the proposal's values\n%s", snippet(body))
		}
	})
}
