package duty_test

import (
	"fmt"
	"slices"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/duty"
	"lvzhi/internal/fixture"
	"lvzhi/internal/org"
)

// TestRecomputeAll: a subtree's recompute (the command's --all) visits the
// committee and the one below it, not a committee outside (the fixture's
// county, whose ledger is broken too); it sums the postings, names the
// committee whose ledger lost a posting, repairs it, and then finds nothing;
// each committee is refused to an actor who does not manage it.
func TestRecomputeAll(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		city := f.w.Root("prefecture", "曲靖市政协", "530300")
		child := f.w.Child(city, "county", "麒麟区政协", "530302")
		var mids []int64
		for i, c := range []org.Committee{city, child} {
			term := f.w.Term(c, org.TermInput{Number: 9, Name: "第九届", StartsOn: "2021-12-01"})
			mids = append(mids, f.w.Member(c, org.MemberInput{Name: fmt.Sprintf("孙%d", i), TermID: term.ID}).ID)
		}
		admins := func(id int64, path string) *auth.Actor {
			a := auth.System(id)
			a.CommitteePath = path
			return a
		}
		for _, c := range []org.Committee{city, child} {
			if _, err := f.svc.CopyPreset(f.ctx, fixture.Admin(c), c.ID, 2026, duty.PresetTongcheng); err != nil {
				t.Fatal(err)
			}
		}
		for _, in := range []struct {
			c   org.Committee
			mid int64
		}{{city, mids[0]}, {child, mids[1]}, {child, mids[1]}} {
			if _, err := f.svc.Adjust(f.ctx, fixture.Admin(in.c), in.c.ID, duty.AdjustInput{MembershipID: in.mid, Date: civil.MustParse("2026-05-01"),
				Points: 200, Reason: "参加调研"}); err != nil {
				t.Fatal(err)
			}
		}
		f.rules(2026, duty.PresetTongcheng)
		if _, err := f.svc.Adjust(f.ctx, f.staff, f.c.ID, duty.AdjustInput{MembershipID: f.mids[0], Date: civil.MustParse("2026-05-01"),
			Points: 200, Reason: "x"}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []int64{child.ID, f.c.ID} {
			if _, err := f.d.Exec(`DELETE FROM duty_entries WHERE committee_id = $1 AND id = (SELECT MIN(id) FROM duty_entries
				WHERE committee_id = $1)`, c); err != nil {
				t.Fatal(err)
			}
		}
		tot, err := f.svc.RecomputeAll(f.ctx, city.Path, admins, 2026, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		if tot.Committees != 2 || tot.Events != 3 || tot.Missing != 1 || tot.Reversed != 0 || !slices.Equal(tot.Differing, []int64{child.ID}) {
			t.Fatalf("before repair: %+v", tot)
		}
		var calls int
		if tot, err = f.svc.RecomputeAll(f.ctx, city.Path, admins, 2026, true, func(done, total int) { calls++ }); err != nil || calls != 2 {
			t.Fatalf("repair: %v, %d progress calls", err, calls)
		}
		if tot, err = f.svc.RecomputeAll(f.ctx, city.Path, admins, 2026, false, nil); err != nil || len(tot.Differing) != 0 || tot.MaxEvents != 2 {
			t.Fatalf("after repair: %v %+v", err, tot)
		}
		if r, err := f.svc.Recompute(f.ctx, f.staff, f.c.ID, 2026, false); err != nil || !r.Differs() {
			t.Errorf("the county outside the subtree was repaired: %v", err)
		}
		_, err = f.svc.RecomputeAll(f.ctx, f.c.Path, func(int64, string) *auth.Actor { return f.members[0] }, 2026, false, nil)
		wantCode(t, err, apperr.Forbidden)
		// The city's own staff manage the city, not the county below it.
		cityStaff := fixture.Admin(city)
		_, err = f.svc.RecomputeAll(f.ctx, city.Path, func(int64, string) *auth.Actor { return cityStaff }, 2026, false, nil)
		wantCode(t, err, apperr.Forbidden)
	})
}
