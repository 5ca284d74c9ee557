package duty_test

import (
	"testing"

	"lvzhi/internal/duty"
	"lvzhi/internal/proposal"
)

// TestProposalsPostedAndSplit: an individual and a joint registered proposal
// under Tongcheng's rules post what the table says, split the joint one
// (first proposer half, co-signers share half) and cap the category.
func TestProposalsPostedAndSplit(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.rules(2026, duty.PresetTongcheng)
		f.proposal(proposal.Registered, 0, nil)         // 张三 alone: 10 + 15
		f.proposal(proposal.Registered, 1, []int{2, 3}) // 李四 first, 王五 and 赵六 co-sign
		f.proposal(proposal.Submitted, 0, nil)          // 张三 again: +10, capped at 25
		sc := f.scores(2026)
		for i, want := range [][2]int64{{3500, 2500}, {1250, 1250}, {625, 625}, {625, 625}} {
			if p := partOf(sc[f.mids[i]], duty.CatProposal); p.Raw != want[0] || p.Counted != want[1] {
				t.Errorf("member %d: raw %d counted %d, want %v", i, p.Raw, p.Counted, want)
			}
		}
		if rep := f.clean(2026); rep.Events != 9 {
			t.Errorf("recompute saw %d postings, want 9", rep.Events)
		}
	})
}

// TestSourceChangeReverses: withdrawing a submitted proposal and merging a
// registered one reverse their postings (a negative row pointing at each),
// and the totals follow the records.
func TestSourceChangeReverses(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.rules(2026, duty.PresetTongcheng)
		p := f.proposal(proposal.Submitted, 0, nil)
		if got := partOf(f.scores(2026)[f.mids[0]], duty.CatProposal).Raw; got != 1000 {
			t.Fatalf("submitted: %d, want 1000", got)
		}
		if _, err := f.props.Withdraw(f.ctx, f.members[0], proposal.Ref{ID: p.ID}, "重复"); err != nil {
			t.Fatal(err)
		}
		if got := partOf(f.scores(2026)[f.mids[0]], duty.CatProposal).Raw; got != 0 {
			t.Fatalf("withdrawn: %d, want 0", got)
		}
		rec, err := f.svc.Record(f.ctx, f.members[0], f.c.ID, f.mids[0], 2026)
		if err != nil {
			t.Fatal(err)
		}
		var post, rev *duty.Entry
		for i, e := range rec.Entries {
			switch e.Kind {
			case "post":
				post = &rec.Entries[i]
			case "reversal":
				rev = &rec.Entries[i]
			}
		}
		if post == nil || rev == nil || !post.Reversed || rev.ReversesID != post.ID || rev.Points != -post.Points || rev.SourceID != p.ID {
			t.Fatalf("want a reversed posting and its reversal, got %+v", rec.Entries)
		}
		f.clean(2026)

		lead := f.proposal(proposal.Registered, 1, nil)
		dup := f.proposal(proposal.Registered, 2, nil)
		if _, err := f.props.Merge(f.ctx, f.office, proposal.Ref{ID: dup.ID}, lead.ID, "内容相近"); err != nil {
			t.Fatal(err)
		}
		sc := f.scores(2026)
		if got := partOf(sc[f.mids[2]], duty.CatProposal).Raw; got != 1000 {
			t.Errorf("merged: %d, want 1000 (submitted only)", got)
		}
		if got := partOf(sc[f.mids[1]], duty.CatProposal).Raw; got != 2500 {
			t.Errorf("lead: %d, want 2500", got)
		}
		f.clean(2026)
	})
}

