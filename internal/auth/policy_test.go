package auth_test

import (
	"testing"

	"lvzhi/internal/auth"
)

// TestPolicyTable pins every decision of the grants table for the platform
// actions: role × action in the actor's own committee.
func TestPolicyTable(t *testing.T) {
	all := auth.AllRoles
	office := []auth.Role{auth.RoleAdmin, auth.RoleStaff, auth.RoleProposalOffice, auth.RoleLeader, auth.RoleAssistance}
	want := map[auth.Action][]auth.Role{
		auth.ViewOrg:         office,
		auth.EditOrg:         {auth.RoleAdmin, auth.RoleStaff},
		auth.ImportOrg:       {auth.RoleAdmin, auth.RoleStaff},
		auth.ManageUsers:     {auth.RoleAdmin},
		auth.ViewAudit:       {auth.RoleAdmin},
		auth.EditLiaison:     {auth.RoleAdmin, auth.RoleStaff},
		auth.ViewReports:     office,
		auth.ManageCommittee: {auth.RoleAdmin},
	}
	for action, allowed := range want {
		for _, r := range all {
			a := &auth.Actor{UserID: 1, CommitteeID: 5, CommitteePath: "/1/5/", Roles: []auth.Role{r}}
			exp := contains(allowed, r)
			if got := auth.Can(a, action); got != exp {
				t.Errorf("Can(%s, %s) = %v, want %v", r, action, got, exp)
			}
			if got := auth.CanIn(a, action, 5, "/1/5/"); got != exp {
				t.Errorf("CanIn(%s, %s, own) = %v, want %v", r, action, got, exp)
			}
		}
	}
	if auth.Can(nil, auth.ViewOrg) || auth.CanIn(nil, auth.ViewOrg, 5, "/1/5/") {
		t.Error("nil actor allowed")
	}
	if auth.Can(&auth.Actor{CommitteeID: 5}, auth.ViewOrg) {
		t.Error("actor without roles allowed")
	}
	if auth.Can(&auth.Actor{Roles: []auth.Role{auth.RoleAdmin}}, auth.Action("no.such.action")) {
		t.Error("unknown action allowed")
	}
}

// TestPolicyTree: a higher committee reads its subtree but never edits it; no
// role of one county acts in another; a lower committee sees nothing above it.
func TestPolicyTree(t *testing.T) {
	const (
		prefID, aID, bID       = 1, 4, 7
		prefPath, aPath, bPath = "/1/", "/1/4/", "/1/7/"
		// a county whose id starts like A's: "/1/45/" must not be inside "/1/4/"
		lookalikeID, lookalikePath = 45, "/1/45/"
	)
	actions := []auth.Action{auth.ViewOrg, auth.EditOrg, auth.ImportOrg, auth.ManageUsers, auth.ViewAudit,
		auth.EditLiaison, auth.ViewReports, auth.ManageCommittee}
	readOnly := map[auth.Action]bool{auth.ViewOrg: true, auth.ViewReports: true}
	for _, r := range auth.AllRoles {
		pref := &auth.Actor{UserID: 1, CommitteeID: prefID, CommitteePath: prefPath, Roles: []auth.Role{r}}
		countyA := &auth.Actor{UserID: 2, CommitteeID: aID, CommitteePath: aPath, Roles: []auth.Role{r}}
		for _, act := range actions {
			can := auth.Can(pref, act)
			if got := auth.CanIn(pref, act, aID, aPath); got != (can && readOnly[act]) {
				t.Errorf("prefecture %s %s in county A = %v", r, act, got)
			}
			if auth.CanIn(countyA, act, bID, bPath) {
				t.Errorf("county A %s may %s in county B", r, act)
			}
			if auth.CanIn(countyA, act, lookalikeID, lookalikePath) {
				t.Errorf("county A %s may %s in county /1/45/", r, act)
			}
			if auth.CanIn(countyA, act, prefID, prefPath) {
				t.Errorf("county A %s may %s in its prefecture", r, act)
			}
			// A target path claiming the subtree but a different id is not "own".
			if !readOnly[act] && auth.CanIn(pref, act, aID, prefPath+"x/") {
				t.Errorf("prefecture %s may %s by path alone", r, act)
			}
		}
	}
	// An actor without a path (e.g. System) acts only in its own committee.
	sys := auth.System(aID)
	if !auth.CanIn(sys, auth.EditOrg, aID, aPath) || auth.CanIn(sys, auth.ViewOrg, bID, bPath) {
		t.Error("system actor scope")
	}
}

// TestGrantAndMarkReadOnly: areas register actions through Grant/MarkReadOnly.
func TestGrantAndMarkReadOnly(t *testing.T) {
	act := auth.Action("test.read")
	auth.Grant(act, auth.RoleMember)
	m := &auth.Actor{CommitteeID: 1, CommitteePath: "/1/", Roles: []auth.Role{auth.RoleMember}}
	if !auth.Can(m, act) || auth.Can(&auth.Actor{Roles: []auth.Role{auth.RoleAdmin}}, act) {
		t.Fatal("Grant")
	}
	if auth.CanIn(m, act, 2, "/1/2/") {
		t.Fatal("not yet read-only: subtree must be refused")
	}
	auth.MarkReadOnly(act)
	if !auth.CanIn(m, act, 2, "/1/2/") {
		t.Fatal("read-only action refused in subtree")
	}
}

func contains(rs []auth.Role, r auth.Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}
