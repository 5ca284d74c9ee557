package gen

import (
	"fmt"
	"math/rand/v2"
	"time"

	"lvzhi/internal/civil"
	"lvzhi/internal/proposal"
)

// proposalTables are the buffers of the proposal area, in foreign-key order.
type proposalTables struct {
	reasons, classes, proposals, signers, assignments, contacts, replies, evaluations, events, supervisors, counters *table
}

func newProposalTables() *proposalTables {
	return &proposalTables{
		reasons: &table{name: "decline_reasons", cols: cols("committee_id code label_zh label_en sort active")},
		classes: &table{name: "result_classes", cols: cols("committee_id code label_zh label_en solved follow_up sort active")},
		proposals: &table{name: "proposals", cols: cols("id committee_id session_id year seq number kind category theme title " +
			"matter analysis suggestions state round first_proposer_id merged_into decline_reason converted_to assign_mode " +
			"is_key publish_consent submitted_on registered_on assigned_on due_on replied_on closed_on version created_at updated_at")},
		signers: &table{name: "proposal_signers", cols: cols("id committee_id proposal_id membership_id role status sort invited_at responded_at")},
		assignments: &table{name: "proposal_assignments", cols: cols("id committee_id proposal_id unit_id role state assigned_on due_on " +
			"original_due_on accepted_at replied_on version created_at updated_at")},
		contacts: &table{name: "proposal_contacts", cols: cols("id committee_id proposal_id assignment_id round contact_on method face_to_face people created_at")},
		replies: &table{name: "proposal_replies", cols: cols("id committee_id proposal_id assignment_id round result_class drafted_class body status " +
			"drafted_at submitted_at submitted_on delivered_on delivered_at version")},
		evaluations: &table{name: "proposal_evaluations", cols: cols("id committee_id proposal_id membership_id round overall contact attitude addressed created_at")},
		events:      &table{name: "proposal_events", cols: cols("id committee_id proposal_id assignment_id at actor_name action from_state to_state note")},
		supervisors: &table{name: "proposal_supervisors", cols: cols("committee_id proposal_id user_id")},
		counters:    &table{name: "proposal_counters", cols: cols("committee_id session_id last")},
	}
}

func (p *proposalTables) all() []*table {
	return []*table{p.reasons, p.classes, p.proposals, p.signers, p.assignments, p.contacts, p.replies, p.evaluations,
		p.events, p.supervisors, p.counters}
}

// proposalsPer is how many proposals a committee of each level receives in a year
// (DOMAIN.md §7: a county 150-250, a province 700-800, the national committee ~6,000).
func proposalsPer(r *rand.Rand, l level) int {
	switch l {
	case lvlNational:
		return 5800 + r.IntN(401)
	case lvlProvince:
		return 700 + r.IntN(101)
	case lvlPrefecture:
		return 400 + r.IntN(101)
	default:
		return 190 + r.IntN(51)
	}
}

// outcomes are where the year's proposals stand at its end, with weights (per mille).
var outcomes = []struct {
	state proposal.State
	w     int
}{
	{proposal.Closed, 730}, {proposal.Replied, 60}, {proposal.InHandling, 35}, {proposal.Accepted, 15},
	{proposal.Assigned, 15}, {proposal.Registered, 5}, {proposal.Merged, 20}, {proposal.NotRegistered, 45},
	{proposal.Withdrawn, 10}, {proposal.Submitted, 25}, {proposal.Draft, 40},
}

// proposalTopics per theme: what the titles are about.
var proposalTopics = map[proposal.Theme][]string{
	proposal.Economy:  {"特色农业产业发展", "民营企业融资", "农村电子商务", "乡村旅游", "县域商贸物流", "园区招商引资", "农产品品牌建设"},
	proposal.Politics: {"基层协商民主", "村级法律顾问", "政务服务便民化", "信访积案化解", "基层减负"},
	proposal.Culture:  {"非物质文化遗产保护", "农村公共文化服务", "文史资料征集", "全民阅读", "传统村落保护"},
	proposal.Society:  {"义务教育控辍保学", "乡村医生队伍建设", "城区停车难", "农村饮水安全", "居家养老服务", "留守儿童关爱", "就业帮扶"},
	proposal.Ecology:  {"河道水环境治理", "城乡垃圾处理", "石漠化治理", "农村人居环境整治", "矿山生态修复"},
}

var proposalTitleForms = []string{"关于加快%s的建议", "关于进一步加强%s的建议", "关于推进%s的建议", "关于完善%s工作的建议", "关于%s的几点建议"}

// proposalCtx is what a committee's proposals need from its generated records.
type proposalCtx struct {
	n          *node
	sessionID  int64
	termNo     int
	sessionNo  int
	submitFrom civil.Date
	closes     civil.Date
	members    []int64
	units      []int64
	leaderUser int64
}

