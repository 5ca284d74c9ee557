package assist

import (
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/civil"
)

// TestSnapshotsNeedEditsPairingSteps: dated 两不愁三保障 checks (one per day,
// not in the future, officers only); editing a need keeps its state and
// refuses a stale version; pairings move only by officers and by the table.
func TestSnapshotsNeedEditsPairingSteps(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		h := f.household("H001", 0, 1)
		sn := Snapshot{TakenOn: civil.MustParse("2026-06-01"), Food: true, Clothing: true, Schooling: true, Medical: true, Housing: false, Water: true}
		_, err := f.svc.AddSnapshot(f.ctx, f.officer, h.ID, sn)
		f.must(err)
		if _, err := f.svc.AddSnapshot(f.ctx, f.officer, h.ID, sn); fieldKeys(err)["taken_on"] != "err.assist.snapshot_exists" {
			t.Errorf("same day twice: %v", err)
		}
		if _, err := f.svc.AddSnapshot(f.ctx, f.officer, h.ID, Snapshot{TakenOn: f.today.AddDays(1)}); fieldKeys(err)["taken_on"] != "err.assist.date" {
			t.Errorf("future check: %v", err)
		}
		if _, err := f.svc.AddSnapshot(f.ctx, f.leader, h.ID, Snapshot{TakenOn: f.today}); code(err) != apperr.Forbidden {
			t.Errorf("leader: %v", err)
		}
		d, err := f.svc.GetHousehold(f.ctx, f.leader, h.ID)
		f.must(err)
		if len(d.Snapshots) != 1 || d.Snapshots[0].Housing {
			t.Errorf("snapshots %+v", d.Snapshots)
		}
		n, err := f.svc.CreateNeed(f.ctx, f.officer, NeedInput{HouseholdID: h.ID, Kind: "housing", Description: "危房"})
		f.must(err)
		u, err := f.svc.UpdateNeed(f.ctx, f.staff, n.ID, n.Version, NeedInput{Kind: "housing", Description: "危房改造", AmountFen: 3000000, Urgency: 3})
		f.must(err)
		if u.State != NeedOpen || u.Description != "危房改造" || u.Version != n.Version+1 || u.CollectedOn != n.CollectedOn {
			t.Errorf("edited %+v", u)
		}
		if _, err := f.svc.UpdateNeed(f.ctx, f.staff, n.ID, n.Version, NeedInput{Kind: "housing", Description: "x"}); code(err) != apperr.Conflict {
			t.Errorf("stale edit: %v", err)
		}
		if _, err := f.svc.NeedStep(f.ctx, f.officer, n.ID, 0, NeedMatch); code(err) != apperr.Invalid {
			t.Errorf("match through NeedStep: %v", err)
		}
		p, err := f.svc.Pair(f.ctx, f.officer, h.ID, f.mids[0])
		f.must(err)
		if _, err := f.svc.PairingStep(f.ctx, f.members[0], p.ID, 0, PairEnd); code(err) != apperr.Forbidden {
			t.Errorf("member ending their pairing: %v", err)
		}
		if _, err := f.svc.PairingStep(f.ctx, f.officer, p.ID, 0, PairResume); code(err) != apperr.Conflict {
			t.Errorf("resuming an active pairing: %v", err)
		}
		p2, err := f.svc.Pair(f.ctx, f.officer, h.ID, f.mids[0])
		f.must(err)
		if p2.ID != p.ID {
			t.Error("pairing the same member twice made a second pairing")
		}
	})
}
