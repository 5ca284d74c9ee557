// Package liaison keeps the liaison chain (联系制度) of a committee: who is linked
// to whom in which period (党组成员 → 工作组长 → 党员委员 → 党外委员), the expected
// contact frequency, visit campaigns (党组书记走访常委, 党组成员走访委员) with their
// targets, every contact made, and the "who is behind" view.
//
// People are referenced by membership id (memberships are per committee and term),
// so a link or a campaign belongs to one term. Dates are 'YYYY-MM-DD' strings.
package liaison

import (
	"context"
	"database/sql"
	"errors"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// Actions of this area, added to the one policy table in init.
const (
	// ViewLiaison reads links, campaigns, contacts and the behind view of a committee.
	ViewLiaison auth.Action = "liaison.view"
	// LogContact records a contact; members only on links and targets where they are
	// the liaising person (see Service.LogContact); auth.EditLiaison holders on any.
	LogContact auth.Action = "liaison.contact"
)

func init() {
	auth.Grant(ViewLiaison, auth.RoleAdmin, auth.RoleStaff, auth.RoleLeader)
	auth.MarkReadOnly(ViewLiaison)
	auth.Grant(LogContact, auth.RoleAdmin, auth.RoleStaff, auth.RoleMember)
}

// Level is a step of the liaison chain, named after who links to whom.
type Level string

// The chain's three steps.
const (
	LevelLeaderHead    Level = "leader_head"    // 党组成员 → 工作组长
	LevelHeadParty     Level = "head_party"     // 工作组长 → 党员委员
	LevelPartyNonparty Level = "party_nonparty" // 党员委员 → 党外委员
)

// Levels lists the chain's steps in order.
var Levels = []Level{LevelLeaderHead, LevelHeadParty, LevelPartyNonparty}

// Valid reports whether l is a known level.
func (l Level) Valid() bool {
	for _, x := range Levels {
		if x == l {
			return true
		}
	}
	return false
}

// Method is how a contact was made.
type Method string

// The contact methods: 面谈 / 电话 / 座谈 / 走访 / 其他.
const (
	MethodMeeting Method = "meeting"
	MethodPhone   Method = "phone"
	MethodForum   Method = "forum"
	MethodVisit   Method = "visit"
	MethodOther   Method = "other"
)

// Methods lists the contact methods in display order.
var Methods = []Method{MethodMeeting, MethodPhone, MethodForum, MethodVisit, MethodOther}

// Valid reports whether m is a known method.
func (m Method) Valid() bool {
	for _, x := range Methods {
		if x == m {
			return true
		}
	}
	return false
}

// CampaignKind is the kind of a visit campaign.
type CampaignKind string

// The campaign kinds.
const (
	KindSecretaryStanding CampaignKind = "secretary_standing" // 党组书记走访常委
	KindLeaderMember      CampaignKind = "leader_member"      // 党组成员走访委员
	KindOther             CampaignKind = "other"              // 其他走访活动
)

// CampaignKinds lists the campaign kinds in display order.
var CampaignKinds = []CampaignKind{KindSecretaryStanding, KindLeaderMember, KindOther}

// Valid reports whether k is a known campaign kind.
func (k CampaignKind) Valid() bool {
	for _, x := range CampaignKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Service is the liaison use cases.
type Service struct {
	DB *db.DB
}

// NewService returns the liaison service over d.
func NewService(d *db.DB) *Service { return &Service{DB: d} }

// Person names one side of a link or target: a membership and the person holding it.
type Person struct {
	MembershipID int64  `json:"membership_id"`
	PersonID     int64  `json:"person_id"`
	Name         string `json:"name"`
}

// forbidden is returned when the actor's roles do not allow an action at all.
func forbidden() error { return apperr.New(apperr.Forbidden, "err.forbidden") }

// readScope resolves the committee an actor reads (0 means its own) and checks it may.
func (s *Service) readScope(ctx context.Context, actor *auth.Actor, committeeID int64) (int64, error) {
	if actor != nil && committeeID == 0 {
		committeeID = actor.CommitteeID
	}
	sc, err := auth.CheckScope(ctx, s.DB, actor, ViewLiaison, committeeID)
	return sc.ID, err
}

// byValue adapts a scan function that returns *T to db.Query.
func byValue[T any](scan func(db.Scanner) (*T, error)) func(db.Scanner) (T, error) {
	return func(sc db.Scanner) (T, error) {
		p, err := scan(sc)
		if err != nil {
			var zero T
			return zero, err
		}
		return *p, nil
	}
}

// requireEdit checks that the actor may edit links and campaigns of its own committee.
func requireEdit(actor *auth.Actor) error {
	if actor == nil {
		return apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	if !auth.Can(actor, auth.EditLiaison) {
		return forbidden()
	}
	return nil
}

func notFoundIfNoRows(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.ErrNotFound
	}
	return err
}

// EnumValues lists the levels, for the API document's enums.
func (Level) EnumValues() []string { return codes(Levels) }

// EnumValues lists the contact methods, for the API document's enums.
func (Method) EnumValues() []string { return codes(Methods) }

// EnumValues lists the campaign kinds, for the API document's enums.
func (CampaignKind) EnumValues() []string { return codes(CampaignKinds) }

func codes[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
