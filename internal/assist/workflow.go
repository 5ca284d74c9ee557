package assist

import (
	"slices"

	"lvzhi/internal/auth"
)

// Relation is how an actor stands to a need or pairing: an auth role held in
// its committee, or what the records say (the member paired with the household).
type Relation string

// The relations. The first seven mirror auth roles.
const (
	RelAdmin      Relation = "admin"
	RelStaff      Relation = "staff"
	RelOffice     Relation = "proposal_office"
	RelMember     Relation = "member" // any member, not paired with this household
	RelUnit       Relation = "unit"
	RelLeader     Relation = "leader"
	RelAssistance Relation = "assistance"
	RelPaired     Relation = "paired_member" // a member in an active pairing with the household
	RelSystem     Relation = "system"        // automatic steps (a recorded assistance starts a matched need)
)

// AllRelations lists every relation, for the exhaustive workflow tests.
var AllRelations = []Relation{RelAdmin, RelStaff, RelOffice, RelMember, RelUnit, RelLeader, RelAssistance, RelPaired, RelSystem}

// officers are the relations that do an assistance officer's work (PermManage).
var officers = []Relation{RelStaff, RelAssistance}

// NeedState is where a need stands: OPEN → MATCHED → IN_PROGRESS → MET / CLOSED.
type NeedState string

// The need states.
const (
	NeedNew        NeedState = "NEW" // before creation (the create action's from-state)
	NeedOpen       NeedState = "OPEN"
	NeedMatched    NeedState = "MATCHED"
	NeedInProgress NeedState = "IN_PROGRESS"
	NeedMet        NeedState = "MET"
	NeedClosed     NeedState = "CLOSED"
)

// AllNeedStates lists the need states, NEW included.
var AllNeedStates = []NeedState{NeedNew, NeedOpen, NeedMatched, NeedInProgress, NeedMet, NeedClosed}

// NeedAction is one step of a need.
type NeedAction string

// The need actions.
const (
	NeedCreate  NeedAction = "create"  // 采集需求
	NeedEdit    NeedAction = "edit"    // 修改
	NeedMatch   NeedAction = "match"   // 确认匹配 (a confirmed match; creates a pairing)
	NeedUnmatch NeedAction = "unmatch" // 撤销匹配
	NeedStart   NeedAction = "start"   // 开始帮扶
	NeedMeet    NeedAction = "meet"    // 需求已满足
	NeedClose   NeedAction = "close"   // 关闭 (no longer needed, cannot be met)
	NeedReopen  NeedAction = "reopen"  // 重新打开
)

// AllNeedActions lists the need actions.
var AllNeedActions = []NeedAction{NeedCreate, NeedEdit, NeedMatch, NeedUnmatch, NeedStart, NeedMeet, NeedClose, NeedReopen}

// NeedRule is one row of the need table.
type NeedRule struct {
	From   NeedState
	Action NeedAction
	Who    []Relation
	To     NeedState
}

// NeedTable is THE need workflow; anything not listed is refused.
var NeedTable = func() []NeedRule {
	var t []NeedRule
	add := func(a NeedAction, who []Relation, to NeedState, from ...NeedState) {
		for _, f := range from {
			next := to
			if to == "" {
				next = f
			}
			t = append(t, NeedRule{From: f, Action: a, Who: who, To: next})
		}
	}
	starting := []Relation{RelStaff, RelAssistance, RelPaired, RelSystem}
	add(NeedCreate, officers, NeedOpen, NeedNew)
	add(NeedEdit, officers, "", NeedOpen, NeedMatched, NeedInProgress)
	add(NeedMatch, officers, NeedMatched, NeedOpen)
	add(NeedUnmatch, officers, NeedOpen, NeedMatched)
	add(NeedStart, starting, NeedInProgress, NeedMatched)
	add(NeedMeet, officers, NeedMet, NeedInProgress)
	add(NeedClose, officers, NeedClosed, NeedOpen, NeedMatched, NeedInProgress)
	add(NeedReopen, officers, NeedOpen, NeedMet, NeedClosed)
	return t
}()

// NextNeed returns the state after action a from state from by an actor
// holding rels, and whether the table allows it.
func NextNeed(from NeedState, a NeedAction, rels []Relation) (NeedState, bool) {
	for _, r := range NeedTable {
		if r.From == from && r.Action == a && anyIn(rels, r.Who) {
			return r.To, true
		}
	}
	return "", false
}

// needInState reports whether a is possible in from by someone.
func needInState(from NeedState, a NeedAction) bool {
	for _, r := range NeedTable {
		if r.From == from && r.Action == a {
			return true
		}
	}
	return false
}

// PairingState is where a pairing (结对) stands.
type PairingState string

// The pairing states.
const (
	PairNew       PairingState = "NEW" // before creation
	PairActive    PairingState = "ACTIVE"
	PairSuspended PairingState = "SUSPENDED"
	PairEnded     PairingState = "ENDED"
)

// AllPairingStates lists the pairing states, NEW included.
var AllPairingStates = []PairingState{PairNew, PairActive, PairSuspended, PairEnded}

// PairingAction is one step of a pairing.
type PairingAction string

// The pairing actions.
const (
	PairConfirm PairingAction = "confirm" // 确认结对 (from a confirmed match, or directly)
	PairSuspend PairingAction = "suspend" // 暂停
	PairResume  PairingAction = "resume"  // 恢复
	PairEnd     PairingAction = "end"     // 结束结对
)

// AllPairingActions lists the pairing actions.
var AllPairingActions = []PairingAction{PairConfirm, PairSuspend, PairResume, PairEnd}

// PairingRule is one row of the pairing table.
type PairingRule struct {
	From   PairingState
	Action PairingAction
	Who    []Relation
	To     PairingState
}

// PairingTable is THE pairing workflow; anything not listed is refused.
var PairingTable = []PairingRule{
	{PairNew, PairConfirm, officers, PairActive},
	{PairActive, PairSuspend, officers, PairSuspended},
	{PairSuspended, PairResume, officers, PairActive},
	{PairActive, PairEnd, officers, PairEnded},
	{PairSuspended, PairEnd, officers, PairEnded},
}

// NextPairing returns the state after action a from state from by rels.
func NextPairing(from PairingState, a PairingAction, rels []Relation) (PairingState, bool) {
	for _, r := range PairingTable {
		if r.From == from && r.Action == a && anyIn(rels, r.Who) {
			return r.To, true
		}
	}
	return "", false
}

func pairingInState(from PairingState, a PairingAction) bool {
	for _, r := range PairingTable {
		if r.From == from && r.Action == a {
			return true
		}
	}
	return false
}

func anyIn(have, allowed []Relation) bool {
	for _, h := range have {
		if slices.Contains(allowed, h) {
			return true
		}
	}
	return false
}

// roleRelations are the relations an actor's roles give in committee cid
// (none outside its own committee: a higher committee reads, never acts).
func roleRelations(a *auth.Actor, cid int64) []Relation {
	if a == nil || a.CommitteeID != cid {
		return nil
	}
	var out []Relation
	for _, r := range a.Roles {
		out = append(out, Relation(r))
	}
	return out
}
