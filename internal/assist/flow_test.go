package assist

import (
	"slices"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
)

// TestNeedMatchRecordVerify: an officer records a need, confirms a match (a
// pairing), the paired member records assistance (and may not for a
// household not theirs), an officer verifies it once, and the need moves on.
func TestNeedMatchRecordVerify(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		h := f.household("H001", 0, 1)
		other := f.household("H002", 1, 2)
		n, err := f.svc.CreateNeed(f.ctx, f.officer, NeedInput{HouseholdID: h.ID, Kind: "study", Description: "女儿上初中的学费",
			AmountFen: 200000, Urgency: 3})
		f.must(err)
		if n.State != NeedOpen || n.CollectedByName != "officer" || n.CollectedOn != f.today {
			t.Fatalf("need %+v", n)
		}
		for _, a := range []*auth.Actor{f.members[0], f.leader, f.office, f.unit, f.admin} {
			if _, err := f.svc.CreateNeed(f.ctx, a, NeedInput{HouseholdID: h.ID, Kind: "study", Description: "x"}); err == nil {
				t.Errorf("%v created a need", a.Roles)
			}
		}
		if _, err := f.svc.CreateNeed(f.ctx, f.foreignOfficer, NeedInput{HouseholdID: h.ID, Kind: "study", Description: "x"}); code(err) != apperr.NotFound {
			t.Errorf("foreign officer: %v", err)
		}
		// Before pairing the member sees nothing of the household.
		if _, err := f.svc.GetHousehold(f.ctx, f.members[0], h.ID); code(err) != apperr.NotFound {
			t.Errorf("unpaired member: %v", err)
		}
		if _, err := f.svc.ConfirmMatch(f.ctx, f.members[0], n.ID, 0, f.mids[0], 80); code(err) != apperr.NotFound {
			t.Errorf("member confirming: %v", err)
		}
		if _, err := f.svc.ConfirmMatch(f.ctx, f.leader, n.ID, 0, f.mids[0], 80); code(err) != apperr.Forbidden {
			t.Errorf("leader confirming: %v", err)
		}
		if _, err := f.svc.ConfirmMatch(f.ctx, f.officer, n.ID, 0, f.foreignMID, 80); code(err) != apperr.Invalid {
			t.Errorf("foreign member matched: %v", err)
		}
		p, err := f.svc.ConfirmMatch(f.ctx, f.officer, n.ID, n.Version, f.mids[0], 80)
		f.must(err)
		if p.State != PairActive || p.MembershipID != f.mids[0] || p.NeedID != n.ID {
			t.Fatalf("pairing %+v", p)
		}
		if _, err := f.svc.ConfirmMatch(f.ctx, f.officer, n.ID, 0, f.mids[1], 80); code(err) != apperr.Conflict {
			t.Errorf("matching a matched need: %v", err)
		}
		d, err := f.svc.GetHousehold(f.ctx, f.members[0], h.ID)
		f.must(err)
		if !d.Can["record"] || d.Can["reveal"] || d.Can["edit"] {
			t.Errorf("paired member can %v", d.Can)
		}
		// The member records; not for another household; not a cash record without an amount.
		in := RecordInput{HouseholdID: h.ID, NeedID: n.ID, Kind: "study", GivenOn: civil.MustParse("2026-06-10"), Students: 1,
			AmountFen: 200000, Description: "资助学费"}
		if _, err := f.svc.RecordAssistance(f.ctx, f.members[0], RecordInput{HouseholdID: other.ID, Kind: "info", InfoCount: 3,
			GivenOn: f.today}); code(err) != apperr.NotFound {
			t.Errorf("record for unpaired household: %v", err)
		}
		if _, err := f.svc.RecordAssistance(f.ctx, f.members[0], RecordInput{HouseholdID: h.ID, Kind: "cash", GivenOn: f.today}); fieldKeys(err)["amount"] != "err.assist.kind_needs_amount" {
			t.Errorf("cash without amount: %v", err)
		}
		if _, err := f.svc.RecordAssistance(f.ctx, f.members[1], in); code(err) != apperr.NotFound {
			t.Errorf("another member recording: %v", err)
		}
		r, err := f.svc.RecordAssistance(f.ctx, f.members[0], in)
		f.must(err)
		if r.Verified || len(r.Members) != 1 || r.Members[0] != f.mids[0] {
			t.Fatalf("record %+v", r)
		}
		// Only officers verify; once.
		for _, a := range []*auth.Actor{f.members[0], f.leader, f.admin} {
			if _, err := f.svc.VerifyRecord(f.ctx, a, r.ID, 0); code(err) != apperr.Forbidden {
				t.Errorf("%v verifying: %v", a.Roles, err)
			}
		}
		if _, err := f.svc.VerifyRecord(f.ctx, f.foreignOfficer, r.ID, 0); code(err) != apperr.NotFound {
			t.Errorf("foreign verifying: %v", err)
		}
		v, err := f.svc.VerifyRecord(f.ctx, f.officer, r.ID, r.Version)
		f.must(err)
		if !v.Verified || v.VerifiedByName != "officer" {
			t.Fatalf("verified %+v", v)
		}
		if _, err := f.svc.VerifyRecord(f.ctx, f.staff, r.ID, 0); code(err) != apperr.Conflict {
			t.Errorf("verified twice: %v", err)
		}
		n, err = f.svc.GetNeed(f.ctx, f.officer, n.ID)
		f.must(err)
		if n.State != NeedInProgress {
			t.Errorf("need %s after verified assistance, want IN_PROGRESS", n.State)
		}
		if !slices.Equal(n.Can, []NeedAction{NeedEdit, NeedMeet, NeedClose}) {
			t.Errorf("officer can %v", n.Can)
		}
		if mn, err := f.svc.GetNeed(f.ctx, f.members[0], n.ID); err != nil || len(mn.Can) != 0 {
			t.Errorf("paired member can %v (%v)", mn.Can, err)
		}
		if _, err := f.svc.NeedStep(f.ctx, f.members[0], n.ID, 0, NeedMeet); code(err) != apperr.Forbidden {
			t.Errorf("member meeting need: %v", err)
		}
		n, err = f.svc.NeedStep(f.ctx, f.officer, n.ID, n.Version, NeedMeet)
		f.must(err)
		if n.State != NeedMet {
			t.Errorf("need %s", n.State)
		}
		if _, err := f.svc.NeedStep(f.ctx, f.officer, n.ID, 0, NeedClose); code(err) != apperr.Conflict {
			t.Errorf("closing a met need: %v", err)
		}
		// Ending the pairing hides the household from the member again.
		p, err = f.svc.PairingStep(f.ctx, f.officer, p.ID, 0, PairEnd)
		f.must(err)
		if p.State != PairEnded {
			t.Fatal(p.State)
		}
		if _, err := f.svc.GetHousehold(f.ctx, f.members[0], h.ID); code(err) != apperr.NotFound {
			t.Errorf("member after the pairing ended: %v", err)
		}
		// … but they still read the record they gave.
		if _, err := f.svc.GetRecord(f.ctx, f.members[0], r.ID); err != nil {
			t.Errorf("own record: %v", err)
		}
	})
}

