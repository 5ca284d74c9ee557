package gen

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"lvzhi/internal/civil"
	"lvzhi/internal/org"
)

// crossLevelPercent of a county's members also sit on the prefecture's committee:
// one person (one identity, the same ID number) with a people row and a
// membership in each committee, as org.Service does it.
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
		ident := g.identity(r, n, p, created)
		pid := g.addPerson(n, p, ident, created)
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
			g.crossLevel(r, n.parent, p, ident, sector, affiliation, created)
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

// ident is a generated person's identity: its id (0 without a key) and the masked number.
type ident struct {
	id   int64
	mask string
}

// identity draws a citizen ID number for p, unique in the whole run (the
// identities table holds each number once), and writes its identity row with
// the number sealed to the identity's id. Without a key there is none.
func (g *generator) identity(r *rand.Rand, n *node, p person, created time.Time) ident {
	if g.o.IDBox == nil {
		return ident{}
	}
	num := idNumber(r, regionOf(r, n), p.birth, p.gender == "male")
	for g.idSeen[idKey(num)] { // taken: the next sequence number, drawing nothing more from r
		num = nextIDNumber(num)
	}
	g.idSeen[idKey(num)] = true
	id := g.next(g.t.identities)
	sealed, err := g.o.IDBox.Seal(num, id)
	if err != nil {
		panic(err) // only on a broken random source
	}
	h, err := g.o.IDBox.Hash(num)
	if err != nil {
		panic(err)
	}
	g.t.identities.add(id, h, sealed, created)
	return ident{id: id, mask: org.MaskIDNumber(num)}
}

// addPerson writes a committee's people row of a person and returns its id.
func (g *generator) addPerson(n *node, p person, id ident, created time.Time) int64 {
	pid := g.next(g.t.people)
	var identity any
	if id.id != 0 {
		identity = id.id
	}
	row := []any{pid, n.id, p.name, p.gender, p.birth, p.ethnicity, identity, p.phone, "", p.employer, p.title, created, created}
	if g.idMask {
		row = append(row, id.mask)
	}
	g.t.people.add(row...)
	return pid
}

// crossLevel makes a county member also a member of the prefecture's committee:
// the same person (identity and shared fields), the prefecture's own people row.
func (g *generator) crossLevel(r *rand.Rand, pref *node, p person, id ident, sector, affiliation string, created time.Time) {
	pid := g.addPerson(pref, p, id, created)
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
	return withCheck(region + strings.ReplaceAll(birth, "-", "") + fmt.Sprintf("%03d", seq))
}

// nextIDNumber is the number after num with the same region, birth date and
// gender (sequence + 2, wrapping within 000-999).
func nextIDNumber(num string) string {
	seq, _ := strconv.Atoi(num[14:17])
	return withCheck(num[:14] + fmt.Sprintf("%03d", (seq+2)%1000))
}

// idKey packs the 17 digits before the check character into one integer, so
// the run's set of drawn numbers stays small at national scale.
func idKey(num string) uint64 {
	k, _ := strconv.ParseUint(num[:17], 10, 64)
	return k
}

// withCheck appends the check character to a 17-digit body.
func withCheck(body string) string {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(body[i]-'0') * weights[i]
	}
	return body + string("10X98765432"[sum%11])
}
