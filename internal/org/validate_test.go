package org

import (
	"testing"

	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
)

// withCheck appends the GB 11643 check character to 17 digits.
func withCheck(first17 string) string {
	return first17 + string(IDCheckChar(first17))
}

func TestIDNumberProblem(t *testing.T) {
	today := civil.MustParse("2024-06-01")
	tests := []struct {
		name, id, want string
	}{
		{"valid, digit check", "11010519491231002X", ""}, // the standard's own example
		{"valid, computed", withCheck("53032519800101123"), ""},
		{"valid X check", "53032519860509004X", ""},
		{"lower-case x normalised", NormalizeIDNumber("53032519860509004x"), ""},
		{"full-width normalised", NormalizeIDNumber("５３０３２５１９８６０５０９００４Ｘ"), ""},
		{"wrong check digit", "110105194912310021", "err.org.id_number_checksum"},
		{"X where digit due", "53032519800101123X", "err.org.id_number_checksum"},
		{"too short", "5303251980010112", "err.org.id_number_length"},
		{"15-digit old number", "530325800101123", "err.org.id_number_length"},
		{"letter inside", "5303251980A101123X", "err.org.id_number_chars"},
		{"bad last char", "53032519800101123Y", "err.org.id_number_chars"},
		{"region starts 0", withCheck("03032519800101123"), "err.org.id_number_region"},
		{"month 13", withCheck("53032519801301123"), "err.org.id_number_birth"},
		{"Feb 30", withCheck("53032519800230123"), "err.org.id_number_birth"},
		{"Feb 29 non-leap", withCheck("53032519810229123"), "err.org.id_number_birth"},
		{"Feb 29 leap ok", withCheck("53032519800229123"), ""},
		{"born before 1900", withCheck("53032518991231123"), "err.org.id_number_birth"},
		{"born in future", withCheck("53032520300101123"), "err.org.id_number_birth"},
		{"scientific notation", "5.30325E+17", "err.org.id_number_scientific"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IDNumberProblem(tc.id, today); got != tc.want {
				t.Fatalf("IDNumberProblem(%q) = %q, want %q", tc.id, got, tc.want)
			}
		})
	}
}

func TestGenderAndMask(t *testing.T) {
	if g := genderFromID("11010519491231002X"); g != GenderFemale { // 17th digit 2: female
		t.Fatal(g)
	}
	if g := genderFromID(withCheck("53032519800101123")); g != GenderMale {
		t.Fatal(g)
	}
	if m := MaskIDNumber("53032519860509004X"); m != "5303**************" {
		t.Fatal(m)
	}
	if m := MaskIDNumber("5303**********004X"); m != "5303**************" { // a mask stored by an older version
		t.Fatal(m)
	}
	if MaskIDNumber("") != "" || MaskIDNumber("1234") != "****" {
		t.Fatal("short masks")
	}
}

func TestPhone(t *testing.T) {
	for _, p := range []string{"13812345678", "19912345678", "0874-1234567", "087412345678", "010-12345678", "0874-1234567-123"} {
		if !ValidPhone(NormalizePhone(p)) {
			t.Errorf("%s should be valid", p)
		}
	}
	for _, p := range []string{"12812345678", "1381234567", "138123456789", "1234567", "abc", "874-1234567"} {
		if ValidPhone(NormalizePhone(p)) {
			t.Errorf("%s should be invalid", p)
		}
	}
	if NormalizePhone(" +86 138 1234 5678 ") != "13812345678" || NormalizePhone("１３８１２３４５６７８") != "13812345678" {
		t.Fatal("normalise")
	}
}

func TestParseCode(t *testing.T) {
	tests := []struct {
		list               []string
		prefix, text, want string
	}{
		{Affiliations, "affiliation", "中共党员", "cpc"},
		{Affiliations, "affiliation", "中共", "cpc"},
		{Affiliations, "affiliation", "CPC member", "cpc"},
		{Affiliations, "affiliation", "九三学社", "jiusan"},
		{Affiliations, "affiliation", "无党派", "nonparty"},
		{Genders, "gender", "女", "female"},
		{UnitKinds, "unit_kind", "检察院", "procuratorate"},
		{Positions, "position", "副主席", "vice_chair"},
		{Positions, "position", "主席", "chair"},
	}
	for _, tc := range tests {
		if got, ok := ParseCode(tc.list, tc.prefix, tc.text); !ok || got != tc.want {
			t.Errorf("ParseCode(%s, %q) = %q %v, want %q", tc.prefix, tc.text, got, ok, tc.want)
		}
	}
	if _, ok := ParseCode(Affiliations, "affiliation", "共青团"); ok {
		t.Error("unknown affiliation accepted")
	}
}

func TestChineseNumber(t *testing.T) {
	for n, want := range map[int]string{1: "一", 9: "九", 10: "十", 12: "十二", 20: "二十", 21: "二十一"} {
		if got := ChineseNumber(n); got != want {
			t.Errorf("%d: %s", n, got)
		}
	}
}

// TestMaskLeavesTenThousand: what a reader without the reveal permission sees
// (the mask and the birth year, with the gender) leaves at least 10,000
// candidate ID numbers even for one who knows the county; the old mask next
// to the full birth date left one. Those who may reveal the number see the
// full birth date.
func TestMaskLeavesTenThousand(t *testing.T) {
	id := withCheck("53032519860509004")
	old := id[:4] + "**********" + id[14:]
	if n := IDCandidates(old, "1986-05-09", GenderFemale, 100000); n > 9 {
		t.Fatalf("the old mask left %d candidates; the count is wrong", n)
	}
	m := Member{CommitteeID: 7, BirthDate: "1986-05-09", IDMasked: old, Gender: GenderFemale}
	reader := &auth.Actor{CommitteeID: 7, Roles: []auth.Role{auth.RoleLeader}}
	seen := ForReader(reader, m)
	if seen.IDMasked != "5303**************" || seen.BirthDate != "1986" {
		t.Fatalf("leader sees %+v", seen)
	}
	if n := IDCandidates(seen.IDMasked, seen.BirthDate, seen.Gender, 100000); n < 10000 {
		t.Fatalf("a leader is left %d candidates, want at least 10,000", n)
	}
	foreignStaff := &auth.Actor{CommitteeID: 8, Roles: []auth.Role{auth.RoleStaff}}
	if seen := ForReader(foreignStaff, m); seen.BirthDate != "1986" {
		t.Fatalf("staff of another committee sees the birth date %q", seen.BirthDate)
	}
	staff := &auth.Actor{CommitteeID: 7, Roles: []auth.Role{auth.RoleStaff}}
	if seen := ForReader(staff, m); seen.BirthDate != "1986-05-09" || seen.IDMasked != "5303**************" {
		t.Fatalf("staff (may reveal) sees %+v", seen)
	}
}
