// Package assist runs 三送三帮 (DOMAIN.md §6): the registry of poor households
// and their members, the needs assistance officers (帮扶专员) collect, members'
// offers and the matching of members to needs, pairings (结对), pledges (认捐)
// and the assistance records (帮扶记录) the programme's figures count.
//
// # Calling the service
//
// Every method takes the actor first. A household (need, record …) the actor
// may not see is apperr.ErrNotFound; a step the actor may never take is
// apperr.Forbidden; a step not possible in the current state is
// apperr.Conflict with key "err.assist.state"; a stale version is
// apperr.ErrConflict. Bad input is apperr.Invalid with field errors.
//
//	Households (household.go): CreateHousehold, UpdateHousehold, GetHousehold, ListHouseholds,
//	  AddSnapshot, RevealIDNumber (audited: who, when, which record), CreateVillage, Villages
//	Import (import.go): ImportHouseholds (the registry's Excel export), HouseholdTemplate
//	Needs (need.go): CreateNeed, NeedStep (the need workflow), ListNeeds
//	Matching (matching.go): SaveOffer, Suggestions, ProposeAssignment, ConfirmMatch
//	Pairings (pairing.go): PairingStep, ListPairings
//	Records (record.go): RecordAssistance, VerifyRecord, ListRecords
//	Pledges (pledge.go): CreatePledge, ListPledges (with delivered reconciliation)
//	Figures (figures.go): Source, the figure.Source of area "assist"
//
// Who may read what is one SQL condition per entity (visibility.go).
package assist

import (
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/secret"
)

// The area's actions, registered in auth's one grants table.
const (
	// PermView is reading every household, need and record of the committee
	// (ID numbers masked); read-only, so a higher committee reads its subtree.
	PermView auth.Action = "assist.view"
	// PermManage is the assistance officer's work: households, needs, matches,
	// pairings, pledges and verifying records.
	PermManage auth.Action = "assist.manage"
	// PermRecord is recording assistance given (members on their paired households, officers on any).
	PermRecord auth.Action = "assist.record"
	// PermImport is importing the official registry's Excel export.
	PermImport auth.Action = "assist.import"
	// PermRevealID is opening a household member's citizen ID number and phone (audited).
	PermRevealID auth.Action = "assist.view_id_number"
)

func init() {
	auth.Grant(PermView, auth.RoleAdmin, auth.RoleStaff, auth.RoleLeader, auth.RoleAssistance)
	auth.MarkReadOnly(PermView)
	auth.Grant(PermManage, auth.RoleStaff, auth.RoleAssistance)
	auth.Grant(PermRecord, auth.RoleStaff, auth.RoleAssistance, auth.RoleMember)
	auth.Grant(PermImport, auth.RoleAdmin, auth.RoleStaff, auth.RoleAssistance)
	auth.Grant(PermRevealID, auth.RoleAdmin, auth.RoleAssistance)
}

// Service runs the area's use cases.
type Service struct {
	DB *db.DB
	// Secret seals household members' ID numbers and phones; without it no ID
	// number or phone can be stored (err.assist.no_key).
	Secret *secret.Box
	// Today returns the current civil date (tests fix it).
	Today func() civil.Date
}

// NewService returns a service over d, sealing personal data with the key
// in LVZHI_KEY (none: ID numbers and phones can be neither stored nor read).
func NewService(d *db.DB) *Service {
	box, _ := secret.FromEnv()
	return &Service{DB: d, Secret: box, Today: civil.Today}
}

func (s *Service) today() civil.Date {
	if s.Today == nil {
		return civil.Today()
	}
	return s.Today()
}
