package scenario

import (
	"context"

	"lvzhi/internal/activity"
	"lvzhi/internal/assist"
	"lvzhi/internal/db"
)

// QingheSpec is a second, smaller worked year with numbers of its own (a
// fictional county, 2021), so the report's golden files show the report is
// general: 60 registered proposals (A 38, B 13, C 9: A+B 51, 85%), 6 of
// them discussed by phone (面商率 90%), 3 units assessed, two leaders' key
// proposals; 5 调研, 2 视察, 3 协商, 1 跟踪问效, 1 民主评议, 4 reports to
// the Party committee; 20/5 articles, 6 TV episodes, 11 articles, no
// volume; 三送三帮 to 30 June: 312,000 yuan in 12 records, 21 goods
// donations worth 87,650 yuan, 40 households into industry, 9 students,
// 14 jobs, 230 information items, 1,500 readings, 45 of 62 members taking
// part; no pledge meeting, one site.
var QingheSpec = Spec{
	county: county{name: "清河县", code: "539977", members: 62, year: 2021, seed: 2021, prefix: "qh_",
		leaders: []string{"吴海明", "郑丽萍"}},
	ClassA: 38, ClassB: 13, ClassC: 9, Collective: 5, Units: 10, Assessed: 3, Declined: 2, ByPhone: 6,
	Research:   []string{"茶叶产业发展调研", "农村养老服务调研", "城区老旧小区改造调研", "乡村学校布局调研", "河道治理调研"},
	Inspection: []string{"农村公路建设视察", "食品安全监管视察"},
	Consultations: []consult{
		{activity.KindBimonthly, "乡村振兴产业发展双月协商"},
		{activity.KindSectorConsult, "教育界别协商"},
		{activity.KindProposalConsult, "重点提案办理协商"},
	},
	FollowUps: []string{"河道治理跟踪问效"},
	Appraisal: []string{"县市场监督管理局民主评议"},
	Study:     []string{"委员履职培训"},
	ToParty: []string{"关于茶叶产业发展的调研报告", "关于农村养老服务的协商报告", "关于城区老旧小区改造的调研报告",
		"关于乡村振兴产业发展的协商报告"},
	Minutes: 3, Instructed: 1,
	ArticlesCollected: 20, ArticlesPublished: 5, TV: 6, PressArticles: 11,
	AssistTo: day(2021, 6, 30), CashFen: 31_200_000, CashParts: 12, Goods: 21, GoodsValueFen: 8_765_000,
	IndustryHouseholds: 40, Students: 9, Jobs: 14, Info: 230, Readings: 1500, Participants: 45,
	Sites: []assist.Site{{Name: "清溪镇茶园村", OpenedOn: day(2021, 4, 8), Projects: []assist.Project{
		{Kind: "factory", Name: "茶叶加工车间", Donors: 4, AmountFen: 18_000_000}}}},
	Townships: []string{"清溪镇", "河口镇", "云岭乡"},
}

// Qinghe2021 builds the second worked scenario (see QingheSpec).
func Qinghe2021(ctx context.Context, d *db.DB, opt Options) (*Result, error) {
	return Build(ctx, d, QingheSpec, opt)
}
