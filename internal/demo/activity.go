package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"lvzhi/internal/activity"
	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// The demo committee's year 2018 of consultation and everyday duty, shaped like
// the Fuyuan report: 调研 10, 视察 4, 协商 6 (3 of them 双月协商), 跟踪问效 3,
// 民主评议 2, the plenary, standing-committee meetings and study sessions,
// each with its roll (some on leave, a few absent); 8 reports sent to the
// county Party committee; 73 theory articles collected and 12 published; 17
// TV episodes and 57 articles; one cultural-history volume. Everything goes
// through the activity service (audited, as staff). Two activities in the
// coming weeks give the member's calendar and the staff's queues something to show.

// demoActivity is one activity of the year: kind, day, topic and roll size.
type demoActivity struct {
	kind  activity.Kind
	on    string
	title string
	size  int // members on the roll (0: every serving member)
}

var demoActivities = []demoActivity{
	{activity.KindPlenary, "2018-02-26", "政协第九届委员会第二次会议", 0},
	{activity.KindStanding, "2018-01-18", "九届政协常委会第五次会议", -1},
	{activity.KindStanding, "2018-04-20", "九届政协常委会第六次会议", -1},
	{activity.KindStanding, "2018-08-24", "九届政协常委会第七次会议", -1},
	{activity.KindStanding, "2018-12-14", "九届政协常委会第八次会议", -1},
	{activity.KindResearch, "2018-03-15", "易地扶贫搬迁后续发展专题调研", 15},
	{activity.KindResearch, "2018-04-10", "农村危房改造专题调研", 12},
	{activity.KindResearch, "2018-05-08", "农村道路建设专题调研", 14},
	{activity.KindResearch, "2018-05-22", "农村安全饮水专题调研", 12},
	{activity.KindResearch, "2018-06-12", "河长制落实情况调研", 15},
	{activity.KindResearch, "2018-07-05", "富源北城开发建设与管理调研", 16},
	{activity.KindResearch, "2018-08-07", "城乡公交发展调研", 12},
	{activity.KindResearch, "2018-09-11", "教育基本均衡发展调研", 14},
	{activity.KindResearch, "2018-10-16", "魔芋产业发展调研", 12},
	{activity.KindResearch, "2018-11-06", "民营经济发展环境调研", 13},
	{activity.KindInspection, "2018-04-25", "脱贫攻坚项目建设视察", 20},
	{activity.KindInspection, "2018-06-26", "南盘江流域水环境治理视察", 18},
	{activity.KindInspection, "2018-09-25", "重点项目建设视察", 20},
	{activity.KindInspection, "2018-11-20", "城乡人居环境整治视察", 18},
	{activity.KindBimonthly, "2018-03-29", "双月协商：易地搬迁、危房改造、道路建设、安全饮水", 25},
	{activity.KindBimonthly, "2018-07-26", "双月协商：河长制落实、富源北城开发建设与管理", 25},
	{activity.KindBimonthly, "2018-09-27", "双月协商：城乡公交发展、教育基本均衡发展", 25},
	{activity.KindTopicConsult, "2018-05-30", "脱贫攻坚专题协商会", 30},
	{activity.KindTopicConsult, "2018-10-30", "乡村振兴战略专题协商会", 30},
	{activity.KindProposalConsult, "2018-08-16", "重点提案办理协商会", 20},
	{activity.KindFollowUp, "2018-06-20", "易地扶贫搬迁建议案落实情况跟踪问效", 10},
	{activity.KindFollowUp, "2018-09-18", "农村安全饮水协商意见落实情况跟踪问效", 10},
	{activity.KindFollowUp, "2018-11-27", "教育均衡发展调研报告落实情况跟踪问效", 10},
	{activity.KindAppraisal, "2018-07-17", "对县交通运输局的民主评议", 20},
	{activity.KindAppraisal, "2018-10-23", "对县水务局的民主评议", 20},
	{activity.KindStudy, "2018-01-30", "学习贯彻党的十九大精神专题学习", 40},
	{activity.KindStudy, "2018-03-20", "全国两会精神学习会", 40},
	{activity.KindStudy, "2018-06-05", "委员履职能力培训", 60},
	{activity.KindStudy, "2018-09-04", "政协理论专题学习", 40},
	{activity.KindStudy, "2018-12-04", "学习习近平总书记关于加强和改进人民政协工作的重要思想", 40},
}

