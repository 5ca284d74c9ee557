// Package org keeps the organisation of a committee: the committee tree, terms and
// sessions, sectors, groups, people and memberships, handling units.
// (The liaison chain lives in package liaison.)
//
// Every method takes the acting *auth.Actor, checks the policy (auth.CanIn) and is
// scoped by committee: a record of a committee the actor cannot see is
// apperr.ErrNotFound; a higher committee reads its subtree and edits nothing in it.
//
// Constructors for seeding (demo data, the generator) — each audited, each in one
// transaction; pass auth.System(committeeID) as the actor when seeding:
//
//	CreateRootCommittee(ctx, in)                       the top of a deployment's tree (no actor: installation)
//	CreateCommittee(ctx, actor, parentID, in)          a child committee (actor: admin of the parent)
//	CreateTerm(ctx, actor, committeeID, TermInput)     届
//	CreateSession(ctx, actor, committeeID, SessionInput) 次会议, with its submission window
//	CreateSector(ctx, actor, committeeID, SectorInput) 界别
//	CreateGroup(ctx, actor, committeeID, GroupInput)   专委会 / 工作组 / 委员小组
//	CreateUnit(ctx, actor, committeeID, UnitInput)     承办单位
//	CreateMember(ctx, actor, committeeID, MemberInput) person + membership (+ groups) in one call
//
// Reading: Committee, CommitteeByCode, Children, SubtreeIDs, Terms, CurrentTerm, Sessions,
// SessionForDate, Sectors, Groups, Units, Unit, Member, ListMembers (paged, filtered;
// see MemberFilter), Overview. Excel: MemberTemplate/UnitTemplate, ImportMembers/ImportUnits,
// ExportMembers/ExportUnits.
//
// Citizen ID numbers are stored encrypted (package secret, key LVZHI_KEY) on a global
// identity found by their keyed hash, which the people rows of one person in several
// committees share (identity.go; docs/ARCHITECTURE.md says which fields are shared);
// they are shown masked (5303**********123X) everywhere, and only admins and staff of
// the member's committee may reveal one (RevealIDNumber), audited as "view_id_number".
package org

import (
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/secret"
)

// ViewIDNumber is revealing a member's full citizen ID number.
const ViewIDNumber auth.Action = "org.view_id_number"

func init() {
	auth.Grant(ViewIDNumber, auth.RoleAdmin, auth.RoleStaff)
}

// Service is the organisation use cases.
type Service struct {
	DB *db.DB
	// Secret encrypts citizen ID numbers; nil (no LVZHI_KEY) refuses to store or reveal them.
	Secret *secret.Box
	// Today returns the current civil date (tests may fix it).
	Today func() civil.Date
}

// NewService returns the organisation service over d, with the key from LVZHI_KEY
// (an invalid key is ignored here and reported by every use that needs it).
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

// isUniqueViolation recognises a unique-constraint failure on either engine.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	m := err.Error()
	return strings.Contains(m, "UNIQUE constraint failed") || strings.Contains(m, "SQLSTATE 23505") ||
		strings.Contains(m, "duplicate key value")
}

// trim trims every string pointer given.
func trim(ps ...*string) {
	for _, p := range ps {
		*p = strings.TrimSpace(*p)
	}
}

// required appends a field error for each empty value.
func required(fs []apperr.FieldError, pairs ...string) []apperr.FieldError {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" {
			fs = append(fs, apperr.Field(pairs[i], "err.required"))
		}
	}
	return fs
}

// fieldsErr returns nil for no field errors, else an Invalid error carrying them.
func fieldsErr(fs []apperr.FieldError) error {
	if len(fs) == 0 {
		return nil
	}
	return apperr.Fields(fs...)
}
