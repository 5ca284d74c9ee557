package org

import (
	"slices"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

func TestCommitteeTree(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if f.fuyuan.Path != f.pref.Path+itoa64(f.fuyuan.ID)+"/" {
			t.Fatalf("path %q under %q", f.fuyuan.Path, f.pref.Path)
		}
		pref := f.prefActor(auth.RoleAdmin)
		ids := must[[]int64](t)(f.s.SubtreeIDs(ctx, pref, f.pref.ID))
		if len(ids) != 3 || !slices.Contains(ids, f.luo.ID) || !slices.Contains(ids, f.fuyuan.ID) {
			t.Fatalf("subtree %v", ids)
		}
		kids := must[[]Committee](t)(f.s.Children(ctx, pref, f.pref.ID))
		if len(kids) != 2 {
			t.Fatalf("children %v", kids)
		}
		// The county sees itself but not its parent or sibling.
		county := f.actor(auth.RoleAdmin)
		if _, err := f.s.Committee(ctx, county, f.pref.ID); code(err) != apperr.NotFound {
			t.Fatalf("county reads parent: %v", err)
		}
		if _, err := f.s.Committee(ctx, county, f.luo.ID); code(err) != apperr.NotFound {
			t.Fatalf("county reads sibling: %v", err)
		}
		// A child must be lower than its parent; a county cannot create a prefecture.
		if _, err := f.s.CreateCommittee(ctx, county, f.fuyuan.ID, CommitteeInput{Level: "prefecture", Name: "x", Code: "x1"}); !hasField(err, "level", "err.org.level_below_parent") {
			t.Fatalf("level: %v", err)
		}
		// Only the parent's own admin creates children; the prefecture's admin cannot create under a county.
		if _, err := f.s.CreateCommittee(ctx, pref, f.fuyuan.ID, CommitteeInput{Level: "county", Name: "x", Code: "x2"}); code(err) != apperr.Forbidden {
			t.Fatalf("higher creates in subtree: %v", err)
		}
		if _, err := f.s.CreateCommittee(ctx, f.prefActor(auth.RoleStaff), f.pref.ID, CommitteeInput{Level: "county", Name: "x", Code: "x3"}); code(err) != apperr.Forbidden {
			t.Fatalf("staff creates committee: %v", err)
		}
		if _, err := f.s.CreateCommittee(ctx, pref, f.pref.ID, CommitteeInput{Level: "county", Name: "x", Code: "fuyuan"}); !hasField(err, "code", "err.org.code_taken") {
			t.Fatalf("duplicate code: %v", err)
		}
		c, err := CommitteeByCode(ctx, d, "fuyuan")
		if err != nil || c.ID != f.fuyuan.ID {
			t.Fatalf("by code: %v", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'committee'`); n != 3 {
			t.Fatalf("committee audit entries: %d", n)
		}
	})
}

func itoa64(n int64) string { return civilItoa(n) }

func civilItoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestTermsAndSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := f.actor(auth.RoleAdmin)
		if f.term.Name != "第九届" {
			t.Fatalf("term name %q", f.term.Name)
		}
		if _, err := f.s.CreateTerm(ctx, a, f.fuyuan.ID, TermInput{Number: 9, StartsOn: "2017-01-01"}); !hasField(err, "number", "err.org.term_exists") {
			t.Fatalf("dup term: %v", err)
		}
		if _, err := f.s.CreateTerm(ctx, f.actor(auth.RoleStaff), f.fuyuan.ID, TermInput{Number: 10, StartsOn: "2022-01-01"}); code(err) != apperr.Forbidden {
			t.Fatalf("staff term: %v", err)
		}
		x, err := f.s.CreateSession(ctx, a, f.fuyuan.ID, SessionInput{TermID: f.term.ID, Number: 2,
			OpensOn: "2018-01-10", ClosesOn: "2018-01-13", SubmitFrom: "2017-12-01", SubmitTo: "2018-01-13"})
		if err != nil {
			t.Fatal(err)
		}
		if x.Name != "九届二次" || x.Year != 2018 {
			t.Fatalf("session %+v", x)
		}
		if _, err := f.s.CreateSession(ctx, a, f.fuyuan.ID, SessionInput{TermID: f.term.ID, Number: 3,
			OpensOn: "2019-01-10", ClosesOn: "2019-01-01", SubmitFrom: "2018-13-01", SubmitTo: ""}); !hasField(err, "submit_to", "err.required") || !hasField(err, "submit_from", "err.org.date_invalid") {
			t.Fatalf("bad session: %v", err)
		}
		in := SessionInput{Number: 2, OpensOn: "2018-01-10", ClosesOn: "2018-01-14", SubmitFrom: "2017-12-01", SubmitTo: "2018-01-14", Version: x.Version}
		up, err := f.s.UpdateSession(ctx, a, f.fuyuan.ID, x.ID, in)
		if err != nil || up.ClosesOn != "2018-01-14" {
			t.Fatalf("update: %v", err)
		}
		if _, err := f.s.UpdateSession(ctx, a, f.fuyuan.ID, x.ID, in); code(err) != apperr.Conflict {
			t.Fatalf("stale: %v", err)
		}
		got, err := SessionForDate(ctx, d, f.fuyuan.ID, civil.MustParse("2018-01-12"))
		if err != nil || got == nil || got.ID != x.ID {
			t.Fatalf("in window: %v %v", got, err)
		}
		if got, _ := SessionForDate(ctx, d, f.fuyuan.ID, civil.MustParse("2018-03-01")); got != nil {
			t.Fatal("outside window found a session")
		}
		if got, _ := SessionForDate(ctx, d, f.luo.ID, civil.MustParse("2018-01-12")); got != nil {
			t.Fatal("another committee's session")
		}
	})
}

func TestUnitsSectorsGroups(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		staff := f.actor(auth.RoleStaff)
		if _, err := f.s.CreateUnit(ctx, staff, f.fuyuan.ID, UnitInput{Name: "县教育体育局", Kind: "government"}); !hasField(err, "name", "err.org.name_taken") {
			t.Fatalf("dup unit: %v", err)
		}
		if _, err := f.s.CreateUnit(ctx, staff, f.fuyuan.ID, UnitInput{Name: "", Kind: "army", ContactPhone: "123"}); !hasField(err, "name", "err.required") ||
			!hasField(err, "kind", "err.org.choice_invalid") || !hasField(err, "contact_phone", "err.org.phone_invalid") {
			t.Fatalf("bad unit: %v", err)
		}
		// The same name in another county is fine.
		if _, err := f.s.CreateUnit(ctx, f.luoActor(auth.RoleStaff), f.luo.ID, UnitInput{Name: "县教育体育局", Kind: "government"}); err != nil {
			t.Fatal(err)
		}
		u, err := f.s.UpdateUnit(ctx, staff, f.unit.ID, UnitInput{Name: "县教育体育局", Kind: "government", ContactName: "李老师", Active: false, Version: f.unit.Version})
		if err != nil || u.Active || u.ContactName != "李老师" {
			t.Fatalf("update unit: %+v %v", u, err)
		}
		if _, err := f.s.UpdateUnit(ctx, staff, f.unit.ID, UnitInput{Name: "y", Kind: "other", Version: f.unit.Version}); code(err) != apperr.Conflict {
			t.Fatalf("stale unit: %v", err)
		}
		us := must[[]Unit](t)(f.s.Units(ctx, staff, f.fuyuan.ID, UnitFilter{Q: "教育"}))
		if len(us) != 1 {
			t.Fatalf("unit search: %v", us)
		}
		if us := must[[]Unit](t)(f.s.Units(ctx, staff, f.fuyuan.ID, UnitFilter{Active: "yes"})); len(us) != 0 {
			t.Fatalf("active filter: %v", us)
		}
		// UnitNames: the ids and names of Units without a filter, in its order; refused where Units is.
		for _, n := range []string{"县财政局", "A 县委办", "县法院"} {
			if _, err := f.s.CreateUnit(ctx, staff, f.fuyuan.ID, UnitInput{Name: n, Kind: []string{"government", "party", "court"}[len(n)%3]}); err != nil {
				t.Fatal(err)
			}
		}
		all := must[[]Unit](t)(f.s.Units(ctx, staff, f.fuyuan.ID, UnitFilter{}))
		names := must[[]Unit](t)(f.s.UnitNames(ctx, staff, f.fuyuan.ID))
		if len(all) != 4 || len(names) != len(all) {
			t.Fatalf("unit names: %v of %v", names, all)
		}
		for i := range all {
			if names[i] != (Unit{ID: all[i].ID, Name: all[i].Name}) {
				t.Fatalf("unit name %d: %+v, want %+v", i, names[i], all[i])
			}
		}
		_, err1 := f.s.Units(ctx, f.luoActor(auth.RoleStaff), f.fuyuan.ID, UnitFilter{})
		if _, err2 := f.s.UnitNames(ctx, f.luoActor(auth.RoleStaff), f.fuyuan.ID); err2 == nil || code(err2) != code(err1) {
			t.Fatalf("foreign unit names: %v, Units: %v", err2, err1)
		}
		if _, err := f.s.CreateSector(ctx, staff, f.fuyuan.ID, SectorInput{Name: "经济界"}); !hasField(err, "name", "err.org.name_taken") {
			t.Fatalf("dup sector: %v", err)
		}
		sec, err := f.s.UpdateSector(ctx, staff, f.fuyuan.ID, f.econ.ID, SectorInput{Name: "经济界别", Sort: 5, Version: 1})
		if err != nil || sec.Version != 2 {
			t.Fatalf("sector: %v", err)
		}
		if _, err := f.s.UpdateSector(ctx, f.luoActor(auth.RoleStaff), f.luo.ID, f.econ.ID, SectorInput{Name: "z", Version: 2}); code(err) != apperr.NotFound {
			t.Fatalf("foreign sector through own committee: %v", err)
		}
		if _, err := f.s.CreateGroup(ctx, staff, f.fuyuan.ID, GroupInput{Name: "x", Kind: "club"}); !hasField(err, "kind", "err.org.choice_invalid") {
			t.Fatalf("group kind: %v", err)
		}
		if _, err := f.s.UpdateGroup(ctx, staff, f.fuyuan.ID, f.grp1.ID, GroupInput{Name: "第一组", Kind: "member_group", Version: 1}); err != nil {
			t.Fatal(err)
		}
		o := must[Overview](t)(f.s.Overview(ctx, f.actor(auth.RoleLeader), f.fuyuan.ID))
		if o.Sectors != 2 || o.Groups != 2 || o.Units != 0 || o.Term == nil {
			t.Fatalf("overview %+v", o)
		}
		if po := must[Overview](t)(f.s.Overview(ctx, f.prefActor(auth.RoleLeader), f.pref.ID)); po.Children != 2 {
			t.Fatalf("pref overview %+v", po)
		}
	})
}