// demoReports are the 8 reports sent to the county Party committee; each
// follows the activity with the same index in demoActivities.
var demoReports = []struct {
	activity int
	kind     activity.OutputKind
	title    string
}{
	{5, activity.OutResearchReport, "关于易地扶贫搬迁后续发展的调研报告"},
	{6, activity.OutResearchReport, "关于农村危房改造的调研报告"},
	{10, activity.OutResearchReport, "关于富源北城开发建设与管理的调研报告"},
	{12, activity.OutResearchReport, "关于教育基本均衡发展的调研报告"},
	{19, activity.OutConsultReport, "双月协商专报（易地搬迁、危房改造、道路建设、安全饮水）"},
	{20, activity.OutConsultReport, "双月协商专报（河长制落实、北城开发建设与管理）"},
	{22, activity.OutProposalReport, "关于打赢脱贫攻坚战的建议案"},
	{23, activity.OutProposalReport, "关于实施乡村振兴战略的建议案"},
}

// seedActivities creates the year; it returns the number of activities.
func seedActivities(ctx context.Context, d *db.DB, committeeID int64, logins map[string]int64) (int, error) {
	r := rand.New(rand.NewPCG(GenSeed, 11))
	svc := activity.NewService(d)
	var path string
	if err := d.QueryRowContext(ctx, `SELECT path FROM committees WHERE id = $1`, committeeID).Scan(&path); err != nil {
		return 0, err
	}
	staff := &auth.Actor{UserID: logins["staff"], Name: "李晓梅", CommitteeID: committeeID, CommitteePath: path, Roles: []auth.Role{auth.RoleStaff}}
	leader := &auth.Actor{UserID: logins["leader"], Name: "杨国强", CommitteeID: committeeID, CommitteePath: path, Roles: []auth.Role{auth.RoleLeader}}
	serving, err := db.Column[int64](ctx, d, `SELECT m.person_id FROM memberships m WHERE m.committee_id = $1 AND m.status = 'active'
		AND m.term_id = (SELECT t.id FROM terms t WHERE t.committee_id = $1 ORDER BY t.number DESC LIMIT 1) ORDER BY m.id`, committeeID)
	if err != nil {
		return 0, err
	}
	var memberPerson int64
	if err := d.QueryRowContext(ctx, `SELECT COALESCE(person_id, 0) FROM users WHERE id = $1`, logins["member"]).Scan(&memberPerson); err != nil {
		return 0, err
	}
	day := civil.MustParse
	for _, p := range []struct {
		month int
		topic string
	}{{3, "易地搬迁、危房改造、道路建设、安全饮水"}, {7, "河长制落实、富源北城开发建设与管理"}, {9, "城乡公交发展、教育基本均衡发展"}} {
		it, err := svc.AddPlanItem(ctx, staff, committeeID, activity.PlanInput{Year: 2018, Month: p.month, Topic: p.topic, Form: activity.KindBimonthly})
		if err != nil {
			return 0, fmt.Errorf("demo plan: %w", err)
		}
		for _, step := range []activity.Action{activity.PlanReview, activity.PlanApprove} {
			if _, err := svc.StepPlanItem(ctx, staff, activity.Ref{ID: it.ID}, step); err != nil {
				return 0, err
			}
		}
	}
	planItems, err := db.Column[int64](ctx, d, `SELECT id FROM activity_plan_items WHERE committee_id = $1 ORDER BY due_on`, committeeID)
	if err != nil {
		return 0, err
	}
	ids := make([]int64, len(demoActivities))
	bimonthly := 0
	for i, da := range demoActivities {
		in := activity.Input{Kind: da.kind, Title: da.title, Place: "县政协会议室", StartsOn: day(da.on), StartsAt: "09:00", EndsAt: "11:30",
			Mandatory: da.size <= 0}
		if da.kind == activity.KindResearch || da.kind == activity.KindInspection || da.kind == activity.KindFollowUp {
			in.Place, in.EndsAt = CountyName+"各乡镇", "17:00"
		}
		if da.kind == activity.KindBimonthly && bimonthly < len(planItems) {
			in.PlanItemID = planItems[bimonthly]
			bimonthly++
		}
		a, err := svc.Create(ctx, staff, committeeID, in)
		if err != nil {
			return 0, fmt.Errorf("demo activity %s: %w", da.title, err)
		}
		ref := activity.Ref{ID: a.ID}
		if da.size <= 0 {
			_, err = svc.InviteServing(ctx, staff, ref)
		} else {
			roll := pick(r, serving, da.size)
			if i%4 == 0 && memberPerson != 0 && !hasPerson(roll, memberPerson) {
				roll[0] = memberPerson // the demo member takes part in some
			}
			_, err = svc.Invite(ctx, staff, ref, roll)
		}
		if err != nil {
			return 0, fmt.Errorf("demo invite %s: %w", da.title, err)
		}
		if err := demoRoll(ctx, svc, staff, leader, r, a.ID); err != nil {
			return 0, fmt.Errorf("demo roll %s: %w", da.title, err)
		}
		ids[i] = a.ID
	}
	if err := demoOutputs(ctx, svc, staff, committeeID, ids); err != nil {
		return 0, err
	}
	if err := demoLedgers(ctx, svc, staff, committeeID, r, serving); err != nil {
		return 0, err
	}
	if err := demoUpcoming(ctx, svc, staff, committeeID, r, serving, memberPerson); err != nil {
		return 0, err
	}
	return len(ids) + 2, nil
}

