package proposal

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
)

func TestDisplayNumber(t *testing.T) {
	for _, c := range []struct {
		term, session, seq int
		want               string
	}{
		{9, 2, 15, "九届二次-015"}, {10, 1, 1, "十届一次-001"}, {11, 5, 214, "十一届五次-214"}, {21, 3, 1000, "二十一届三次-1000"},
	} {
		if got := DisplayNumber(c.term, c.session, c.seq); got != c.want {
			t.Errorf("DisplayNumber(%d,%d,%d) = %s, want %s", c.term, c.session, c.seq, got, c.want)
		}
	}
}

// TestRegisterRoles: only the proposal office registers; every other actor is
// refused (forbidden if it can see the proposal, not found otherwise) and the
// database is unchanged.
func TestRegisterRoles(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p := f.seed(Submitted, func(s *SeedSpec) { s.Content.Kind, s.Content.CoSigners = Joint, []int64{f.mids[1]} })
		before := f.fingerprint(p.ID)
		for _, c := range []struct {
			who  *auth.Actor
			code apperr.Code
		}{
			{f.staff, apperr.Forbidden}, {f.admin, apperr.Forbidden}, {f.leader, apperr.Forbidden},
			{f.members[0], apperr.Forbidden}, {f.members[1], apperr.Forbidden}, // first proposer, co-signer
			{f.members[3], apperr.NotFound}, {f.assistance, apperr.NotFound}, {f.unitActors[0], apperr.NotFound},
			{f.foreignOffice, apperr.NotFound}, {f.foreignMember, apperr.NotFound},
		} {
			_, err := f.svc.Register(f.ctx, c.who, Ref{ID: p.ID})
			if apperr.CodeOf(err) != c.code {
				t.Errorf("%s registering: %v, want %s", c.who.Name, err, c.code)
			}
		}
		if after := f.fingerprint(p.ID); after != before {
			t.Fatalf("refused registrations changed the database: %s → %s", before, after)
		}
		p, err := f.svc.Register(f.ctx, f.office, Ref{ID: p.ID})
		if err != nil || p.State != Registered || p.Number != "九届二次-001" || p.RegisteredOn != f.today {
			t.Fatalf("%v %+v", err, p)
		}
		if n := f.count(`SELECT COUNT(*) FROM notifications WHERE kind = 'proposal.registered'`); n != 2 {
			t.Fatalf("%d signers told of registration", n)
		}
	})
}

// TestNumberingConcurrent registers many proposals at once: numbers are 1..n,
// each once, on both engines.
func TestNumberingConcurrent(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		const n = 12
		var ids []int64
		for i := range n {
			ids = append(ids, f.seed(Submitted, func(s *SeedSpec) { s.Content.Title = fmt.Sprintf("提案%d", i) }).ID)
		}
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for _, id := range ids {
			wg.Go(func() {
				_, err := f.svc.Register(f.ctx, f.office, Ref{ID: id})
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		var seqs []int
		rows, err := f.d.QueryContext(f.ctx, `SELECT seq FROM proposals WHERE committee_id = $1 ORDER BY seq`, f.cid)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s int
			rows.Scan(&s)
			seqs = append(seqs, s)
		}
		rows.Close()
		for i, s := range seqs {
			if s != i+1 {
				t.Fatalf("numbers %v", seqs)
			}
		}
		// Another session starts from 1.
		s2 := f.id(`INSERT INTO plenary_sessions (committee_id, term_id, number, name, year, opens_on, closes_on, submit_from, submit_to)
			VALUES ($1, $2, 3, '九届三次全会', 2027, '2027-02-26', '2027-03-01', '2027-02-01', '2027-03-01') RETURNING id`, f.cid, f.termID)
		p := f.seed(Registered, func(s *SeedSpec) { s.Content.SessionID = s2 })
		if p.Number != "九届三次-001" {
			t.Fatalf("next session number %s", p.Number)
		}
	})
}

// TestRegisterRace: two office users register the same proposal at once. One
// wins; the other is told that someone else registered it; one number is used.
func TestRegisterRace(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		office2 := f.user("office2", auth.RoleProposalOffice, 0, 0)
		for round := range 5 {
			p := f.seed(Submitted, func(s *SeedSpec) { s.Content.Title = fmt.Sprintf("竞争%d", round) })
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, a := range []*auth.Actor{f.office, office2} {
				wg.Go(func() {
					_, errs[i] = f.svc.Register(f.ctx, a, Ref{ID: p.ID, Version: p.Version})
				})
			}
			wg.Wait()
			won := 0
			for _, err := range errs {
				if err == nil {
					won++
					continue
				}
				wantCode(t, err, apperr.Conflict, "err.proposal.changed.REGISTERED")
			}
			if won != 1 {
				t.Fatalf("round %d: %d winners (%v)", round, won, errs)
			}
			if n := f.count(`SELECT COUNT(*) FROM proposal_events WHERE proposal_id = $1 AND action = 'register'`, p.ID); n != 1 {
				t.Fatalf("%d register events", n)
			}
		}
		if last := f.count(`SELECT last FROM proposal_counters WHERE session_id = $1`, f.sessionID); last != 5 {
			t.Fatalf("counter at %d after 5 registrations", last)
		}
		// Without a version the loser still gets a clear answer.
		p := f.seed(Registered)
		_, err := f.svc.Register(f.ctx, office2, Ref{ID: p.ID})
		wantCode(t, err, apperr.Conflict, "err.proposal.state.REGISTERED")
	})
}