// TestPledgeReconciliation: delivered counts only verified records citing the pledge.
func TestPledgeReconciliation(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		h := f.household("H001", 0, 1)
		p, err := f.svc.CreatePledge(f.ctx, f.officer, PledgeInput{Meeting: "百日会战动员会", PledgedOn: civil.MustParse("2026-06-01"),
			AmountFen: 110000000, Households: 50, Jobs: 7, IndustryHouseholds: 286, MembershipIDs: f.mids[:3]})
		f.must(err)
		if p.Members != 3 {
			t.Errorf("members %d", p.Members)
		}
		if _, err := f.svc.CreatePledge(f.ctx, f.members[0], PledgeInput{Meeting: "x", PledgedOn: f.today, MembershipIDs: f.mids[:1]}); code(err) != apperr.Forbidden {
			t.Errorf("member pledging for others: %v", err)
		}
		rec := func(kind string, in RecordInput, verify bool) {
			in.Kind, in.HouseholdID, in.PledgeID, in.GivenOn, in.MembershipIDs = kind, h.ID, p.ID, f.today, f.mids[:1]
			r, err := f.svc.RecordAssistance(f.ctx, f.officer, in)
			f.must(err)
			if verify {
				_, err = f.svc.VerifyRecord(f.ctx, f.officer, r.ID, 0)
				f.must(err)
			}
		}
		rec("cash", RecordInput{AmountFen: 500000}, true)
		rec("goods", RecordInput{GoodsItems: 2, GoodsValueFen: 30000}, true)
		rec("job", RecordInput{Jobs: 1}, true)
		rec("industry", RecordInput{}, true)
		rec("cash", RecordInput{AmountFen: 999900}, false)
		ps, err := f.svc.ListPledges(f.ctx, f.leader, f.c.ID)
		f.must(err)
		d := ps[0].Delivered
		if d.AmountFen != 530000 || d.Households != 1 || d.Jobs != 1 || d.IndustryHouseholds != 1 {
			t.Errorf("delivered %+v", d)
		}
		if _, err := f.svc.ListPledges(f.ctx, f.foreignOfficer, f.c.ID); code(err) != apperr.NotFound {
			t.Errorf("foreign reading pledges: %v", err)
		}
	})
}
