package proposal

import (
	"slices"
	"time"

	"lvzhi/internal/civil"
	"lvzhi/internal/i18n"
)

// State is where a proposal (or one assignment of it) stands. Labels are the
// i18n keys "proposal.state.<STATE>".
type State string

// The states. Assignment sub-states reuse the handling states of the proposal
// (ASSIGNED … REPLIED, REHANDLING) plus COUNTERSIGNED, which only a 会办
// co-unit's assignment takes.
const (
	New             State = "NEW"              // pseudo-state before creation (table only)
	Draft           State = "DRAFT"            // 暂存
	Signing         State = "SIGNING"          // 联名待签
	Submitted       State = "SUBMITTED"        // 待审查
	Returned        State = "RETURNED"         // 退回修改
	Withdrawn       State = "WITHDRAWN"        // 已撤案
	Registered      State = "REGISTERED"       // 已立案
	Merged          State = "MERGED"           // 已并案
	NotRegistered   State = "NOT_REGISTERED"   // 不予立案
	Assigned        State = "ASSIGNED"         // 已交办, 待签收
	ReturnRequested State = "RETURN_REQUESTED" // 申请退回
	Accepted        State = "ACCEPTED"         // 已签收
	InHandling      State = "IN_HANDLING"      // 办理中 (面商后)
	ReplyDrafted    State = "REPLY_DRAFTED"    // 答复已起草
	ReplyReview     State = "REPLY_REVIEW"     // 答复待审核
	Replied         State = "REPLIED"          // 已答复
	Rehandling      State = "REHANDLING"       // 再办理
	Closed          State = "CLOSED"           // 已办结
	Countersigned   State = "COUNTERSIGNED"    // 已会签 (co-unit assignments only)
)

// ProposalStates lists the states a proposal can be in, in lifecycle order.
var ProposalStates = []State{
	Draft, Signing, Submitted, Returned, Withdrawn, Registered, Merged, NotRegistered,
	Assigned, ReturnRequested, Accepted, InHandling, ReplyDrafted, ReplyReview, Replied, Rehandling, Closed,
}

// AssignmentStates lists the sub-states of one assignment.
var AssignmentStates = []State{Assigned, ReturnRequested, Accepted, InHandling, ReplyDrafted, ReplyReview, Replied, Rehandling, Countersigned}

// AllStates is every state the table knows, including the pseudo-state New.
var AllStates = append(append([]State{New}, ProposalStates...), Countersigned)

// Label returns the state's name in lang.
func (s State) Label(lang string) string { return i18n.T(lang, "proposal.state."+string(s)) }

// Kind is who proposes.
type Kind string

// The kinds.
const (
	Individual Kind = "individual" // 个人提案
	Joint      Kind = "joint"      // 联名提案
	Body       Kind = "body"       // 集体提案 (党派, 人民团体, 专委会, 界别, 委员小组)
)

// BodyType is the kind of body submitting in its own name.
type BodyType string

// The body types. Sectors and member groups propose only during the plenary.
const (
	BodyParty            BodyType = "party"             // 党派
	BodyPeopleOrg        BodyType = "people_org"        // 人民团体
	BodySpecialCommittee BodyType = "special_committee" // 专委会
	BodySector           BodyType = "sector"            // 界别 (plenary only)
	BodyMemberGroup      BodyType = "member_group"      // 委员小组 (plenary only)
)

// BodyTypes lists the body types.
var BodyTypes = []BodyType{BodyParty, BodyPeopleOrg, BodySpecialCommittee, BodySector, BodyMemberGroup}

// Category says whether a proposal was submitted in the session's window.
type Category string

// The categories; set on submission.
const (
	Plenary Category = "plenary" // 大会提案
	Regular Category = "regular" // 平时提案
)

// Theme is the subject area.
type Theme string

// The five themes.
const (
	Economy  Theme = "economy"  // 经济
	Politics Theme = "politics" // 政治
	Culture  Theme = "culture"  // 文化
	Society  Theme = "society"  // 社会
	Ecology  Theme = "ecology"  // 生态文明
)

// Themes lists the themes in display order.
var Themes = []Theme{Economy, Politics, Culture, Society, Ecology}

// Mode is how a proposal is assigned.
type Mode string

// The assignment modes.
const (
	Single    Mode = "single"   // 单办: one unit
	JointMode Mode = "joint"    // 会办: a lead unit and co-units, one reply
	Separate  Mode = "separate" // 分办: several units, each replies
)

// AssignRole is a unit's part in an assignment.
type AssignRole string

