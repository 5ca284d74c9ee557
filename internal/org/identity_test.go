package org

import (
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// cityRefs gives the prefecture (the city committee above Fuyuan) a term and
// the sector and groups goodRow names, so members can be imported there.
func (f *fixture) cityRefs(t *testing.T) Sector {
	t.Helper()
	a := f.prefActor(auth.RoleAdmin)
	must[Term](t)(f.s.CreateTerm(ctx, a, f.pref.ID, TermInput{Number: 5, StartsOn: "2017-02-01"}))
	sec := must[Sector](t)(f.s.CreateSector(ctx, a, f.pref.ID, SectorInput{Name: "经济界", Sort: 1}))
	must[Group](t)(f.s.CreateGroup(ctx, a, f.pref.ID, GroupInput{Kind: "member_group", Name: "第一委员小组"}))
	must[Group](t)(f.s.CreateGroup(ctx, a, f.pref.ID, GroupInput{Kind: "special_committee", Name: "提案委员会"}))
	return sec
}

// TestPersonAcrossCommittees: a county member imported into the city committee
// is one person (one identity) with a membership in each; the county sees
// nothing the city entered; each committee reveals the number and the view is
// audited in its own chain.
func TestPersonAcrossCommittees(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sec := f.cityRefs(t)
		county := must[Member](t)(f.s.CreateMember(ctx, f.actor(auth.RoleStaff), f.fuyuan.ID, f.memberInput("张三", idA, "13812345678")))

		city := f.prefActor(auth.RoleStaff)
		row := goodRow("张三", idA, "13900001111")
		row["employer"], row["positions"], row["email"] = "曲靖市人民医院", "常委", "zhang@qj.example"
		res, err := f.s.ImportMembers(ctx, city, f.pref.ID, 0, workbook(t, [][]string{memberHeader(), mrow(row)}))
		if err != nil || res.Created != 1 {
			t.Fatalf("city import: %+v %v %+v", res, err, fieldErrors(err))
		}
		if n := count(t, d, `SELECT COUNT(*) FROM identities`); n != 1 {
			t.Fatalf("identities = %d, want one person", n)
		}
		if n := count(t, d, `SELECT COUNT(DISTINCT p.committee_id) FROM memberships m JOIN people p ON p.id = m.person_id
			WHERE p.identity_id = (SELECT identity_id FROM people WHERE id = $1)`, county.PersonID); n != 2 {
			t.Fatalf("the person's memberships are in %d committees, want 2", n)
		}
		cp := must[MemberPage](t)(f.s.ListMembers(ctx, city, f.pref.ID, MemberFilter{}))
		if cp.Total != 1 {
			t.Fatalf("city members = %d", cp.Total)
		}
		cm := cp.Members[0]
		if cm.Phone != "13900001111" || cm.Employer != "曲靖市人民医院" || !cm.Standing || len(cm.Positions) != 0 ||
			cm.IDMasked != county.IDMasked || cm.BirthDate != county.BirthDate || cm.PersonID == county.PersonID {
			t.Fatalf("city membership: %+v", cm)
		}

		// The county's view is what the county entered, and nothing of the city's.
		countyStaff := f.actor(auth.RoleStaff)
		got := must[Member](t)(f.s.Member(ctx, countyStaff, county.ID))
		if got.Phone != "13812345678" || got.Employer != "富源县第一中学" || got.Email != "" || len(got.Positions) != 1 ||
			got.Positions[0] != "vice_chair" || got.Version != county.Version {
			t.Fatalf("county member changed by the city import: %+v", got)
		}
		if _, err := f.s.Member(ctx, countyStaff, cm.ID); code(err) != apperr.NotFound {
			t.Fatalf("county reads the city membership: %v", err)
		}
		if _, err := f.s.ListMembers(ctx, countyStaff, f.pref.ID, MemberFilter{}); code(err) != apperr.NotFound {
			t.Fatalf("county lists the city: %v", err)
		}
		if p := must[MemberPage](t)(f.s.ListMembers(ctx, countyStaff, f.fuyuan.ID, MemberFilter{Q: "曲靖"})); p.Total != 0 {
			t.Fatalf("county search finds the city's employer: %+v", p.Members)
		}

		// Each committee reveals the one number, audited in its own chain.
		for _, c := range []struct {
			actor     *auth.Actor
			member    Member
			committee int64
		}{{f.actor(auth.RoleAdmin), county, f.fuyuan.ID}, {f.prefActor(auth.RoleAdmin), cm, f.pref.ID}} {
			num, err := f.s.RevealIDNumber(ctx, c.actor, c.member.ID)
			if err != nil || num != idA {
				t.Fatalf("reveal in %d: %q %v", c.committee, num, err)
			}
			if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'view_id_number' AND committee_id = $1
				AND entity = 'person' AND entity_id = $2 AND actor_user_id = $3`, c.committee, c.member.PersonID, c.actor.UserID); n != 1 {
				t.Fatalf("reveal in %d audited %d times there", c.committee, n)
			}
		}
		if _, err := f.s.RevealIDNumber(ctx, f.actor(auth.RoleAdmin), cm.ID); code(err) != apperr.NotFound {
			t.Fatalf("county reveals through the city membership: %v", err)
		}

		// A second person with that number in one committee is still refused.
		dup := MemberInput{Name: "张三", Gender: GenderMale, IDNumber: idA, Phone: "13900002222", SectorID: sec.ID, Affiliation: "cpc"}
		if _, err := f.s.CreateMember(ctx, city, f.pref.ID, dup); !hasField(err, "id_number", "err.org.id_number_taken") || len(fieldErrors(err)) != 1 {
			t.Fatalf("duplicate in the city: %v", err)
		}
		// Nor can an edit give a second person of the county that number.
		li := must[Member](t)(f.s.CreateMember(ctx, countyStaff, f.fuyuan.ID, f.memberInput("李芳", idB, "13812340000")))
		clash := f.memberInput("李芳", idA, "13812340000")
		clash.Gender, clash.Version = GenderMale, li.Version
		if _, err := f.s.UpdateMember(ctx, countyStaff, li.ID, clash); !hasField(err, "id_number", "err.org.id_number_taken") {
			t.Fatalf("edit onto a number taken in the county: %v", err)
		}
		// Re-importing the city's row updates the city's person, not a new one.
		res, err = f.s.ImportMembers(ctx, city, f.pref.ID, 0, workbook(t, [][]string{memberHeader(), mrow(row)}))
		if err != nil || res.Unchanged != 1 {
			t.Fatalf("city re-import: %+v %v", res, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM people WHERE identity_id = (SELECT identity_id FROM people WHERE id = $1)`, county.PersonID); n != 2 {
			t.Fatalf("people rows of the person = %d, want one per committee", n)
		}
	})
}

