package proposal

import (
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
)

// TestLookups: the pickers' and queues' look-ups return the actor's
// committee's records and refuse the roles that have no use for them.
func TestLookups(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		// Co-signer / first proposer candidates: members drafting, staff entering paper.
		cands, err := f.svc.Candidates(f.ctx, f.members[0], f.sessionID)
		if err != nil || len(cands) != 4 {
			t.Fatalf("member: %v, %d candidates, want 4", err, len(cands))
		}
		if cands[0].MembershipID == 0 || cands[0].Name == "" {
			t.Fatalf("candidate without id or name: %+v", cands[0])
		}
		if got, err := f.svc.Candidates(f.ctx, f.staff, f.sessionID); err != nil || len(got) != 4 {
			t.Fatalf("staff: %v, %d candidates", err, len(got))
		}
		if got, err := f.svc.Candidates(f.ctx, f.foreignOffice, f.sessionID); err != nil || len(got) != 0 {
			t.Fatalf("another committee's session: %v, %d candidates, want none", err, len(got))
		}
		for _, a := range []*auth.Actor{f.unitActors[0], f.leader, f.assistance} {
			_, err := f.svc.Candidates(f.ctx, a, f.sessionID)
			wantCode(t, err, apperr.Forbidden)
		}

		// Supervising leaders: the office picks them.
		leaders, err := f.svc.Leaders(f.ctx, f.office)
		if err != nil || len(leaders) != 2 {
			t.Fatalf("office: %v, %d leaders, want 2", err, len(leaders))
		}
		for _, a := range []*auth.Actor{f.members[0], f.unitActors[0], f.leader, f.staff} {
			_, err := f.svc.Leaders(f.ctx, a)
			wantCode(t, err, apperr.Forbidden)
		}

		// A leader's supervised proposals.
		key := f.seed(Accepted, func(sp *SeedSpec) { sp.Key = []int64{f.leader.UserID} })
		f.seed(Assigned)
		if got, err := f.svc.Supervised(f.ctx, f.leader); err != nil || len(got) != 1 || !got[key.ID] {
			t.Fatalf("leader: %v %v, want {%d}", err, got, key.ID)
		}
		for _, a := range []*auth.Actor{f.leader2, f.members[0], f.unitActors[0], f.foreignOffice} {
			if got, err := f.svc.Supervised(f.ctx, a); err != nil || len(got) != 0 {
				t.Fatalf("%v %v, want none", err, got)
			}
		}

		// Pending extension requests: the office's queue.
		if _, err := f.svc.AskExtension(f.ctx, f.unitActors[0], Ref{ID: key.ID}, civil.MustParse("2026-07-15"), "需要调研"); err != nil {
			t.Fatal(err)
		}
		ext, err := f.svc.PendingExtensions(f.ctx, f.office)
		if err != nil || len(ext) != 1 || ext[0].ProposalID != key.ID || ext[0].AskedDue.String() != "2026-07-15" || ext[0].Reason != "需要调研" {
			t.Fatalf("office: %v %+v", err, ext)
		}
		if got, err := f.svc.PendingExtensions(f.ctx, f.foreignOffice); err != nil || len(got) != 0 {
			t.Fatalf("another committee's office: %v %+v", err, got)
		}
		for _, a := range []*auth.Actor{f.members[0], f.unitActors[0], f.leader, f.staff} {
			_, err := f.svc.PendingExtensions(f.ctx, a)
			wantCode(t, err, apperr.Forbidden)
		}
	})
}
