package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// TestAssessmentPrefillPage: the score form starts from the figures' points,
// says where they come from, and refuses a changed score without a reason.
func TestAssessmentPrefillPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		year := db.Now().Year()
		day := func(md string) civil.Date { return civil.MustParse(fmt.Sprintf("%d-%s", year, md)) }
		c := proposal.Content{Kind: proposal.Individual, Theme: proposal.Economy, Title: "关于乡村公路的提案", Matter: "案由",
			Analysis: "分析", Suggestions: "建议", SessionID: h.A.SessionID}
		_, err := h.Server.Proposals.Backfill(t.Context(), h.actor("proposal_office"), proposal.History{Content: c,
			FirstProposer: h.A.MembershipID, SubmittedOn: day("01-05"), Registered: &proposal.Registration{On: day("01-15")},
			Assigned: &proposal.HistoryAssignment{On: day("01-20"), Mode: proposal.Single, Units: []int64{h.A.UnitID}},
			Contacts: []proposal.HistoryContact{{Unit: h.A.UnitID, ContactInput: proposal.ContactInput{On: day("02-02"), Method: proposal.ByFace, People: "提案人"}}},
			Replies:  []proposal.HistoryReply{{Unit: h.A.UnitID, On: day("04-10"), Class: "C", Letter: "答复", ApprovedOn: day("04-13")}}})
		if err != nil {
			t.Fatal(err)
		}
		if r := h.post("proposal_office", "/proposals/assessments/default", nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("default sheet: %d", r.StatusCode)
		}
		items := map[string]int64{}
		rows, err := d.QueryContext(t.Context(), `SELECT id, basis FROM proposal_assess_items WHERE committee_id = $1`, h.A.ID)
		h.must(err)
		for rows.Next() {
			var id int64
			var b string
			h.must(rows.Scan(&id, &b))
			items[b] = id
		}
		rows.Close()
		path := fmt.Sprintf("/proposals/assessments?year=%d&unit=%d", year, h.A.UnitID)
		body := h.text(h.get("proposal_office", path))
		onTime, solved := items["on_time"], items["solved"]
		for _, want := range []string{
			"按统计预填 20 分（1 / 1）", // on time: handed in before the due date
			fmt.Sprintf(`name="points_%d" inputmode="numeric" size="5" value="20"`, onTime),
			fmt.Sprintf(`name="points_%d" inputmode="numeric" size="5" value="0"`, solved), // class C is not solved
		} {
			if !strings.Contains(body, want) {
				t.Fatalf("the form lacks %q: %s", want, snippet(body))
			}
		}
		form := url.Values{"year": {fmt.Sprint(year)}, "unit": {fmt.Sprint(h.A.UnitID)}, "version": {"0"}}
		for b, id := range items {
			form.Set(fmt.Sprintf("points_%d", id), map[string]string{"": "8", "on_time": "20", "face_to_face": "20", "solved": "5", "satisfied": "10"}[b])
		}
		r := h.post("proposal_office", "/proposals/assessments", form)
		if b := h.text(r); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, "按统计应得 0 分，改动时请说明理由") {
			t.Fatalf("changed without a reason: %d %s", r.StatusCode, snippet(b))
		}
		form.Set(fmt.Sprintf("reason_%d", solved), "答复虽为C类，但已列入明年预算")
		if r := h.post("proposal_office", "/proposals/assessments", form); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("with a reason: %d %s", r.StatusCode, snippet(h.text(r)))
		}
		var reason string
		var pre int
		h.must(d.QueryRowContext(t.Context(), `SELECT reason, prefilled FROM proposal_assessment_scores WHERE item_id = $1`, solved).Scan(&reason, &pre))
		if reason == "" || pre != 0 {
			t.Errorf("kept %q, prefilled %d", reason, pre)
		}
	})
}