// The assignment roles.
const (
	RoleSole     AssignRole = "sole"     // 单办
	RoleLead     AssignRole = "lead"     // 会办 主办
	RoleCo       AssignRole = "co"       // 会办 协办
	RoleSeparate AssignRole = "separate" // 分办
)

// Replies reports whether a unit in this role writes a reply.
func (r AssignRole) Replies() bool { return r != RoleCo }

// SignerStatus is where a signer stands.
type SignerStatus string

// The signer statuses.
const (
	Invited  SignerStatus = "invited"
	Signed   SignerStatus = "signed"
	Declined SignerStatus = "declined"
	Expired  SignerStatus = "expired" // did not answer before the deadline
)

// ContactMethod is how a unit contacted the proposer (办前面商).
type ContactMethod string

// The methods; face and meeting count as face to face (面商率).
const (
	ByFace    ContactMethod = "face"    // 面谈
	ByMeeting ContactMethod = "meeting" // 座谈会
	ByPhone   ContactMethod = "phone"   // 电话
	ByLetter  ContactMethod = "letter"  // 书信
	ByOther   ContactMethod = "other"   // 其他
)

// ContactMethods lists the methods.
var ContactMethods = []ContactMethod{ByFace, ByMeeting, ByPhone, ByLetter, ByOther}

// Rating is 满意 / 基本满意 / 不满意.
type Rating string

// The ratings.
const (
	Satisfied    Rating = "satisfied"
	Basic        Rating = "basic"
	Dissatisfied Rating = "dissatisfied"
)

// ContactMade answers "did the unit contact you?".
type ContactMade string

// The answers.
const (
	Visited    ContactMade = "visited"     // 已走访/已联系
	NotNeeded  ContactMade = "not_needed"  // 不需要
	NotVisited ContactMade = "not_visited" // 未走访
)

// Addressed answers "does the reply address the proposal?".
type Addressed string

// The answers.
const (
	Targeted      Addressed = "targeted" // 针对
	BasicTargeted Addressed = "basic"    // 基本针对
	NotTargeted   Addressed = "not"      // 未针对
)

// ConvertTarget is what a not-registered proposal becomes.
type ConvertTarget string

// The targets.
const (
	ToSQMY    ConvertTarget = "sqmy"    // 社情民意
	ToOpinion ConvertTarget = "opinion" // 意见建议
)

// SupervisionKind is the kind of a supervision activity.
type SupervisionKind string

// The kinds.
const (
	SupInspection  SupervisionKind = "inspection"  // 视察
	SupMeeting     SupervisionKind = "meeting"     // 督办会
	SupResearch    SupervisionKind = "research"    // 调研
	SupInstruction SupervisionKind = "instruction" // 批示
	SupOther       SupervisionKind = "other"
)

// Ref names a proposal and, optionally, the version the caller saw: a form
// carries it, and if someone else changed the proposal meanwhile the call
// fails with a conflict saying what happened. Version 0 skips that check.
type Ref struct {
	ID      int64
	Version int
}

// Proposal is one proposal's own record.
type Proposal struct {
	ID          int64    `json:"id"`
	CommitteeID int64    `json:"committee_id"`
	SessionID   int64    `json:"session_id"`
	Year        int      `json:"year"`
	Seq         int      `json:"seq,omitempty"`    // registration number in the session; 0 before
	Number      string   `json:"number,omitempty"` // display number, e.g. 九届二次-015
	Kind        Kind     `json:"kind"`
	BodyType    BodyType `json:"body_type,omitempty"`
	BodyName    string   `json:"body_name,omitempty"`
	Category    Category `json:"category,omitempty"` // set on submission
	Theme       Theme    `json:"theme"`
	Title       string   `json:"title"`
	Matter      string   `json:"matter"`      // 案由
	Analysis    string   `json:"analysis"`    // 情况分析
	Suggestions string   `json:"suggestions"` // 具体建议
	State       State    `json:"state"`
	Round       int      `json:"round"` // 1, or 2 after 不满意 (再办理)
	Version     int      `json:"version"`

	FirstProposerID   int64         `json:"first_proposer_id"` // membership
	FirstProposerName string        `json:"first_proposer_name"`
	CreatedBy         int64         `json:"created_by,omitempty"` // user
	EnteredBy         int64         `json:"entered_by,omitempty"` // staff user who entered a paper proposal
	MergedInto        int64         `json:"merged_into,omitempty"`
	DeclineReason     string        `json:"decline_reason,omitempty"` // code in the committee's list
	ReviewNote        string        `json:"review_note,omitempty"`    // why returned / declined / merged
	ConvertedTo       ConvertTarget `json:"converted_to,omitempty"`
	Mode              Mode          `json:"mode,omitempty"`

	Key            bool `json:"key"`       // 重点提案
	Excellent      bool `json:"excellent"` // 优秀提案
	Published      bool `json:"published"`
	PublishConsent bool `json:"publish_consent"`

	SigningDeadline civil.Date `json:"signing_deadline"`
	SubmittedOn     civil.Date `json:"submitted_on"`
	RegisteredOn    civil.Date `json:"registered_on"`
	AssignedOn      civil.Date `json:"assigned_on"` // first assignment: the base of the 6-month limit
	DueOn           civil.Date `json:"due_on"`      // earliest due date of the open assignments
	RepliedOn       civil.Date `json:"replied_on"`
	ClosedOn        civil.Date `json:"closed_on"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`

	committeePath string
}

