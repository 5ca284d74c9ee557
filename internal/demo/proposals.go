package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/proposal"
)

// topic is a subject members write proposals about, with the units that handle it.
type topic struct {
	theme proposal.Theme
	title string   // what the proposal is about, e.g. "魔芋产业发展"
	units []string // unit name suffixes, e.g. "农业农村局"
}

// topics are the county's recurring concerns (the 2018 report's themes:
// poverty alleviation, industry, education, health, environment).
var topics = []topic{
	{proposal.Economy, "魔芋产业提质增效", []string{"农业农村局", "商务局"}},
	{proposal.Economy, "煤炭产业转型升级", []string{"能源局", "工业和信息化局"}},
	{proposal.Economy, "农村电子商务发展", []string{"商务局", "供销合作社联合社"}},
	{proposal.Economy, "特色农产品品牌建设", []string{"农业农村局", "市场监督管理局"}},
	{proposal.Economy, "民营企业融资难问题", []string{"财政局", "发展和改革局"}},
	{proposal.Economy, "乡村旅游发展", []string{"文化和旅游局", "农业农村局"}},
	{proposal.Economy, "易地扶贫搬迁后续产业扶持", []string{"乡村振兴局", "发展和改革局"}},
	{proposal.Economy, "县城商贸物流体系建设", []string{"商务局", "交通运输局"}},
	{proposal.Politics, "基层协商民主建设", []string{"委统战部", "民政局"}},
	{proposal.Politics, "村（社区）法律顾问制度", []string{"司法局", "民政局"}},
	{proposal.Politics, "政务服务一网通办", []string{"政务服务管理局", "人民政府办公室"}},
	{proposal.Politics, "信访积案化解", []string{"信访局", "委政法委员会"}},
	{proposal.Culture, "非物质文化遗产保护传承", []string{"文化和旅游局"}},
	{proposal.Culture, "农村公共文化服务", []string{"文化和旅游局", "融媒体中心"}},
	{proposal.Culture, "文史资料征集出版", []string{"地方志办公室", "文化和旅游局"}},
	{proposal.Culture, "乡村学校少年宫建设", []string{"教育体育局", "共青团%s委"}},
	{proposal.Society, "农村义务教育控辍保学", []string{"教育体育局"}},
	{proposal.Society, "乡村医生队伍建设", []string{"卫生健康局", "人力资源和社会保障局"}},
	{proposal.Society, "城区停车难问题", []string{"公安局", "住房和城乡建设局"}},
	{proposal.Society, "农村饮水安全巩固提升", []string{"水务局"}},
	{proposal.Society, "居家养老服务体系", []string{"民政局", "卫生健康局"}},
	{proposal.Society, "农村留守儿童关爱", []string{"民政局", "妇女联合会", "教育体育局"}},
	{proposal.Society, "贫困家庭学生资助", []string{"教育体育局", "乡村振兴局"}},
	{proposal.Society, "就业扶贫车间建设", []string{"人力资源和社会保障局", "乡村振兴局"}},
	{proposal.Society, "农村公路安全隐患整治", []string{"交通运输局", "公安局"}},
	{proposal.Ecology, "南盘江流域水环境治理", []string{"生态环境分局", "水务局"}},
	{proposal.Ecology, "城乡生活垃圾处理", []string{"住房和城乡建设局", "生态环境分局"}},
	{proposal.Ecology, "石漠化综合治理", []string{"林业和草原局", "自然资源局"}},
	{proposal.Ecology, "农村人居环境整治", []string{"农业农村局", "住房和城乡建设局"}},
	{proposal.Ecology, "废弃矿山生态修复", []string{"自然资源局", "能源局"}},
}

var titleForms = []string{"关于加快%s的建议", "关于进一步加强%s的建议", "关于推进%s的建议", "关于完善%s的建议", "关于%s的几点建议"}

