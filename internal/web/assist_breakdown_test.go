package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/assist"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestAssistBreakdown: the breakdown by member shows the member's 帮扶次数
// and 帮扶资金 for the year, each cell opens exactly the records it counts,
// the export holds the screen's rows and values, and roles that may not
// read the programme are refused.
func TestAssistBreakdown(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		w := seedAssist(t, h)
		ctx := context.Background()
		officer := h.actor("assistance")
		rec, err := h.Server.Assist.RecordAssistance(ctx, officer, assist.RecordInput{HouseholdID: w.paired.ID, Kind: "cash",
			AmountFen: 123456, GivenOn: civil.Today(), MembershipIDs: []int64{h.A.MembershipID}})
		h.must(err)
		for _, id := range []int64{rec.ID, w.record.ID} {
			_, err = h.Server.Assist.VerifyRecord(ctx, officer, id, 0)
			h.must(err)
		}
		page := h.text(h.get("leader", "/assist/breakdown?by=member"))
		if !strings.Contains(page, h.A.PersonName) || !strings.Contains(page, "1234.56") {
			t.Fatalf("the member's row or funds missing:\n%s", snippet(page))
		}
		// The member's 帮扶次数 cell opens its two records.
		re := regexp.MustCompile(`href="(/figures/records\?[^"]*fig=assist.records[^"]*member=[^"]*)"`)
		m := re.FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no records link for the member's cell")
		}
		link := strings.ReplaceAll(m[1], "&amp;", "&")
		recs := h.text(h.get("leader", link))
		for _, id := range []int64{rec.ID, w.record.ID} {
			if !strings.Contains(recs, fmt.Sprintf("/assist/records/%d", id)) {
				t.Errorf("record %d not behind the cell %s", id, link)
			}
		}
		// The export: the same rows and values.
		resp := h.get("leader", "/assist/breakdown.xlsx?by=member")
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		x, err := excelize.OpenReader(bytes.NewReader(b))
		h.must(err)
		rows, err := x.GetRows(x.GetSheetList()[0])
		h.must(err)
		found := false
		for _, r := range rows {
			if len(r) >= 3 && r[0] == h.A.PersonName && r[1] == "2" && strings.HasPrefix(r[2], "1234.56") {
				found = true
			}
		}
		if !found {
			t.Errorf("export rows %v", rows)
		}
		for _, by := range []string{"kind", "campaign"} {
			if r := h.get("leader", "/assist/breakdown?by="+by); r.StatusCode != http.StatusOK {
				t.Errorf("by %s: %d", by, r.StatusCode)
			}
		}
		if r := h.get("leader", "/assist/breakdown?by=colour"); r.StatusCode != http.StatusUnprocessableEntity && r.StatusCode != http.StatusBadRequest {
			t.Errorf("by colour: %d", r.StatusCode)
		}
		for _, role := range []string{"member", "unit", "proposal_office"} {
			if r := h.get(role, "/assist/breakdown"); r.StatusCode != http.StatusForbidden {
				t.Errorf("%s: %d", role, r.StatusCode)
			}
		}
	})
}