// Overdue reports whether the proposal is still being handled after its due date.
func (p *Proposal) Overdue(today civil.Date) bool { return isOverdue(p.State, p.DueOn, today) }

// isOverdue is the one definition of "overdue" (逾期): still in a handling state
// after a set due date. overdueSQL is the same rule for queries and figures.
func isOverdue(s State, due, today civil.Date) bool {
	return !due.IsZero() && due.Before(today) && isHandling(s)
}

// overdueSQL is isOverdue over the row alias (its state and due_on columns),
// with todayArg the placeholder holding today's date.
func overdueSQL(alias, todayArg string) string {
	return alias + ".due_on <> '' AND " + alias + ".due_on < " + todayArg + " AND " + alias + ".state IN (" + handlingList + ")"
}

func isHandling(s State) bool { return slices.Contains(handlingStates, s) }

// Signer is the first proposer or a co-signer.
type Signer struct {
	ID           int64        `json:"id"`
	MembershipID int64        `json:"membership_id"`
	PersonID     int64        `json:"person_id"`
	Name         string       `json:"name"`
	Role         string       `json:"role"` // "first" or "co"
	Status       SignerStatus `json:"status"`
	RespondedAt  time.Time    `json:"responded_at"`
}

// Attachment describes a file; its bytes come from Attachment().
type Attachment struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	CreatedAt   time.Time `json:"created_at"`
}

// Assignment is one unit's part in handling a proposal.
type Assignment struct {
	ID                int64      `json:"id"`
	UnitID            int64      `json:"unit_id"`
	UnitName          string     `json:"unit_name"`
	Role              AssignRole `json:"role"`
	State             State      `json:"state"`
	AssignedOn        civil.Date `json:"assigned_on"`
	DueOn             civil.Date `json:"due_on"`
	OriginalDueOn     civil.Date `json:"original_due_on"`
	Extensions        int        `json:"extensions"`
	ExtensionAskedOn  civil.Date `json:"extension_asked_on"`
	ExtensionAskedDue civil.Date `json:"extension_asked_due"`
	ExtensionReason   string     `json:"extension_reason,omitempty"`
	AcceptedAt        time.Time  `json:"accepted_at"`
	ReturnReason      string     `json:"return_reason,omitempty"`
	ReturnRequestedOn civil.Date `json:"return_requested_on"`
	ReturnRequests    int        `json:"return_requests"`
	RepliedOn         civil.Date `json:"replied_on"`
	Version           int        `json:"version"`
}

// Contact is one 办前面商 record.
type Contact struct {
	ID           int64         `json:"id"`
	AssignmentID int64         `json:"assignment_id"`
	Round        int           `json:"round"`
	On           civil.Date    `json:"on"`
	Method       ContactMethod `json:"method"`
	FaceToFace   bool          `json:"face_to_face"`
	People       string        `json:"people"` // who took part
	Note         string        `json:"note,omitempty"`
}

// Reply is a unit's reply in one round.
type Reply struct {
	ID           int64         `json:"id"`
	AssignmentID int64         `json:"assignment_id"`
	Round        int           `json:"round"`
	ResultClass  string        `json:"result_class"`  // after office review
	DraftedClass string        `json:"drafted_class"` // as the unit drafted it (empty for readers of the delivered reply only)
	Body         string        `json:"body"`
	Status       string        `json:"status"`                // drafted, review, sent_back, delivered
	ReviewNote   string        `json:"review_note,omitempty"` // the office's, when it sent the reply back (not for readers of the delivered reply only)
	DeliveredOn  civil.Date    `json:"delivered_on"`
	SubmittedOn  civil.Date    `json:"submitted_on"`            // the day the unit last submitted it for review (civil, Asia/Shanghai)
	Signer       string        `json:"signer,omitempty"`        // 签发领导
	ContactName  string        `json:"contact_name,omitempty"`  // 联系人
	ContactPhone string        `json:"contact_phone,omitempty"` // the contact's phone
	Letter       *Attachment   `json:"letter,omitempty"`        // 答复函, the sealed letter (GET /proposals/{id}/attachments/{letter.id})
	Countersigns []Countersign `json:"countersigns,omitempty"`
}