// proposals generates a committee's proposals for the year, each consistent with
// the state it ended in: signers, assignment, face-to-face contact, delivered
// reply and evaluations, and the timeline of events.
func (g *generator) proposals(r *rand.Rand, pc *proposalCtx) {
	t := g.pt
	n := pc.n
	for _, rc := range proposal.DefaultDeclineReasons {
		t.reasons.add(n.id, rc.Code, rc.LabelZh, rc.LabelEn, rc.Sort, rc.Active)
	}
	for _, c := range proposal.DefaultResultClasses {
		t.classes.add(n.id, c.Code, c.LabelZh, c.LabelEn, c.Solved, c.FollowUp, c.Sort, c.Active)
	}
	weights := make([]weighted, len(outcomes))
	for i, o := range outcomes {
		weights[i] = weighted{string(o.state), o.w}
	}
	seq := 0
	var registered []int64
	total := proposalsPer(r, n.lvl)
	for range total {
		state := proposal.State(pickWeighted(r, weights))
		if state == proposal.Merged && len(registered) == 0 {
			state = proposal.Closed
		}
		g.proposal(r, pc, state, &seq, &registered)
	}
	if seq > 0 {
		t.counters.add(n.id, pc.sessionID, seq)
	}
}

// stage reports whether a proposal ending in state passed through step.
func stage(state, step proposal.State) bool {
	order := []proposal.State{proposal.Draft, proposal.Submitted, proposal.Registered, proposal.Assigned,
		proposal.Accepted, proposal.InHandling, proposal.Replied, proposal.Closed}
	idx := func(s proposal.State) int {
		for i, o := range order {
			if o == s {
				return i
			}
		}
		return 1 // review outcomes (merged, not registered, withdrawn) happen right after submission
	}
	return idx(step) <= idx(state)
}