// plan is how many demo proposals end in each state: about 214 registered in
// the session, most closed with class A or B, as in the 2018 report, and a few
// in every other state so that every screen has something to show.
var plan = []struct {
	state proposal.State
	n     int
	class string
}{
	{proposal.Closed, 150, "A"}, {proposal.Closed, 27, "B"}, {proposal.Closed, 6, "C"},
	{proposal.Replied, 8, "A"}, {proposal.Replied, 2, "B"},
	{proposal.Rehandling, 2, "B"},
	{proposal.ReplyReview, 4, "A"}, {proposal.ReplyDrafted, 3, "B"},
	{proposal.InHandling, 4, ""}, {proposal.Accepted, 3, ""}, {proposal.Assigned, 3, ""},
	{proposal.ReturnRequested, 2, ""}, {proposal.Registered, 2, ""},
	{proposal.Merged, 6, ""}, {proposal.NotRegistered, 5, ""}, {proposal.Withdrawn, 2, ""},
	{proposal.Returned, 2, ""}, {proposal.Submitted, 3, ""}, {proposal.Signing, 2, ""}, {proposal.Draft, 3, ""},
}

// people the demo's proposals need.
type demoCast struct {
	committeeID, sessionID int64
	members                []int64 // active memberships
	demoMember             int64   // the member login's membership
	demoUnit               int64   // the unit login's unit
	leader                 int64   // the leader login's user id
	units                  map[string]int64
	unitIDs                []int64 // in id order
	place                  string
	opens, submitFrom      civil.Date
}

// seedProposals drives the demo proposals of session 九届二次 through the real
// proposal workflow (proposal.Seeder), so every record, event and audit entry
// is what users would have produced.
func seedProposals(ctx context.Context, d *db.DB, c *demoCast) (int, error) {
	r := rand.New(rand.NewPCG(GenSeed, 214))
	svc := proposal.NewService(d)
	day := c.opens
	svc.Today = func() civil.Date { return day }
	sd := proposal.NewSeeder(svc, c.committeeID)
	var leads []int64 // registered proposals others can be merged into
	n := 0
	for _, step := range plan {
		for i := range step.n {
			t := topics[r.IntN(len(topics))]
			spec := proposal.SeedSpec{
				Content: proposal.Content{SessionID: c.sessionID, Kind: proposal.Individual, Theme: t.theme,
					Title:          fmt.Sprintf(titleForms[r.IntN(len(titleForms))], t.title),
					Matter:         fmt.Sprintf("%s%s工作取得了一定成效，但仍存在短板，群众反映较多。", c.place, t.title),
					Analysis:       fmt.Sprintf("经调研，%s方面主要存在投入不足、机制不健全、基层力量薄弱等问题。", t.title),
					Suggestions:    "一是加强统筹规划，明确责任单位；二是加大资金投入，整合各方资源；三是健全考核机制，跟踪问效。",
					PublishConsent: r.IntN(3) > 0},
				FirstProposer: c.members[r.IntN(len(c.members))],
				Target:        step.state,
				ResultClass:   step.class,
				Mode:          proposal.Single,
			}
			// The demo member's own proposals: one in each of the first states a member acts on.
			if i == 0 && (step.state == proposal.Draft || step.state == proposal.Replied || step.state == proposal.Closed ||
				step.state == proposal.Signing || step.state == proposal.Returned) {
				spec.FirstProposer = c.demoMember
			}
			switch x := r.IntN(100); {
			case step.state == proposal.Signing || x < 22:
				spec.Content.Kind = proposal.Joint
				spec.Content.CoSigners = coSigners(r, c, spec.FirstProposer, 1+r.IntN(3))
			case x < 30:
				spec.Content.Kind, spec.Content.BodyType = proposal.Body, proposal.BodyParty
				spec.Content.BodyName = []string{"民盟", "民建", "民进", "农工党", "九三学社"}[r.IntN(5)] + c.place + "支部"
			}
			spec.Units = unitsFor(r, c, t)
			switch x := r.IntN(100); {
			case x < 8 && len(spec.Units) > 1:
				spec.Mode = proposal.JointMode
			case x < 12 && len(spec.Units) > 1:
				spec.Mode = proposal.Separate
			default:
				spec.Units = spec.Units[:1]
			}
			// The unit login gets work in every handling state.
			if i == 0 && spec.Mode == proposal.Single {
				spec.Units = []int64{c.demoUnit}
			}
			if step.state == proposal.Merged {
				if len(leads) == 0 {
					return n, fmt.Errorf("demo: no registered proposal to merge into")
				}
				spec.MergeInto = leads[r.IntN(len(leads))]
			}
			if step.state == proposal.NotRegistered && i < 2 {
				spec.ConvertTo = proposal.ToSQMY
			}
			if step.state == proposal.Closed && i < 8 {
				spec.Key = []int64{c.leader}
			}
			if step.state == proposal.Closed && step.class == "A" && i == 1 {
				spec.Overall = proposal.Dissatisfied // closed after a second round
			}
			day = dayFor(r, c, step.state)
			p, err := sd.Drive(ctx, spec)
			if err != nil {
				return n, fmt.Errorf("demo proposal %d (%s): %w", n+1, step.state, err)
			}
			if step.state == proposal.Closed && len(leads) < 20 {
				leads = append(leads, p.ID)
			}
			n++
		}
	}
	return n, nil
}

