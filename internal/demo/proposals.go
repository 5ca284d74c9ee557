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

// pastPlan is the year before's session, complete: every proposal decided,
// the registered ones replied and closed.
var pastPlan = []struct {
	state proposal.State
	n     int
	class string
}{
	{proposal.Closed, 52, "A"}, {proposal.Closed, 10, "B"}, {proposal.Closed, 3, "C"},
	{proposal.Merged, 2, ""}, {proposal.NotRegistered, 3, ""}, {proposal.Withdrawn, 1, ""},
}

// session is one plenary session the demo seeds proposals in.
type session struct {
	id                int64
	opens, submitFrom civil.Date
	current           bool // the present session (the year before's is complete)
}

// people the demo's proposals need.
type demoCast struct {
	committeeID         int64
	current, past       session
	members             []int64 // active memberships
	demoMember          int64   // the member login's membership
	demoMember2         int64   // the second member login's membership
	demoUnit, demoUnit2 int64   // the unit logins' units
	leader              int64   // the leader login's user id
	units               map[string]int64
	unitIDs             []int64 // in id order
	place               string
	today               civil.Date
}

// seedProposals drives the demo proposals of the year before's session (all
// finished) and of the present session 九届二次 through the real proposal
// workflow (proposal.Seeder), so every record, event and audit entry is what
// users would have produced.
func seedProposals(ctx context.Context, d *db.DB, c *demoCast) (int, error) {
	r := rand.New(rand.NewPCG(GenSeed, 214))
	svc := proposal.NewService(d)
	day := c.current.opens
	svc.Today = func() civil.Date { return day }
	sd := proposal.NewSeeder(svc, c.committeeID)
	n := 0
	for _, sess := range []session{c.past, c.current} {
		pl := plan
		if !sess.current {
			pl = pastPlan
		}
		var leads []int64 // registered proposals others can be merged into
		for _, step := range pl {
			for i := range step.n {
				spec := c.spec(r, sess, step.state, step.class, i)
				if step.state == proposal.Merged {
					if len(leads) == 0 {
						return n, fmt.Errorf("demo: no registered proposal to merge into")
					}
					spec.MergeInto = leads[r.IntN(len(leads))]
				}
				day = c.dayFor(r, sess, step.state)
				if sess.current && spec.FirstProposer == c.demoMember && (step.state == proposal.Signing || step.state == proposal.Replied) {
					day = c.today.AddDays(-1) // the second member's invitation and evaluation are open now
				}
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
	}
	return n, nil
}

// spec is the i-th demo proposal of a session that ends in state st.
func (c *demoCast) spec(r *rand.Rand, sess session, st proposal.State, class string, i int) proposal.SeedSpec {
	t := topics[r.IntN(len(topics))]
	spec := proposal.SeedSpec{
		Content: proposal.Content{SessionID: sess.id, Kind: proposal.Individual, Theme: t.theme,
			Title:          fmt.Sprintf(titleForms[r.IntN(len(titleForms))], t.title),
			Matter:         fmt.Sprintf("%s%s工作取得了一定成效，但仍存在短板，群众反映较多。", c.place, t.title),
			Analysis:       fmt.Sprintf("经调研，%s方面主要存在投入不足、机制不健全、基层力量薄弱等问题。", t.title),
			Suggestions:    "一是加强统筹规划，明确责任单位；二是加大资金投入，整合各方资源；三是健全考核机制，跟踪问效。",
			PublishConsent: r.IntN(3) > 0},
		FirstProposer: c.members[r.IntN(len(c.members))],
		Target:        st,
		ResultClass:   class,
		Mode:          proposal.Single,
	}
	// The demo member's own proposals: one in each of the first states a member acts on.
	if i == 0 && (st == proposal.Draft || st == proposal.Replied || st == proposal.Closed ||
		st == proposal.Signing || st == proposal.Returned) {
		spec.FirstProposer = c.demoMember
	}
	switch x := r.IntN(100); {
	case st == proposal.Signing || x < 22:
		spec.Content.Kind = proposal.Joint
		spec.Content.CoSigners = coSigners(r, c, spec.FirstProposer, 1+r.IntN(3))
	case x < 30:
		spec.Content.Kind, spec.Content.BodyType = proposal.Body, proposal.BodyParty
		spec.Content.BodyName = []string{"民盟", "民建", "民进", "农工党", "九三学社"}[r.IntN(5)] + c.place + "支部"
	}
	// The demo member invites the second member login to co-sign, and asks it to evaluate.
	if spec.FirstProposer == c.demoMember && (st == proposal.Signing || st == proposal.Replied) && sess.current {
		spec.Content.Kind = proposal.Joint
		spec.Content.CoSigners = []int64{c.demoMember2}
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
	// The unit login gets work in every handling state, the second unit login
	// as the co-handling unit (会办) of the same kind of work.
	if i == 0 && spec.Mode == proposal.Single {
		spec.Units = []int64{c.demoUnit}
	}
	if i == 1 && sess.current && handling(st) {
		spec.Mode, spec.Units = proposal.JointMode, []int64{c.demoUnit, c.demoUnit2}
	}
	if st == proposal.NotRegistered && i < 2 {
		spec.ConvertTo = proposal.ToSQMY
	}
	if st == proposal.Closed && i < 8 {
		spec.Key = []int64{c.leader}
	}
	if st == proposal.Closed && class == "A" && i == 1 {
		spec.Overall = proposal.Dissatisfied // closed after a second round
	}
	return spec
}

// handling reports whether st is a state of a proposal with handling units at work.
func handling(st proposal.State) bool {
	switch st {
	case proposal.Assigned, proposal.Accepted, proposal.InHandling, proposal.ReplyDrafted, proposal.ReplyReview:
		return true
	}
	return false
}

// dayFor dates a proposal: plenary proposals in the submission window of
// their session; those still early in their life in the weeks before today.
func (c *demoCast) dayFor(r *rand.Rand, sess session, st proposal.State) civil.Date {
	switch st {
	case proposal.Draft, proposal.Signing, proposal.Submitted, proposal.Returned:
		if sess.current {
			d := c.today.AddDays(-1 - r.IntN(20))
			if d.Before(sess.opens) {
				d = sess.opens
			}
			return d
		}
	}
	window := sess.submitFrom.DaysUntil(sess.opens) + 3
	return sess.submitFrom.AddDays(r.IntN(window + 1))
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

// loadCast reads what the proposals need from the seeded committee: the
// sessions of year and the year before, members, units and the logins.
func loadCast(ctx context.Context, d *db.DB, committeeID int64, logins map[string]int64, year int) (*demoCast, error) {
	c := &demoCast{committeeID: committeeID, place: CountyName, units: map[string]int64{}, leader: logins["leader"], today: civil.Today()}
	for _, s := range []struct {
		sess *session
		name string
		year int
	}{{&c.current, "九届二次", year}, {&c.past, "九届一次", year - 1}} {
		var opens, from string
		err := d.QueryRowContext(ctx, `SELECT id, opens_on, submit_from FROM plenary_sessions
			WHERE committee_id = $1 AND name = $2 AND year = $3`, committeeID, s.name, s.year).Scan(&s.sess.id, &opens, &from)
		if err != nil {
			return nil, fmt.Errorf("demo session %s %d: %w", s.name, s.year, err)
		}
		if s.sess.opens, err = civil.Parse(opens); err != nil {
			return nil, err
		}
		if s.sess.submitFrom, err = civil.Parse(from); err != nil {
			return nil, err
		}
	}
	c.current.current = true
	rows, err := d.QueryContext(ctx, `SELECT m.id, COALESCE(u.username, '') FROM memberships m
		LEFT JOIN users u ON u.person_id = m.person_id AND u.id IN ($2, $3)
		WHERE m.committee_id = $1 AND m.status = 'active' ORDER BY m.id`, committeeID, logins["member"], logins["member2"])
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var login string
		if err := rows.Scan(&id, &login); err != nil {
			rows.Close()
			return nil, err
		}
		c.members = append(c.members, id)
		switch login {
		case "member":
			c.demoMember = id
		case "member2":
			c.demoMember2 = id
		}
	}
	rows.Close()
	for login, dst := range map[string]*int64{"unit": &c.demoUnit, "unit2": &c.demoUnit2} {
		if err := d.QueryRowContext(ctx, `SELECT unit_id FROM users WHERE id = $1`, logins[login]).Scan(dst); err != nil {
			return nil, fmt.Errorf("demo %s login: %w", login, err)
		}
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
	if c.demoMember == 0 || c.demoMember2 == 0 || c.leader == 0 || len(c.members) < 10 {
		return nil, fmt.Errorf("demo: member logins, leader login or members missing")
	}
	return c, rows.Err()
}
