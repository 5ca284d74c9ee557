package scenario

import (
	"context"
	"fmt"

	"lvzhi/internal/activity"
	"lvzhi/internal/assist"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/proposal"
)

// Spec is a scenario's year: the organisation and how many records of each
// kind to enter, chosen so that the registered figures come out as the
// committee's report states them.
type Spec struct {
	county

	// Proposals: every registered proposal is replied to, after a face-to-face
	// contact, and evaluated satisfied by its proposer; ClassA+ClassB+ClassC
	// are registered, Collective of them are body (集体) proposals. They are
	// spread over Units government units, the first Assessed of which are
	// assessed (测评); one key proposal per leader.
	ClassA, ClassB, ClassC int
	Collective             int
	Units, Assessed        int
	Declined               int // 不予立案 (received, not registered)
	// ByPhone: the last n registered proposals were discussed by phone, not
	// face to face (面商率 below 100%).
	ByPhone int

	// Activities held (past-record entry), each with a small attendance roll.
	Research, Inspection []string // titles
	Consultations        []consult
	FollowUps, Appraisal []string
	Study                []string
	// Outputs: reports sent to the Party committee, and minutes kept.
	ToParty []string
	Minutes int
	// Instructed: the first n outputs to the Party committee got a leader's 批示.
	Instructed int

	ArticlesCollected, ArticlesPublished int
	TV, PressArticles                    int
	Volumes                              []string

	// 三送三帮 to AssistTo: cash in CashParts records, goods records and
	// their value, households helped into industry, students, jobs,
	// information items, readings, and the number of serving members taking part.
	AssistTo                  civil.Date
	CashFen                   int64
	CashParts                 int
	Goods                     int
	GoodsValueFen             int64
	IndustryHouseholds        int
	Students, Jobs            int
	Info, Readings            int
	Participants              int // serving members with a verified record (of County.members)
	PledgeMembers             int
	PledgeFen                 int64
	PledgeHouseholds          int
	PledgeJobs, PledgeIndustr int
	Townships                 []string
	// Sites are the demonstration sites (助推示范点) with their projects.
	Sites []assist.Site
}

// consult is a consultation activity of a kind.
type consult struct {
	kind  activity.Kind
	title string
}

// build enters the spec's year into w through the services.
func build(ctx context.Context, d *db.DB, w *world, sp Spec) error {
	if err := buildProposals(ctx, d, w, sp); err != nil {
		return fmt.Errorf("scenario proposals: %w", err)
	}
	if err := buildActivities(ctx, d, w, sp); err != nil {
		return fmt.Errorf("scenario activities: %w", err)
	}
	if err := buildAssist(ctx, d, w, sp); err != nil {
		return fmt.Errorf("scenario 三送三帮: %w", err)
	}
	w.res.AssistTo = sp.AssistTo
	return nil
}

// topics are what the scenario's proposals are about.
var topics = []struct {
	theme proposal.Theme
	title string
}{
	{proposal.Economy, "高原特色农业产业发展"}, {proposal.Economy, "魔芋产业提质增效"}, {proposal.Economy, "农村电子商务发展"},
	{proposal.Economy, "乡村旅游发展"}, {proposal.Economy, "易地扶贫搬迁后续产业扶持"}, {proposal.Economy, "民营企业融资"},
	{proposal.Politics, "基层协商民主建设"}, {proposal.Politics, "村（社区）法律顾问制度"}, {proposal.Politics, "政务服务一网通办"},
	{proposal.Culture, "非物质文化遗产保护传承"}, {proposal.Culture, "农村公共文化服务"}, {proposal.Culture, "地名文化保护"},
	{proposal.Society, "农村义务教育控辍保学"}, {proposal.Society, "乡村医生队伍建设"}, {proposal.Society, "城区停车难问题"},
	{proposal.Society, "农村饮水安全巩固提升"}, {proposal.Society, "居家养老服务"}, {proposal.Society, "农村留守儿童关爱"},
	{proposal.Society, "城乡公交发展"}, {proposal.Society, "农村危房改造"}, {proposal.Ecology, "河长制落实"},
	{proposal.Ecology, "城乡生活垃圾处理"}, {proposal.Ecology, "石漠化综合治理"}, {proposal.Ecology, "农村人居环境整治"},
}

