package duty

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// Appeal is a member's appeal of one ledger entry.
type Appeal struct {
	ID           int64          `json:"id"`
	CommitteeID  int64          `json:"committee_id"`
	MembershipID int64          `json:"membership_id"`
	Name         string         `json:"name"`
	EntryID      int64          `json:"entry_id"`
	Entry        Entry          `json:"entry"`
	Reason       string         `json:"reason"`
	State        AppealState    `json:"state"`
	DecisionNote string         `json:"decision_note"`
	Points       int64          `json:"points"` // the adjustment an upheld appeal made (0: none)
	Version      int            `json:"version"`
	CreatedAt    time.Time      `json:"created_at"`
	Can          []AppealAction `json:"can"` // what the reader may do now
}

// relation says how the actor stands to a member's records: staff (Manage in
// the committee), the member themself, or other.
func relation(ctx context.Context, q db.Querier, actor *auth.Actor, committeeID, membershipID int64) (Relation, error) {
	sc, err := auth.LoadScope(ctx, q, committeeID)
	if err != nil {
		return RelOther, err
	}
	if auth.CanIn(actor, Manage, sc.ID, sc.Path) {
		return RelStaff, nil
	}
	if actor == nil || actor.PersonID == 0 || actor.CommitteeID != committeeID || !auth.Can(actor, Own) {
		return RelOther, nil
	}
	var n int
	err = q.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE id = $1 AND committee_id = $2 AND person_id = $3`,
		membershipID, committeeID, actor.PersonID).Scan(&n)
	if n > 0 {
		return RelOwner, err
	}
	return RelOther, err
}

// FileAppeal lets a member appeal a standing posting of their own ledger.
func (s *Service) FileAppeal(ctx context.Context, actor *auth.Actor, committeeID, entryID int64, reason string) (*Appeal, error) {
	var out *Appeal
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkReader(ctx, tx, actor, committeeID); err != nil {
			return err
		}
		e, err := loadEntry(ctx, tx, committeeID, entryID)
		if err != nil {
			return err
		}
		rel, err := relation(ctx, tx, actor, committeeID, e.MembershipID)
		if err != nil {
			return err
		}
		if rel == RelOther {
			return apperr.ErrNotFound
		}
		if _, ok := nextAppeal(AppealNone, ActFile, rel); !ok {
			return apperr.New(apperr.Forbidden, "err.forbidden")
		}
		if e.Kind != "post" || e.Reversed {
			return apperr.New(apperr.Conflict, "err.duty.entry_reversed")
		}
		reason = strings.TrimSpace(reason)
		if err := checkText("reason", reason, true); err != nil {
			return err
		}
		var open int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM duty_appeals WHERE committee_id = $1 AND entry_id = $2 AND state = 'open'`,
			committeeID, entryID).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return apperr.New(apperr.Conflict, "err.duty.appeal_open")
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO duty_appeals (committee_id, membership_id, entry_id, reason, state, created_at)
			VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`, committeeID, e.MembershipID, entryID, reason, AppealOpen, db.Now()).Scan(&id); err != nil {
			return err
		}
		out, err = loadAppeal(ctx, tx, committeeID, id)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, committeeID, "file", "duty_appeal", id, nil, out)
	})
	return out, err
}

// Decision is staff's answer to an appeal, or the member's withdrawal.
type Decision struct {
	Action  AppealAction
	Note    string // required when staff decide
	Points  int64  // upheld: an adjustment of the member's score (0: none)
	Version int
}

// DecideAppeal moves an appeal by the workflow table; an upheld appeal with
// points adds an adjustment (dated today) in the same transaction.
func (s *Service) DecideAppeal(ctx context.Context, actor *auth.Actor, committeeID, id int64, d Decision) (*Appeal, error) {
	var out *Appeal
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkReader(ctx, tx, actor, committeeID); err != nil {
			return err
		}
		a, err := loadAppeal(ctx, tx, committeeID, id)
		if err != nil {
			return err
		}
		rel, err := relation(ctx, tx, actor, committeeID, a.MembershipID)
		if err != nil {
			return err
		}
		if rel == RelOther {
			return apperr.ErrNotFound
		}
		next, ok := nextAppeal(a.State, d.Action, rel)
		if !ok {
			return apperr.New(apperr.Conflict, "err.duty.appeal_refused")
		}
		d.Note = strings.TrimSpace(d.Note)
		if err := checkText("note", d.Note, rel == RelStaff); err != nil {
			return err
		}
		if next != AppealUpheld {
			d.Points = 0
		}
		err = db.ExecVersioned(ctx, tx, `UPDATE duty_appeals SET state = $3, decision_note = $4, points = $5, decided_by = $6,
			decided_at = $7, version = version + 1 WHERE id = $1 AND version = $2`, id, d.Version, next, d.Note, d.Points,
			userRef(actor), db.Now())
		if err != nil {
			return err
		}
		if d.Points != 0 {
			in := AdjustInput{MembershipID: a.MembershipID, Date: s.today(), Points: d.Points, Reason: d.Note}
			if _, err := addAdjustment(ctx, tx, actor, committeeID, in, id); err != nil {
				return err
			}
		}
		out, err = loadAppeal(ctx, tx, committeeID, id)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, committeeID, string(d.Action), "duty_appeal", id, a, out)
	})
	if out != nil {
		out.Can = appealCan(out.State, RelStaff)
	}
	return out, err
}

// Appeals lists a committee's appeals: staff see all (state "" for every
// state), a member their own.
func (s *Service) Appeals(ctx context.Context, actor *auth.Actor, committeeID int64, state AppealState) ([]Appeal, error) {
	var out []Appeal
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if err := checkReader(ctx, tx, actor, committeeID); err != nil {
			return err
		}
		var a db.Args
		w := []string{"a.committee_id = " + a.Add(committeeID)}
		if state != AppealNone {
			w = append(w, "a.state = "+a.Add(state))
		}
		staff := auth.Can(actor, View) || auth.Can(actor, Manage)
		if !staff {
			w = append(w, "m.person_id = "+a.Add(actor.PersonID))
		}
		var err error
		out, err = db.Query(ctx, tx, scanAppeal, appealSelect+` WHERE `+strings.Join(w, " AND ")+` ORDER BY a.id DESC`, a...)
		if err != nil {
			return err
		}
		for i := range out {
			rel := RelOwner
			if auth.Can(actor, Manage) && actor.CommitteeID == committeeID {
				rel = RelStaff
			} else if staff {
				rel = RelOther
			}
			out[i].Can = appealCan(out[i].State, rel)
		}
		return nil
	})
	return out, err
}

const appealSelect = `SELECT a.id, a.committee_id, a.membership_id, p.name, a.entry_id, a.reason, a.state, a.decision_note,
	a.points, a.version, a.created_at, e.year, e.on_date, e.category, e.item, e.variant, e.points, e.source_entity, e.source_id
	FROM duty_appeals a JOIN memberships m ON m.id = a.membership_id JOIN people p ON p.id = m.person_id
	JOIN duty_entries e ON e.id = a.entry_id`

func scanAppeal(sc db.Scanner) (Appeal, error) {
	var a Appeal
	var at db.Time
	e := &a.Entry
	err := sc.Scan(&a.ID, &a.CommitteeID, &a.MembershipID, &a.Name, &a.EntryID, &a.Reason, &a.State, &a.DecisionNote,
		&a.Points, &a.Version, &at, &e.Year, &e.Date, &e.Category, &e.Item, &e.Variant, &e.Points, &e.Entity, &e.SourceID)
	e.ID, e.MembershipID, a.CreatedAt = a.EntryID, a.MembershipID, at.Time
	return a, err
}

func loadAppeal(ctx context.Context, q db.Querier, committeeID, id int64) (*Appeal, error) {
	a, err := scanAppeal(q.QueryRowContext(ctx, appealSelect+` WHERE a.id = $1 AND a.committee_id = $2`, id, committeeID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.ErrNotFound
	}
	return &a, err
}

func loadEntry(ctx context.Context, q db.Querier, committeeID, id int64) (*Entry, error) {
	e, err := scanEntry(q.QueryRowContext(ctx, `SELECT `+entryCols+` FROM duty_entries WHERE id = $1 AND committee_id = $2`, id, committeeID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.ErrNotFound
	}
	return &e, err
}

// checkText checks a reason or note: required when asked, at most maxReason characters.
func checkText(field, s string, required bool) error {
	if required && s == "" {
		return apperr.Fields(apperr.Field(field, "err.duty.reason_required"))
	}
	if utf8.RuneCountInString(s) > maxReason {
		return apperr.Fields(apperr.Field(field, "err.duty.too_long", map[string]any{"Max": maxReason}))
	}
	return nil
}