func (g *generator) proposal(r *rand.Rand, pc *proposalCtx, state proposal.State, seq *int, registered *[]int64) {
	t, n := g.pt, pc.n
	id := g.next(t.proposals)
	theme := proposal.Themes[r.IntN(len(proposal.Themes))]
	topics := proposalTopics[theme]
	title := fmt.Sprintf(proposalTitleForms[r.IntN(len(proposalTitleForms))], topics[r.IntN(len(topics))])
	first := pc.members[r.IntN(len(pc.members))]
	kind := proposal.Individual
	signers := []int64{first}
	if r.IntN(100) < 20 {
		kind = proposal.Joint
		for range 1 + r.IntN(3) {
			if m := pc.members[r.IntN(len(pc.members))]; !containsID(signers, m) {
				signers = append(signers, m)
			}
		}
	}
	// Dates: most proposals come in the plenary's submission window, the rest during the year.
	window := pc.submitFrom.DaysUntil(pc.closes)
	submitted, category := pc.submitFrom.AddDays(r.IntN(window+1)), "plenary"
	if r.IntN(100) < 12 {
		submitted, category = pc.closes.AddDays(30+r.IntN(200)), "regular"
	}
	created := submitted.AddDays(-r.IntN(5))
	at := func(d civil.Date, k int) time.Time { return instant(d.String()).Add(time.Duration(k) * time.Minute) }
	ev := 0
	event := func(d civil.Date, asg any, actor, action string, from, to proposal.State, note string) {
		ev++
		t.events.add(g.next(t.events), n.id, id, asg, at(d, ev), actor, action, string(from), string(to), note)
	}
	proposer := "委员"
	event(created, nil, proposer, "create", proposal.New, proposal.Draft, "")
	var (
		seqV                                                 any
		number, decline, mode                                string
		mergedInto                                           any
		registeredOn, assignedOn, dueOn, repliedOn, closedOn string
		submittedOn                                          string
	)
	if state != proposal.Draft {
		submittedOn = submitted.String()
		event(submitted, nil, proposer, "submit", proposal.Draft, proposal.Submitted, "")
	} else {
		category = ""
	}
	switch state {
	case proposal.Merged:
		mergedInto = (*registered)[r.IntN(len(*registered))]
		event(submitted.AddDays(3), nil, "提案委", "merge", proposal.Submitted, proposal.Merged, "内容相近，并案办理")
	case proposal.NotRegistered:
		decline = []string{"vague", "personal", "scope"}[r.IntN(3)]
		if !validReason(decline) {
			decline = proposal.DefaultDeclineReasons[len(proposal.DefaultDeclineReasons)-1].Code
		}
		event(submitted.AddDays(3), nil, "提案委", "decline", proposal.Submitted, proposal.NotRegistered, "")
	case proposal.Withdrawn:
		event(submitted.AddDays(2), nil, proposer, "withdraw", proposal.Submitted, proposal.Withdrawn, "")
	}
	reg := submitted.AddDays(2 + r.IntN(9))
	if stage(state, proposal.Registered) && state != proposal.Submitted && state != proposal.Draft && !reviewOutcome(state) {
		*seq++
		seqV, number, registeredOn = *seq, proposal.DisplayNumber(pc.termNo, pc.sessionNo, *seq), reg.String()
		*registered = append(*registered, id)
		event(reg, nil, "提案委", "register", proposal.Submitted, proposal.Registered, "")
	}
	isKey := seqV != nil && r.IntN(100) < 3 && pc.leaderUser != 0
	if isKey {
		t.supervisors.add(n.id, id, pc.leaderUser)
	}
	assigned := reg.AddDays(3 + r.IntN(13))
	due := assigned.AddMonths(3)
	if seqV != nil && stage(state, proposal.Assigned) && state != proposal.Registered {
		mode, assignedOn, dueOn = "single", assigned.String(), due.String()
		aid := g.next(t.assignments)
		event(assigned, nil, "提案委", "assign", proposal.Registered, proposal.Assigned, "")
		unit := pc.units[r.IntN(len(pc.units))]
		var acceptedAt any
		accepted := assigned.AddDays(1 + r.IntN(5))
		asgState, asgRepliedOn := string(proposal.Assigned), ""
		if stage(state, proposal.Accepted) {
			asgState, acceptedAt = string(proposal.Accepted), at(accepted, 0)
			event(accepted, aid, "承办单位", "accept", proposal.Assigned, proposal.Accepted, "")
		}
		contactOn := accepted.AddDays(3 + r.IntN(20))
		if stage(state, proposal.InHandling) {
			asgState = string(proposal.InHandling)
			method, face := "face", true
			switch x := r.IntN(100); {
			case x < 10:
				method, face = "phone", false
			case x < 25:
				method = "meeting"
			}
			t.contacts.add(g.next(t.contacts), n.id, id, aid, 1, contactOn.String(), method, face, "提案人、承办单位负责人", at(contactOn, 0))
			event(contactOn, aid, "承办单位", "contact", proposal.Accepted, proposal.InHandling, method)
		}
		replied := contactOn.AddDays(15 + r.IntN(60))
		if r.IntN(100) < 4 {
			replied = due.AddDays(1 + r.IntN(20)) // a few late replies
		}
		if stage(state, proposal.Replied) {
			asgState, asgRepliedOn, repliedOn, dueOn = string(proposal.Replied), replied.String(), replied.String(), ""
			class := pickWeighted(r, []weighted{{"A", 80}, {"B", 15}, {"C", 5}})
			t.replies.add(g.next(t.replies), n.id, id, aid, 1, class, class, "经研究，现将办理情况答复如下：……",
				"delivered", at(replied, -60), at(replied, -30), replied.String(), replied.String(), at(replied, 0), 3)
			event(replied, aid, "承办单位", "draft_reply", proposal.InHandling, proposal.ReplyDrafted, class)
			event(replied, aid, "承办单位", "submit_reply", proposal.ReplyDrafted, proposal.ReplyReview, "")
			event(replied, aid, "提案委", "approve", proposal.ReplyReview, proposal.Replied, "")
		}
		if stage(state, proposal.Closed) {
			closed := replied.AddDays(5 + r.IntN(15))
			closedOn = closed.String()
			for _, m := range signers {
				overall := pickWeighted(r, []weighted{{"satisfied", 85}, {"basic", 15}})
				t.evaluations.add(g.next(t.evaluations), n.id, id, m, 1, overall, "visited", overall, "targeted", at(closed, 0))
				event(closed, nil, proposer, "evaluate", proposal.Replied, proposal.Replied, overall)
			}
			event(closed, nil, proposer, "close", proposal.Replied, proposal.Closed, "")
		}
		t.assignments.add(aid, n.id, id, unit, "sole", asgState, assignedOn, due.String(), due.String(), acceptedAt,
			asgRepliedOn, 1, at(assigned, 0), at(assigned, 1))
	}
	for i, m := range signers {
		role := "co"
		if i == 0 {
			role = "first"
		}
		t.signers.add(g.next(t.signers), n.id, id, m, role, "signed", i, at(created, 0), at(created, 1))
	}
	last := created
	for _, d := range []string{submittedOn, registeredOn, assignedOn, repliedOn, closedOn} {
		if d != "" {
			last = civil.MustParse(d)
		}
	}
	t.proposals.add(id, n.id, pc.sessionID, g.o.Year, seqV, number, string(kind), category, string(theme), title,
		"群众反映较多，亟待解决。", "经调研，主要存在投入不足、机制不健全等问题。", "一是加强统筹；二是加大投入；三是健全机制。",
		string(state), 1, first, mergedInto, decline, "", mode, isKey, r.IntN(3) > 0,
		submittedOn, registeredOn, assignedOn, dueOn, repliedOn, closedOn, ev+1, at(created, 0), at(last, ev))
}

func reviewOutcome(s proposal.State) bool {
	return s == proposal.Merged || s == proposal.NotRegistered || s == proposal.Withdrawn
}

func validReason(code string) bool {
	for _, r := range proposal.DefaultDeclineReasons {
		if r.Code == code {
			return true
		}
	}
	return false
}

func containsID(s []int64, v int64) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