// Countersign is a 会办 co-unit's agreement to the lead unit's reply.
type Countersign struct {
	AssignmentID int64     `json:"assignment_id"`
	UnitName     string    `json:"unit_name"`
	Opinion      string    `json:"opinion,omitempty"`
	At           time.Time `json:"at"`
}

// Evaluation is a signer's judgement of the reply in one round.
type Evaluation struct {
	ID           int64       `json:"id"`
	MembershipID int64       `json:"membership_id"`
	Name         string      `json:"name"`
	Round        int         `json:"round"`
	Overall      Rating      `json:"overall"`
	Contact      ContactMade `json:"contact"`
	Attitude     Rating      `json:"attitude"`
	Addressed    Addressed   `json:"addressed"`
	Comment      string      `json:"comment,omitempty"`
	CreatedAt    time.Time   `json:"created_at"`
}

// Event is one entry of the timeline.
type Event struct {
	ID           int64     `json:"id"`
	AssignmentID int64     `json:"assignment_id,omitempty"`
	At           time.Time `json:"at"`
	ActorName    string    `json:"actor_name"`
	// System: the platform acted by itself (an automatic closure, a deadline
	// job); ActorName is then empty.
	System bool `json:"system,omitempty"`
	// UnitName is the handling unit of an assignment's event.
	UnitName string `json:"unit_name,omitempty"`
	Action   string `json:"action"`
	From     State  `json:"from"`
	To       State  `json:"to"`
	Note     string `json:"note,omitempty"`
	// EnteredBy and EnteredAt: a past step entered later (补录), by whom and
	// when; At is then the day it happened. Empty for a step taken live.
	EnteredBy string     `json:"entered_by,omitempty"`
	EnteredAt *time.Time `json:"entered_at,omitempty"`
}

// Supervisor is a supervising leader of a key proposal.
type Supervisor struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
}

// Supervision is one supervision activity (督办活动).
type Supervision struct {
	ID   int64           `json:"id"`
	On   civil.Date      `json:"on"`
	Kind SupervisionKind `json:"kind"`
	Note string          `json:"note"`
}

// FollowUp is one 回头看 record: a second result for a B or C item.
type FollowUp struct {
	ID           int64  `json:"id"`
	AssignmentID int64  `json:"assignment_id"`
	Year         int    `json:"year"`
	ResultClass  string `json:"result_class"`
	Note         string `json:"note"`
}

// Detail is a proposal with everything around it, as Get returns it.
type Detail struct {
	Proposal
	Signers     []Signer      `json:"signers"`
	Attachments []Attachment  `json:"attachments"`
	Assignments []Assignment  `json:"assignments"`
	Contacts    []Contact     `json:"contacts"`
	Replies     []Reply       `json:"replies"`
	Evaluations []Evaluation  `json:"evaluations"`
	Events      []Event       `json:"events"`
	Supervisors []Supervisor  `json:"supervisors"`
	Supervision []Supervision `json:"supervision"`
	FollowUps   []FollowUp    `json:"follow_ups"`
	MergedFrom  []int64       `json:"merged_from,omitempty"` // proposals merged into this one
	// SqmyID is the 社情民意 item a proposal converted to 社情民意 became (0: none).
	SqmyID int64 `json:"sqmy_id,omitempty"`
	// Can lists the proposal-level actions the reading actor may take now,
	// and MyAssignment the actor's own assignment (units) with its actions.
	Can           []Action           `json:"can"`
	MyAssignment  int64              `json:"my_assignment,omitempty"`
	AssignmentCan map[int64][]Action `json:"assignment_can,omitempty"`
	// EvalRound is the round whose reply the reader may evaluate now (0: none):
	// a signer who has not evaluated it, within its window; in REHANDLING it is
	// round 1. EvalLast is the last day of the open reply's evaluation window.
	EvalRound int        `json:"eval_round,omitempty"`
	EvalLast  civil.Date `json:"eval_last"`
}
