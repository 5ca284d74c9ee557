// Package auth holds accounts, sessions, API tokens and the permission policy.
//
// What other packages call:
//
//   - Policy (policy.go): Can(actor, action) for the actor's own committee and
//     CanIn(actor, action, committeeID, path) for a record's committee: a higher
//     committee may only perform read-only actions (MarkReadOnly) in its subtree,
//     and nothing in a sibling. Areas register their actions from init with
//     Grant(action, roles...) so every decision stays in the one grants table.
//   - Resolving the caller: (*Service).ActorFromRequest(ctx, r) reads the session
//     cookie (SessionCookie) or "Authorization: Bearer <token>"; the JSON API may
//     call (*Service).ActorFromToken(ctx, token) directly. Both return nil, nil
//     for anonymous, unknown, expired, revoked or disabled credentials and cost one
//     indexed query (writes at most once a minute per session or token).
//   - Sessions: (*Service).Login(ctx, username, password, ip, userAgent) checks the
//     password under throttling (see login.go for the rules) and starts a session;
//     CreateSession starts one without a password (tests); Logout ends one;
//     PurgeExpired should run from a daily job.
//   - Accounts (admins of the committee, or System(committeeID) for the CLI):
//     CreateUser, UpdateUser, ResetPassword, SetDisabled (ends sessions),
//     ChangeOwnPassword, GetUser, ListUsers, UserByUsername; API tokens:
//     CreateToken (secret returned once), RevokeToken, ListTokens.
//   - Passwords: HashPassword(pw, params) gives a PHC-style argon2id string,
//     CheckPassword(hash, pw) compares in constant time, PasswordProblem(pw) says
//     what breaks the length rule, GeneratePassword makes one. Tests set
//     Service.Passwords = FastPasswordParams.
//
// Writes are audited through AuditRecord, which the web and cmd packages set to
// audit.Record (audit imports auth, so auth cannot import audit); a Service
// used without it refuses to write.
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

// System is the actor for background jobs, migrations and seeding.
func System(committeeID int64) *Actor {
	return &Actor{Name: "system", CommitteeID: committeeID, Roles: []Role{RoleAdmin}}
}
