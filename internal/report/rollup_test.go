package report

import (
	"testing"

	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
)

// county is a county committee below the fixture's prefecture with a
// session of Year, members and a unit, and n proposals driven to CLOSED
// (solved) and m left REGISTERED.
func (f *rfx) county(parent org.Committee, name, code string, closed, registered int) org.Committee {
	f.t.Helper()
	c := f.w.Child(parent, "county", name, code)
	term := f.w.Term(c, org.TermInput{Number: 9, Name: "第九届", StartsOn: "2021-12-01"})
	f.w.Session(c, org.SessionInput{TermID: term.ID, Number: 5, Name: "九届五次全会", Year: Year,
		OpensOn: "2026-02-26", ClosesOn: "2026-03-01", SubmitFrom: "2026-02-01", SubmitTo: "2026-03-01"})
	m := f.w.Member(c, org.MemberInput{Name: name + "委员", TermID: term.ID})
	u := f.w.Unit(c, name+"教育局")
	sd := proposal.NewSeeder(f.props, c.ID)
	for i := 0; i < closed+registered; i++ {
		target := proposal.Closed
		if i >= closed {
			target = proposal.Registered
		}
		if _, err := sd.Drive(f.ctx, proposal.SeedSpec{FirstProposer: m.ID, Target: target, Units: []int64{u.ID},
			Content: proposal.Content{Kind: proposal.Individual, Theme: proposal.Economy, Title: "关于发展产业的建议",
				Matter: "关于产业的提案", Analysis: "现状。", Suggestions: "一是……"}}); err != nil {
			f.t.Fatal(err)
		}
	}
	return c
}

// TestRollUp: a prefecture reads each report figure for itself, for each
// county below it and for the whole, which is their sum; a province compares
// its counties side by side; a county cannot read its prefecture.
func TestRollUp(t *testing.T) {
	each(t, func(t *testing.T, f *rfx) {
		f.props.Today = func() civil.Date { return civil.MustParse("2026-03-02") }
		prov := f.w.Root("province", "滇省政协", "530000")
		pref := f.w.Child(prov, "prefecture", "曲靖市政协", "530300")
		a := f.county(pref, "甲县政协", "530301", 3, 1)
		b := f.county(pref, "乙县政协", "530302", 1, 2)
		prefStaff := f.w.User(pref, "pref_staff", []auth.Role{auth.RoleStaff}, 0, 0)
		ru, err := f.svc.RollUp(f.ctx, prefStaff, pref.ID, Year, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(ru.Cols) != 4 || ru.Cols[0].Kind != "own" || ru.Cols[1].CommitteeID != a.ID || ru.Cols[2].CommitteeID != b.ID || ru.Cols[3].Kind != "total" {
			t.Fatalf("columns %+v", ru.Cols)
		}
		want := map[string][4]int64{"proposals.registered": {0, 4, 3, 7}, "proposals.solved": {0, 3, 1, 4}, "proposals.received": {0, 4, 3, 7}}
		for _, row := range ru.Rows {
			var sum int64
			for i, v := range row.Values[:3] {
				sum += v.Value
				if v.ID != row.Def.ID {
					t.Errorf("%s column %d holds %s", row.Def.ID, i, v.ID)
				}
			}
			if row.Values[3].Value != sum {
				t.Errorf("%s: total %d, own and below sum to %d", row.Def.ID, row.Values[3].Value, sum)
			}
			if w, ok := want[row.Def.ID]; ok {
				for i, v := range row.Values {
					if v.Value != w[i] {
						t.Errorf("%s column %d = %d, want %d", row.Def.ID, i, v.Value, w[i])
					}
				}
			}
		}
		if len(ru.Rows) == 0 {
			t.Fatal("no rows")
		}
		// The province compares its counties side by side.
		provStaff := f.w.User(prov, "prov_staff", []auth.Role{auth.RoleLeader}, 0, 0)
		ru, err = f.svc.RollUp(f.ctx, provStaff, prov.ID, Year, "county")
		if err != nil {
			t.Fatal(err)
		}
		if len(ru.Cols) != 3 || ru.Cols[0].Name != "甲县政协" || ru.Cols[1].Name != "乙县政协" || ru.Cols[2].Kind != "total" {
			t.Fatalf("county columns %+v", ru.Cols)
		}
		// A county reads neither its prefecture nor its sibling.
		countyStaff := f.w.User(a, "a_staff", []auth.Role{auth.RoleStaff}, 0, 0)
		for _, id := range []int64{pref.ID, b.ID} {
			_, err = f.svc.RollUp(f.ctx, countyStaff, id, Year, "")
			wantCode(t, err, "not_found")
		}
		_, err = f.svc.RollUp(f.ctx, provStaff, prov.ID, Year, "village")
		wantCode(t, err, "invalid")
	})
}