// demoRoll runs an activity's day: a few members ask for leave beforehand
// and the leader approves (within the yearly quota), staff open it, record
// who came (most; a few absent) and hold it.
func demoRoll(ctx context.Context, svc *activity.Service, staff, leader *auth.Actor, r *rand.Rand, id int64) error {
	d, err := svc.Get(ctx, staff, id)
	if err != nil {
		return err
	}
	leave := map[int64]bool{}
	for _, row := range d.Attendance {
		if r.IntN(100) >= 6 {
			continue
		}
		m := &auth.Actor{Name: row.Name, CommitteeID: staff.CommitteeID, CommitteePath: staff.CommitteePath, Roles: []auth.Role{auth.RoleMember}, PersonID: row.PersonID}
		req, err := svc.RequestLeave(ctx, m, id, "工作冲突，无法参加")
		if apperr.CodeOf(err) == apperr.Conflict {
			continue // the member's leaves for the year are used up: expected
		}
		if err != nil {
			return err
		}
		if _, err := svc.ApproveLeave(ctx, leader, activity.Ref{ID: req.ID}); err != nil {
			return err
		}
		leave[row.PersonID] = true
	}
	if _, err := svc.Open(ctx, staff, activity.Ref{ID: id}); err != nil {
		return err
	}
	marks := make([]activity.Mark, 0, len(d.Attendance))
	for i, row := range d.Attendance {
		if leave[row.PersonID] {
			continue
		}
		m := activity.Mark{PersonID: row.PersonID, Status: activity.Attended}
		if r.IntN(100) < 3 {
			m.Status = activity.Absent
		}
		if i == 0 && m.Status == activity.Attended {
			m.Role = activity.RoleDrafter
		} else if i < 4 && m.Status == activity.Attended {
			m.Role = activity.RoleSpeaker
		}
		marks = append(marks, m)
	}
	if _, err := svc.MarkAttendance(ctx, staff, activity.Ref{ID: id}, marks); err != nil {
		return err
	}
	_, err = svc.Hold(ctx, staff, activity.Ref{ID: id})
	return err
}

