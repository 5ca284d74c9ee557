package gen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"lvzhi/internal/civil"
	"lvzhi/internal/org"
)

// crossLevelPercent of a county's members also sit on the prefecture's committee
// (a separate person record there: each committee owns its data).
const crossLevelPercent = 3

// person is the personal data of one generated member.
type person struct {
	name, gender, birth, ethnicity, phone, employer, title string
}

// leadership returns how many vice chairs a committee of level l has.
func viceChairs(r *rand.Rand, l level) int {
	switch l {
	case lvlNational:
		return 24
	case lvlProvince:
		return 9 + r.IntN(4)
	case lvlPrefecture:
		return 6 + r.IntN(3)
	default:
		return 4 + r.IntN(3)
	}
}

// partySectors are the sectors of the democratic parties, for non-CPC vice chairs.
var partySectors = []string{"民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "无党派人士"}

// members generates the committee's members and returns the active memberships.
func (g *generator) members(r *rand.Rand, n *node, created time.Time) []int64 {
	var active []int64
	defs := sectorsOf(n.lvl)
	weights := make([]weighted, len(defs))
	affil := map[string]string{}
	for i, s := range defs {
		weights[i] = weighted{s.name, s.weight}
		affil[s.name] = s.affiliation
	}
	_, nGroups, _, _ := groupPlan(n.lvl)
	special := len(n.groupIDs) - nGroups
	vice := viceChairs(r, n.lvl)
	idSeen := map[string]bool{}
	for i := range n.members {
		sector := pickWeighted(r, weights)
		var positions []string
		standing := r.IntN(100) < 12
		var groupRole = "member"
		group := n.groupIDs[i%nGroups]
		specialGroup := int64(0)
		if special > 0 && r.IntN(100) < 35 {
			specialGroup = n.groupIDs[nGroups+r.IntN(special)]
		}
		k := i
		switch {
		case k == 0:
			positions, standing, sector = []string{"chair", "party_secretary"}, true, "中共"
		case k <= vice:
			positions, standing = []string{"vice_chair"}, true
			if k <= (vice+1)/2 {
				sector = "中共"
				positions = append(positions, "party_group_member")
			} else {
				sector = partySectors[k%len(partySectors)]
			}
		case k == vice+1:
			positions, standing, sector = []string{"secretary_general", "party_group_member"}, true, "中共"
		case k <= vice+3:
			positions = []string{"deputy_secretary_general"}
		case k <= vice+3+special:
			positions, standing = []string{"special_committee_director"}, true
			specialGroup = n.groupIDs[nGroups+k-vice-4]
		case k <= vice+3+special+nGroups:
			positions = []string{"group_leader"}
			group = n.groupIDs[k-vice-4-special]
			groupRole = "leader"
		}
		if _, ok := n.sectorIDs[sector]; !ok {
			sector = "中共"
		}
		p := g.person(r, n, sector, positions)
		affiliation := affil[sector]
		if affiliation == "" {
			affiliation = pickWeighted(r, mixedAffiliations)
		}
		if sector == "少数民族界" && p.ethnicity == "汉族" {
			p.ethnicity = pickWeighted(r, ethnicities[1:])
		}
		status, left := "active", ""
		if x := r.IntN(1000); x < 15 && len(positions) == 0 {
			status, left = "resigned", civil.MustParse(n.termStart).AddDays(100+r.IntN(300)).String()
		} else if x < 20 && len(positions) == 0 {
			status, left = "deceased", civil.MustParse(n.termStart).AddDays(100+r.IntN(300)).String()
		}
		pid := g.addPerson(r, n, p, idSeen, created)
		mid := g.next(g.t.memberships)
		g.t.memberships.add(mid, n.id, pid, n.termID, n.sectorIDs[sector], affiliation, strings.Join(positions, ","),
			standing, affiliation == "cpc", status, pickSome(r, skills, 0, 2), pickSome(r, resources, 0, 2),
			n.termStart, left, 1, created, created)
		if status == "active" {
			active = append(active, mid)
		}
		g.t.memberGroups.add(n.id, mid, group, groupRole)
		if specialGroup != 0 && specialGroup != group {
			role := "member"
			if len(positions) == 1 && positions[0] == "special_committee_director" {
				role = "leader"
			}
			g.t.memberGroups.add(n.id, mid, specialGroup, role)
		}
		n.created++
		if g.o.memberUsers() {
			g.user(n, fmt.Sprintf("%s-m%04d", n.code, i+1), p.name, pid, nil, "member", created)
		}
		if n.lvl == lvlCounty && n.parent != nil && n.parent.lvl == lvlPrefecture && len(positions) == 0 &&
			status == "active" && r.IntN(100) < crossLevelPercent {
			g.crossLevel(r, n.parent, p, sector, affiliation, created)
		}
	}
	return active
}

// person draws one member's personal data; the employer fits the sector, and
// the committee's full-time leaders work for the committee itself.
func (g *generator) person(r *rand.Rand, n *node, sector string, positions []string) person {
	var p person
	p.name, p.gender = personName(r)
	birth := civil.Date{Year: g.o.Year - 30 - r.IntN(35), Month: time.Month(1 + r.IntN(12)), Day: 1 + r.IntN(28)}
	p.birth = birth.String()
	p.ethnicity = pickWeighted(r, ethnicities)
	p.phone = mobile(r)
	e, ok := employersBySector[sector]
	if !ok {
		e = defaultEmployer
	}
	place := n.place
	if n.lvl == lvlNational { // national members come from all over the country
		place = provinces[r.IntN(len(provinces))].name
	}
	p.employer = strings.ReplaceAll(e.employers[r.IntN(len(e.employers))], "%s", place)
	p.title = e.titles[r.IntN(len(e.titles))]
	if len(positions) > 0 {
		switch positions[0] {
		case "chair", "secretary_general", "deputy_secretary_general":
			p.employer, p.title = n.name, leaderTitles[positions[0]]
		}
	}
	return p
}

// leaderTitles are the job titles of a committee's full-time leaders.
var leaderTitles = map[string]string{"chair": "主席", "secretary_general": "秘书长", "deputy_secretary_general": "副秘书长"}

// addPerson writes a person row (with an encrypted ID number when configured) and returns its id.
func (g *generator) addPerson(r *rand.Rand, n *node, p person, seen map[string]bool, created time.Time) int64 {
	id := g.next(g.t.people)
	var enc, hash any
	mask := ""
	if g.o.IDBox != nil {
		num := ""
		for num == "" || seen[num] {
			num = idNumber(r, regionOf(r, n), p.birth, p.gender == "male")
		}
		seen[num] = true
		sealed, err := g.o.IDBox.Seal(num, id)
		if err != nil {
			panic(err) // only on a broken random source
		}
		h, err := g.o.IDBox.Hash(num)
		if err != nil {
			panic(err)
		}
		enc, hash, mask = sealed, h, org.MaskIDNumber(num)
	}
	row := []any{id, n.id, p.name, p.gender, p.birth, p.ethnicity, enc, hash, p.phone, "", p.employer, p.title, created, created}
	if g.idMask {
		row = append(row, mask)
	}
	g.t.people.add(row...)
	return id
}

// crossLevel makes a county member also a member of the prefecture's committee.
func (g *generator) crossLevel(r *rand.Rand, pref *node, p person, sector, affiliation string, created time.Time) {
	pid := g.addPerson(r, pref, p, map[string]bool{}, created)
	mid := g.next(g.t.memberships)
	g.t.memberships.add(mid, pref.id, pid, pref.termID, pref.sectorIDs[sector], affiliation, "",
		false, affiliation == "cpc", "active", "", "", pref.termStart, "", 1, created, created)
	_, nGroups, _, _ := groupPlan(pref.lvl)
	g.t.memberGroups.add(pref.id, mid, pref.groupIDs[r.IntN(nGroups)], "member")
	pref.created++
}

// regionOf is the six-digit region code printed in the ID numbers of a committee's members.
func regionOf(r *rand.Rand, n *node) string {
	if n.lvl == lvlNational {
		return provinces[r.IntN(len(provinces))].code + "0102"
	}
	if strings.HasSuffix(n.code, "00") {
		return n.code[:4] + "02"
	}
	return n.code
}

// idNumber builds an 18-character citizen ID number (GB 11643) with a valid check character.
func idNumber(r *rand.Rand, region, birth string, male bool) string {
	seq := r.IntN(500) * 2
	if male {
		seq++
	}
	body := region + strings.ReplaceAll(birth, "-", "") + fmt.Sprintf("%03d", seq)
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(body[i]-'0') * weights[i]
	}
	return body + string("10X98765432"[sum%11])
}
