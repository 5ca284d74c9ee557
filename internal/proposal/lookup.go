package proposal

import (
	"context"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Read-only look-ups for the pickers and queues of the proposal pages. Each is
// scoped by the actor's committee and returns names and ids only, never
// contact data.

// Candidate is a member who may be invited to co-sign, or named as the first
// proposer of a paper proposal.
type Candidate struct {
	MembershipID int64
	PersonID     int64
	Name         string
	Sector       string
}

// Candidates lists the active memberships of the term of a session of the
// actor's committee, by name: for members drafting (co-signers) and for staff
// entering a paper proposal (first proposer).
func (s *Service) Candidates(ctx context.Context, actor *auth.Actor, sessionID int64) ([]Candidate, error) {
	if !auth.Can(actor, PermSubmit) && !auth.Can(actor, PermEnter) {
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return db.Query(ctx, s.DB, func(sc interface{ Scan(...any) error }) (Candidate, error) {
		var c Candidate
		return c, sc.Scan(&c.MembershipID, &c.PersonID, &c.Name, &c.Sector)
	}, `SELECT m.id, m.person_id, pe.name, COALESCE(se.name, '')
		FROM memberships m JOIN plenary_sessions s ON s.term_id = m.term_id AND s.committee_id = m.committee_id
		JOIN people pe ON pe.id = m.person_id LEFT JOIN sectors se ON se.id = m.sector_id
		WHERE m.committee_id = $1 AND s.id = $2 AND m.status = 'active' ORDER BY pe.name, m.id`, actor.CommitteeID, sessionID)
}

// UserRef is a user offered in a picker.
type UserRef struct {
	ID   int64
	Name string
}

// Leaders lists the enabled users of the actor's committee holding the leader
// role: the supervising leaders the proposal office may name for a key proposal.
func (s *Service) Leaders(ctx context.Context, actor *auth.Actor) ([]UserRef, error) {
	if !auth.Can(actor, PermReview) {
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return db.Query(ctx, s.DB, func(sc interface{ Scan(...any) error }) (UserRef, error) {
		var u UserRef
		return u, sc.Scan(&u.ID, &u.Name)
	}, `SELECT u.id, u.display_name FROM users u
		JOIN user_roles r ON r.user_id = u.id AND r.committee_id = u.committee_id
		WHERE u.committee_id = $1 AND r.role = 'leader' AND NOT u.disabled ORDER BY u.display_name, u.id`, actor.CommitteeID)
}

// Supervised returns the ids of the actor's committee's proposals the actor
// supervises as a leader (督办领导); empty for anyone else.
func (s *Service) Supervised(ctx context.Context, actor *auth.Actor) (map[int64]bool, error) {
	out := map[int64]bool{}
	if actor == nil || actor.UserID == 0 || !auth.Can(actor, PermSupervise) {
		return out, nil
	}
	ids, err := db.Query(ctx, s.DB, func(sc interface{ Scan(...any) error }) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	}, `SELECT proposal_id FROM proposal_supervisors WHERE committee_id = $1 AND user_id = $2`, actor.CommitteeID, actor.UserID)
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// ExtensionRequest is a unit's pending request for a later due date.
type ExtensionRequest struct {
	ProposalID int64
	Number     string
	Title      string
	UnitName   string
	DueOn      civil.Date
	AskedDue   civil.Date
	AskedOn    civil.Date
	Reason     string
}

// PendingExtensions lists the actor's committee's pending extension requests,
// oldest first (at most 500): the proposal office's queue.
func (s *Service) PendingExtensions(ctx context.Context, actor *auth.Actor) ([]ExtensionRequest, error) {
	if !auth.Can(actor, PermReview) {
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return db.Query(ctx, s.DB, func(sc interface{ Scan(...any) error }) (ExtensionRequest, error) {
		var e ExtensionRequest
		return e, sc.Scan(&e.ProposalID, &e.Number, &e.Title, &e.UnitName, &e.DueOn, &e.AskedDue, &e.AskedOn, &e.Reason)
	}, `SELECT p.id, p.number, p.title, u.name, a.due_on, a.extension_asked_due, a.extension_asked_on, a.extension_reason
		FROM proposal_assignments a JOIN proposals p ON p.id = a.proposal_id JOIN units u ON u.id = a.unit_id
		WHERE a.committee_id = $1 AND a.extension_asked_on <> '' ORDER BY a.extension_asked_on, a.id LIMIT 500`, actor.CommitteeID)
}
