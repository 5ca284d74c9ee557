// Package activity runs consultation, supervision and everyday duty
// (协商、监督与日常履职, DOMAIN.md §4): activities of every kind and their
// attendance (invitation, sign-up, leave, check-in, roles), outputs (纪要,
// 建议案, 协商专报, 调研报告) with leaders' instructions (批示) and follow-up
// items (跟踪问效), 社情民意, speeches, study articles, publicity, cultural
// history volumes and the consultation plan, and their figures.
//
// # The workflows
//
// workflow.go holds two transition tables: the activity's (state × action ×
// relation → state) and the attendance row's (activity state × attendance
// status × action × relation → status). Relations are the actor's roles in the
// activity's committee plus "self" (the member whose row it is), and
// "outsider" for an actor of another committee. Every use case checks the
// table, then its guards (capacity, leave quota, check-in code), writes,
// audits (audit.Record) and marks the activity changed (changes.Mark, entity
// "activity"), all in one transaction (Service.run).
//
// # Calling the service
//
// Every method takes the actor first. An activity the actor may not see (one
// of another committee, or any activity for a unit account) is
// apperr.ErrNotFound. A step the actor may never take is apperr.Forbidden; a
// step not possible now is apperr.Conflict with key err.activity.state.<STATE>
// or err.activity.att_state.<status>; a stale version is apperr.ErrConflict.
// Bad input is apperr.Invalid with field errors.
//
//	Activities (service.go): Create, EnterPast, Edit, Open, Hold, Cancel
//	Attendance (attendance.go): Invite, InviteServing, SignUp, Withdraw, RequestLeave,
//	  ApproveLeave, RefuseLeave, CheckIn, Mark (many members in one action), SetRole
//	Reading (read.go): Get (Detail with Can), List, Calendar
//	Records (records.go): outputs with instructions and follow-ups, 社情民意,
//	  speeches, study articles, publicity, culture volumes, plan items
//	Guests (guests.go): AddGuest, RemoveGuest — invited leaders and units
//	Output files (files.go): AddOutputFile, RemoveOutputFile, OutputFileContent
//	  (the proposal attachments' rules: proposal.SniffType, proposal.MaxAttachment)
//	社情民意 (sqmy.go): SubmitSqmy, ChangeSqmy, MergeSqmy, ConvertProposal, and the
//	  proposal.OnConvert hook that makes the item when the office converts a proposal
//	Plan and schedules (plan.go, schedule.go): AddPlanItem, EditPlanItem, StepPlanItem,
//	  Plan; AddSchedule, StopSchedule, RunSchedules
//	Settings (settings.go): Settings, SetMaxLeaves
//	Figures (figures.go): Source, the area's figure.Source, by act_kind and act_group;
//	  AttendanceRates (rates.go), per member and per group
package activity

import (
	"slices"

	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Permissions of the activity area (role level; the tables decide per state).
const (
	PermView    auth.Action = "activity.view"    // read every activity and record of the committee (office staff, leaders)
	PermManage  auth.Action = "activity.manage"  // create and run activities, keep every record
	PermJoin    auth.Action = "activity.join"    // a member's own attendance: sign up, leave, check in
	PermLeave   auth.Action = "activity.leave"   // approve and refuse leave requests
	PermFigures auth.Action = "activity.figures" // the area's figures and their records
	PermSubmit  auth.Action = "activity.sqmy"    // submit 社情民意 (members)
)

func init() {
	// The proposal office is part of the committee's office: it reads what
	// the other office staff read (the all-figures page shows every area).
	auth.Grant(PermView, auth.RoleAdmin, auth.RoleStaff, auth.RoleProposalOffice, auth.RoleLeader)
	auth.MarkReadOnly(PermView)
	auth.Grant(PermManage, auth.RoleStaff)
	auth.Grant(PermJoin, auth.RoleMember)
	auth.Grant(PermLeave, auth.RoleStaff, auth.RoleLeader)
	auth.Grant(PermFigures, auth.RoleAdmin, auth.RoleStaff, auth.RoleProposalOffice, auth.RoleLeader)
	auth.MarkReadOnly(PermFigures)
	auth.Grant(PermSubmit, auth.RoleMember)
}

// Entity names of the area's records in the audit log and the change queue.
const (
	EntityActivity   = "activity"
	EntityAttendance = "activity_attendance"
	EntityOutput     = "activity_output"
	EntitySqmy       = "sqmy"
	EntityRecord     = "activity_record"
)

// Kind is an activity kind (DOMAIN.md §4).
type Kind string

// The kinds, with their Chinese names.
const (
	KindPlenary         Kind = "plenary"          // 全体会议
	KindStanding        Kind = "standing"         // 常委会议
	KindChair           Kind = "chair"            // 主席会议
	KindTopicConsult    Kind = "topic_consult"    // 专题协商会
	KindBimonthly       Kind = "bimonthly"        // 双月协商
	KindCounterpart     Kind = "counterpart"      // 对口协商
	KindSectorConsult   Kind = "sector_consult"   // 界别协商
	KindProposalConsult Kind = "proposal_consult" // 提案办理协商
	KindResearch        Kind = "research"         // 调研
	KindInspection      Kind = "inspection"       // 视察
	KindAppraisal       Kind = "appraisal"        // 民主评议
	KindFollowUp        Kind = "followup"         // 跟踪问效
	KindStudy           Kind = "study"            // 学习/培训
	KindVisit           Kind = "visit"            // 走访
	KindForum           Kind = "forum"            // 座谈会
	KindOther           Kind = "other"            // 其他
)

// AllKinds lists the kinds in display order.
var AllKinds = []Kind{KindPlenary, KindStanding, KindChair, KindTopicConsult, KindBimonthly, KindCounterpart,
	KindSectorConsult, KindProposalConsult, KindResearch, KindInspection, KindAppraisal, KindFollowUp,
	KindStudy, KindVisit, KindForum, KindOther}

// ConsultKinds are the kinds counted as 协商 (activities.consultation).
var ConsultKinds = []Kind{KindTopicConsult, KindBimonthly, KindCounterpart, KindSectorConsult, KindProposalConsult}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(AllKinds, k) }