var titleForms = []string{"关于加快%s%s的建议", "关于进一步加强%s%s的建议", "关于推进%s%s的建议", "关于完善%s%s的建议", "关于%s%s的几点建议"}

// buildProposals backfills the year's proposals (补录), marks one key
// proposal per leader and assesses the first units.
func buildProposals(ctx context.Context, d *db.DB, w *world, sp Spec) error {
	svc := proposal.NewService(d)
	n := sp.ClassA + sp.ClassB + sp.ClassC
	if len(w.units) < sp.Units || sp.Units < sp.Assessed || len(w.members) == 0 {
		return fmt.Errorf("the organisation has %d units and %d members", len(w.units), len(w.members))
	}
	span := w.submitFrom.DaysUntil(w.submitTo)
	var keys []*proposal.Proposal
	for i := 0; i < n+sp.Declined; i++ {
		tp := topics[i%len(topics)]
		place := sp.Townships[(i/len(topics))%len(sp.Townships)]
		form := titleForms[(i/len(topics)/len(sp.Townships))%len(titleForms)]
		c := proposal.Content{SessionID: w.sessionID, Kind: proposal.Individual, Theme: tp.theme,
			Title:  fmt.Sprintf(form, place, tp.title),
			Matter: "关于" + place + tp.title + "的提案", Analysis: "现状与存在的问题。", Suggestions: "一是……二是……三是……"}
		if i < sp.Collective {
			c.Kind, c.BodyType, c.BodyName = proposal.Body, proposal.BodyParty, sp.county.name+bodies[i%len(bodies)]
		}
		proposer := w.members[i%len(w.members)]
		submitted := w.submitFrom.AddDays(i % (span + 1))
		h := proposal.History{Content: c, FirstProposer: proposer, SubmittedOn: submitted}
		registeredOn := w.submitTo.AddDays(5)
		if i >= n {
			h.Declined = &proposal.Declination{On: registeredOn, Reason: "private", Note: "属于个人事务。"}
			if _, err := svc.Backfill(ctx, w.res.Office, h); err != nil {
				return fmt.Errorf("declined %d: %w", i, err)
			}
			continue
		}
		class := "A"
		switch {
		case i >= sp.ClassA+sp.ClassB:
			class = "C"
		case i >= sp.ClassA:
			class = "B"
		}
		u := w.units[i%sp.Units].id
		assigned := registeredOn.AddDays(10)
		contact := assigned.AddDays(15 + i%20)
		replied := contact.AddDays(30 + i%25)
		approved := replied.AddDays(3)
		h.Registered = &proposal.Registration{On: registeredOn, Seq: i + 1}
		h.Assigned = &proposal.HistoryAssignment{On: assigned, Mode: proposal.Single, Units: []int64{u}}
		method := proposal.ByFace
		if i >= n-sp.ByPhone {
			method = proposal.ByPhone
		}
		h.Contacts = []proposal.HistoryContact{{Unit: u, ContactInput: proposal.ContactInput{On: contact, Method: method,
			People: "提案人、承办单位负责人"}}}
		h.Replies = []proposal.HistoryReply{{Unit: u, On: replied, Class: class, Letter: "经研究，现答复如下：……", ApprovedOn: approved}}
		h.Evaluations = []proposal.HistoryEvaluation{{Signer: proposer, On: approved.AddDays(7), EvaluationInput: proposal.EvaluationInput{
			Overall: proposal.Satisfied, Contact: proposal.Visited, Attitude: proposal.Satisfied, Addressed: proposal.Targeted}}}
		p, err := svc.Backfill(ctx, w.res.Office, h)
		if err != nil {
			return fmt.Errorf("proposal %d: %w", i, err)
		}
		if len(keys) < len(w.res.Leaders) && class == "A" && i >= sp.Collective {
			keys = append(keys, p)
		}
	}
	for i, p := range keys {
		if _, err := svc.MarkKey(ctx, w.res.Office, proposal.Ref{ID: p.ID, Version: p.Version}, true,
			[]int64{w.res.Leaders[i].UserID}, "主席会议确定的重点提案"); err != nil {
			return fmt.Errorf("key proposal: %w", err)
		}
	}
	if err := svc.UseDefaultSheet(ctx, w.res.Office); err != nil {
		return err
	}
	items, _, err := svc.AssessItems(ctx, w.res.Office)
	if err != nil {
		return err
	}
	for _, u := range w.units[:sp.Assessed] {
		pre, err := svc.AssessmentPrefill(ctx, w.res.Office, w.res.Year, u.id)
		if err != nil {
			return err
		}
		points := map[int64]int{}
		for _, it := range items {
			if !it.Active {
				continue
			}
			points[it.ID] = it.MaxPoints
			if p, ok := pre[it.ID]; ok {
				points[it.ID] = p.Points
			}
		}
		if _, err := svc.SaveAssessment(ctx, w.res.Office, proposal.AssessmentInput{Year: w.res.Year, UnitID: u.id, Points: points,
			Note: "年度提案办理工作测评"}); err != nil {
			return fmt.Errorf("assess %s: %w", u.name, err)
		}
	}
	return nil
}

