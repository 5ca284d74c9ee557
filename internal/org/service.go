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
	"context"
	"database/sql"
	"errors"
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

// scope is the committee a record belongs to, for permission checks.
type scope struct {
	ID   int64
	Path string
}

// loadScope returns the committee's id and path, or ErrNotFound.
func loadScope(ctx context.Context, q db.Querier, committeeID int64) (scope, error) {
	sc := scope{ID: committeeID}
	err := q.QueryRowContext(ctx, `SELECT path FROM committees WHERE id = $1`, committeeID).Scan(&sc.Path)
	if errors.Is(err, sql.ErrNoRows) {
		return sc, apperr.ErrNotFound
	}
	return sc, err
}

// visible reports whether the actor may see that committee's org records at all.
func visible(a *auth.Actor, sc scope) bool {
	return auth.CanIn(a, auth.ViewOrg, sc.ID, sc.Path)
}

// authorize decides action on a record of committee sc: nil if allowed;
// ErrNotFound if the actor cannot see the committee (leak nothing); Forbidden otherwise.
func authorize(a *auth.Actor, action auth.Action, sc scope) error {
	if a == nil {
		return apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	if auth.CanIn(a, action, sc.ID, sc.Path) {
		return nil
	}
	if sc.ID != a.CommitteeID && !visible(a, sc) {
		return apperr.ErrNotFound
	}
	return apperr.New(apperr.Forbidden, "err.forbidden")
}

// check loads the committee and authorizes action in it.
func (s *Service) check(ctx context.Context, q db.Querier, a *auth.Actor, action auth.Action, committeeID int64) (scope, error) {
	if a == nil {
		return scope{}, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	sc, err := loadScope(ctx, q, committeeID)
	if err != nil {
		return sc, err
	}
	return sc, authorize(a, action, sc)
}

// conflict is the optimistic-locking failure.
func conflict() error { return apperr.New(apperr.Conflict, "err.conflict") }

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
