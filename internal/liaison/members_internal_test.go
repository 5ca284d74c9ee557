package liaison

import "testing"

func TestPositionsParsing(t *testing.T) {
	cases := []struct {
		positions        string
		group, secretary bool
		head             bool
	}{
		{"chair,party_secretary", true, true, false},
		{"vice_chair,party_group_member", true, false, false},
		{"group_leader", false, false, true},
		{"副主席、党组成员", true, false, false},
		{"党组书记；主席", true, true, false},
		{"工作组长", false, false, true},
		{"group_deputy_leader", false, false, false},
		{"party_group_members", false, false, false},
		{"", false, false, false},
	}
	for _, c := range cases {
		m := &member{Positions: c.positions}
		if m.InPartyGroup() != c.group || m.IsSecretary() != c.secretary || hasPosition(c.positions, posGroupHead...) != c.head {
			t.Errorf("%q: group %v secretary %v head %v", c.positions, m.InPartyGroup(), m.IsSecretary(), hasPosition(c.positions, posGroupHead...))
		}
	}
}
