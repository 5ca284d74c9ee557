package assist

import (
	"strings"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
)

// TestHouseholdSealedAndMasked: ID numbers and phones are stored sealed (never
// in clear), read masked by everyone, opened only by officers and admins of
// the committee, and each opening is audited with who and which record.
func TestHouseholdSealedAndMasked(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		h := f.household("H001", 0, 1)
		full := idNumber("530325", "19750303", 3)
		var raw []byte
		var hash, masked string
		f.must(f.d.QueryRowContext(f.ctx, `SELECT id_number_enc, id_number_hash, id_masked FROM assist_household_members WHERE id = $1`,
			h.Members[0].ID).Scan(&raw, &hash, &masked))
		if strings.Contains(string(raw), full) || strings.Contains(hash, full) || strings.Contains(masked, full[4:]) {
			t.Fatal("ID number stored in clear")
		}
		if h.Members[0].IDMasked != "5303**************" {
			t.Errorf("masked %q", h.Members[0].IDMasked)
		}
		// Everyone reading gets the mask only.
		for _, a := range []*auth.Actor{f.admin, f.staff, f.leader, f.officer} {
			d, err := f.svc.GetHousehold(f.ctx, a, h.ID)
			f.must(err)
			for _, m := range d.Members {
				if strings.Contains(m.IDMasked, full[6:14]) {
					t.Errorf("%v sees birth digits", a.Roles)
				}
			}
		}
		// Reveal: officer and admin; everyone else refused; other committee not found.
		for _, a := range []*auth.Actor{f.officer, f.admin} {
			r, err := f.svc.RevealIDNumber(f.ctx, a, h.Members[0].ID)
			f.must(err)
			if r.IDNumber != full || r.Phone != "13800000001" {
				t.Errorf("revealed %+v", r)
			}
		}
		for _, a := range []*auth.Actor{f.staff, f.leader, f.office, f.unit, f.members[0]} {
			if _, err := f.svc.RevealIDNumber(f.ctx, a, h.Members[0].ID); err == nil {
				t.Errorf("%v revealed an ID number", a.Roles)
			}
		}
		if _, err := f.svc.RevealIDNumber(f.ctx, f.foreignOfficer, h.Members[0].ID); code(err) != apperr.NotFound {
			t.Errorf("foreign officer: %v, want not found", err)
		}
		es, err := audit.List(f.ctx, f.d, f.c.ID, audit.Filter{Limit: 500})
		f.must(err)
		views := 0
		for _, e := range es {
			if e.Action == "view_id_number" && e.EntityID == h.Members[0].ID {
				views++
				if e.ActorUserID != f.officer.UserID && e.ActorUserID != f.admin.UserID {
					t.Errorf("view by %d", e.ActorUserID)
				}
			}
			if strings.Contains(e.Before+e.After, full) {
				t.Errorf("audit entry %s holds the full ID number", e.Action)
			}
		}
		if views != 2 {
			t.Errorf("%d audited views, want 2", views)
		}
	})
}

// TestHouseholdValidation: checksums, duplicates in the household and against
// the database, unknown village, too many causes — each a field error, nothing written.
func TestHouseholdValidation(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.household("H001", 0, 1)
		good := idNumber("530325", "19800101", 7)
		bad := good[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", good[17])+1)%11])
		in := HouseholdInput{RegistryID: "H001", VillageID: f.foreignHH.VillageID, HeadName: "甲", Attribute: "general",
			CauseMain: "illness", CauseOthers: []string{"land", "water", "funds"}, Status: "lifted",
			Members: []MemberInput{{Name: "甲", IDNumber: bad}, {Name: "乙", IDNumber: good}, {Name: "丙", IDNumber: good}}}
		_, err := f.svc.CreateHousehold(f.ctx, f.officer, in)
		got := fieldKeys(err)
		for field, key := range map[string]string{
			"cause_others":        "err.assist.too_many_causes",
			"lifted_year":         "err.assist.lifted_year",
			"members.0.id_number": "err.org.id_number_checksum",
			"members.2.id_number": "err.assist.id_number_duplicate",
		} {
			if got[field] != key {
				t.Errorf("%s: %q, want %q (all %v)", field, got[field], key, got)
			}
		}
		in = HouseholdInput{RegistryID: "H001", VillageID: f.foreignHH.VillageID, HeadName: "甲", Attribute: "general",
			CauseMain: "illness", Status: "poor", Members: []MemberInput{{Name: "甲", IDNumber: idNumber("530325", "19750303", 3)}}}
		_, err = f.svc.CreateHousehold(f.ctx, f.officer, in)
		got = fieldKeys(err)
		for field, key := range map[string]string{
			"registry_id":         "err.assist.registry_id_taken",
			"village":             "err.assist.village_unknown",
			"members.0.id_number": "err.assist.id_number_taken",
		} {
			if got[field] != key {
				t.Errorf("%s: %q, want %q (all %v)", field, got[field], key, got)
			}
		}
		var n int
		f.must(f.d.QueryRowContext(f.ctx, `SELECT COUNT(*) FROM assist_households WHERE committee_id = $1`, f.c.ID).Scan(&n))
		if n != 1 {
			t.Errorf("%d households, want 1", n)
		}
	})
}

// TestHouseholdUpdateKeepsMembersAndHistory: an update keeps a member with
// the same ID number (same row, still opens), removes one not given, and the
// audit holds before and after.
func TestHouseholdUpdateKeepsMembersAndHistory(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		h := f.household("H001", 0, 1)
		in := HouseholdInput{RegistryID: "H001", VillageID: f.villages[1].ID, HeadName: h.HeadName, Attribute: "general",
			CauseMain: "illness", IncomeFen: 500000, Status: "lifted", LiftedYear: 2019, Version: h.Version,
			Members: []MemberInput{{Name: h.HeadName, Gender: "male", IDNumber: idNumber("530325", "19750303", 3), Relation: "户主"}}}
		u, err := f.svc.UpdateHousehold(f.ctx, f.officer, h.ID, in)
		f.must(err)
		if len(u.Members) != 1 || u.Members[0].ID != h.Members[0].ID || u.Village != "东村" || u.LiftedYear != 2019 {
			t.Fatalf("updated %+v", u)
		}
		r, err := f.svc.RevealIDNumber(f.ctx, f.officer, u.Members[0].ID)
		f.must(err)
		if r.IDNumber != idNumber("530325", "19750303", 3) {
			t.Error("kept member no longer opens")
		}
		if _, err := f.svc.UpdateHousehold(f.ctx, f.officer, h.ID, in); code(err) != apperr.Conflict {
			t.Errorf("stale version: %v", err)
		}
		es, err := audit.List(f.ctx, f.d, f.c.ID, audit.Filter{Entity: "assist_household"})
		f.must(err)
		found := false
		for _, e := range es {
			if e.Action == "update" && e.EntityID == h.ID && strings.Contains(e.Before, "西关社区") && strings.Contains(e.After, "东村") {
				found = true
			}
		}
		if !found {
			t.Error("no audited update with before and after")
		}
	})
}
