package proposal

import "slices"

// Action is one step of the workflow. Each action applies either to the
// proposal or to one assignment (a unit's part of the handling); see Subject.
type Action string

// The actions. Comments give the Chinese term and who may do it.
const (
	ActCreate      Action = "create"       // 起草: a member starts a draft
	ActEnterPaper  Action = "enter_paper"  // 代录: staff enter a paper proposal on a member's behalf
	ActEdit        Action = "edit"         // 修改: the first proposer edits a draft or a returned proposal
	ActAttach      Action = "attach"       // 附件: add or remove an attachment
	ActStartSign   Action = "start_sign"   // 发起联名: invite co-signers
	ActCancelSign  Action = "cancel_sign"  // 撤回联名: back to draft
	ActSign        Action = "sign"         // 签名: a co-signer signs
	ActDeclineSign Action = "decline_sign" // 拒绝联名
	ActSubmit      Action = "submit"       // 提交
	ActWithdraw    Action = "withdraw"     // 撤案
	ActReturn      Action = "return"       // 退回修改
	ActRegister    Action = "register"     // 立案
	ActMerge       Action = "merge"        // 并案
	ActDecline     Action = "decline"      // 不予立案
	ActConvert     Action = "convert"      // 转社情民意 / 意见建议
	ActAssign      Action = "assign"       // 交办
	ActAccept      Action = "accept"       // 签收
	ActAskReturn   Action = "ask_return"   // 申请退回 (申退)
	ActConfirm     Action = "confirm"      // 提案委维持交办
	ActReassign    Action = "reassign"     // 提案委改交
	ActAskExtend   Action = "ask_extend"   // 申请延期
	ActExtend      Action = "extend"       // 批准延期
	ActContact     Action = "contact"      // 办前面商
	ActDraftReply  Action = "draft_reply"  // 起草答复
	ActCountersign Action = "countersign"  // 会签
	ActSubmitReply Action = "submit_reply" // 提交答复审核
	ActSendBack    Action = "send_back"    // 退回答复
	ActApprove     Action = "approve"      // 审核通过并送达答复
	ActEvaluate    Action = "evaluate"     // 评价
	ActRehandle    Action = "rehandle"     // 再办理 (after 不满意; system)
	ActClose       Action = "close"        // 办结
	ActMarkKey     Action = "mark_key"     // 重点提案
	ActSupervise   Action = "supervise"    // 督办活动
	ActExcellent   Action = "excellent"    // 优秀提案
	ActFollowUp    Action = "follow_up"    // 回头看
)

// AllActions lists every action, in workflow order.
var AllActions = []Action{
	ActCreate, ActEnterPaper, ActEdit, ActAttach, ActStartSign, ActCancelSign, ActSign, ActDeclineSign,
	ActSubmit, ActWithdraw, ActReturn, ActRegister, ActMerge, ActDecline, ActConvert, ActAssign,
	ActAccept, ActAskReturn, ActConfirm, ActReassign, ActAskExtend, ActExtend, ActContact, ActDraftReply,
	ActCountersign, ActSubmitReply, ActSendBack, ActApprove, ActEvaluate, ActRehandle, ActClose,
	ActMarkKey, ActSupervise, ActExcellent, ActFollowUp,
}

// Subject says what an action's state refers to.
type Subject int

// The two subjects.
const (
	OnProposal   Subject = iota // the proposal's state
	OnAssignment                // one assignment's sub-state
)

var assignmentActions = []Action{
	ActAccept, ActAskReturn, ActConfirm, ActReassign, ActAskExtend, ActExtend, ActContact,
	ActDraftReply, ActCountersign, ActSubmitReply, ActSendBack, ActApprove, ActFollowUp,
}

// SubjectOf returns what the state in the table means for action a. ActRehandle
// applies to both: the proposal and then each of its assignments.
func SubjectOf(a Action) Subject {
	if slices.Contains(assignmentActions, a) {
		return OnAssignment
	}
	return OnProposal
}

// Relation is how an actor stands to a proposal: an auth role held in the
// proposal's committee, or a relation derived from the records (first proposer,
// co-signer, assigned unit …), or the system itself (automatic steps).
type Relation string

// The relations. The first seven mirror auth roles.
const (
	RelAdmin      Relation = "admin"
	RelStaff      Relation = "staff"
	RelOffice     Relation = "proposal_office"
	RelMember     Relation = "member" // any member, with no tie to this proposal
	RelUnit       Relation = "unit"   // any unit account, with no assignment on this proposal
	RelLeader     Relation = "leader"
	RelAssistance Relation = "assistance"

	RelFirstProposer Relation = "first_proposer" // 第一提案人 (a member)
	RelCoSigner      Relation = "co_signer"      // an invited co-signer (a member)
	RelAssignedUnit  Relation = "assigned_unit"  // the unit of a 单办 or 分办 assignment
	RelLeadUnit      Relation = "lead_unit"      // 会办 主办单位
	RelCoUnit        Relation = "co_unit"        // 会办 协办单位
	RelSupervisor    Relation = "supervisor"     // 督办领导 of a key proposal
	RelSystem        Relation = "system"         // automatic steps (再办理, 办结)
)

// AllRelations lists every relation, for the exhaustive workflow test.
var AllRelations = []Relation{
	RelAdmin, RelStaff, RelOffice, RelMember, RelUnit, RelLeader, RelAssistance,
	RelFirstProposer, RelCoSigner, RelAssignedUnit, RelLeadUnit, RelCoUnit, RelSupervisor, RelSystem,
}

// Rule is one row of the transition table: in state From, action Action by
// any of Who leads to state To.
type Rule struct {
	From   State
	Action Action
	Who    []Relation
	To     State
}

