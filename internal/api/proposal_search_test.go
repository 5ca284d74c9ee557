package api

import (
	"fmt"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/fixture"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
	"lvzhi/internal/secret"
)

// TestProposalSearchAPI: full-text search and the similar-proposal hints find
// what the reader may read and nothing of another county; the public list
// and page show published proposals to anyone and nothing else.
func TestProposalSearchAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		unit := proposalSetup(t, h)
		f := h.f
		path := repliedProposal(t, h, unit) // "关于校车的建议" by the party member
		var first proposal.Proposal
		fmt.Sscanf(path, "/proposals/%d", &first.ID)

		var sp proposal.SearchPage
		h.want(h.json(f.ProposalOffice, "GET", "/proposals/search?q=校车", nil), 200).decode(t, &sp)
		if sp.Total != 1 || sp.Hits[0].ID != first.ID || sp.Hits[0].PublicOnly {
			t.Fatalf("office search %+v", sp)
		}
		h.want(h.json(f.MemberParty, "GET", "/proposals/search?q=校车", nil), 200).decode(t, &sp)
		if sp.Total != 1 {
			t.Fatalf("the proposer's search %+v", sp)
		}
		h.want(h.json(f.MemberNonParty, "GET", "/proposals/search?q=校车", nil), 200).decode(t, &sp)
		if sp.Total != 0 {
			t.Fatalf("another member finds an unpublished proposal: %+v", sp)
		}
		h.want(h.json(f.StaffB, "GET", "/proposals/search?q=校车", nil), 200).decode(t, &sp)
		if sp.Total != 0 {
			t.Fatalf("county B finds A's: %+v", sp)
		}
		h.want(h.json(f.ProposalOffice, "GET", "/proposals/search?q="+strings.Repeat("校", 101), nil), 422)
		h.want(h.json(f.ProposalOffice, "GET", "/proposals/search?q=校车&limit=x", nil), 400)
		h.want(h.json(nil, "GET", "/proposals/search?q=校车", nil), 401)

		// Similar: a second proposal about school buses.
		var second proposal.Proposal
		h.want(h.json(f.MemberNonParty, "POST", "/proposals", ProposalBody{Kind: "individual", Theme: "society", Title: "关于农村校车的建议",
			Matter: "校车", Analysis: "分析", Suggestions: "增加校车"}), 201).decode(t, &second)
		h.want(h.json(f.MemberNonParty, "POST", fmt.Sprintf("/proposals/%d/submit", second.ID), ActionBody{}), 200)
		var sl SimilarList
		h.want(h.json(f.ProposalOffice, "GET", fmt.Sprintf("/proposals/%d/similar", second.ID), nil), 200).decode(t, &sl)
		if len(sl.Items) == 0 || sl.Items[0].ID != first.ID || !sl.Items[0].Readable {
			t.Fatalf("similar to the second %+v", sl)
		}
		h.want(h.json(f.StaffB, "GET", fmt.Sprintf("/proposals/%d/similar", second.ID), nil), 404)
		h.want(h.json(f.MemberParty, "GET", fmt.Sprintf("/proposals/%d/similar", second.ID), nil), 404) // not a reader of the second
		h.want(h.json(f.ProposalOffice, "POST", "/proposals/similar", SimilarBody{Title: "关于校车的建议", Matter: "校车"}), 200).decode(t, &sl)
		if len(sl.Items) != 2 {
			t.Fatalf("similar to a draft %+v", sl)
		}
		h.want(h.json(f.StaffB, "POST", "/proposals/similar", SimilarBody{Title: "关于校车的建议", Matter: "校车"}), 200).decode(t, &sl)
		if len(sl.Items) != 0 {
			t.Fatalf("county B is shown A's: %+v", sl)
		}

		// Public: nothing until published; then for anyone, without a token.
		var pl PublicList
		h.want(h.json(nil, "GET", "/public/proposals", nil), 200).decode(t, &pl)
		if pl.Total != 0 {
			t.Fatalf("unpublished in public %+v", pl)
		}
		h.want(h.json(nil, "GET", fmt.Sprintf("/public/proposals/%d", first.ID), nil), 404)
		h.want(h.json(f.MemberParty, "POST", path+"/publish_consent", ActionBody{Consent: true}), 200)
		h.want(h.json(f.ProposalOffice, "POST", path+"/publish", ActionBody{}), 200)
		h.want(h.json(nil, "GET", "/public/proposals?q=校车", nil), 200).decode(t, &pl)
		if pl.Total != 1 || pl.Items[0].ID != first.ID || len(pl.Choices.Years) != 1 {
			t.Fatalf("public list %+v", pl)
		}
		var pp proposal.PublicProposal
		h.want(h.json(nil, "GET", fmt.Sprintf("/public/proposals/%d", first.ID), nil), 200).decode(t, &pp)
		if pp.Title != "关于校车的建议" || len(pp.Replies) != 1 {
			t.Fatalf("public page %+v", pp)
		}
		h.want(h.json(nil, "GET", fmt.Sprintf("/public/proposals/%d", second.ID), nil), 404)
		h.want(h.json(f.MemberNonParty, "GET", "/proposals/search?q=校车", nil), 200).decode(t, &sp)
		if sp.Total != 2 {
			t.Fatalf("after publication another member finds %+v", sp)
		}
	})
}

// TestRevealIDNumberAPI: admins and staff of the member's committee see the
// full ID number, and each reveal is audited; nobody else does.
func TestRevealIDNumberAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		f := h.f
		box, err := secret.New(fixture.Key)
		if err != nil {
			t.Fatal(err)
		}
		h.api.deps.Org.Secret = box
		first17 := "53032519700101111"
		number := first17 + string(org.IDCheckChar(first17))
		var m org.Member
		h.want(h.json(f.Staff, "POST", "/members", MemberBody{Name: "李一", Gender: "male", IDNumber: number, Phone: "13700000001",
			SectorID: h.sector, Affiliation: "cpc"}), 201).decode(t, &m)
		path := fmt.Sprintf("/members/%d/id-number", m.ID)
		if strings.Contains(string(h.want(h.json(f.Staff, "GET", fmt.Sprintf("/members/%d", m.ID), nil), 200).Body), number) {
			t.Fatal("the member's answer carries the full number")
		}
		audited := h.rows("audit_log")
		for _, x := range []struct {
			who    string
			status int
		}{{"member", 403}, {"unit", 403}, {"proposal_office", 403}, {"leader", 403}, {"other_staff", 404}, {"prefecture", 403}} {
			h.want(h.json(h.actor(x.who), "POST", path, nil), x.status)
		}
		if h.rows("audit_log") != audited {
			t.Fatal("refused reveals audited")
		}
		var n IDNumber
		h.want(h.json(f.Staff, "POST", path, nil), 200).decode(t, &n)
		if n.IDNumber != number || h.rows("audit_log") != audited+1 {
			t.Fatalf("revealed %q (audit %d → %d)", n.IDNumber, audited, h.rows("audit_log"))
		}
		h.want(h.json(f.Admin, "POST", path, nil), 200)
		h.want(h.json(f.Staff, "POST", fmt.Sprintf("/members/%d/id-number", f.Party), nil), 404) // no number on record
	})
}