// bodies are the parties submitting collective proposals.
var bodies = []string{"民盟支部", "民建支部", "农工党支部", "九三学社支社", "工商联"}

// buildActivities enters the year's activities with their attendance, their
// outputs, and the study, publicity and culture ledgers.
func buildActivities(ctx context.Context, d *db.DB, w *world, sp Spec) error {
	svc := activity.NewService(d)
	staff, y := w.res.Staff, w.res.Year
	n := 0
	held := func(kind activity.Kind, title string) (*activity.Activity, error) {
		on := day(y, 2+n%10, 5+(n*3)%20)
		var roll []activity.PastRow
		for k := 0; k < 6; k++ {
			st := activity.Attended
			if k == 5 && n%3 == 0 {
				st = activity.LeaveApproved
			}
			roll = append(roll, activity.PastRow{PersonID: w.persons[(n*6+k)%len(w.persons)], Status: st})
		}
		n++
		a, err := svc.EnterPast(ctx, staff, w.cid, activity.Input{Kind: kind, Title: title, Place: sp.county.name, StartsOn: on,
			StartsAt: "09:00", EndsAt: "11:30", Mandatory: true}, roll)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", kind, title, err)
		}
		return a, nil
	}
	for _, g := range []struct {
		kind   activity.Kind
		titles []string
	}{{activity.KindResearch, sp.Research}, {activity.KindInspection, sp.Inspection}, {activity.KindFollowUp, sp.FollowUps},
		{activity.KindAppraisal, sp.Appraisal}, {activity.KindStudy, sp.Study}} {
		for _, t := range g.titles {
			if _, err := held(g.kind, t); err != nil {
				return err
			}
		}
	}
	for _, c := range sp.Consultations {
		a, err := held(c.kind, c.title)
		if err != nil {
			return err
		}
		if sp.Minutes > 0 {
			if _, err := svc.CreateOutput(ctx, staff, w.cid, activity.OutputInput{ActivityID: a.ID, Kind: activity.OutMinutes,
				Title: c.title + "纪要", DatedOn: a.StartsOn.AddDays(3), Past: true}); err != nil {
				return fmt.Errorf("minutes: %w", err)
			}
		}
	}
	for i, t := range sp.ToParty {
		kind := activity.OutResearchReport
		if i%2 == 1 {
			kind = activity.OutConsultReport
		}
		o, err := svc.CreateOutput(ctx, staff, w.cid, activity.OutputInput{Kind: kind, Number: fmt.Sprintf("%d-%02d", y, i+1),
			Title: t, DatedOn: day(y, 3+i%9, 15), SentTo: sp.county.name + "委", ToParty: true, Past: true})
		if err != nil {
			return fmt.Errorf("output %s: %w", t, err)
		}
		if i < sp.Instructed {
			if _, err := svc.AddInstruction(ctx, staff, activity.InstructionInput{OutputID: o.ID, Leader: "县委主要领导",
				Content: "请相关部门认真研究吸纳。", GivenOn: o.DatedOn.AddDays(10)}); err != nil {
				return fmt.Errorf("instruction: %w", err)
			}
		}
	}
	for i := 0; i < sp.ArticlesCollected; i++ {
		a := activity.Article{PersonID: w.persons[i%len(w.persons)], Author: fmt.Sprintf("委员%d", i%len(w.persons)+1),
			Title: fmt.Sprintf("学习贯彻新思想的体会（之%d）", i+1), CollectedOn: day(y, 1+i%11, 1+i%27)}
		if i < sp.ArticlesPublished {
			a.Published, a.JournalIssue = true, fmt.Sprintf("%d年第%d期", y, i%4+1)
		}
		if _, err := svc.AddArticle(ctx, staff, w.cid, a); err != nil {
			return fmt.Errorf("article: %w", err)
		}
	}
	for i := 0; i < sp.TV+sp.PressArticles; i++ {
		p := activity.Publicity{Kind: "tv", Title: fmt.Sprintf("政协之声第%d期", i+1), Outlet: sp.county.name + "电视台",
			PublishedOn: day(y, 1+i%11, 2+i%26)}
		if i >= sp.TV {
			p.Kind, p.Title, p.Outlet = "article", fmt.Sprintf("政协履职宣传稿件（%d）", i-sp.TV+1), "政协报"
		}
		if _, err := svc.AddPublicity(ctx, staff, w.cid, p); err != nil {
			return fmt.Errorf("publicity: %w", err)
		}
	}
	for i, t := range sp.Volumes {
		if _, err := svc.AddVolume(ctx, staff, w.cid, activity.Volume{Title: t, VolumeNo: i + 1, Articles: 40, CompiledOn: day(y, 10, 30)}); err != nil {
			return fmt.Errorf("volume: %w", err)
		}
	}
	return nil
}

