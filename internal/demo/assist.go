package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"lvzhi/internal/assist"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/org"
	"lvzhi/internal/secret"
)

// The demo's 三送三帮 year (2018, to 20 November) reproduces the report's
// figures (../shared/scenarios/fuyuan-2018.md): 2,485,500 yuan donated, 163
// goods donations worth 2,140,000 yuan, 563 households helped into an
// industry, 56 students, 132 jobs, 1,426 information items, 10,240 copies of
// readings, 98% of serving members taking part; the 百日会战 pledge of 27
// members (1.1 million yuan, 50 households, 7 jobs, 286 industry
// households); open needs for the matching page; a few records awaiting
// verification; and the demo member paired with three households.
const (
	demoHouseholds        = 600
	demoCashYuan          = 2485500
	demoGoods             = 163
	demoGoodsYuan         = 2140000
	demoIndustry          = 563
	demoStudents          = 56
	demoJobs              = 132
	demoInfo              = 1426
	demoReadings          = 10240
	demoParticipationPct  = 98
	demoUnverifiedRecords = 12
)

// demoTownships are the county's townships, each with three villages.
var demoTownships = []string{"中安街道", "胜境街道", "营上镇", "富村镇", "墨红镇", "大河镇", "竹园镇", "后所镇", "十八连山镇", "老厂镇", "黄泥河镇", "古敢水族乡"}

var demoVillages = []string{"新民村", "团结村", "和平社区"}

var demoSurnames = []rune("张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐")

var demoGiven = []string{"国华", "建平", "永福", "春兰", "玉芬", "志明", "秀英", "德顺", "桂香", "文斌", "海燕", "正荣"}

func seedAssist(ctx context.Context, d *db.DB, box *secret.Box, committeeID int64, userIDs map[string]int64) error {
	officer := &auth.Actor{UserID: userIDs["assistance"], Name: "陈丽华", CommitteeID: committeeID, Roles: []auth.Role{auth.RoleAssistance}}
	if err := d.QueryRowContext(ctx, `SELECT path FROM committees WHERE id = $1`, committeeID).Scan(&officer.CommitteePath); err != nil {
		return err
	}
	var demoMember int64
	if err := d.QueryRowContext(ctx, `SELECT m.id FROM memberships m JOIN users u ON u.person_id = m.person_id
		WHERE u.id = $1 AND m.committee_id = $2 ORDER BY m.term_id DESC LIMIT 1`, userIDs["member"], committeeID).Scan(&demoMember); err != nil {
		return fmt.Errorf("demo assist member: %w", err)
	}
	serving, err := db.Column[int64](ctx, d, `SELECT m.id FROM memberships m WHERE m.committee_id = $1 AND m.status = 'active'
		AND m.term_id = (SELECT t.id FROM terms t WHERE t.committee_id = $1 ORDER BY t.number DESC LIMIT 1) ORDER BY m.id`, committeeID)
	if err != nil {
		return err
	}
	svc := assist.NewService(d)
	svc.Secret = box
	_, err = svc.Seed(ctx, officer, demoAssistData(serving, demoMember, box != nil))
	return err
}

