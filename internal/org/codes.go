package org

import (
	"slices"
	"strings"

	"lvzhi/internal/i18n"
)

// Genders as stored in people.gender.
const (
	GenderMale   = "male"
	GenderFemale = "female"
)

// Genders lists the genders in display order; labels are "org.gender.<code>".
var Genders = []string{GenderMale, GenderFemale}

// Committee levels, highest first; labels are "org.level.<code>".
var Levels = []string{"national", "province", "prefecture", "county"}

// Affiliations are the political affiliations (政治面貌); labels are "org.affiliation.<code>".
// "cpc" marks a Communist Party member (memberships.is_party_member is derived from it).
var Affiliations = []string{"cpc", "rcck", "cdl", "cndca", "capd", "cpwdp", "zgzd", "jiusan", "tdsl", "nonparty", "masses"}

// Positions are the committee positions a membership may hold; labels are "org.position.<code>".
// "standing" (常委) in an import is read as the standing-committee flag instead.
var Positions = []string{"chair", "vice_chair", "secretary_general", "deputy_secretary_general",
	"party_secretary", "party_group_member", "special_committee_director", "group_leader", "group_deputy_leader"}

// Statuses of a membership; labels are "org.status.<code>".
var Statuses = []string{"active", "resigned", "removed", "deceased"}

// UnitKinds are the kinds of handling unit (承办单位); labels are "org.unit_kind.<code>".
var UnitKinds = []string{"party", "government", "congress", "court", "procuratorate", "other"}

// GroupKinds are the kinds of group; labels are "org.group_kind.<code>".
var GroupKinds = []string{"special_committee", "working_group", "member_group"}

// GroupRoles are a member's roles in a group; labels are "org.group_role.<code>".
var GroupRoles = []string{"member", "leader", "deputy"}

// Label returns the display text of code in list prefix ("affiliation", "position", …).
func Label(lang, prefix, code string) string {
	if code == "" {
		return ""
	}
	key := "org." + prefix + "." + code
	if l := i18n.T(lang, key); l != key {
		return l
	}
	return code // a value from outside the code list (old data) shows as stored
}

// ParseCode finds the code in list whose code, Chinese label or English label is text
// (case-insensitive, spaces ignored). Spreadsheets use the labels.
func ParseCode(list []string, prefix, text string) (string, bool) {
	t := strings.ToLower(strings.Join(strings.Fields(text), ""))
	if t == "" {
		return "", false
	}
	for _, c := range list {
		for _, cand := range []string{c, i18n.T("zh", "org."+prefix+"."+c), i18n.T("en", "org."+prefix+"."+c)} {
			if strings.ToLower(strings.Join(strings.Fields(cand), "")) == t {
				return c, true
			}
		}
	}
	if alias, ok := aliases[prefix+":"+t]; ok {
		return alias, true
	}
	return "", false
}

// aliases are other spellings seen in committees' spreadsheets.
var aliases = map[string]string{
	"affiliation:中共":    "cpc",
	"affiliation:中国共产党": "cpc",
	"affiliation:党员":    "cpc",
	"affiliation:无党派人士": "nonparty",
	"affiliation:群众":    "masses",
	"gender:m":          GenderMale,
	"gender:f":          GenderFemale,
	"gender:男性":         GenderMale,
	"gender:女性":         GenderFemale,
	"unit_kind:党委":      "party",
	"unit_kind:党群部门":    "party",
	"unit_kind:政府部门":    "government",
	"unit_kind:人大常委会":   "congress",
	"status:在职":         "active",
	"group_role:主任":     "leader",
	"group_role:副主任":    "deputy",
	"group_role:成员":     "member",
}

func validCode(list []string, code string) bool { return slices.Contains(list, code) }

// levelRank orders levels: national 0 … county 3; -1 for unknown.
func levelRank(level string) int { return slices.Index(Levels, level) }