// demoOutputs: the 8 reports to the Party committee (five with a leader's
// instruction, follow-ups on three), and minutes of every standing meeting.
func demoOutputs(ctx context.Context, svc *activity.Service, staff *auth.Actor, committeeID int64, ids []int64) error {
	for i, rep := range demoReports {
		da := demoActivities[rep.activity]
		on := civil.MustParse(da.on).AddDays(14)
		o, err := svc.CreateOutput(ctx, staff, committeeID, activity.OutputInput{ActivityID: ids[rep.activity], Kind: rep.kind,
			Number: fmt.Sprintf("富政协报〔2018〕%d号", i+1), Title: rep.title, DatedOn: on, SentTo: "中共" + CountyName + "委员会", ToParty: true})
		if err != nil {
			return fmt.Errorf("demo output %s: %w", rep.title, err)
		}
		if i < 5 {
			if _, err := svc.AddInstruction(ctx, staff, activity.InstructionInput{OutputID: o.ID, Leader: "县委书记",
				Content: "请县政府认真研究，相关部门抓好落实。", GivenOn: on.AddDays(7)}); err != nil {
				return err
			}
		}
		if i < 3 {
			f, err := svc.AddFollowup(ctx, staff, activity.FollowupInput{OutputID: o.ID, Matter: "落实《" + rep.title + "》所提建议", DueOn: on.AddMonths(3)})
			if err != nil {
				return err
			}
			if _, err := svc.CloseFollowup(ctx, staff, activity.Ref{ID: f.ID}, "已召开专题会议研究，建议已逐项落实。"); err != nil {
				return err
			}
		}
	}
	for i := 1; i <= 4; i++ {
		da := demoActivities[i]
		if _, err := svc.CreateOutput(ctx, staff, committeeID, activity.OutputInput{ActivityID: ids[i], Kind: activity.OutMinutes,
			Number: fmt.Sprintf("常委会纪要〔2018〕%d号", i), Title: da.title + "纪要", DatedOn: civil.MustParse(da.on).AddDays(3)}); err != nil {
			return err
		}
	}
	return nil
}