// TestKeyAndExcellentMinhang: under Minhang's table a key proposal and an
// excellent one add their points for the proposer and co-signers; unmarking
// the key proposal reverses its postings.
func TestKeyAndExcellentMinhang(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.rules(2026, duty.PresetMinhang)
		p := f.proposal(proposal.Closed, 0, []int{1}, func(s *proposal.SeedSpec) { s.Key = []int64{f.leader.UserID} })
		if _, err := f.props.MarkExcellent(f.ctx, f.office, proposal.Ref{ID: p.ID}, true); err != nil {
			t.Fatal(err)
		}
		sc := f.scores(2026)
		// first: registered 15 + key 15 + excellent 10; co: 3 + 3 + 2.
		if got := partOf(sc[f.mids[0]], duty.CatProposal).Raw; got != 4000 {
			t.Errorf("first proposer: %d, want 4000", got)
		}
		if got := partOf(sc[f.mids[1]], duty.CatProposal).Raw; got != 800 {
			t.Errorf("co-signer: %d, want 800", got)
		}
		if _, err := f.props.MarkKey(f.ctx, f.office, proposal.Ref{ID: p.ID}, false, nil, "取消"); err != nil {
			t.Fatal(err)
		}
		sc = f.scores(2026)
		if got := partOf(sc[f.mids[0]], duty.CatProposal).Raw; got != 2500 {
			t.Errorf("first proposer after unmarking key: %d, want 2500", got)
		}
		f.clean(2026)
	})
}

// TestRulesVersionedByYear: editing 2027's rules leaves 2026's postings alone;
// editing 2026's reposts 2026 only; a closed year refuses edits.
func TestRulesVersionedByYear(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.rules(2026, duty.PresetTongcheng)
		f.proposal(proposal.Registered, 0, nil)
		before := f.scores(2026)[f.mids[0]].Total
		next, err := f.svc.CopyYear(f.ctx, f.staff, f.c.ID, 2026, 2027)
		if err != nil {
			t.Fatal(err)
		}
		for i := range next.Rules {
			next.Rules[i].Points *= 2
		}
		if _, err := f.svc.UpdateRuleSet(f.ctx, f.staff, f.c.ID, *next); err != nil {
			t.Fatal(err)
		}
		if after := f.scores(2026)[f.mids[0]].Total; after != before {
			t.Fatalf("2027's rules changed 2026's score: %d → %d", before, after)
		}
		cur, err := f.svc.RuleSet(f.ctx, f.staff, f.c.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range cur.Rules {
			if r.Item == duty.ItemRegistered && r.Variant == duty.VarIndividual {
				cur.Rules[i].Points = 500
			}
		}
		if _, err := f.svc.UpdateRuleSet(f.ctx, f.staff, f.c.ID, *cur); err != nil {
			t.Fatal(err)
		}
		if got := partOf(f.scores(2026)[f.mids[0]], duty.CatProposal).Raw; got != 1500 {
			t.Fatalf("after editing 2026: %d, want 1500", got)
		}
		f.clean(2026)
		// A stale version is a conflict; a duplicate year is refused.
		_, err = f.svc.UpdateRuleSet(f.ctx, f.staff, f.c.ID, *cur)
		wantCode(t, err, "conflict")
		_, err = f.svc.CopyPreset(f.ctx, f.staff, f.c.ID, 2026, duty.PresetMinhang)
		wantCode(t, err, "invalid")
	})
}

// TestRuleValidation names the bad fields.
func TestRuleValidation(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		rs := f.rules(2026, duty.PresetTongcheng)
		rs.BandGood = rs.BandExcellent + 1
		rs.Rules = append(rs.Rules, duty.Rule{Category: "nope", Item: "bogus", Variant: "x", Points: 1, Unit: "day"})
		_, err := f.svc.UpdateRuleSet(f.ctx, f.staff, f.c.ID, *rs)
		wantCode(t, err, "invalid")
		fields := map[string]bool{}
		for _, fe := range apperrFields(err) {
			fields[fe] = true
		}
		n := len(rs.Rules) - 1
		for _, want := range []string{"band_good", field(n, "item"), field(n, "variant"), field(n, "category"), field(n, "unit")} {
			if !fields[want] {
				t.Errorf("no error on %s (got %v)", want, fields)
			}
		}
	})
}
