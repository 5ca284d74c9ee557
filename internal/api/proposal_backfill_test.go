package api

import (
	"encoding/base64"
	"fmt"
	"testing"

	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// TestBackfillAPI enters a past proposal through the API; refusals name the
// step's field; only the proposal office may; a ledger that is no workbook is refused.
func TestBackfillAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		unit := proposalSetup(t, h)
		f := h.f
		year := civil.Today().Year
		day := func(md string) string { return fmt.Sprintf("%d-%s", year, md) }
		body := BackfillBody{Kind: "individual", Theme: "society", Title: "关于乡村道路的提案", Matter: "案由", Analysis: "分析",
			Suggestions: "建议", FirstProposerID: f.Party, SubmittedOn: day("01-05"), RegisteredOn: day("01-15"), Seq: 7,
			AssignedOn: day("01-20"), Mode: "single", Units: []int64{unit},
			Contacts: []BackfillContact{{UnitID: unit, On: day("02-02"), Method: "face", People: "提案人"}},
			Replies:  []BackfillReply{{UnitID: unit, On: day("04-10"), ResultClass: "A", Letter: "答复如下", ApprovedOn: day("04-13")}}}
		h.want(h.json(f.MemberParty, "POST", "/proposals/backfill", body), 403)
		h.want(h.json(f.Staff, "POST", "/proposals/backfill", body), 403)
		bad := body
		bad.RegisteredOn = day("01-04")
		e := h.want(h.json(f.ProposalOffice, "POST", "/proposals/backfill", bad), 422).apiError(t)
		if len(e.Fields) != 1 || e.Fields[0].Field != "registered.on" {
			t.Fatalf("fields %+v", e.Fields)
		}
		malformed := body
		malformed.Replies = []BackfillReply{{UnitID: unit, On: day("02-30"), ResultClass: "A", Letter: "x"}}
		e = h.want(h.json(f.ProposalOffice, "POST", "/proposals/backfill", malformed), 422).apiError(t)
		if len(e.Fields) != 1 || e.Fields[0].Field != "replies[0].on" {
			t.Fatalf("fields %+v", e.Fields)
		}
		if n := h.rows("proposals"); n != 0 {
			t.Fatalf("refused histories stored: %d", n)
		}
		var p proposal.Proposal
		h.want(h.json(f.ProposalOffice, "POST", "/proposals/backfill", body), 201).decode(t, &p)
		if p.State != proposal.Replied || p.Number != "九届二次-007" || p.RepliedOn.String() != day("04-13") {
			t.Fatalf("got %+v", p)
		}
		e = h.want(h.json(f.ProposalOffice, "POST", "/proposals/backfill", body), 422).apiError(t)
		if len(e.Fields) != 1 || e.Fields[0].Field != "registered.seq" {
			t.Fatalf("fields %+v", e.Fields)
		}
		e = h.want(h.json(f.ProposalOffice, "POST", "/proposals/ledger", ProposalLedgerBody{File: base64.StdEncoding.EncodeToString([]byte("not a workbook"))}), 422).apiError(t)
		if e.Code != "invalid" || e.Message != "无法读取该文件，请上传 .xlsx 格式的台账" {
			t.Fatalf("ledger: %+v", e)
		}
		h.want(h.json(f.MemberParty, "POST", "/proposals/ledger", ProposalLedgerBody{File: "eA=="}), 403)
	})
}
