package api

import (
	"fmt"
	"testing"

	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// repliedProposal drives a member's proposal through the API to REPLIED and
// returns its path.
func repliedProposal(t *testing.T, h *harness, unit int64) string {
	t.Helper()
	f := h.f
	var p proposal.Proposal
	h.want(h.json(f.MemberParty, "POST", "/proposals", ProposalBody{Kind: "individual", Theme: "society", Title: "关于校车的建议",
		Matter: "案由", Analysis: "分析", Suggestions: "建议"}), 201).decode(t, &p)
	path := fmt.Sprintf("/proposals/%d", p.ID)
	h.want(h.json(f.MemberParty, "POST", path+"/submit", ActionBody{}), 200)
	h.want(h.json(f.ProposalOffice, "POST", path+"/register", ActionBody{}), 200)
	h.want(h.json(f.ProposalOffice, "POST", path+"/assign", ActionBody{Mode: "single", Units: []int64{unit}}), 200)
	h.want(h.json(f.Unit, "POST", path+"/accept", ActionBody{}), 200)
	h.want(h.json(f.Unit, "POST", path+"/contact", ActionBody{On: civil.Today().String(), Method: "face", People: "孙党员"}), 200)
	h.want(h.json(f.Unit, "POST", path+"/draft_reply", ActionBody{ResultClass: "A", Body: "已解决"}), 200)
	h.want(h.json(f.Unit, "POST", path+"/submit_reply", ActionBody{}), 200)
	var dt proposal.Detail
	h.want(h.json(f.ProposalOffice, "GET", path, nil), 200).decode(t, &dt)
	h.want(h.json(f.ProposalOffice, "POST", path+"/approve", ActionBody{AssignmentID: dt.Assignments[0].ID}), 200)
	return path
}

// TestPublicationAPI: the first proposer gives (and withdraws) consent; the
// proposal office publishes a replied proposal only with it; nobody else may.
func TestPublicationAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		unit := proposalSetup(t, h)
		f := h.f
		path := repliedProposal(t, h, unit)
		var p proposal.Proposal

		// Without consent the office cannot publish.
		h.want(h.json(f.ProposalOffice, "POST", path+"/publish", ActionBody{}), 409)
		// Only the first proposer consents.
		for _, x := range []struct {
			who    string
			status int
		}{{"unit", 403}, {"proposal_office", 403}, {"staff", 403}, {"admin", 403}} {
			h.want(h.json(h.actor(x.who), "POST", path+"/publish_consent", ActionBody{Consent: true}), x.status)
		}
		h.want(h.json(f.MemberNonParty, "POST", path+"/publish_consent", ActionBody{Consent: true}), 404)
		h.want(h.json(f.StaffB, "POST", path+"/publish_consent", ActionBody{Consent: true}), 404)
		h.want(h.json(f.MemberParty, "POST", path+"/publish_consent", ActionBody{Consent: true}), 200).decode(t, &p)
		if !p.PublishConsent || p.Published {
			t.Fatalf("after consent %+v", p)
		}

		// Only the proposal office publishes.
		h.want(h.json(f.MemberParty, "POST", path+"/publish", ActionBody{}), 403)
		h.want(h.json(f.Unit, "POST", path+"/publish", ActionBody{}), 403)
		h.want(h.json(f.StaffB, "POST", path+"/publish", ActionBody{}), 404)
		h.want(h.json(f.ProposalOffice, "POST", path+"/publish", ActionBody{}), 200).decode(t, &p)
		if !p.Published {
			t.Fatalf("not published %+v", p)
		}
		h.want(h.json(f.MemberParty, "POST", path+"/unpublish", ActionBody{Note: "x"}), 403)
		h.want(h.json(f.ProposalOffice, "POST", path+"/unpublish", ActionBody{Note: "核实中"}), 200).decode(t, &p)
		if p.Published || !p.PublishConsent {
			t.Fatalf("after unpublish %+v", p)
		}
		h.want(h.json(f.ProposalOffice, "POST", path+"/publish", ActionBody{}), 200)

		// Withdrawing consent takes it off at once.
		h.want(h.json(f.MemberParty, "POST", path+"/publish_consent", ActionBody{}), 200).decode(t, &p)
		if p.Published || p.PublishConsent {
			t.Fatalf("after withdrawing consent %+v", p)
		}
	})
}
