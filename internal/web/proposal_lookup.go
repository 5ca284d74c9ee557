package web

import (
	"context"

	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Read-only look-ups the proposal pages need for their pickers and queues
// that the proposal service does not offer (yet). Each is scoped by the
// actor's committee and returns names and ids only, never contact data.
// They belong in package proposal; they live here until it has them.

// propCandidate is a member who may be invited to co-sign, or named as the
// first proposer of a paper proposal.
type propCandidate struct {
	MembershipID int64
	PersonID     int64
	Name         string
	Sector       string
}

// propCandidates lists the active memberships of the term of a session of the
// committee, by name.
func propCandidates(ctx context.Context, q db.Querier, committeeID, sessionID int64) ([]propCandidate, error) {
	rows, err := q.QueryContext(ctx, `SELECT m.id, m.person_id, pe.name, COALESCE(se.name, '')
		FROM memberships m JOIN plenary_sessions s ON s.term_id = m.term_id AND s.committee_id = m.committee_id
		JOIN people pe ON pe.id = m.person_id LEFT JOIN sectors se ON se.id = m.sector_id
		WHERE m.committee_id = $1 AND s.id = $2 AND m.status = 'active' ORDER BY pe.name, m.id`, committeeID, sessionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []propCandidate
	for rows.Next() {
		var c propCandidate
		if err := rows.Scan(&c.MembershipID, &c.PersonID, &c.Name, &c.Sector); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// propUser is a user offered in a picker (supervising leaders).
type propUser struct {
	ID   int64
	Name string
}

// propLeaders lists the committee's enabled users holding the leader role.
func propLeaders(ctx context.Context, q db.Querier, committeeID int64) ([]propUser, error) {
	rows, err := q.QueryContext(ctx, `SELECT u.id, u.display_name FROM users u
		JOIN user_roles r ON r.user_id = u.id AND r.committee_id = u.committee_id
		WHERE u.committee_id = $1 AND r.role = 'leader' AND NOT u.disabled ORDER BY u.display_name, u.id`, committeeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []propUser
	for rows.Next() {
		var u propUser
		if err := rows.Scan(&u.ID, &u.Name); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// propSupervised returns the ids of the committee's proposals a leader supervises.
func propSupervised(ctx context.Context, q db.Querier, committeeID, userID int64) (map[int64]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT proposal_id FROM proposal_supervisors WHERE committee_id = $1 AND user_id = $2`,
		committeeID, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// propExtension is a unit's pending request for a later due date.
type propExtension struct {
	ProposalID int64
	Number     string
	Title      string
	UnitName   string
	DueOn      civil.Date
	AskedDue   civil.Date
	AskedOn    civil.Date
	Reason     string
}

// propExtensions lists the committee's pending extension requests, oldest first.
func propExtensions(ctx context.Context, q db.Querier, committeeID int64) ([]propExtension, error) {
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.number, p.title, u.name, a.due_on, a.extension_asked_due,
		a.extension_asked_on, a.extension_reason
		FROM proposal_assignments a JOIN proposals p ON p.id = a.proposal_id JOIN units u ON u.id = a.unit_id
		WHERE a.committee_id = $1 AND a.extension_asked_on <> '' ORDER BY a.extension_asked_on, a.id LIMIT 500`, committeeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []propExtension
	for rows.Next() {
		var e propExtension
		if err := rows.Scan(&e.ProposalID, &e.Number, &e.Title, &e.UnitName, &e.DueOn, &e.AskedDue, &e.AskedOn, &e.Reason); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
