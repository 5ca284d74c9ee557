package gen

import (
	"fmt"
	"math/rand/v2"
	"time"

	"lvzhi/internal/civil"
	"lvzhi/internal/org"
)

// 三送三帮's registry for each county committee: townships and villages, and
// registered poor households (建档立卡贫困户) with their members — citizen ID
// numbers valid per GB 11643, sealed to the member row's id with the run's
// key and hashed for lookups as the assist area stores them (left empty
// without a key), attributes, causes, income and status in the shares of a
// county of the report's years.

// assistTables are the buffers of the assist registry, in foreign-key order.
type assistTables struct {
	villages, households, members *table
}

func newAssistTables() *assistTables {
	return &assistTables{
		villages: &table{name: "assist_villages", cols: cols("id committee_id township name code created_at")},
		households: &table{name: "assist_households", cols: cols("id committee_id registry_id village_id head_name attribute " +
			"cause_main cause_other1 cause_other2 income_fen housing status lifted_year gov_helper version created_at updated_at")},
		members: &table{name: "assist_household_members", cols: cols("id committee_id household_id name gender id_number_enc " +
			"id_number_hash id_masked relation health labour schooling phone_enc sort created_at")},
	}
}

func (a *assistTables) all() []*table { return []*table{a.villages, a.households, a.members} }

// DefaultHouseholds is how many households a county gets at county scale.
const DefaultHouseholds = 2000

// households is how many households each county committee gets: Options.Households,
// else DefaultHouseholds at county scale and none above (a nation of them is
// tens of millions of rows: ask for it).
func (o *Options) households() int {
	switch {
	case o.Households < 0:
		return 0
	case o.Households > 0:
		return o.Households
	case o.Scale == County:
		return DefaultHouseholds
	}
	return 0
}

var (
	genAttributes = []weighted{{"general", 62}, {"dibao", 33}, {"tekun", 5}}
	genCauses     = []weighted{{"illness", 24}, {"disability", 7}, {"schooling", 9}, {"disaster", 3}, {"land", 4}, {"water", 2},
		{"tech", 16}, {"labour", 12}, {"funds", 14}, {"transport", 4}, {"motivation", 4}, {"other", 1}}
	genStatuses = []weighted{{"lifted", 62}, {"poor", 28}, {"monitored", 8}, {"relapsed", 2}}
	genHousing  = []string{"砖混", "砖木", "土木", "易地扶贫搬迁安置房", "危房改造"}
	genHealth   = []weighted{{"healthy", 78}, {"chronic", 14}, {"serious", 3}, {"disabled", 5}}
	genHelpers  = []string{"县扶贫办", "县农业农村局", "县教育体育局", "县卫生健康局", "县人社局", "县住建局", "县水务局"}
)

// assist generates a county's villages and households from its own random
// stream, so the rest of the run's data does not change with it.
func (g *generator) assist(n *node) {
	k := g.o.households()
	if g.ast == nil || n.lvl != lvlCounty || k == 0 {
		return
	}
	r := rand.New(rand.NewPCG(g.o.Seed^0x5A55_1571, uint64(n.idx)+1))
	created := instant(fmt.Sprintf("%04d-03-01", g.o.Year))
	type village struct {
		id        int64
		town, vil string
	}
	var villages []village
	used := map[string]bool{}
	for t := range 8 + r.IntN(6) {
		town := placeName(r, used) + []string{"镇", "乡", "街道"}[min(t%7, 2)]
		for range 6 + r.IntN(8) {
			v := village{id: g.next(g.ast.villages), town: town, vil: placeName(r, used) + "村"}
			g.ast.villages.add(v.id, n.id, v.town, v.vil, "", created)
			villages = append(villages, v)
		}
	}
	for i := range k {
		v := villages[r.IntN(len(villages))]
		g.household(r, n, v.id, fmt.Sprintf("%s%03d%05d", n.code, r.IntN(1000), i), created)
	}
}

// household writes one household with its members (head first).
func (g *generator) household(r *rand.Rand, n *node, villageID int64, reg string, created time.Time) {
	id := g.next(g.ast.households)
	head, _ := personName(r)
	cause := pickWeighted(r, genCauses)
	other := ""
	if r.IntN(3) == 0 {
		if o := pickWeighted(r, genCauses); o != cause {
			other = o
		}
	}
	status, lifted := pickWeighted(r, genStatuses), 0
	if status == "lifted" {
		lifted = 2014 + r.IntN(max(g.o.Year-2013, 1))
	}
	g.ast.households.add(id, n.id, reg, villageID, head, pickWeighted(r, genAttributes), cause, other, "",
		int64(2300+r.IntN(4000))*100, genHousing[r.IntN(len(genHousing))], status, lifted,
		genHelpers[r.IntN(len(genHelpers))]+" "+string([]rune(head)[:1])+"某", 1, created, created)
	size := 1 + r.IntN(5)
	for j := range size {
		name, gender := personName(r)
		relation, age := "户主", 35+r.IntN(40)
		switch {
		case j == 0:
			name = head
		case j == 1:
			relation, age = "配偶", 30+r.IntN(40)
		case j == size-1 && size > 3:
			relation, age = "之父", 65+r.IntN(20)
		default:
			relation, age = []string{"之子", "之女"}[r.IntN(2)], 3+r.IntN(22)
		}
		birth := civil.Date{Year: g.o.Year - age, Month: time.Month(1 + r.IntN(12)), Day: 1 + r.IntN(28)}
		labour, school := "ordinary", ""
		switch {
		case age < 16:
			labour, school = "none", []string{"学前", "小学", "初中"}[min(age/6, 2)]
		case age > 64:
			labour = "weak"
		}
		g.householdMember(r, n, id, j, name, gender, relation, birth, labour, school, created)
	}
}

// householdMember writes one member, its ID number sealed to its row's id.
func (g *generator) householdMember(r *rand.Rand, n *node, hid int64, sort int, name, gender, relation string, birth civil.Date,
	labour, school string, created time.Time) {
	id := g.next(g.ast.members)
	var enc, hash any
	mask := ""
	if g.o.IDBox != nil {
		num := idNumber(r, regionOf(r, n), birth.String(), gender == "male")
		for g.idSeen[idKey(num)] {
			num = nextIDNumber(num)
		}
		g.idSeen[idKey(num)] = true
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
	g.ast.members.add(id, n.id, hid, name, gender, enc, hash, mask, relation, pickWeighted(r, genHealth), labour, school, nil, sort, created)
}
