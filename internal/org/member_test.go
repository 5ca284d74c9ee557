package org

import (
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

var (
	idA = withCheck("53032519800101123") // male
	idB = withCheck("53032519850202124") // female
	idC = withCheck("53032519900303125") // male
)

func TestCreateAndReadMember(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		staff := f.actor(auth.RoleStaff)
		m, err := f.s.CreateMember(ctx, staff, f.fuyuan.ID, f.memberInput("张三", idA, "13812345678"))
		if err != nil {
			t.Fatal(err)
		}
		if m.IDMasked != idA[:4]+"**************" || m.BirthDate != "1980-01-01" || m.Gender != GenderMale {
			t.Fatalf("derived fields: %+v", m)
		}
		if !m.PartyMember || !m.Standing || m.TermID != f.term.ID || len(m.Groups) != 1 || m.Groups[0].Role != "leader" {
			t.Fatalf("membership: %+v", m)
		}
		// The ID number is stored encrypted: not in any column in clear.
		if n := count(t, d, `SELECT COUNT(*) FROM identities WHERE id_number_hash = $1`, idA); n != 0 {
			t.Fatal("plaintext ID stored")
		}
		var enc []byte
		var iid int64
		_ = d.QueryRowContext(ctx, `SELECT i.id, i.id_number_enc FROM identities i JOIN people p ON p.identity_id = i.id
			WHERE p.id = $1`, m.PersonID).Scan(&iid, &enc)
		if len(enc) == 0 || string(enc) == idA {
			t.Fatal("ID not encrypted")
		}
		if got, err := f.s.Secret.Open(enc, iid); err != nil || got != idA {
			t.Fatalf("sealed number opens as %q (%v), bound to identity %d", got, err, iid)
		}
		// Audited, without the full number.
		var after string
		_ = d.QueryRowContext(ctx, `SELECT after_json FROM audit_log WHERE entity = 'membership' AND entity_id = $1`, m.ID).Scan(&after)
		if after == "" || contains(after, idA) {
			t.Fatalf("audit after: %q", after)
		}
		// Same ID number again → refused, naming the field.
		_, err = f.s.CreateMember(ctx, staff, f.fuyuan.ID, f.memberInput("张三二", idA, "13812345679"))
		if !hasField(err, "id_number", "err.org.id_number_taken") {
			t.Fatalf("duplicate ID: %v", err)
		}
		// Same phone → refused.
		_, err = f.s.CreateMember(ctx, staff, f.fuyuan.ID, f.memberInput("李四", idC, "13812345678"))
		if !hasField(err, "phone", "err.org.phone_taken") {
			t.Fatalf("duplicate phone: %v", err)
		}
		got, err := f.s.Member(ctx, f.actor(auth.RoleLeader), m.ID)
		if err != nil || got.Name != "张三" || got.SectorName != "经济界" {
			t.Fatalf("read: %+v %v", got, err)
		}
	})
}

func contains(s, sub string) bool {
	return len(sub) > 0 && len(s) >= len(sub) && (stringIndex(s, sub) >= 0)
}