// TestAttachNeedsTheSameName: the name is shared, so an entry or import under
// another name is refused (row and field named) instead of renaming the other
// committee's member; an edit renames the person everywhere, audited in each
// committee; changing the number moves only the editing committee's person.
func TestAttachNeedsTheSameName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sec := f.cityRefs(t)
		county := must[Member](t)(f.s.CreateMember(ctx, f.actor(auth.RoleStaff), f.fuyuan.ID, f.memberInput("张三", idA, "13812345678")))
		city := f.prefActor(auth.RoleStaff)

		_, err := f.s.ImportMembers(ctx, city, f.pref.ID, 0, workbook(t, [][]string{memberHeader(), mrow(goodRow("张叁", idA, "13900001111"))}))
		if !hasRowErr(fieldErrors(err), 2, "姓名", "err.org.identity_name_differs") {
			t.Fatalf("import under another name: %v %+v", err, fieldErrors(err))
		}
		in := MemberInput{Name: "张叁", Gender: GenderMale, IDNumber: idA, Phone: "13900001111", SectorID: sec.ID, Affiliation: "cpc"}
		if _, err := f.s.CreateMember(ctx, city, f.pref.ID, in); !hasField(err, "name", "err.org.identity_name_differs") {
			t.Fatalf("create under another name: %v", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM people WHERE committee_id = $1`, f.pref.ID); n != 0 {
			t.Fatalf("refused attach wrote %d people", n)
		}
		in.Name = "张三"
		cm := must[Member](t)(f.s.CreateMember(ctx, city, f.pref.ID, in))

		// The city corrects the name: the county's copy follows, audited in the county.
		edit := in
		edit.Name, edit.IDNumber, edit.Version = "张三丰", "", cm.Version
		if _, err := f.s.UpdateMember(ctx, city, cm.ID, edit); err != nil {
			t.Fatal(err)
		}
		got := must[Member](t)(f.s.Member(ctx, f.actor(auth.RoleStaff), county.ID))
		if got.Name != "张三丰" || got.Phone != "13812345678" || got.BirthDate != "1980-01-01" {
			t.Fatalf("county copy after the city's edit: %+v", got)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE committee_id = $1 AND action = 'update_shared'
			AND entity = 'person' AND entity_id = $2`, f.fuyuan.ID, county.PersonID); n != 1 {
			t.Fatalf("shared change audited %d times in the county", n)
		}
		// The edit without a number kept the number and checked the gender against it.
		edit.Gender, edit.Version = GenderFemale, cm.Version+1
		if _, err := f.s.UpdateMember(ctx, city, cm.ID, edit); !hasField(err, "gender", "err.org.gender_mismatch") {
			t.Fatalf("gender against the stored number: %v", err)
		}

		// The county corrects its member's number: only the county's person moves.
		cedit := f.memberInput("张三丰", idB, "13812345678")
		cedit.Gender, cedit.Version = GenderFemale, got.Version
		if _, err := f.s.UpdateMember(ctx, f.actor(auth.RoleStaff), county.ID, cedit); err != nil {
			t.Fatal(err)
		}
		if num, _ := f.s.RevealIDNumber(ctx, f.prefActor(auth.RoleAdmin), cm.ID); num != idA {
			t.Fatalf("city number after the county's correction: %q", num)
		}
		if num, _ := f.s.RevealIDNumber(ctx, f.actor(auth.RoleAdmin), county.ID); num != idB {
			t.Fatalf("county number after its correction: %q", num)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM identities`); n != 2 {
			t.Fatalf("identities = %d, want 2", n)
		}
		// A number nobody holds any more is deleted with its identity.
		cedit.IDNumber, cedit.Gender, cedit.Version = idC, GenderMale, got.Version+1
		if _, err := f.s.UpdateMember(ctx, f.actor(auth.RoleStaff), county.ID, cedit); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM identities`); n != 2 {
			t.Fatalf("identities after dropping idB = %d, want 2", n)
		}
	})
}
