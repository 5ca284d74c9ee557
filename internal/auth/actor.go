// Package auth holds who acts and what they may do: Actor, Role, and the
// permission policy. Accounts, sessions, API tokens, passwords and login are
// package account, which resolves a request to an *Actor.
//
// What other packages call:
//
//   - Policy (policy.go): Can(actor, action) for the actor's own committee and
//     CanIn(actor, action, committeeID, path) for a record's committee: a higher
//     committee may only perform read-only actions (MarkReadOnly) in its subtree,
//     and nothing in a sibling. Areas register their actions from init with
//     Grant(action, roles...) so every decision stays in the one grants table.
//   - System(committeeID) is the actor of background jobs, the CLI and seeding.
package auth

import "slices"

// Role is what a user may do in a committee.
type Role string

// The roles. Anonymous public visitors have no Actor at all.
const (
	RoleAdmin          Role = "admin"           // 系统管理员
	RoleStaff          Role = "staff"           // 机关工作人员
	RoleProposalOffice Role = "proposal_office" // 提案委/提案办
	RoleMember         Role = "member"          // 委员
	RoleUnit           Role = "unit"            // 承办单位
	RoleLeader         Role = "leader"          // 领导
	RoleAssistance     Role = "assistance"      // 帮扶专员
)

// AllRoles lists every role, in display order.
var AllRoles = []Role{RoleAdmin, RoleStaff, RoleProposalOffice, RoleMember, RoleUnit, RoleLeader, RoleAssistance}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(AllRoles, r) }

// Actor is who performs a service call. Every service takes one explicitly.
type Actor struct {
	UserID        int64
	Name          string
	CommitteeID   int64  // the committee the user belongs to and acts in
	CommitteePath string // materialised path of that committee, e.g. "/1/4/27/"
	Roles         []Role // roles in CommitteeID
	PersonID      int64  // set for members (and staff who are people)
	UnitID        int64  // set for handling-unit accounts
	Lang          string // "zh" or "en"
	// MustChangePassword: the account still has the first password handed out
	// to it; the web sends the user to change it before anything else.
	MustChangePassword bool
}

// Has reports whether the actor holds any of roles.
func (a *Actor) Has(roles ...Role) bool {
	if a == nil {
		return false
	}
	for _, r := range roles {
		if slices.Contains(a.Roles, r) {
			return true
		}
	}
	return false
}

// SystemName is the name of the System actor (timelines show it as the platform's own act).
const SystemName = "system"

// System is the actor for background jobs, migrations and seeding.
func System(committeeID int64) *Actor {
	return &Actor{Name: SystemName, CommitteeID: committeeID, Roles: []Role{RoleAdmin}}
}