func stringIndex(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestMemberValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		staff := f.actor(auth.RoleStaff)
		bad := MemberInput{Name: "", Gender: "x", IDNumber: "530325198001011230", Phone: "12345",
			Email: "nope", SectorID: 99999, Affiliation: "共青团", Positions: []string{"king"}, JoinedOn: "2020-13-01",
			Groups: []GroupRole{{GroupID: 99999}}}
		_, err := f.s.CreateMember(ctx, staff, f.fuyuan.ID, bad)
		for _, want := range [][2]string{
			{"name", "err.required"}, {"gender", "err.org.choice_invalid"}, {"id_number", "err.org.id_number_checksum"},
			{"phone", "err.org.phone_invalid"}, {"email", "err.org.email_invalid"}, {"sector_id", "err.org.sector_unknown"},
			{"affiliation", "err.org.affiliation_unknown"}, {"positions", "err.org.position_unknown"},
			{"joined_on", "err.org.date_invalid"}, {"groups", "err.org.group_unknown"},
		} {
			if !hasField(err, want[0], want[1]) {
				t.Errorf("missing %s/%s in %v", want[0], want[1], apperr.As(err))
			}
		}
		// Gender contradicting the ID number.
		in := f.memberInput("王五", idA, "13900000001")
		in.Gender = GenderFemale
		if _, err := f.s.CreateMember(ctx, staff, f.fuyuan.ID, in); !hasField(err, "gender", "err.org.gender_mismatch") {
			t.Fatalf("gender mismatch: %v", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM memberships`); n != 0 {
			t.Fatalf("%d memberships written by refused calls", n)
		}
		// Without a key, an ID number cannot be stored.
		f.s.Secret = nil
		if _, err := f.s.CreateMember(ctx, staff, f.fuyuan.ID, f.memberInput("赵六", idC, "13900000002")); !hasField(err, "id_number", "err.org.no_key") {
			t.Fatalf("no key: %v", err)
		}
	})
}

func TestUpdateMemberOptimisticLock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		staff := f.actor(auth.RoleStaff)
		m := must[Member](t)(f.s.CreateMember(ctx, staff, f.fuyuan.ID, f.memberInput("张三", idA, "13812345678")))
		in := f.memberInput("张三丰", "", "13812345670")
		in.SectorID, in.Version, in.Groups, in.Gender = f.edu.ID, m.Version, nil, GenderMale
		up, err := f.s.UpdateMember(ctx, staff, m.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if up.Name != "张三丰" || up.SectorID != f.edu.ID || up.IDMasked != m.IDMasked || up.Version != m.Version+1 || len(up.Groups) != 0 {
			t.Fatalf("updated: %+v", up)
		}
		// A stale version is a conflict and changes nothing.
		in.Name = "过期"
		if _, err := f.s.UpdateMember(ctx, staff, m.ID, in); code(err) != apperr.Conflict {
			t.Fatalf("stale: %v", err)
		}
		if got := must[Member](t)(f.s.Member(ctx, staff, m.ID)); got.Name != "张三丰" {
			t.Fatalf("stale write applied: %s", got.Name)
		}
		var before, after string
		_ = d.QueryRowContext(ctx, `SELECT before_json, after_json FROM audit_log WHERE entity='membership' AND action='update' AND entity_id=$1`, m.ID).Scan(&before, &after)
		if !contains(before, "张三") || !contains(after, "张三丰") {
			t.Fatalf("audit: %s → %s", before, after)
		}
	})
}

func TestRevealIDNumber(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		m := must[Member](t)(f.s.CreateMember(ctx, f.actor(auth.RoleStaff), f.fuyuan.ID, f.memberInput("张三", idA, "13812345678")))
		for _, role := range []auth.Role{auth.RoleLeader, auth.RoleProposalOffice, auth.RoleAssistance, auth.RoleMember, auth.RoleUnit} {
			if _, err := f.s.RevealIDNumber(ctx, f.actor(role), m.ID); err == nil {
				t.Errorf("%s saw the full ID number", role)
			}
		}
		if _, err := f.s.RevealIDNumber(ctx, f.prefActor(auth.RoleAdmin), m.ID); code(err) != apperr.Forbidden {
			t.Errorf("higher committee admin: %v", err)
		}
		if _, err := f.s.RevealIDNumber(ctx, f.luoActor(auth.RoleAdmin), m.ID); code(err) != apperr.NotFound {
			t.Errorf("sibling admin: %v", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'view_id_number'`); n != 0 {
			t.Fatalf("refused views audited as views: %d", n)
		}
		got, err := f.s.RevealIDNumber(ctx, f.actor(auth.RoleAdmin), m.ID)
		if err != nil || got != idA {
			t.Fatalf("admin reveal: %q %v", got, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'view_id_number' AND entity_id = $1 AND actor_user_id = 100`, m.PersonID); n != 1 {
			t.Fatalf("view audited %d times", n)
		}
	})
}

func TestMemberPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		m := must[Member](t)(f.s.CreateMember(ctx, f.actor(auth.RoleStaff), f.fuyuan.ID, f.memberInput("张三", idA, "13812345678")))
		in := f.memberInput("改名", "", "13812345678")
		in.Version, in.Gender = m.Version, GenderMale
		// Roles of the own committee that may not edit.
		for _, role := range []auth.Role{auth.RoleMember, auth.RoleUnit, auth.RoleLeader, auth.RoleProposalOffice, auth.RoleAssistance} {
			if _, err := f.s.UpdateMember(ctx, f.actor(role), m.ID, in); code(err) != apperr.Forbidden {
				t.Errorf("%s update: %v", role, err)
			}
			if _, err := f.s.CreateMember(ctx, f.actor(role), f.fuyuan.ID, f.memberInput("新人", idB, "13700000000")); code(err) != apperr.Forbidden {
				t.Errorf("%s create: %v", role, err)
			}
			if _, err := f.s.CreateUnit(ctx, f.actor(role), f.fuyuan.ID, UnitInput{Name: "x", Kind: "other"}); code(err) != apperr.Forbidden {
				t.Errorf("%s create unit: %v", role, err)
			}
			if _, err := f.s.CreateSector(ctx, f.actor(role), f.fuyuan.ID, SectorInput{Name: "x"}); code(err) != apperr.Forbidden {
				t.Errorf("%s create sector: %v", role, err)
			}
		}
		// Members and units do not read the member register.
		for _, role := range []auth.Role{auth.RoleMember, auth.RoleUnit} {
			if _, err := f.s.Member(ctx, f.actor(role), m.ID); code(err) != apperr.Forbidden {
				t.Errorf("%s read: %v", role, err)
			}
			if _, err := f.s.ListMembers(ctx, f.actor(role), f.fuyuan.ID, MemberFilter{}); code(err) != apperr.Forbidden {
				t.Errorf("%s list: %v", role, err)
			}
		}
		// Another county: not found, for reading and editing alike.
		luo := f.luoActor(auth.RoleAdmin)
		if _, err := f.s.Member(ctx, luo, m.ID); code(err) != apperr.NotFound {
			t.Errorf("sibling read: %v", err)
		}
		if _, err := f.s.UpdateMember(ctx, luo, m.ID, in); code(err) != apperr.NotFound {
			t.Errorf("sibling update: %v", err)
		}
		if _, err := f.s.ListMembers(ctx, luo, f.fuyuan.ID, MemberFilter{}); code(err) != apperr.NotFound {
			t.Errorf("sibling list: %v", err)
		}
		if _, err := f.s.Unit(ctx, luo, f.unit.ID); code(err) != apperr.NotFound {
			t.Errorf("sibling unit: %v", err)
		}
		// The higher committee reads the subtree but edits nothing in it.
		pref := f.prefActor(auth.RoleAdmin)
		if got, err := f.s.Member(ctx, pref, m.ID); err != nil || got.Name != "张三" {
			t.Errorf("higher read: %v", err)
		}
		if p, err := f.s.ListMembers(ctx, pref, f.fuyuan.ID, MemberFilter{}); err != nil || p.Total != 1 {
			t.Errorf("higher list: %+v %v", p, err)
		}
		if us, err := f.s.Units(ctx, pref, f.fuyuan.ID, UnitFilter{}); err != nil || len(us) != 1 {
			t.Errorf("higher units: %v %v", us, err)
		}
		if _, err := f.s.UpdateMember(ctx, pref, m.ID, in); code(err) != apperr.Forbidden {
			t.Errorf("higher update: %v", err)
		}
		if _, err := f.s.CreateMember(ctx, pref, f.fuyuan.ID, f.memberInput("新人", idB, "13700000000")); code(err) != apperr.Forbidden {
			t.Errorf("higher create: %v", err)
		}
		if _, err := f.s.UpdateUnit(ctx, pref, f.unit.ID, UnitInput{Name: "x", Kind: "other", Version: 1}); code(err) != apperr.Forbidden {
			t.Errorf("higher unit update: %v", err)
		}
		if _, err := f.s.CreateTerm(ctx, pref, f.fuyuan.ID, TermInput{Number: 10, StartsOn: "2022-01-01"}); code(err) != apperr.Forbidden {
			t.Errorf("higher term: %v", err)
		}
		// The county does not read upwards.
		if _, err := f.s.ListMembers(ctx, f.actor(auth.RoleAdmin), f.pref.ID, MemberFilter{}); code(err) != apperr.NotFound {
			t.Errorf("upward list: %v", err)
		}
		if got := must[Member](t)(f.s.Member(ctx, f.actor(auth.RoleStaff), m.ID)); got.Version != m.Version {
			t.Fatal("refused edits changed the record")
		}
	})
}