// demoAssistData builds the year deterministically from the serving members.
func demoAssistData(serving []int64, demoMember int64, withIDs bool) assist.SeedData {
	r := rand.New(rand.NewPCG(GenSeed, 12))
	var data assist.SeedData
	seq := 0
	idNumber := func(birth civil.Date) string {
		if !withIDs {
			return ""
		}
		seq++
		first := fmt.Sprintf("530325%04d%02d%02d%03d", birth.Year, birth.Month, birth.Day, seq%1000)
		return first + string(org.IDCheckChar(first))
	}
	name := func() string {
		return string(demoSurnames[r.IntN(len(demoSurnames))]) + demoGiven[r.IntN(len(demoGiven))]
	}
	day := func(from, to civil.Date) civil.Date { return from.AddDays(r.IntN(from.DaysUntil(to) + 1)) }
	for i := range demoHouseholds {
		town := demoTownships[i%len(demoTownships)]
		head := name()
		in := assist.HouseholdInput{RegistryID: fmt.Sprintf("5303250%02d%04d", i%len(demoTownships)+1, i+1), HeadName: head,
			Attribute: []string{"general", "general", "dibao", "tekun"}[r.IntN(4)], CauseMain: assist.Causes[r.IntN(len(assist.Causes))],
			IncomeFen: int64(2500+r.IntN(3000)) * 100, Housing: []string{"砖混", "土木", "易地搬迁安置房"}[r.IntN(3)],
			Status: "poor", GovHelper: "县" + []string{"农业农村局", "教育体育局", "卫生健康局", "财政局"}[r.IntN(4)] + " " + name()}
		if r.IntN(3) == 0 {
			in.Status, in.LiftedYear = "lifted", 2016+r.IntN(3)
		}
		in.Members = append(in.Members, assist.MemberInput{Name: head, Gender: "male", Relation: "户主", Health: assist.Healths[r.IntN(4)],
			Labour: assist.Labours[r.IntN(5)], IDNumber: idNumber(civil.Date{Year: 1950 + r.IntN(35), Month: time.Month(1 + r.IntN(12)), Day: 1 + r.IntN(28)})})
		for k := range r.IntN(3) {
			in.Members = append(in.Members, assist.MemberInput{Name: name(), Gender: []string{"male", "female"}[k%2],
				Relation: []string{"之子", "之女"}[k%2], Schooling: "在校", Labour: "none",
				IDNumber: idNumber(civil.Date{Year: 2003 + r.IntN(12), Month: time.Month(1 + r.IntN(12)), Day: 1 + r.IntN(28)})})
		}
		data.Households = append(data.Households, assist.SeedHousehold{Township: town, Village: demoVillages[(i/len(demoTownships))%3], In: in})
	}
	// Who takes part: 98% of serving members, the demo member among them.
	n := len(serving) * demoParticipationPct / 100
	taking := append([]int64{}, serving[:n]...)
	if !slices.Contains(taking, demoMember) && n > 0 {
		taking[0] = demoMember
	}
	from, to := civil.MustParse("2018-01-05"), civil.MustParse("2018-11-20")
	member := func(i int) []int64 { return []int64{taking[i%len(taking)]} }
	rec := func(hh int, in assist.RecordInput, i int) {
		in.GivenOn, in.MembershipIDs = day(from, to), member(i)
		data.Records = append(data.Records, assist.SeedRecord{Household: hh, In: in, Verified: true})
	}
	for i := range demoIndustry { // one industry record per household, every taking member at least once
		rec(i, assist.RecordInput{Kind: "industry", Description: []string{"魔芋种植", "生猪养殖", "烤烟种植", "中药材种植", "乡村电商"}[i%5]}, i)
	}
	k := demoIndustry
	for i, fen := range split(r, demoCashYuan, 410) {
		rec(r.IntN(demoHouseholds), assist.RecordInput{Kind: "cash", AmountFen: fen * 100}, k+i)
	}
	for i, fen := range split(r, demoGoodsYuan, demoGoods) {
		rec(r.IntN(demoHouseholds), assist.RecordInput{Kind: "goods", GoodsItems: 1 + r.IntN(5), GoodsValueFen: fen * 100,
			Description: []string{"棉被", "化肥", "学习用品", "米和油", "衣物"}[i%5]}, k+i)
	}
	for i := range demoStudents {
		rec(r.IntN(demoHouseholds), assist.RecordInput{Kind: "study", Students: 1, Description: "资助在校学生完成学业"}, k+i)
	}
	for i, jobs := range split(r, demoJobs, 100) {
		rec(r.IntN(demoHouseholds), assist.RecordInput{Kind: "job", Jobs: int(jobs)}, k+i)
	}
	for i, c := range split(r, demoInfo, 300) {
		rec(-1, assist.RecordInput{Kind: "info", InfoCount: int(c), Description: "农产品市场价格、务工信息"}, k+i)
	}
	for i, c := range split(r, demoReadings, 120) {
		rec(-1, assist.RecordInput{Kind: "tech", Sessions: 1, Readings: int(c), Description: "种养殖实用技术读本"}, k+i)
	}
	for i := range demoUnverifiedRecords { // awaiting an officer's verification
		data.Records = append(data.Records, assist.SeedRecord{Household: i, Verified: false, In: assist.RecordInput{Kind: "info", InfoCount: 5,
			GivenOn: civil.MustParse("2018-11-25"), MembershipIDs: member(i)}})
	}
	// The demo member's households, and needs in every state.
	for i := range 3 {
		data.Pairings = append(data.Pairings, assist.SeedPairing{Household: i, MembershipID: demoMember})
	}
	kinds := []string{"study", "medical", "housing", "job", "industry", "info", "tech", "living"}
	texts := map[string]string{"study": "孩子上学的学费和生活费", "medical": "慢性病长期用药", "housing": "危房改造缺口资金", "job": "家中劳动力外出务工",
		"industry": "发展魔芋种植缺种苗和技术", "info": "农产品销售信息", "tech": "养殖技术指导", "living": "冬季御寒衣被"}
	for i := range 80 {
		hh := demoIndustry + i%(demoHouseholds-demoIndustry)
		kind := kinds[i%len(kinds)]
		state := assist.NeedOpen
		switch {
		case i >= 65:
			state = assist.NeedMet
		case i >= 50:
			state = assist.NeedInProgress
		}
		data.Needs = append(data.Needs, assist.SeedNeed{Household: hh, State: state, In: assist.NeedInput{Kind: kind, Description: texts[kind],
			Urgency: 1 + r.IntN(3), CollectedOn: day(civil.MustParse("2018-03-01"), to)}})
		if state != assist.NeedOpen {
			data.Pairings = append(data.Pairings, assist.SeedPairing{Household: hh, MembershipID: taking[(i*7)%len(taking)]})
		}
	}
	data.Offers = map[int64]assist.OfferInput{}
	for i, m := range taking[:min(80, len(taking))] {
		var towns []string
		if i%4 != 0 {
			towns = []string{demoTownships[i%len(demoTownships)], demoTownships[(i+3)%len(demoTownships)]}
		}
		data.Offers[m] = assist.OfferInput{Kinds: []string{kinds[i%len(kinds)], kinds[(i+3)%len(kinds)]}, Townships: towns, Capacity: 1 + i%3}
	}
	data.Pledges = []assist.PledgeInput{{Meeting: "脱贫攻坚“百日会战”动员会", PledgedOn: civil.MustParse("2018-06-12"),
		DueOn: civil.MustParse("2018-09-20"), AmountFen: 110000000, Households: 50, Jobs: 7, IndustryHouseholds: 286,
		MembershipIDs: taking[:min(27, len(taking))]}}
	return data
}

// split divides total (at least n) into n positive parts at random
// (deterministic for r): one each, the rest by random weights, the
// remainder of the division to the last part.
func split(r *rand.Rand, total int64, n int) []int64 {
	weights := make([]int64, n)
	var sum int64
	for i := range weights {
		weights[i] = int64(1 + r.IntN(100))
		sum += weights[i]
	}
	out := make([]int64, n)
	rest, given := total-int64(n), int64(0)
	for i, w := range weights {
		out[i] = 1 + rest*w/sum
		given += out[i]
	}
	out[n-1] += total - given
	return out
}
