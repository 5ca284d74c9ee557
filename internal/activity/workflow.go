package activity

import "slices"

// Action is one step of an activity's or an attendance row's workflow.
type Action string

// The activity actions (staff).
const (
	ActCreate    Action = "create"     // 新建: announce an activity
	ActEnterPast Action = "enter_past" // 补录: an activity that already took place, with its attendance
	ActEdit      Action = "edit"       // 修改
	ActOpen      Action = "open"       // 开始: check-in opens
	ActHold      Action = "hold"       // 结束: the activity took place; attendance becomes final
	ActCancel    Action = "cancel"     // 取消
	ActGuests    Action = "guests"     // 邀请领导、单位: add or remove an invited guest (also after, to complete the record)
)

// ActivityActions lists the activity actions.
var ActivityActions = []Action{ActCreate, ActEnterPast, ActEdit, ActOpen, ActHold, ActCancel, ActGuests}

// The attendance actions.
const (
	ActInvite       Action = "invite"        // 通知参加 (staff)
	ActSignUp       Action = "sign_up"       // 报名 (the member)
	ActWithdraw     Action = "withdraw"      // 取消报名 (the member)
	ActRequestLeave Action = "request_leave" // 请假 (the member)
	ActApproveLeave Action = "approve_leave" // 准假 (staff, leader)
	ActRefuseLeave  Action = "refuse_leave"  // 不准假 (staff, leader)
	ActCheckIn      Action = "check_in"      // 签到 with the venue's code (the member)
	ActMarkAttended Action = "mark_attended" // 登记出席 (staff; also walk-ins and past records)
	ActMarkAbsent   Action = "mark_absent"   // 登记缺席 (staff)
	ActRecordLeave  Action = "record_leave"  // 补登请假 (staff, after the activity)
	ActClose        Action = "close"         // the roll closes when the activity is held (system)
	ActSetRole      Action = "set_role"      // 发言人、执笔人 (staff)
)

// AttendanceActions lists the attendance actions.
var AttendanceActions = []Action{ActInvite, ActSignUp, ActWithdraw, ActRequestLeave, ActApproveLeave,
	ActRefuseLeave, ActCheckIn, ActMarkAttended, ActMarkAbsent, ActRecordLeave, ActClose, ActSetRole}

// Relation is how an actor stands to an activity or an attendance row: a role
// in the activity's committee, "self" for the member whose row it is, the
// system, or an outsider (any actor of another committee).
type Relation string

// The relations.
const (
	RelSelf     Relation = "self"     // the member whose attendance row it is
	RelMember   Relation = "member"   // any other member of the committee
	RelStaff    Relation = "staff"    // 机关工作人员
	RelLeader   Relation = "leader"   // 领导
	RelUnit     Relation = "unit"     // a unit account
	RelAdmin    Relation = "admin"    // the system administrator
	RelOutsider Relation = "outsider" // an actor of another committee (its staff included)
	RelSystem   Relation = "system"   // automatic steps
)

// AllRelations lists every relation, for the exhaustive tests.
var AllRelations = []Relation{RelSelf, RelMember, RelStaff, RelLeader, RelUnit, RelAdmin, RelOutsider, RelSystem}

// Rule is one row of the activity table.
type Rule struct {
	From   State
	Action Action
	Who    []Relation
	To     State
}

var staffOnly = []Relation{RelStaff}

// Table is THE activity workflow; anything not listed is refused.
var Table = func() []Rule {
	var t []Rule
	add := func(a Action, to State, from ...State) {
		for _, f := range from {
			next := to
			if to == "=" {
				next = f
			}
			t = append(t, Rule{From: f, Action: a, Who: staffOnly, To: next})
		}
	}
	add(ActCreate, Planned, New)
	add(ActEnterPast, Held, New)
	add(ActEdit, "=", Planned, Open)
	add(ActOpen, Open, Planned)
	add(ActHold, Held, Planned, Open)
	add(ActCancel, Cancelled, Planned, Open)
	add(ActGuests, "=", Planned, Open, Held)
	return t
}()

var activityIndex = func() map[[2]string]Rule {
	m := map[[2]string]Rule{}
	for _, r := range Table {
		k := [2]string{string(r.From), string(r.Action)}
		if _, dup := m[k]; dup {
			panic("activity: duplicate rule " + k[0] + " " + k[1])
		}
		m[k] = r
	}
	return m
}()

