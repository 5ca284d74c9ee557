package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// TestTimelineShowsNames: the proposal page's timeline names the unit of a
// unit's step and shows the automatic closure as the platform's act.
func TestTimelineShowsNames(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		sd := proposal.NewSeeder(h.Server.Proposals, h.A.ID)
		p, err := sd.Drive(ctx, proposal.SeedSpec{FirstProposer: h.A.MembershipID, Target: proposal.Replied, Units: []int64{h.A.UnitID},
			Content: proposal.Content{Kind: proposal.Individual, Theme: proposal.Economy, Title: "关于时间线的建议", Matter: "情况", Analysis: "分析", Suggestions: "建议"}})
		h.must(err)
		_, err = h.Server.Proposals.Evaluate(ctx, h.actor("member"), proposal.Ref{ID: p.ID}, proposal.EvaluationInput{
			Overall: proposal.Satisfied, Contact: proposal.Visited, Attitude: proposal.Satisfied, Addressed: proposal.Targeted})
		h.must(err)
		body := h.text(h.get("proposal_office", fmt.Sprintf("/proposals/%d", p.ID)))
		i := strings.Index(body, `id="timeline"`)
		if i < 0 {
			t.Fatalf("no timeline: %s", snippet(body))
		}
		tl := body[i:]
		if !strings.Contains(tl, "<b>系统自动</b> 办结") {
			t.Errorf("automatic closure not the platform's: %s", tl)
		}
		if !strings.Contains(tl, "<b>"+h.A.UnitName+"</b>") || strings.Contains(tl, "unit-") || strings.Contains(tl, "<b>system</b>") {
			t.Errorf("unit steps not named by the unit: %s", tl)
		}
	})
}
