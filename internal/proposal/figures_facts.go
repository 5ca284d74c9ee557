package proposal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/civil"
)

// The figures, the unit league table and the search read derived rows
// (proposal_facts, proposal_unit_facts, proposal_search) that are computed here,
// in Go, from a proposal's records: one definition of "replied on time",
// "preceded by a face-to-face contact" and "result class" for every screen.
//
// A database trigger queues each inserted or updated proposal (with its
// version) in proposal_dirty; every use case bumps the proposal's version, so
// no change escapes the queue. Readers call catchUp first, which refreshes the
// queued proposals, so derived rows are never stale when read.

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

// refreshDerived recomputes the derived rows of one proposal inside tx and
// takes it off the queue if the queued version is the one computed.
func refreshDerived(ctx context.Context, tx *sql.Tx, id int64) error {
	p, err := loadProposal(ctx, tx, id)
	if errors.Is(err, apperr.ErrNotFound) {
		_, err = tx.ExecContext(ctx, `DELETE FROM proposal_dirty WHERE proposal_id = $1`, id)
		return err
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
	if err := indexProposal(ctx, tx, p, replies); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM proposal_dirty WHERE proposal_id = $1 AND version = $2`, id, p.Version)
	return err
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

// catchUpBatch is how many queued proposals one transaction refreshes.
const catchUpBatch = 200

// CatchUp refreshes every queued proposal's derived rows (figures, search).
// Readers call it before reading them; the generator and imports may call it
// after bulk inserts. It loads the word dictionary before opening a
// transaction, so the write lock is never held while the dictionary loads.
func (s *Service) CatchUp(ctx context.Context) (int, error) {
	done := 0
	for round := 0; round < 100000; round++ {
		ids, err := dirtyIDs(ctx, s.DB, catchUpBatch)
		if err != nil || len(ids) == 0 {
			return done, err
		}
		if _, err := loadSegmenter(); err != nil {
			return done, err
		}
		err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
			for _, id := range ids {
				if err := refreshDerived(ctx, tx, id); err != nil {
					return fmt.Errorf("refresh proposal %d: %w", id, err)
				}
			}
			return nil
		})
		if err != nil {
			return done, err
		}
		done += len(ids)
		if len(ids) < catchUpBatch {
			// A proposal changed while being refreshed stays queued for the next reader.
			return done, nil
		}
	}
	return done, nil
}

func dirtyIDs(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, limit int) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT proposal_id FROM proposal_dirty ORDER BY proposal_id LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
