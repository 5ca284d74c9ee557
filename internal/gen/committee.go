package gen

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"lvzhi/internal/civil"
)

// committee generates one committee and everything it owns.
func (g *generator) committee(n *node) {
	r := g.rng(n)
	n.id = g.next(g.t.committees)
	n.path = "/" + strconv.FormatInt(n.id, 10) + "/"
	var parentID any
	if n.parent != nil {
		parentID = n.parent.id
		n.path = n.parent.path + strconv.FormatInt(n.id, 10) + "/"
	}
	n.termStart = g.termStart(r, n)
	created := instant(n.termStart)
	g.t.committees.add(n.id, parentID, n.lvl.code(), n.name, n.code, n.path, created)
	g.termAndSessions(r, n)
	g.sectors(n)
	g.groups(n)
	units := g.units(r, n, created)
	active := g.members(r, n, created)
	leader := g.accounts(r, n, units, created)
	if g.at != nil && len(active) > 0 {
		g.activities(r, n, g.personIDs(active))
	}
	if g.pt != nil && n.session != nil && len(active) > 0 {
		pc := n.session
		pc.n, pc.members, pc.leaderUser = n, active, leader
		for _, u := range units {
			pc.units = append(pc.units, u.id)
		}
		g.proposals(r, pc)
		n.session = nil // free the lists
	}
	g.assist(n)
}

// termStart is the first day of the current term: the national and provincial
// terms began in the report's year, the lower ones the year before.
func (g *generator) termStart(r *rand.Rand, n *node) string {
	y := g.o.Year
	switch n.lvl {
	case lvlNational:
		return fmt.Sprintf("%d-03-03", y)
	case lvlProvince:
		return fmt.Sprintf("%d-01-%02d", y, 20+r.IntN(10))
	case lvlPrefecture:
		return fmt.Sprintf("%d-02-%02d", y-1, 10+r.IntN(15))
	default:
		return fmt.Sprintf("%d-01-%02d", y-1, 5+r.IntN(20))
	}
}

// sessionDays is how long a plenary session lasts at each level.
var sessionDays = [...]int{3, 4, 5, 12}

func (g *generator) termAndSessions(r *rand.Rand, n *node) {
	n.termID = g.next(g.t.terms)
	cn := cnNumber(n.termNo)
	g.t.terms.add(n.termID, n.id, n.termNo, "第"+cn+"届", n.termStart, "")
	first := civil.MustParse(n.termStart)
	for k := 1; first.Year+k-1 <= g.o.Year; k++ {
		opens := first
		if k > 1 {
			opens = civil.Date{Year: first.Year + k - 1, Month: time.January, Day: 8 + r.IntN(20)}
			if n.lvl == lvlNational {
				opens = civil.Date{Year: first.Year + k - 1, Month: time.March, Day: 3}
			}
		}
		closes := opens.AddDays(sessionDays[n.lvl])
		id := g.next(g.t.sessions)
		g.t.sessions.add(id, n.id, n.termID, k, cn+"届"+cnNumber(k)+"次", opens.Year,
			opens.String(), closes.String(), opens.AddDays(-30).String(), closes.String())
		if opens.Year == g.o.Year {
			n.session = &proposalCtx{sessionID: id, termNo: n.termNo, sessionNo: k, submitFrom: opens.AddDays(-30), closes: closes}
		}
	}
}

// sectorsOf lists the sectors a committee of level l has.
func sectorsOf(l level) []sectorDef {
	var out []sectorDef
	for _, s := range sectorDefs {
		if l >= s.minLvl {
			out = append(out, s)
		}
	}
	return out
}

func (g *generator) sectors(n *node) {
	n.sectorIDs = map[string]int64{}
	for i, s := range sectorsOf(n.lvl) {
		id := g.next(g.t.sectors)
		n.sectorIDs[s.name] = id
		g.t.sectors.add(id, n.id, s.name, (i+1)*10)
	}
}

// groupPlan returns how many special committees and member groups a level has,
// and the kind and name pattern of the member groups.
func groupPlan(l level) (special, groups int, kind string, names []string) {
	switch l {
	case lvlCounty:
		return 5, 6, "working_group", []string{"第一工作组", "第二工作组", "第三工作组", "第四工作组", "第五工作组", "第六工作组"}
	case lvlPrefecture:
		return 8, 8, "member_group", memberGroupSuffix
	default:
		return 10, 10, "member_group", memberGroupSuffix
	}
}

func (g *generator) groups(n *node) {
	special, groups, kind, names := groupPlan(n.lvl)
	n.groupIDs = n.groupIDs[:0]
	sort := 0
	add := func(kind, name string) {
		id := g.next(g.t.groups)
		n.groupIDs = append(n.groupIDs, id)
		sort += 10
		row := []any{id, n.id, kind, name}
		if g.groupSort {
			row = append(row, sort)
		}
		g.t.groups.add(row...)
	}
	for i := range groups {
		add(kind, names[i])
	}
	for i := range special {
		add("special_committee", specialCommittees[i])
	}
}

// unitRef is a generated handling unit, for its login.
type unitRef struct {
	id   int64
	name string
}

func (g *generator) units(r *rand.Rand, n *node, created time.Time) []unitRef {
	var defs []unitDef
	if n.lvl == lvlNational {
		defs = nationalUnits
	} else {
		k := 55 + r.IntN(len(unitDefs)-55+1)
		for _, i := range r.Perm(len(unitDefs))[:k] {
			defs = append(defs, unitDefs[i])
		}
	}
	out := make([]unitRef, 0, len(defs))
	for _, d := range defs {
		name := strings.ReplaceAll(d.name, "%s", n.place)
		id := g.next(g.t.units)
		contact, _ := personName(r)
		contact += "（" + contactTitles[r.IntN(len(contactTitles))] + "）"
		row := []any{id, n.id, name, d.kind, contact, mobile(r), true, 1, created}
		if g.unitUpdated {
			row = append(row, created)
		}
		g.t.units.add(row...)
		out = append(out, unitRef{id, name})
	}
	return out
}

// accounts creates the committee's staff logins, and member and unit logins
// when asked; it returns the leader login's user id (0 without users).
func (g *generator) accounts(r *rand.Rand, n *node, units []unitRef, created time.Time) int64 {
	if g.o.NoUsers {
		return 0
	}
	var leader int64
	staff := []struct{ suffix, role, title string }{
		{"admin", "admin", "系统管理员"},
		{"staff", "staff", "办公室"},
		{"proposal", "proposal_office", "提案委"},
		{"leader", "leader", "领导"},
		{"assist", "assistance", "帮扶专员"},
	}
	for _, s := range staff {
		name, _ := personName(r)
		if s.role == "admin" {
			name = n.name + "系统管理员"
		}
		id := g.user(n, n.code+"-"+s.suffix, name, nil, nil, s.role, created)
		if s.role == "leader" {
			leader = id
		}
	}
	if g.o.unitUsers() {
		for i, u := range units {
			g.user(n, fmt.Sprintf("%s-u%02d", n.code, i+1), u.name, nil, u.id, "unit", created)
		}
	}
	return leader
}

func (g *generator) user(n *node, username, display string, personID, unitID any, role string, created time.Time) int64 {
	id := g.next(g.t.users)
	g.t.users.add(id, n.id, username, display, g.o.PasswordHash, personID, unitID, false, "zh", created, created)
	g.t.roles.add(id, n.id, role)
	return id
}
