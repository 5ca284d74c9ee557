package api

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// TestProposalLedgerFilesAPI: the ledger template is a real workbook for the
// proposal office only; a session's export holds its registered proposals
// (a backfilled one here) and is refused to members, unknown sessions and
// other committees' sessions.
func TestProposalLedgerFilesAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		unit := proposalSetup(t, h)
		f := h.f
		sheetRows := func(body []byte) [][]string {
			t.Helper()
			wb, err := excelize.OpenReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("not a workbook: %v", err)
			}
			rows, err := wb.GetRows(wb.GetSheetList()[0])
			if err != nil || len(rows) == 0 {
				t.Fatalf("rows %v %v", rows, err)
			}
			return rows
		}
		file := func(r response, path string) {
			t.Helper()
			if r.Status != 200 || r.Header.Get("Content-Type") != "application/octet-stream" || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
				t.Fatalf("%s: %d %v %s", path, r.Status, r.Header, r.Body)
			}
		}

		r := h.do(f.ProposalOffice, "GET", "/proposals/ledger/template", "")
		file(r, "template")
		if head := sheetRows(r.Body)[0]; len(head) < 5 {
			t.Fatalf("template headings %v", head)
		}
		for _, who := range []string{"staff", "member", "leader", "admin", "unit"} {
			h.want(h.do(h.actor(who), "GET", "/proposals/ledger/template", ""), 403)
		}
		h.want(h.do(nil, "GET", "/proposals/ledger/template", ""), 401)

		year := civil.Today().Year
		day := func(md string) string { return fmt.Sprintf("%d-%s", year, md) }
		body := BackfillBody{Kind: "individual", Theme: "society", Title: "关于乡村道路的提案", Matter: "案由", Analysis: "分析",
			Suggestions: "建议", FirstProposerID: f.Party, SubmittedOn: day("01-05"), RegisteredOn: day("01-15"), Seq: 7,
			AssignedOn: day("01-20"), Mode: "single", Units: []int64{unit},
			Contacts: []BackfillContact{{UnitID: unit, On: day("02-02"), Method: "face", People: "提案人"}},
			Replies:  []BackfillReply{{UnitID: unit, On: day("04-10"), ResultClass: "A", Letter: "答复如下", ApprovedOn: day("04-13")}}}
		var p proposal.Proposal
		h.want(h.json(f.ProposalOffice, "POST", "/proposals/backfill", body), 201).decode(t, &p)

		path := fmt.Sprintf("/proposals/ledger/export?session_id=%d", p.SessionID)
		for _, who := range []string{"staff", "proposal_office"} {
			r = h.do(h.actor(who), "GET", path, "")
			file(r, path)
			rows := sheetRows(r.Body)
			if len(rows) != 2 || !slices.ContainsFunc(rows[1], func(c string) bool { return strings.Contains(c, "007") }) ||
				!slices.Contains(rows[1], "关于乡村道路的提案") {
				t.Fatalf("export rows %v", rows)
			}
		}
		for _, who := range []string{"member", "unit"} {
			h.want(h.do(h.actor(who), "GET", path, ""), 403)
		}
		h.want(h.do(f.StaffB, "GET", path, ""), 404) // another committee's session
		h.want(h.do(f.Staff, "GET", "/proposals/ledger/export", ""), 404)
		h.want(h.do(f.Staff, "GET", "/proposals/ledger/export?session_id=999999", ""), 404)
	})
}
