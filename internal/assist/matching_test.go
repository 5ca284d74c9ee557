package assist

import (
	"testing"

	"lvzhi/internal/apperr"
)

// TestMatchingService: offers shape suggestions (with reasons); the proposed
// assignment respects capacity and live pairings; a rejected member is not
// suggested again; confirming a suggestion pairs the member.
func TestMatchingService(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		h1, h2 := f.household("H001", 0, 1), f.household("H002", 2, 2)
		n1, err := f.svc.CreateNeed(f.ctx, f.officer, NeedInput{HouseholdID: h1.ID, Kind: "industry", Description: "想种魔芋", Urgency: 3})
		f.must(err)
		n2, err := f.svc.CreateNeed(f.ctx, f.officer, NeedInput{HouseholdID: h2.ID, Kind: "industry", Description: "养殖"})
		f.must(err)
		// members[0] offers industry in 中安街道 only, one household; members[1] industry anywhere, one household.
		f.must(f.svc.SaveOffer(f.ctx, f.members[0], f.mids[0], OfferInput{Kinds: []string{"industry"}, Townships: []string{"中安街道"}, Capacity: 1}))
		f.must(f.svc.SaveOffer(f.ctx, f.officer, f.mids[1], OfferInput{Kinds: []string{"industry"}, Capacity: 1}))
		if err := f.svc.SaveOffer(f.ctx, f.members[0], f.mids[1], OfferInput{Capacity: 1}); code(err) != apperr.Forbidden {
			t.Errorf("member setting another's offer: %v", err)
		}
		for _, m := range f.mids[2:] {
			f.must(f.svc.SaveOffer(f.ctx, f.officer, m, OfferInput{Capacity: 0}))
		}
		sug, err := f.svc.Suggestions(f.ctx, f.officer, n1.ID, 5)
		f.must(err)
		if len(sug) != 2 || sug[0].Membership != f.mids[0] || sug[0].Reasons[0].Code != "township" {
			t.Fatalf("suggestions %+v", sug)
		}
		if _, err := f.svc.Suggestions(f.ctx, f.members[0], n1.ID, 5); code(err) != apperr.NotFound {
			t.Errorf("member asking suggestions: %v", err)
		}
		// Optimal: n1 → members[0] (township), n2 (墨红镇) → members[1], the only one reaching it.
		prop, err := f.svc.ProposeAssignment(f.ctx, f.officer)
		f.must(err)
		if len(prop) != 2 || prop[0].Need.ID != n1.ID || prop[0].Membership != f.mids[0] || prop[1].Membership != f.mids[1] {
			t.Fatalf("proposal %+v", prop)
		}
		// Reject members[1] for n2: nobody left for it.
		f.must(f.svc.RejectMatch(f.ctx, f.officer, n2.ID, f.mids[1]))
		prop, err = f.svc.ProposeAssignment(f.ctx, f.officer)
		f.must(err)
		if len(prop) != 1 || prop[0].Need.ID != n1.ID {
			t.Fatalf("after rejection %+v", prop)
		}
		// Confirm n1 → members[0]: members[0]'s capacity is used, n1 no longer open.
		_, err = f.svc.ConfirmMatch(f.ctx, f.officer, n1.ID, 0, f.mids[0], prop[0].Score)
		f.must(err)
		prop, err = f.svc.ProposeAssignment(f.ctx, f.officer)
		f.must(err)
		if len(prop) != 0 {
			t.Fatalf("after confirmation %+v", prop)
		}
		ms, err := f.svc.SuggestionsForMember(f.ctx, f.officer, f.mids[1], 5)
		f.must(err)
		if len(ms) != 0 {
			t.Errorf("member suggestions %+v (n2 rejected for them, n1 matched)", ms)
		}
	})
}
