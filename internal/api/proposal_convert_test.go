package api

import (
	"fmt"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// TestProposalConvertLinksSqmy: a proposal declined and converted to 社情民意
// names the item it became (sqmy_id), and the item names the proposal.
func TestProposalConvertLinksSqmy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		proposalSetup(t, h)
		f := h.f
		var p proposal.Proposal
		h.want(h.json(f.MemberParty, "POST", "/proposals", ProposalBody{Kind: "individual", Theme: "society", Title: "关于路灯的建议",
			Matter: "案由", Analysis: "分析", Suggestions: "建议"}), 201).decode(t, &p)
		path := fmt.Sprintf("/proposals/%d", p.ID)
		h.want(h.json(f.MemberParty, "POST", path+"/submit", ActionBody{}), 200)
		h.want(h.json(f.ProposalOffice, "POST", path+"/decline", ActionBody{Reason: "vague", Note: "缺少具体建议"}), 200)
		var dt proposal.Detail
		h.want(h.json(f.ProposalOffice, "GET", path, nil), 200).decode(t, &dt)
		if dt.SqmyID != 0 {
			t.Fatalf("a declined, not converted proposal names item %d", dt.SqmyID)
		}
		h.want(h.json(f.ProposalOffice, "POST", path+"/convert", ActionBody{Target: "sqmy"}), 200)
		h.want(h.json(f.ProposalOffice, "GET", path, nil), 200).decode(t, &dt)
		if dt.SqmyID == 0 {
			t.Fatal("the converted proposal names no 社情民意 item")
		}
		var item struct {
			ID         int64 `json:"id"`
			ProposalID int64 `json:"proposal_id"`
		}
		h.want(h.json(f.Staff, "GET", fmt.Sprintf("/sqmy/%d", dt.SqmyID), nil), 200).decode(t, &item)
		if item.ID != dt.SqmyID || item.ProposalID != p.ID {
			t.Fatalf("item %+v, want id %d of proposal %d", item, dt.SqmyID, p.ID)
		}
	})
}