// buildAssist enters the year's 三送三帮: villages and households, the
// records given (verified by the assistance officer), and the pledges.
func buildAssist(ctx context.Context, d *db.DB, w *world, sp Spec) error {
	svc := assist.NewService(d)
	off, y := w.res.Assist, w.res.Year
	if sp.Participants > len(w.members) {
		return fmt.Errorf("%d participants of %d members", sp.Participants, len(w.members))
	}
	var villages []int64
	for i, t := range sp.Townships {
		for k := 1; k <= 3; k++ {
			v, err := svc.CreateVillage(ctx, off, t, fmt.Sprintf("%s%s村", t, villageNames[(i+k)%len(villageNames)]),
				fmt.Sprintf("%s%02d%02d", sp.county.code, i+1, k))
			if err != nil {
				return fmt.Errorf("village: %w", err)
			}
			villages = append(villages, v.ID)
		}
	}
	// The records, one member each, round the participants; every
	// participant gives at least one (the kinds together outnumber them).
	next := 0
	member := func() []int64 {
		m := w.members[next%sp.Participants]
		next++
		return []int64{m}
	}
	last := sp.AssistTo
	dateOf := func(i, n int) civil.Date { // spread over 1 January .. AssistTo
		total := day(y, 1, 1).DaysUntil(last)
		return day(y, 1, 1).AddDays(total * i / max(n-1, 1))
	}
	record := func(in assist.RecordInput) error {
		in.MembershipIDs = member()
		r, err := svc.RecordAssistance(ctx, off, in)
		if err != nil {
			return fmt.Errorf("%s record: %w", in.Kind, err)
		}
		_, err = svc.VerifyRecord(ctx, off, r.ID, r.Version)
		return err
	}
	for i := 0; i < sp.IndustryHouseholds; i++ {
		h, err := svc.CreateHousehold(ctx, off, assist.HouseholdInput{RegistryID: fmt.Sprintf("%s-%04d", sp.county.code, i+1),
			VillageID: villages[i%len(villages)], HeadName: householdHead(i), Attribute: "general", CauseMain: causes[i%len(causes)],
			Status: "poor", IncomeFen: 320000 + int64(i%50)*1000})
		if err != nil {
			return fmt.Errorf("household: %w", err)
		}
		if err := record(assist.RecordInput{HouseholdID: h.ID, Kind: "industry", GivenOn: dateOf(i, sp.IndustryHouseholds),
			Description: industries[i%len(industries)]}); err != nil {
			return err
		}
	}
	for _, part := range []struct {
		kind  string
		n     int   // records
		total int64 // spread over them
		set   func(in *assist.RecordInput, v int64)
	}{
		{"cash", sp.CashParts, sp.CashFen, func(in *assist.RecordInput, v int64) { in.AmountFen = v }},
		{"goods", sp.Goods, sp.GoodsValueFen, func(in *assist.RecordInput, v int64) { in.GoodsItems, in.GoodsValueFen = 1, v }},
		{"study", min(sp.Students, 20), int64(sp.Students), func(in *assist.RecordInput, v int64) { in.Students = int(v) }},
		{"job", min(sp.Jobs, 15), int64(sp.Jobs), func(in *assist.RecordInput, v int64) { in.Jobs = int(v) }},
		{"info", min(sp.Info, 30), int64(sp.Info), func(in *assist.RecordInput, v int64) { in.InfoCount = int(v) }},
		{"tech", min(sp.Readings, 20), int64(sp.Readings), func(in *assist.RecordInput, v int64) { in.Readings = int(v) }},
	} {
		for i, v := range split(part.total, part.n) {
			in := assist.RecordInput{Kind: part.kind, GivenOn: dateOf(i, part.n), Description: descriptions[part.kind]}
			part.set(&in, v)
			if err := record(in); err != nil {
				return err
			}
		}
	}
	for _, st := range sp.Sites {
		site, err := svc.CreateSite(ctx, off, assist.SiteInput{Name: st.Name, VillageID: st.VillageID, OpenedOn: st.OpenedOn, Notes: st.Notes})
		if err != nil {
			return fmt.Errorf("site %s: %w", st.Name, err)
		}
		for _, p := range st.Projects {
			if _, err := svc.AddProject(ctx, off, site.ID, p); err != nil {
				return fmt.Errorf("site %s project %s: %w", st.Name, p.Name, err)
			}
		}
	}
	if sp.PledgeMembers > 0 {
		in := assist.PledgeInput{Meeting: "“百日会战”推进会", PledgedOn: day(y, 8, 28), DueOn: day(y, 12, 31), AmountFen: sp.PledgeFen,
			Households: sp.PledgeHouseholds, Jobs: sp.PledgeJobs, IndustryHouseholds: sp.PledgeIndustr,
			MembershipIDs: w.members[:sp.PledgeMembers]}
		if _, err := svc.CreatePledge(ctx, off, in); err != nil {
			return fmt.Errorf("pledge: %w", err)
		}
	}
	return nil
}

