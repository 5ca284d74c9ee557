package gen

import (
	"fmt"
	"math/rand/v2"

	"lvzhi/internal/activity"
	"lvzhi/internal/civil"
)

// The year's consultation and everyday duty of each committee, generated with
// its proposals (the year's records): held activities of every kind with
// their rolls (most attended, some on leave, a few absent) and 社情民意 items,
// at each level's volume (DOMAIN.md §7).

// activityTables are the buffers of the activity area, in foreign-key order.
type activityTables struct {
	activities, attendance, sqmy *table
}

func newActivityTables() *activityTables {
	return &activityTables{
		activities: &table{name: "activities", cols: cols("id committee_id kind title place starts_on starts_at ends_at mandatory " +
			"capacity state version created_at updated_at")},
		attendance: &table{name: "activity_attendance", cols: cols("id committee_id activity_id person_id status role version created_at updated_at")},
		sqmy:       &table{name: "sqmy_items", cols: cols("id committee_id title content person_id submitted_on state level adopted_on version created_at updated_at")},
	}
}

func (a *activityTables) all() []*table { return []*table{a.activities, a.attendance, a.sqmy} }

// activitiesPer is how many activities a committee of each level holds in a year.
func activitiesPer(r *rand.Rand, l level) int {
	switch l {
	case lvlNational:
		return 110 + r.IntN(21)
	case lvlProvince:
		return 80 + r.IntN(21)
	case lvlPrefecture:
		return 55 + r.IntN(16)
	default:
		return 40 + r.IntN(11)
	}
}

var genKinds = []weighted{{string(activity.KindResearch), 22}, {string(activity.KindInspection), 10}, {string(activity.KindBimonthly), 6},
	{string(activity.KindTopicConsult), 5}, {string(activity.KindCounterpart), 4}, {string(activity.KindSectorConsult), 4},
	{string(activity.KindProposalConsult), 3}, {string(activity.KindFollowUp), 6}, {string(activity.KindAppraisal), 4},
	{string(activity.KindStudy), 14}, {string(activity.KindVisit), 8}, {string(activity.KindForum), 8}, {string(activity.KindStanding), 6}}

var genRoll = []weighted{{string(activity.Attended), 90}, {string(activity.LeaveApproved), 6}, {string(activity.Absent), 4}}

// activities generates a committee's year: a plenary with every member, the
// rest with 10–40 members each, all held; and 社情民意 (a third adopted).
func (g *generator) activities(r *rand.Rand, n *node, people []int64) {
	t := g.at
	year := g.o.Year
	first := civil.Date{Year: year, Month: 1, Day: 1}
	created := instant(fmt.Sprintf("%04d-12-31", year))
	addRoll := func(act int64, roll []int64) {
		for _, p := range roll {
			t.attendance.add(g.next(t.attendance), n.id, act, p, pickWeighted(r, genRoll), "", 1, created, created)
		}
	}
	plenary := g.next(t.activities)
	t.activities.add(plenary, n.id, string(activity.KindPlenary), "全体委员会议", "会议中心", fmt.Sprintf("%04d-02-26", year), "09:00", "11:30",
		true, 0, string(activity.Held), 1, created, created)
	addRoll(plenary, people)
	for i, k := 0, activitiesPer(r, n.lvl); i < k; i++ {
		kind := pickWeighted(r, genKinds)
		id := g.next(t.activities)
		on := first.AddDays(15 + r.IntN(330))
		t.activities.add(id, n.id, kind, fmt.Sprintf("%s活动（%d）", n.name, i+1), n.name, on.String(), "09:00", "17:00",
			false, 0, string(activity.Held), 1, created, created)
		size := min(len(people), 10+r.IntN(31))
		roll := make([]int64, 0, size)
		for _, j := range r.Perm(len(people))[:size] {
			roll = append(roll, people[j])
		}
		addRoll(id, roll)
	}
	for i, k := 0, 15+r.IntN(30); i < k; i++ {
		on := first.AddDays(r.IntN(360))
		state, level, adopted := "submitted", "", ""
		if r.IntN(3) == 0 {
			state, level, adopted = "adopted", activity.Levels[r.IntN(len(activity.Levels))], on.AddDays(20).String()
		}
		t.sqmy.add(g.next(t.sqmy), n.id, fmt.Sprintf("关于%s的社情民意（%d）", n.name, i+1), "群众反映……", people[r.IntN(len(people))],
			on.String(), state, level, adopted, 1, created, created)
	}
}

// personIDs are the people of a committee's active memberships, from the
// buffered membership rows (columns: id committee_id person_id …).
func (g *generator) personIDs(active []int64) []int64 {
	want := make(map[int64]bool, len(active))
	for _, id := range active {
		want[id] = true
	}
	// The committee's rows are the last buffered ones (with a few of its
	// prefecture's in between): walk back until all are found.
	out := make([]int64, 0, len(active))
	rows := g.t.memberships.rows
	for i := len(rows) - 1; i >= 0 && len(out) < len(active); i-- {
		if id, ok := rows[i][0].(int64); ok && want[id] {
			out = append(out, rows[i][2].(int64))
		}
	}
	return out
}
