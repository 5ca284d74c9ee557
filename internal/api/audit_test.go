package api

import (
	"fmt"
	"testing"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// TestAuditAPI: the committee's administrators read its audit log (another
// committee's never), page it, and check its chains; an entry about a
// proposal the reader may not read shows no values, as on the web page;
// nobody else reads the log.
func TestAuditAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		proposalSetup(t, h)
		f := h.f
		adminB := h.newActor(f.B, "陆良管理员", auth.RoleAdmin)
		for _, who := range []string{"staff", "member", "unit", "proposal_office", "leader", "assistance", "other_staff", "prefecture"} {
			h.want(h.json(h.actor(who), "GET", "/audit", nil), 403)
			h.want(h.json(h.actor(who), "POST", "/audit/verify", nil), 403)
		}
		h.want(h.json(f.Staff, "POST", "/sectors", SectorBody{Name: "农业界"}), 201)
		var draft proposal.Proposal
		h.want(h.json(f.MemberParty, "POST", "/proposals", ProposalBody{Kind: "individual", Theme: "society", Title: "草稿中的建议"}), 201).decode(t, &draft)

		var l AuditList
		h.want(h.json(f.Admin, "GET", "/audit?entity=sector", nil), 200).decode(t, &l)
		if len(l.Items) != 2 || l.Items[0].After.(map[string]any)["name"] != "农业界" || l.Items[0].Before != nil || l.Items[0].Withheld {
			t.Fatalf("sector entries %+v", l.Items)
		}
		h.want(h.json(f.Admin, "GET", fmt.Sprintf("/audit?entity=proposal&entity_id=%d", draft.ID), nil), 200).decode(t, &l)
		if len(l.Items) == 0 {
			t.Fatal("no entry for the draft")
		}
		for _, e := range l.Items {
			if !e.Withheld || e.After != nil || e.Before != nil {
				t.Fatalf("a member's draft shown to the admin: %+v", e)
			}
		}
		h.want(h.json(adminB, "GET", "/audit?entity=sector", nil), 200).decode(t, &l)
		if len(l.Items) != 0 {
			t.Fatalf("county B reads A's log: %+v", l.Items)
		}

		var page1, page2 AuditList
		h.want(h.json(f.Admin, "GET", "/audit?limit=1", nil), 200).decode(t, &page1)
		if len(page1.Items) != 1 || page1.NextBefore != page1.Items[0].Seq {
			t.Fatalf("page 1 %+v", page1)
		}
		h.want(h.json(f.Admin, "GET", fmt.Sprintf("/audit?limit=1&before=%d", page1.NextBefore), nil), 200).decode(t, &page2)
		if len(page2.Items) != 1 || page2.Items[0].Seq >= page1.Items[0].Seq {
			t.Fatalf("page 2 %+v after %+v", page2, page1)
		}
		h.want(h.json(f.Admin, "GET", "/audit?entity=A%20B", nil), 422)
		h.want(h.json(f.Admin, "GET", "/audit?entity_id=x", nil), 400)

		var c AuditCheck
		h.want(h.json(f.Admin, "POST", "/audit/verify", nil), 200).decode(t, &c)
		if !c.OK || len(c.Problems) != 0 {
			t.Fatalf("verify %+v", c)
		}
		if _, err := d.ExecContext(t.Context(), `UPDATE audit_log SET after_json = '{"name":"改过"}' WHERE committee_id = $1 AND entity = 'sector' AND seq = (SELECT MAX(seq) FROM audit_log WHERE committee_id = $1 AND entity = 'sector')`, f.A); err != nil {
			t.Fatal(err)
		}
		h.want(h.json(f.Admin, "POST", "/audit/verify", nil), 200).decode(t, &c)
		if c.OK || len(c.Problems) == 0 {
			t.Fatalf("a tampered entry passed: %+v", c)
		}
		h.want(h.json(adminB, "POST", "/audit/verify", nil), 200).decode(t, &c)
		if !c.OK {
			t.Fatalf("county B is shown A's problems: %+v", c)
		}
	})
}