// dayFor dates a proposal: plenary proposals in the submission window; those
// still early in their life later in the year.
func dayFor(r *rand.Rand, c *demoCast, st proposal.State) civil.Date {
	switch st {
	case proposal.Draft, proposal.Signing, proposal.Submitted, proposal.Returned:
		return civil.Date{Year: c.opens.Year, Month: 11, Day: 1 + r.IntN(28)}
	}
	window := c.submitFrom.DaysUntil(c.opens) + 3
	return c.submitFrom.AddDays(r.IntN(window + 1))
}

// coSigners picks n active members other than first.
func coSigners(r *rand.Rand, c *demoCast, first int64, n int) []int64 {
	var out []int64
	for len(out) < n {
		m := c.members[r.IntN(len(c.members))]
		if m != first && !contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

// unitsFor returns the topic's units that exist in the committee, in a random order, else a random unit.
func unitsFor(r *rand.Rand, c *demoCast, t topic) []int64 {
	var out []int64
	for _, suffix := range t.units {
		name := strings.ReplaceAll(suffix, "%s", c.place)
		if !strings.HasPrefix(name, "共青团") {
			name = c.place + name
		}
		if id, ok := c.units[name]; ok {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		out = append(out, c.unitIDs[r.IntN(len(c.unitIDs))])
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func contains(s []int64, v int64) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// loadCast reads what the proposals need from the seeded committee.
func loadCast(ctx context.Context, d *db.DB, committeeID int64, logins map[string]int64) (*demoCast, error) {
	c := &demoCast{committeeID: committeeID, place: CountyName, units: map[string]int64{}, leader: logins["leader"]}
	var opens, from string
	err := d.QueryRowContext(ctx, `SELECT id, opens_on, submit_from FROM plenary_sessions
		WHERE committee_id = $1 AND name = '九届二次' AND year = 2018`, committeeID).Scan(&c.sessionID, &opens, &from)
	if err != nil {
		return nil, fmt.Errorf("demo session 九届二次: %w", err)
	}
	if c.opens, err = civil.Parse(opens); err != nil {
		return nil, err
	}
	if c.submitFrom, err = civil.Parse(from); err != nil {
		return nil, err
	}
	rows, err := d.QueryContext(ctx, `SELECT m.id, m.person_id = u.person_id FROM memberships m
		LEFT JOIN users u ON u.id = $2 WHERE m.committee_id = $1 AND m.status = 'active' ORDER BY m.id`, committeeID, logins["member"])
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var mine *bool
		if err := rows.Scan(&id, &mine); err != nil {
			rows.Close()
			return nil, err
		}
		c.members = append(c.members, id)
		if mine != nil && *mine {
			c.demoMember = id
		}
	}
	rows.Close()
	if err := d.QueryRowContext(ctx, `SELECT unit_id FROM users WHERE id = $1`, logins["unit"]).Scan(&c.demoUnit); err != nil {
		return nil, fmt.Errorf("demo unit login: %w", err)
	}
	rows, err = d.QueryContext(ctx, `SELECT id, name FROM units WHERE committee_id = $1 ORDER BY id`, committeeID)
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
		c.units[name] = id
		c.unitIDs = append(c.unitIDs, id)
	}
	if c.demoMember == 0 || c.leader == 0 || len(c.members) < 10 {
		return nil, fmt.Errorf("demo: member login, leader login or members missing")
	}
	return c, rows.Err()
}