var (
	office      = []Relation{RelOffice}
	entering    = []Relation{RelStaff, RelOffice}
	proposer    = []Relation{RelFirstProposer}
	coSigner    = []Relation{RelCoSigner}
	signers     = []Relation{RelFirstProposer, RelCoSigner}
	replying    = []Relation{RelAssignedUnit, RelLeadUnit}            // units that write a reply
	anyAssigned = []Relation{RelAssignedUnit, RelLeadUnit, RelCoUnit} // every assigned unit
	system      = []Relation{RelSystem}
	officeOrSys = []Relation{RelOffice, RelSystem}
	supervising = []Relation{RelOffice, RelSupervisor}
	followingUp = []Relation{RelOffice, RelAssignedUnit, RelLeadUnit}
)

// handlingStates are the assignment sub-states between assignment and reply.
var handlingStates = []State{Assigned, ReturnRequested, Accepted, InHandling, ReplyDrafted, ReplyReview, Rehandling}

// registeredStates are the proposal states from registration on (the flags apply to them).
var registeredStates = []State{Registered, Assigned, ReturnRequested, Accepted, InHandling, ReplyDrafted, ReplyReview, Replied, Rehandling, Closed}

// Table is THE workflow: every permitted (state, action, relation) and its
// next state. Anything not listed is refused. Guards that depend on the
// records (deadlines, windows, countersigns, who signed) are checked by the
// service after the table allows the step.
var Table = buildTable()

func buildTable() []Rule {
	var t []Rule
	add := func(a Action, who []Relation, to State, from ...State) {
		for _, f := range from {
			next := to
			if to == "" { // "" means: the state does not change
				next = f
			}
			t = append(t, Rule{From: f, Action: a, Who: who, To: next})
		}
	}
	// 1. Submission.
	add(ActCreate, []Relation{RelMember}, Draft, New)
	add(ActEnterPaper, entering, Submitted, New)
	add(ActEdit, proposer, "", Draft, Returned)
	add(ActAttach, proposer, "", Draft, Returned)
	add(ActStartSign, proposer, Signing, Draft)
	add(ActCancelSign, proposer, Draft, Signing)
	add(ActSign, coSigner, "", Signing)
	add(ActDeclineSign, coSigner, "", Signing)
	add(ActSubmit, proposer, Submitted, Draft, Signing, Returned)
	add(ActWithdraw, proposer, Withdrawn, Draft, Signing, Submitted, Returned)
	// 2. Review.
	add(ActReturn, office, Returned, Submitted)
	add(ActRegister, office, Registered, Submitted)
	add(ActMerge, office, Merged, Submitted, Registered)
	add(ActDecline, office, NotRegistered, Submitted)
	add(ActConvert, office, "", NotRegistered)
	// 3. Assignment (sub-states of one assignment from here on, except assign itself).
	add(ActAssign, office, Assigned, Registered)
	add(ActAccept, anyAssigned, Accepted, Assigned)
	add(ActAskReturn, anyAssigned, ReturnRequested, Assigned)
	add(ActConfirm, office, Assigned, ReturnRequested)
	add(ActReassign, office, Assigned, ReturnRequested)
	add(ActAskExtend, replying, "", Accepted, InHandling, ReplyDrafted, Rehandling)
	add(ActExtend, office, "", handlingStates...)
	// 4. Handling.
	add(ActContact, replying, InHandling, Accepted, InHandling, Rehandling)
	add(ActContact, replying, "", ReplyDrafted)
	add(ActDraftReply, replying, ReplyDrafted, InHandling, ReplyDrafted)
	add(ActCountersign, []Relation{RelCoUnit}, Countersigned, Accepted, Rehandling)
	add(ActSubmitReply, replying, ReplyReview, ReplyDrafted)
	add(ActSendBack, office, ReplyDrafted, ReplyReview)
	add(ActApprove, office, Replied, ReplyReview)
	// 5. Evaluation.
	// Evaluate in REHANDLING: round 1's reply, by a signer who has not evaluated
	// it, while its window is open (evaluate.go).
	add(ActEvaluate, signers, "", Replied, Rehandling)
	add(ActRehandle, system, Rehandling, Replied, Countersigned)
	add(ActClose, officeOrSys, Closed, Replied)
	// 6. Supervision.
	add(ActMarkKey, office, "", registeredStates...)
	add(ActSupervise, supervising, "", registeredStates...)
	add(ActExcellent, office, "", Replied, Closed)
	add(ActFollowUp, followingUp, "", Replied)
	return t
}

// index maps (from, action) to the rule, built once.
var index = func() map[[2]string]Rule {
	m := map[[2]string]Rule{}
	for _, r := range Table {
		k := [2]string{string(r.From), string(r.Action)}
		if _, dup := m[k]; dup {
			panic("proposal: duplicate workflow rule " + k[0] + " " + k[1])
		}
		m[k] = r
	}
	return m
}()

// Next returns the state after action a in state from by an actor holding
// relations rels, and whether the table allows it.
func Next(from State, a Action, rels []Relation) (State, bool) {
	r, ok := index[[2]string{string(from), string(a)}]
	if !ok {
		return "", false
	}
	for _, who := range rels {
		if slices.Contains(r.Who, who) {
			return r.To, true
		}
	}
	return "", false
}

// InState reports whether action a is possible at all in state from (by someone).
func InState(from State, a Action) bool {
	_, ok := index[[2]string{string(from), string(a)}]
	return ok
}

// Ever reports whether an actor with relations rels may perform a in some state:
// the difference between "not now" (wrong state) and "never" (forbidden).
func Ever(a Action, rels []Relation) bool {
	for _, r := range Table {
		if r.Action == a {
			for _, who := range rels {
				if slices.Contains(r.Who, who) {
					return true
				}
			}
		}
	}
	return false
}
