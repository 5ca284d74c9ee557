package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/docx"
	"lvzhi/internal/proposal"
)

// TestProposalDocuments: a proposal's page links its 提案表, which downloads as
// .docx; the compilation downloads for the office and is refused to members;
// every page carries the print stylesheet.
func TestProposalDocuments(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		year := db.Now().Year()
		c := proposal.Content{Kind: proposal.Individual, Theme: proposal.Economy, Title: "关于乡村公路养护的提案", Matter: "路况差",
			Analysis: "分析", Suggestions: "加大投入", SessionID: h.A.SessionID}
		p, err := h.Server.Proposals.Backfill(t.Context(), h.actor("proposal_office"), proposal.History{Content: c,
			FirstProposer: h.A.MembershipID, SubmittedOn: civil.MustParse(fmt.Sprintf("%d-01-05", year)),
			Registered: &proposal.Registration{On: civil.MustParse(fmt.Sprintf("%d-01-15", year)), Seq: 3}})
		if err != nil {
			t.Fatal(err)
		}
		page := h.text(h.get("proposal_office", fmt.Sprintf("/proposals/%d", p.ID)))
		link := fmt.Sprintf(`href="/proposals/%d/form.docx"`, p.ID)
		if !strings.Contains(page, link) || !strings.Contains(page, `href="/static/print.css" media="print"`) {
			t.Fatalf("the page lacks the form link or the print stylesheet: %s", snippet(page))
		}
		r := h.get("proposal_office", fmt.Sprintf("/proposals/%d/form.docx", p.ID))
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != docx.ContentType {
			t.Fatalf("form: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
		}
		text, err := docx.PlainText([]byte(h.text(r)))
		if err != nil || !strings.Contains(text, "九届二次-003") || !strings.Contains(text, "关于乡村公路养护的提案") || !strings.Contains(text, "加大投入") {
			t.Fatalf("form text (%v):\n%s", err, text)
		}
		if r := h.get("other_admin", fmt.Sprintf("/proposals/%d/form.docx", p.ID)); r.StatusCode != http.StatusNotFound {
			t.Errorf("another committee's form: %d", r.StatusCode)
		}
		comp := h.get("proposal_office", fmt.Sprintf("/proposals/compilation.docx?session_id=%d", h.A.SessionID))
		if comp.StatusCode != 200 {
			t.Fatalf("compilation: %d", comp.StatusCode)
		}
		if text, err := docx.PlainText([]byte(h.text(comp))); err != nil || !strings.Contains(text, "共收录立案提案 1 件") {
			t.Fatalf("compilation text (%v):\n%s", err, text)
		}
		if r := h.get("member", fmt.Sprintf("/proposals/compilation.docx?session_id=%d", h.A.SessionID)); r.StatusCode != http.StatusForbidden {
			t.Errorf("member compilation: %d", r.StatusCode)
		}
		if r := h.get("anon", "/static/print.css"); r.StatusCode != 200 || !strings.Contains(h.text(r), "@media print") && !strings.Contains(h.text(r), "@page") {
			t.Errorf("print stylesheet: %d", r.StatusCode)
		}
	})
}
