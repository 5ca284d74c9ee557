package auth

import (
	"slices"
	"strings"
)

// Action is something an actor may try. Areas add their own actions here so
// that every permission decision lives in this one table.
type Action string

// Organisation and platform actions.
const (
	ViewOrg         Action = "org.view"         // read organisation records
	EditOrg         Action = "org.edit"         // create/edit members, units, sectors, groups
	ImportOrg       Action = "org.import"       // Excel import of members and units
	ManageUsers     Action = "users.manage"     // create users, reset passwords, roles
	ViewAudit       Action = "audit.view"       // read the audit log
	EditLiaison     Action = "liaison.edit"     // liaison links and contact logs
	ViewReports     Action = "reports.view"     // figures and dashboards
	ManageCommittee Action = "committee.manage" // terms, sessions, calendars, settings
)

// grants maps each action to the roles that may perform it in their own committee.
var grants = map[Action][]Role{
	ViewOrg:         {RoleAdmin, RoleStaff, RoleProposalOffice, RoleLeader, RoleAssistance},
	EditOrg:         {RoleAdmin, RoleStaff},
	ImportOrg:       {RoleAdmin, RoleStaff},
	ManageUsers:     {RoleAdmin},
	ViewAudit:       {RoleAdmin},
	EditLiaison:     {RoleAdmin, RoleStaff},
	ViewReports:     {RoleAdmin, RoleStaff, RoleProposalOffice, RoleLeader, RoleAssistance},
	ManageCommittee: {RoleAdmin},
}

// Grant adds roles to an action; areas call it from init to register their actions.
func Grant(a Action, roles ...Role) { grants[a] = append(grants[a], roles...) }

// readOnly marks actions that only read, which a higher committee may perform in its subtree.
var readOnly = map[Action]bool{ViewOrg: true, ViewReports: true}

// MarkReadOnly registers a read-only action (see CanIn).
func MarkReadOnly(a Action) { readOnly[a] = true }

// Can reports whether the actor may perform action in its own committee.
func Can(a *Actor, action Action) bool {
	if a == nil {
		return false
	}
	return a.Has(grants[action]...)
}

// CanIn reports whether the actor may perform action on a record of the
// committee at targetPath. Its own committee: by role. A committee below its
// own: read-only actions only; a higher committee reads, never edits, its subtree.
func CanIn(a *Actor, action Action, targetCommitteeID int64, targetPath string) bool {
	if !Can(a, action) {
		return false
	}
	if targetCommitteeID == a.CommitteeID {
		return true
	}
	return readOnly[action] && a.CommitteePath != "" && strings.HasPrefix(targetPath, a.CommitteePath)
}

// Actions lists every registered action, sorted, for policy tests and pages.
func Actions() []Action {
	out := make([]Action, 0, len(grants))
	for a := range grants {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// RolesFor returns the roles granted an action, in display order.
func RolesFor(a Action) []Role {
	var out []Role
	for _, r := range AllRoles {
		if slices.Contains(grants[a], r) {
			out = append(out, r)
		}
	}
	return out
}

// IsReadOnly reports whether a higher committee may perform a in its subtree.
func IsReadOnly(a Action) bool { return readOnly[a] }