// split divides total into n positive parts that sum to it (uneven, as
// gifts are); none when total is less than n.
func split(total int64, n int) []int64 {
	if n <= 0 || total < int64(n) {
		return nil
	}
	weights := make([]int64, n)
	var sum int64
	for i := range weights {
		weights[i] = int64(3 + (i*7)%5)
		sum += weights[i]
	}
	out := make([]int64, n)
	var given int64
	for i := range out {
		out[i] = 1 + (total-int64(n))*weights[i]/sum
		given += out[i]
	}
	out[n-1] += total - given
	return out
}

var (
	villageNames = []string{"海坪", "阿依诺", "小河", "新厂", "大坡", "石堡", "龙潭", "水井", "松林", "白马"}
	causes       = []string{"illness", "tech", "funds", "labour", "schooling", "transport"}
	industries   = []string{"扶持养殖肉牛", "扶持种植魔芋", "扶持种植中药材", "扶持养殖生猪", "扶持发展乡村旅游"}
	descriptions = map[string]string{"cash": "捐资助困", "goods": "捐赠生活物资", "study": "资助贫困学生", "job": "协调就业岗位",
		"info": "送市场和政策信息", "tech": "送科技读物"}
	surnames   = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程")
	givenNames = []string{"国华", "建平", "兴旺", "春林", "德明", "绍云", "永福", "正学", "发昌", "志荣", "家顺", "光明"}
)

// householdHead is a fictional name for the head of household i.
func householdHead(i int) string {
	return string(surnames[i%len(surnames)]) + givenNames[(i/len(surnames))%len(givenNames)]
}