// Next returns the activity state after action a in state from by an actor
// with relations rels, and whether the table allows it.
func Next(from State, a Action, rels []Relation) (State, bool) {
	r, ok := activityIndex[[2]string{string(from), string(a)}]
	if !ok || !anyOf(r.Who, rels) {
		return "", false
	}
	return r.To, true
}

// AttRule is one row of the attendance table: while the activity is in one
// of Phases, a row in status From takes action Action by any of Who to To.
type AttRule struct {
	Phases []State
	From   Status
	Action Action
	Who    []Relation
	To     Status
}

var (
	self      = []Relation{RelSelf}
	deciders  = []Relation{RelStaff, RelLeader}
	systemOnl = []Relation{RelSystem}
	before    = []State{Planned, Open}
	running   = []State{Open, Held}
	anyLive   = []State{Planned, Open, Held}
)

// AttTable is THE attendance and leave workflow. Guards that depend on the
// records (capacity, mandatory or sign-up, the leave quota, the check-in
// code) are checked by the service after the table allows the step.
var AttTable = func() []AttRule {
	var t []AttRule
	add := func(phases []State, a Action, who []Relation, to Status, from ...Status) {
		for _, f := range from {
			next := to
			if to == "=" {
				next = f
			}
			t = append(t, AttRule{Phases: phases, From: f, Action: a, Who: who, To: next})
		}
	}
	add(before, ActInvite, staffOnly, Registered, None)
	add(before, ActSignUp, self, Registered, None)
	add([]State{Planned}, ActWithdraw, self, None, Registered)
	add(before, ActRequestLeave, self, LeaveRequested, Registered, LeaveRefused)
	add(before, ActApproveLeave, deciders, LeaveApproved, LeaveRequested)
	add(before, ActRefuseLeave, deciders, LeaveRefused, LeaveRequested)
	add([]State{Open}, ActCheckIn, self, CheckedIn, Registered, LeaveRefused)
	// Staff record who came: the invited (whatever they asked), walk-ins, corrections.
	add(running, ActMarkAttended, staffOnly, Attended, None, Registered, LeaveRequested, LeaveApproved, LeaveRefused, CheckedIn, Absent)
	add(running, ActMarkAbsent, staffOnly, Absent, Registered, LeaveRequested, LeaveRefused, CheckedIn, Attended)
	// A past record lists the invited who did not come.
	add([]State{Held}, ActMarkAbsent, staffOnly, Absent, None)
	add([]State{Held}, ActRecordLeave, staffOnly, LeaveApproved, None, Absent)
	// Holding closes the roll: who checked in attended, who was expected and did not come was absent.
	add(before, ActClose, systemOnl, Attended, CheckedIn)
	add(before, ActClose, systemOnl, Absent, Registered, LeaveRequested, LeaveRefused)
	add(anyLive, ActSetRole, staffOnly, "=", Registered, LeaveRequested, LeaveRefused, CheckedIn, Attended)
	return t
}()

var attIndex = func() map[[3]string]AttRule {
	m := map[[3]string]AttRule{}
	for _, r := range AttTable {
		for _, ph := range r.Phases {
			k := [3]string{string(ph), string(r.From), string(r.Action)}
			if _, dup := m[k]; dup {
				panic("activity: duplicate attendance rule " + k[0] + " " + k[1] + " " + k[2])
			}
			m[k] = r
		}
	}
	return m
}()

// NextStatus returns the attendance status after action a on a row in status
// from, while the activity is in phase, by an actor with relations rels.
func NextStatus(phase State, from Status, a Action, rels []Relation) (Status, bool) {
	r, ok := attIndex[[3]string{string(phase), string(from), string(a)}]
	if !ok || !anyOf(r.Who, rels) {
		return "", false
	}
	return r.To, true
}

// EverActivity reports whether rels may ever take activity action a.
func EverActivity(a Action, rels []Relation) bool {
	return slices.ContainsFunc(Table, func(r Rule) bool { return r.Action == a && anyOf(r.Who, rels) })
}

// EverAttendance reports whether rels may ever take attendance action a.
func EverAttendance(a Action, rels []Relation) bool {
	return slices.ContainsFunc(AttTable, func(r AttRule) bool { return r.Action == a && anyOf(r.Who, rels) })
}

func anyOf(who, rels []Relation) bool {
	return slices.ContainsFunc(rels, func(r Relation) bool { return slices.Contains(who, r) })
}