// MandatoryByDefault reports whether activities of kind k are 必须参加 unless
// staff say otherwise (the forms' default).
func (k Kind) MandatoryByDefault() bool {
	return k == KindPlenary || k == KindStanding || k == KindChair
}

// State is an activity's state.
type State string

// The activity states. New is the state before creation (the table's start).
const (
	New       State = ""
	Planned   State = "PLANNED"   // announced; invitations, sign-up and leave
	Open      State = "OPEN"      // under way: check-in is open
	Held      State = "HELD"      // took place; attendance is final
	Cancelled State = "CANCELLED" // called off
)

// AllStates lists the activity states (New included, for the exhaustive tests).
var AllStates = []State{New, Planned, Open, Held, Cancelled}

// Status is one member's attendance status in one activity.
type Status string

// The attendance statuses. None means the member has no row (not invited, not signed up).
const (
	None           Status = ""
	Registered     Status = "registered"      // invited (mandatory) or signed up
	LeaveRequested Status = "leave_requested" // 请假待批
	LeaveApproved  Status = "leave_approved"  // 准假
	LeaveRefused   Status = "leave_refused"   // 不准假 (still expected)
	CheckedIn      Status = "checked_in"      // 签到 (while the activity is open)
	Attended       Status = "attended"        // 出席
	Absent         Status = "absent"          // 缺席 (without leave)
)

// AllStatuses lists the statuses (None included).
var AllStatuses = []Status{None, Registered, LeaveRequested, LeaveApproved, LeaveRefused, CheckedIn, Attended, Absent}

// Role is a member's role in an activity.
type Role string

// The roles.
const (
	RoleNone    Role = ""
	RoleSpeaker Role = "speaker" // 发言人
	RoleDrafter Role = "drafter" // 执笔人
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleNone || r == RoleSpeaker || r == RoleDrafter }

// Activity is one activity.
type Activity struct {
	ID            int64      `json:"id"`
	CommitteeID   int64      `json:"committee_id"`
	Kind          Kind       `json:"kind"`
	Title         string     `json:"title"`
	Place         string     `json:"place"`
	StartsOn      civil.Date `json:"starts_on"`
	StartsAt      string     `json:"starts_at"` // HH:MM, "" for all day
	EndsAt        string     `json:"ends_at"`
	GroupID       int64      `json:"group_id,omitempty"`
	GroupName     string     `json:"group_name,omitempty"`
	PlanItemID    int64      `json:"plan_item_id,omitempty"`
	Mandatory     bool       `json:"mandatory"`
	Capacity      int        `json:"capacity"` // 0: unlimited
	State         State      `json:"state"`
	CheckinCode   string     `json:"-"`
	Notes         string     `json:"notes"`
	CancelReason  string     `json:"cancel_reason,omitempty"`
	EnteredLater  bool       `json:"entered_later"`
	EnteredBy     int64      `json:"entered_by,omitempty"`
	EnteredByName string     `json:"entered_by_name,omitempty"`
	EnteredAt     db.Time    `json:"entered_at"`
	Version       int        `json:"version"`
	CreatedAt     db.Time    `json:"created_at"`
	UpdatedAt     db.Time    `json:"updated_at"`
}

// Attendance is one member's row in one activity.
type Attendance struct {
	ID          int64   `json:"id"`
	ActivityID  int64   `json:"activity_id"`
	PersonID    int64   `json:"person_id"`
	Name        string  `json:"name"`
	Status      Status  `json:"status"`
	Role        Role    `json:"role"`
	LeaveReason string  `json:"leave_reason,omitempty"`
	DecidedBy   int64   `json:"decided_by,omitempty"`
	Version     int     `json:"version"`
	UpdatedAt   db.Time `json:"updated_at"`
}

// Service is the activity use cases.
type Service struct {
	DB *db.DB
	// Today returns the current civil date; tests fix it.
	Today func() civil.Date
}

// NewService returns the activity service over d.
func NewService(d *db.DB) *Service { return &Service{DB: d, Today: civil.Today} }

func (s *Service) today() civil.Date {
	if s.Today == nil {
		return civil.Today()
	}
	return s.Today()
}

// Ref names a record and the version the caller saw (0: do not check).
type Ref struct {
	ID      int64 `json:"id"`
	Version int   `json:"version"`
}
