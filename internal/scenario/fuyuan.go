package scenario

import (
	"context"

	"lvzhi/internal/activity"
	"lvzhi/internal/assist"
	"lvzhi/internal/db"
)

// Fuyuan is the fictional county of the Fuyuan 2018 scenario (modelled on
// the committee whose 2018 work report is the platform's reference).
const (
	FuyuanName = "滇源县"
	FuyuanCode = "539918"
)

// FuyuanSpec is the year of ../shared/scenarios/fuyuan-2018.md: 214 registered
// proposals (A 150, B 53, C 11: A+B 203, 94.9%), all handled face to face and
// evaluated satisfied, 7 units assessed, one key proposal per leader (4);
// 10 调研, 4 视察, 6 协商, 3 跟踪问效, 2 民主评议, 8 reports to the county
// Party committee; 73/12 articles; 17 TV episodes and 57 articles; one
// volume; 三送三帮 to 20 November: 2,485,500 yuan in cash, 163 goods
// donations worth 2,140,000 yuan, 563 households into industry, 56 students,
// 132 jobs, 1,426 information items, 10,200 readings, 98 of 100 members
// taking part; the 百日会战 pledges (27 members, 1,100,000 yuan, 50
// households, 7 jobs, 286 industry households); 2 demonstration sites
// where 15 members and donors gave 1,050,000 yuan.
var FuyuanSpec = Spec{
	county: county{name: FuyuanName, code: FuyuanCode, members: 103, year: 2018, seed: 2018, prefix: "fy_",
		leaders: []string{"李卫东", "周建明", "黄振华", "孙立新"}},
	ClassA: 150, ClassB: 53, ClassC: 11, Collective: 21, Units: 24, Assessed: 7, Declined: 6,
	Research: []string{"易地扶贫搬迁后续扶持调研", "农村危房改造调研", "农村道路建设调研", "农村安全饮水调研", "魔芋产业发展调研",
		"民营经济发展调研", "乡村医生队伍建设调研", "农村义务教育控辍保学调研", "非物质文化遗产保护调研", "城区停车难问题调研"},
	Inspection: []string{"河长制落实情况视察", "脱贫攻坚项目建设视察", "城乡公交运行视察", "重点提案办理视察"},
	Consultations: []consult{
		{activity.KindBimonthly, "易地搬迁、危房改造、道路建设、安全饮水双月协商"},
		{activity.KindBimonthly, "河长制落实双月协商"},
		{activity.KindBimonthly, "北城开发建设与管理双月协商"},
		{activity.KindCounterpart, "城乡公交发展对口协商"},
		{activity.KindTopicConsult, "教育基本均衡发展专题协商"},
		{activity.KindProposalConsult, "重点提案办理协商"},
	},
	FollowUps: []string{"河长制落实跟踪问效", "易地扶贫搬迁跟踪问效", "农村安全饮水跟踪问效"},
	Appraisal: []string{"县交通运输局民主评议", "县卫生健康局民主评议"},
	Study:     []string{"新思想专题学习会", "委员履职能力培训"},
	ToParty: []string{"关于易地扶贫搬迁后续扶持的调研报告", "关于农村危房改造的协商报告", "关于农村道路建设的调研报告",
		"关于农村安全饮水的协商报告", "关于河长制落实的调研报告", "关于北城开发建设与管理的协商报告",
		"关于城乡公交发展的调研报告", "关于教育基本均衡发展的协商报告"},
	Minutes: 6, Instructed: 5,
	ArticlesCollected: 73, ArticlesPublished: 12, TV: 17, PressArticles: 57, Volumes: []string{"《滇源地名文化》"},
	AssistTo: day(2018, 11, 20), CashFen: 248_550_000, CashParts: 60, Goods: 163, GoodsValueFen: 214_000_000,
	IndustryHouseholds: 563, Students: 56, Jobs: 132, Info: 1426, Readings: 10_200, Participants: 98,
	PledgeMembers: 27, PledgeFen: 110_000_000, PledgeHouseholds: 50, PledgeJobs: 7, PledgeIndustr: 286,
	Sites: []assist.Site{
		{Name: "城关街道东山社区", OpenedOn: day(2018, 9, 10), Projects: []assist.Project{
			{Kind: "supermarket", Name: "爱心超市", Donors: 5, AmountFen: 32_000_000},
			{Kind: "factory", Name: "扶贫车间", Donors: 3, AmountFen: 28_000_000}}},
		{Name: "东安镇阿依村", OpenedOn: day(2018, 10, 16), Projects: []assist.Project{
			{Kind: "factory", Name: "扶贫车间", Donors: 4, AmountFen: 30_000_000},
			{Kind: "library", Name: "农家书屋", Donors: 3, AmountFen: 15_000_000}}},
	},
	Townships: []string{"城关街道", "东安镇", "北山镇", "清河镇", "石岭镇", "云台乡", "新民乡", "龙泉镇"},
}

// Fuyuan2018 builds the Fuyuan 2018 scenario in d (migrated): the county
// committee's organisation, logins (fy_staff, fy_proposal, fy_assistance,
// fy_leader1..4) and its year of records, entered through the areas'
// services with their real 2018 dates. If the committee is already there it
// writes nothing (Result.Seeded is false).
func Fuyuan2018(ctx context.Context, d *db.DB, opt Options) (*Result, error) {
	return Build(ctx, d, FuyuanSpec, opt)
}

// Build builds a scenario's organisation and year.
func Build(ctx context.Context, d *db.DB, sp Spec, opt Options) (*Result, error) {
	w, err := newWorld(ctx, d, sp.county, opt)
	if err != nil {
		return nil, err
	}
	if !w.res.Seeded {
		return w.res, nil
	}
	if err := build(ctx, d, w, sp); err != nil {
		return nil, err
	}
	return w.res, nil
}