func TestMergeDeclineConvert(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		lead := f.seed(Registered)
		dup := f.seed(Submitted, func(s *SeedSpec) { s.FirstProposer = f.mids[1] })
		other := f.seed(Submitted, func(s *SeedSpec) { s.FirstProposer = f.mids[2] })
		// Bad leads.
		_, err := f.svc.Merge(f.ctx, f.office, Ref{ID: dup.ID}, dup.ID, "")
		wantField(t, err, "lead_id")
		_, err = f.svc.Merge(f.ctx, f.office, Ref{ID: dup.ID}, other.ID, "") // not registered
		wantField(t, err, "lead_id")
		_, err = f.svc.Merge(f.ctx, f.office, Ref{ID: dup.ID}, 999999, "")
		wantField(t, err, "lead_id")
		p, err := f.svc.Merge(f.ctx, f.office, Ref{ID: dup.ID}, lead.ID, "同一事项")
		if err != nil || p.State != Merged || p.MergedInto != lead.ID {
			t.Fatalf("%v %+v", err, p)
		}
		// The merged proposal's proposer follows the lead's reply.
		d, err := f.svc.Get(f.ctx, f.members[1], lead.ID)
		if err != nil {
			t.Fatalf("merged proposer cannot read the lead: %v", err)
		}
		if !slices.Contains(d.MergedFrom, dup.ID) {
			t.Fatalf("lead does not list the merged proposal: %v", d.MergedFrom)
		}
		// The page links only the merged proposals its reader may open.
		if !slices.Contains(f.get(lead.ID).MergedFrom, dup.ID) {
			t.Fatal("the office's view of the lead does not list the merged proposal")
		}
		if d, err := f.svc.Get(f.ctx, f.members[0], lead.ID); err != nil || slices.Contains(d.MergedFrom, dup.ID) {
			t.Fatalf("the lead's proposer is linked to another member's merged proposal (%v)", err)
		}
		// When the lead is answered, the merged proposal's proposer is told too.
		sd := NewSeeder(f.svc, f.cid)
		sd.Office = f.office
		spec := SeedSpec{Mode: Single, Units: f.units[:1]}
		lp := lead
		if _, err := f.svc.Assign(f.ctx, f.office, Ref{ID: lead.ID}, AssignInput{Mode: Single, Units: f.units[:1]}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Accept(f.ctx, f.unitActors[0], Ref{ID: lead.ID}); err != nil {
			t.Fatal(err)
		}
		for _, step := range []func() error{
			func() error { return sd.contact(f.ctx, &lp, spec) }, func() error { return sd.draft(f.ctx, &lp, spec) },
			func() error { return sd.submitReplies(f.ctx, &lp, spec) }, func() error { return sd.approveAll(f.ctx, &lp) },
		} {
			if err := step(); err != nil {
				t.Fatal(err)
			}
		}
		if n := f.count(`SELECT COUNT(*) FROM notifications WHERE kind = 'proposal.merged_replied' AND user_id = $1`, f.members[1].UserID); n != 1 {
			t.Fatalf("merged proposer told %d times", n)
		}
		// Decline: reason from the list, always shown to the proposer.
		_, err = f.svc.Decline(f.ctx, f.office, Ref{ID: other.ID}, "no_such_reason", "")
		wantField(t, err, "reason")
		if p, err = f.svc.Decline(f.ctx, f.office, Ref{ID: other.ID}, "private", "属个人事务"); err != nil {
			t.Fatal(err)
		}
		d, err = f.svc.Get(f.ctx, f.members[2], other.ID)
		if err != nil || d.State != NotRegistered || d.DeclineReason != "private" || d.ReviewNote != "属个人事务" {
			t.Fatalf("proposer's view: %v %+v", err, d)
		}
		reasons, _ := f.svc.DeclineReasons(f.ctx, f.members[2])
		if len(reasons) != 11 || reasons[6].Code != "private" || reasons[6].LabelZh != "涉及提案人个人或亲属私事的" {
			t.Fatalf("reasons %+v", reasons)
		}
		// A committee's own list: deactivated reasons are refused.
		if err := f.svc.SaveDeclineReason(f.ctx, f.office, Reason{Code: "academic", LabelZh: "属于学术研讨的", Sort: 6}); err != nil {
			t.Fatal(err)
		}
		third := f.seed(Submitted)
		_, err = f.svc.Decline(f.ctx, f.office, Ref{ID: third.ID}, "academic", "")
		wantField(t, err, "reason")
		err = f.svc.SaveDeclineReason(f.ctx, f.members[0], Reason{Code: "x", LabelZh: "x"})
		wantCode(t, err, apperr.Forbidden)
		// Convert once, office only.
		_, err = f.svc.Convert(f.ctx, f.members[2], Ref{ID: other.ID}, ToSQMY)
		wantCode(t, err, apperr.Forbidden)
		_, err = f.svc.Convert(f.ctx, f.office, Ref{ID: other.ID}, "newspaper")
		wantField(t, err, "target")
		if p, err = f.svc.Convert(f.ctx, f.office, Ref{ID: other.ID}, ToSQMY); err != nil || p.ConvertedTo != ToSQMY {
			t.Fatalf("%v", err)
		}
		_, err = f.svc.Convert(f.ctx, f.office, Ref{ID: other.ID}, ToOpinion)
		wantCode(t, err, apperr.Conflict, "err.proposal.already_converted")
		// Nothing else happens to a declined proposal.
		_, err = f.svc.Register(f.ctx, f.office, Ref{ID: other.ID})
		wantCode(t, err, apperr.Conflict, "err.proposal.state.NOT_REGISTERED")
	})
}