// demoLedgers: 73 articles (12 published), 17 TV episodes and 57 articles,
// one volume, plenary speeches and 社情民意.
func demoLedgers(ctx context.Context, svc *activity.Service, staff *auth.Actor, committeeID int64, r *rand.Rand, serving []int64) error {
	names, err := personNames(ctx, svc.DB, serving)
	if err != nil {
		return err
	}
	for i := 0; i < 73; i++ {
		p := serving[r.IntN(len(serving))]
		a := activity.Article{PersonID: p, Author: names[p], Title: fmt.Sprintf("学习体会（%d）", i+1),
			CollectedOn: civil.Date{Year: 2018, Month: 1, Day: 10}.AddDays(i * 4)}
		if i%6 == 0 && i/6 < 12 {
			a.Published, a.JournalIssue = true, fmt.Sprintf("《富源政协》2018年第%d期", i/18+1)
		}
		if _, err := svc.AddArticle(ctx, staff, committeeID, a); err != nil {
			return fmt.Errorf("demo article: %w", err)
		}
	}
	for i := 0; i < 17+57; i++ {
		p := activity.Publicity{Kind: "article", Title: fmt.Sprintf("政协履职宣传稿件（%d）", i-16), Outlet: "云南政协报",
			PublishedOn: civil.Date{Year: 2018, Month: 1, Day: 15}.AddDays(i * 4)}
		if i < 17 {
			p.Kind, p.Title, p.Outlet = "tv", fmt.Sprintf("《政协之声》第%d期", i+1), CountyName+"电视台"
		}
		if _, err := svc.AddPublicity(ctx, staff, committeeID, p); err != nil {
			return fmt.Errorf("demo publicity: %w", err)
		}
	}
	if _, err := svc.AddVolume(ctx, staff, committeeID, activity.Volume{Title: "富源地名文化", VolumeNo: 1, Articles: 46, CompiledOn: civil.MustParse("2018-12-20")}); err != nil {
		return err
	}
	for i := 0; i < 12; i++ {
		p := serving[r.IntN(len(serving))]
		mode := "written"
		if i < 6 {
			mode = "oral"
		}
		if _, err := svc.AddSpeech(ctx, staff, committeeID, activity.Speech{PersonID: p, Speaker: names[p], Title: fmt.Sprintf("大会发言（%d）", i+1),
			Mode: mode, Adopted: i < 8, GivenOn: civil.MustParse("2018-02-27")}); err != nil {
			return err
		}
	}
	for i := 0; i < 24; i++ {
		p := serving[r.IntN(len(serving))]
		it, err := svc.SubmitSqmy(ctx, staff, committeeID, activity.SqmyInput{Title: fmt.Sprintf("关于%s的社情民意", topics[i%len(topics)].title),
			Content: "群众反映：……建议：……", PersonID: p, SubmittedOn: civil.Date{Year: 2018, Month: 1, Day: 20}.AddDays(i * 14)})
		if err != nil {
			return fmt.Errorf("demo sqmy: %w", err)
		}
		if i%3 == 0 {
			level := []string{"county", "city", "province"}[r.IntN(3)]
			if _, err := svc.ChangeSqmy(ctx, staff, activity.Ref{ID: it.ID}, activity.SqmyChange{Action: activity.SqmyAdopt, Level: level,
				AdoptedOn: it.SubmittedOn.AddDays(20), BulletinIssue: fmt.Sprintf("2018年第%d期", i/3+1)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoUpcoming adds a sign-up research visit and a standing meeting in the
// coming weeks, with the demo member on the roll and one leave request to decide.
func demoUpcoming(ctx context.Context, svc *activity.Service, staff *auth.Actor, committeeID int64, r *rand.Rand, serving []int64, member int64) error {
	today := civil.Today()
	res, err := svc.Create(ctx, staff, committeeID, activity.Input{Kind: activity.KindResearch, Title: "农村人居环境整治专题调研",
		Place: CountyName + "各乡镇", StartsOn: today.AddDays(10), StartsAt: "08:30", EndsAt: "17:00", Capacity: 20})
	if err != nil {
		return err
	}
	if _, err := svc.Invite(ctx, staff, activity.Ref{ID: res.ID}, pick(r, serving, 8)); err != nil {
		return err
	}
	meet, err := svc.Create(ctx, staff, committeeID, activity.Input{Kind: activity.KindPlenary, Title: "全体委员学习会",
		Place: "县政协会议室", StartsOn: today.AddDays(20), StartsAt: "09:00", EndsAt: "11:30", Mandatory: true})
	if err != nil {
		return err
	}
	if _, err := svc.InviteServing(ctx, staff, activity.Ref{ID: meet.ID}); err != nil {
		return err
	}
	// A member (not the demo member) asks for leave: the staff's queue has one to decide.
	for _, p := range serving {
		if p == member {
			continue
		}
		m := &auth.Actor{Name: "demo", CommitteeID: committeeID, CommitteePath: staff.CommitteePath, Roles: []auth.Role{auth.RoleMember}, PersonID: p}
		_, err := svc.RequestLeave(ctx, m, meet.ID, "外出务工，无法参加")
		return err
	}
	return nil
}

// pick draws n distinct people.
func pick(r *rand.Rand, people []int64, n int) []int64 {
	n = min(n, len(people))
	out := make([]int64, 0, n)
	for _, i := range r.Perm(len(people))[:n] {
		out = append(out, people[i])
	}
	return out
}

func hasPerson(xs []int64, x int64) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func personNames(ctx context.Context, d *db.DB, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	var b db.Args
	rows, err := d.QueryContext(ctx, `SELECT id, name FROM people WHERE id IN `+db.In(&b, ids), b...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}
