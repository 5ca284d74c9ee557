package assist

import (
	"fmt"
	"slices"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
)

// TestVisibilityOneRule: for every role, what the household, need, pairing
// and record lists return is exactly what Get lets that actor read (and the
// rule itself is the intended one: readers see all of their committee,
// members their paired households and their own records, others nothing).
func TestVisibilityOneRule(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		var hs []Household
		for i := range 4 {
			hs = append(hs, f.household(fmt.Sprintf("H%03d", i), i%3, i+1))
		}
		for _, h := range hs {
			_, err := f.svc.CreateNeed(f.ctx, f.officer, NeedInput{HouseholdID: h.ID, Kind: "job", Description: "务工"})
			f.must(err)
		}
		// members[0] paired with hs[0] (active) and hs[1] (ended); members[1] with hs[2] (suspended).
		p0, err := f.svc.Pair(f.ctx, f.officer, hs[0].ID, f.mids[0])
		f.must(err)
		p1, err := f.svc.Pair(f.ctx, f.officer, hs[1].ID, f.mids[0])
		f.must(err)
		_, err = f.svc.PairingStep(f.ctx, f.officer, p1.ID, 0, PairEnd)
		f.must(err)
		p2, err := f.svc.Pair(f.ctx, f.officer, hs[2].ID, f.mids[1])
		f.must(err)
		_, err = f.svc.PairingStep(f.ctx, f.officer, p2.ID, 0, PairSuspend)
		f.must(err)
		// Records: by members[0] on hs[0]; by an officer naming members[2] on hs[3]; a wide info record by members[3].
		_, err = f.svc.RecordAssistance(f.ctx, f.members[0], RecordInput{HouseholdID: hs[0].ID, Kind: "info", InfoCount: 2, GivenOn: f.today})
		f.must(err)
		_, err = f.svc.RecordAssistance(f.ctx, f.officer, RecordInput{HouseholdID: hs[3].ID, Kind: "job", Jobs: 1, GivenOn: f.today, MembershipIDs: f.mids[2:3]})
		f.must(err)
		_, err = f.svc.RecordAssistance(f.ctx, f.members[3], RecordInput{Kind: "tech", Readings: 100, GivenOn: civil.MustParse("2026-01-05")})
		f.must(err)
		_ = p0

		all := []int64{hs[0].ID, hs[1].ID, hs[2].ID, hs[3].ID}
		cases := []struct {
			name  string
			a     *auth.Actor
			homes []int64 // households it reads
			recs  int     // records it reads
		}{
			{"admin", f.admin, all, 3},
			{"staff", f.staff, all, 3},
			{"leader", f.leader, all, 3},
			{"officer", f.officer, all, 3},
			{"proposal office", f.office, nil, 0},
			{"unit", f.unit, nil, 0},
			{"member 0 (paired, one ended)", f.members[0], []int64{hs[0].ID}, 1},
			{"member 1 (suspended pairing)", f.members[1], []int64{hs[2].ID}, 0},
			{"member 2 (named on a record)", f.members[2], nil, 1},
			{"member 3 (wide record)", f.members[3], nil, 1},
			{"foreign officer", f.foreignOfficer, []int64{f.foreignHH.ID}, 0},
			{"foreign member", f.foreignMember, nil, 0},
		}
		for _, c := range cases {
			list, _, err := f.svc.ListHouseholds(f.ctx, c.a, HouseholdFilter{Limit: 500})
			f.must(err)
			var got []int64
			for _, h := range list {
				got = append(got, h.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, c.homes) {
				t.Errorf("%s lists households %v, want %v", c.name, got, c.homes)
			}
			for _, h := range append(hs, f.foreignHH) {
				_, err := f.svc.GetHousehold(f.ctx, c.a, h.ID)
				listed := slices.Contains(got, h.ID)
				if (err == nil) != listed || (err != nil && code(err) != apperr.NotFound) {
					t.Errorf("%s: get household %s = %v, listed %v", c.name, h.RegistryID, err, listed)
				}
			}
			needs, needTotal, err := f.svc.ListNeeds(f.ctx, c.a, NeedFilter{})
			f.must(err)
			if needTotal != len(needs) {
				t.Errorf("%s: needs total %d, %d listed", c.name, needTotal, len(needs))
			}
			for _, n := range needs {
				if !slices.Contains(got, n.HouseholdID) {
					t.Errorf("%s lists a need of household %d it cannot read", c.name, n.HouseholdID)
				}
				if _, err := f.svc.GetNeed(f.ctx, c.a, n.ID); err != nil {
					t.Errorf("%s: listed need %d, get %v", c.name, n.ID, err)
				}
			}
			wantNeeds := 0
			for _, h := range c.homes {
				if h != f.foreignHH.ID {
					wantNeeds++
				}
			}
			if len(needs) != wantNeeds {
				t.Errorf("%s lists %d needs, want %d", c.name, len(needs), wantNeeds)
			}
			pairs, err := f.svc.ListPairings(f.ctx, c.a, 0)
			f.must(err)
			for _, p := range pairs {
				if !slices.Contains(got, p.HouseholdID) {
					t.Errorf("%s lists a pairing of household %d it cannot read", c.name, p.HouseholdID)
				}
			}
			recs, recTotal, err := f.svc.ListRecords(f.ctx, c.a, RecordFilter{})
			f.must(err)
			if recTotal != len(recs) {
				t.Errorf("%s: records total %d, %d listed", c.name, recTotal, len(recs))
			}
			if len(recs) != c.recs {
				t.Errorf("%s lists %d records, want %d", c.name, len(recs), c.recs)
			}
			var allRecs []int64
			rows, err := f.d.QueryContext(f.ctx, `SELECT id FROM assist_records`)
			f.must(err)
			for rows.Next() {
				var id int64
				f.must(rows.Scan(&id))
				allRecs = append(allRecs, id)
			}
			f.must(rows.Err())
			rows.Close()
			listed := map[int64]bool{}
			for _, r := range recs {
				listed[r.ID] = true
			}
			for _, id := range allRecs {
				_, err := f.svc.GetRecord(f.ctx, c.a, id)
				if (err == nil) != listed[id] {
					t.Errorf("%s: get record %d = %v, listed %v", c.name, id, err, listed[id])
				}
			}
		}
	})
}
