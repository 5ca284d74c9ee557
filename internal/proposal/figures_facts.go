package proposal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/changes"
	"lvzhi/internal/civil"
)

// The figures, the unit league table and the search read derived rows
// (proposal_facts, proposal_unit_facts, proposal_search) that are computed here,
// in Go, from a proposal's records: one definition of "replied on time",
// "preceded by a face-to-face contact" and "result class" for every screen.
//
// A database trigger marks each inserted or updated proposal in the platform's
// change queue (internal/changes); every use case bumps the proposal's
// version, so no change escapes the queue. Readers call CatchUp first for the
// committee they read, and a background job drains the rest, so derived rows
// are never stale when read.

// unitFact is what one assignment contributes to the league table.
type unitFact struct {
	AssignmentID, UnitID int64
	Role                 AssignRole
	State                State
	Replying             bool // writes a reply (not a 会办 co-unit)
	Replied              bool // has delivered a reply (in any round)
	OnTime               bool // handed its reply in on or before its due date as it stands (extensions approved)
	FaceToFace           bool // a face-to-face contact (面谈, 座谈会) dated on or before its reply
	ResultClass          string
	DueOn                civil.Date
}

// fact is what one proposal contributes to the figures.
type fact struct {
	Received, Registered, Replied, OnTime, FaceToFace bool
	ResultClass                                       string
}

// repliedStates are the states of a proposal whose every replying unit has delivered a reply.
var repliedStates = []State{Replied, Rehandling, Closed}

// computeFacts derives the facts of a proposal and its assignments.
func computeFacts(p *Proposal, as []Assignment, contacts []Contact, replies []Reply, classes []ResultClass) (fact, []unitFact) {
	var units []unitFact
	for _, a := range as {
		u := unitFact{AssignmentID: a.ID, UnitID: a.UnitID, Role: a.Role, State: a.State, Replying: a.Role.Replies(), DueOn: a.DueOn}
		u.Replied = u.Replying && !a.RepliedOn.IsZero()
		if u.Replied {
			u.FaceToFace = slices.ContainsFunc(contacts, func(c Contact) bool {
				return c.AssignmentID == a.ID && c.FaceToFace && !c.On.After(a.RepliedOn)
			})
		}
		round, handedIn := 0, a.RepliedOn
		for _, r := range replies {
			if r.AssignmentID == a.ID && r.Status == "delivered" && r.Round > round {
				round, u.ResultClass = r.Round, r.ResultClass
				if !r.SubmittedOn.IsZero() {
					handedIn = r.SubmittedOn
				}
			}
		}
		// On time: the unit handed its reply in (submitted it for the office's
		// review) by the due date; the office's review time is not the unit's.
		// A reply without a submission date (delivered directly) counts by its delivery.
		u.OnTime = u.Replied && !handedIn.After(a.DueOn)
		units = append(units, u)
	}
	f := fact{
		Received:   !p.SubmittedOn.IsZero(),
		Registered: slices.Contains(registeredStates, p.State),
		Replied:    slices.Contains(repliedStates, p.State),
	}
	if !f.Replied {
		return f, units
	}
	f.OnTime, f.FaceToFace = true, true
	worst, n := -1, 0
	for _, u := range units {
		if !u.Replying {
			continue
		}
		n++
		f.OnTime = f.OnTime && u.OnTime
		f.FaceToFace = f.FaceToFace && u.FaceToFace
		if u.ResultClass != "" {
			if s := classRank(classes, u.ResultClass); s > worst {
				worst, f.ResultClass = s, u.ResultClass
			}
		}
	}
	if n == 0 {
		f.OnTime, f.FaceToFace = false, false
	}
	return f, units
}

// classRank orders classes from most to least solved (the list's order); an
// unknown code ranks last, so it never makes a proposal look better.
func classRank(classes []ResultClass, code string) int {
	for i, c := range classes {
		if c.Code == code {
			return i
		}
	}
	return len(classes)
}

// refreshDerived recomputes the derived rows of one proposal inside tx; a
// proposal that no longer exists has none (its rows went with it).
func refreshDerived(ctx context.Context, tx *sql.Tx, id int64) error {
	p, err := loadProposal(ctx, tx, id)
	if errors.Is(err, apperr.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	as, err := listAssignments(ctx, tx, id)
	if err != nil {
		return err
	}
	contacts, err := listContacts(ctx, tx, id)
	if err != nil {
		return err
	}
	replies, err := listReplies(ctx, tx, id)
	if err != nil {
		return err
	}
	classes, err := listClasses(ctx, tx, p.CommitteeID)
	if err != nil {
		return err
	}
	f, units := computeFacts(p, as, contacts, replies, classes)
	if err := saveFacts(ctx, tx, p, f, units); err != nil {
		return err
	}
	return indexProposal(ctx, tx, p, replies)
}

func saveFacts(ctx context.Context, tx *sql.Tx, p *Proposal, f fact, units []unitFact) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO proposal_facts (proposal_id, committee_id, session_id, year, theme, kind, category,
		state, converted_to, received, registered, replied, on_time, face_to_face, result_class, is_key, is_excellent,
		is_published, due_on, version) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20)
		ON CONFLICT (proposal_id) DO UPDATE SET session_id = $3, year = $4, theme = $5, kind = $6, category = $7, state = $8,
		converted_to = $9, received = $10, registered = $11, replied = $12, on_time = $13, face_to_face = $14,
		result_class = $15, is_key = $16, is_excellent = $17, is_published = $18, due_on = $19, version = $20`,
		p.ID, p.CommitteeID, p.SessionID, p.Year, p.Theme, p.Kind, p.Category, p.State, p.ConvertedTo,
		f.Received, f.Registered, f.Replied, f.OnTime, f.FaceToFace, f.ResultClass, p.Key, p.Excellent, p.Published,
		p.DueOn, p.Version)
	if err != nil {
		return err
	}
	keep := []string{"0"}
	for _, u := range units {
		keep = append(keep, fmt.Sprint(u.AssignmentID))
		_, err := tx.ExecContext(ctx, `INSERT INTO proposal_unit_facts (assignment_id, committee_id, proposal_id, unit_id, role,
			state, session_id, year, theme, replying, replied, on_time, face_to_face, result_class, due_on)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)
			ON CONFLICT (assignment_id) DO UPDATE SET unit_id = $4, role = $5, state = $6, session_id = $7, year = $8,
			theme = $9, replying = $10, replied = $11, on_time = $12, face_to_face = $13, result_class = $14, due_on = $15`,
			u.AssignmentID, p.CommitteeID, p.ID, u.UnitID, u.Role, u.State, p.SessionID, p.Year, p.Theme, u.Replying,
			u.Replied, u.OnTime, u.FaceToFace, u.ResultClass, u.DueOn)
		if err != nil {
			return err
		}
	}
	// keep holds only integers formatted here, so it is safe to splice in.
	_, err = tx.ExecContext(ctx, `DELETE FROM proposal_unit_facts WHERE proposal_id = $1 AND assignment_id NOT IN (`+
		strings.Join(keep, ",")+`)`, p.ID)
	return err
}

// derivedRows is the proposal area's consumer of the change queue: a
// proposal's figure facts (proposal_facts, proposal_unit_facts) and its search
// row (proposal_search) are computed from one read of its records, so one
// consumer keeps the three. Bulk does the same for many proposals at once.
var derivedRows = changes.Consumer{
	Name:    "proposal_facts, proposal_unit_facts, proposal_search",
	Entity:  "proposal",
	Prepare: func(context.Context) error { _, err := loadSegmenter(); return err },
	Refresh: func(ctx context.Context, tx *sql.Tx, _ int64, ids []int64) error {
		for _, id := range ids {
			if err := refreshDerived(ctx, tx, id); err != nil {
				return fmt.Errorf("refresh proposal %d: %w", id, err)
			}
		}
		return nil
	},
}

func init() {
	derivedRows.Bulk = refreshBulk
	changes.Register(derivedRows)
}

// CatchUp brings the derived rows (figures, search) of a committee's
// proposals up to date, or of its whole subtree when path is set (a higher
// committee's roll-up); readers call it first for what they read, and pay for
// no other committee. The change queue's job does the same in the background.
func (s *Service) CatchUp(ctx context.Context, committeeID int64, path string) (int, error) {
	if path != "" {
		return changes.CatchUpSubtree(ctx, s.DB, path)
	}
	return changes.CatchUp(ctx, s.DB, committeeID)
}
