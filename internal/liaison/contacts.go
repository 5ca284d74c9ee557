package liaison

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Contact is one contact along a link, or one visit to a campaign target.
type Contact struct {
	ID           int64     `json:"id"`
	CommitteeID  int64     `json:"committee_id"`
	LinkID       int64     `json:"link_id,omitempty"`
	TargetID     int64     `json:"target_id,omitempty"`
	On           string    `json:"on"`
	Method       Method    `json:"method"`
	Notes        string    `json:"notes"`
	RecordedByID int64     `json:"recorded_by_id,omitempty"`
	RecordedBy   string    `json:"recorded_by"`
	CreatedAt    time.Time `json:"created_at"`
}

// ContactInput records a contact: exactly one of LinkID and TargetID.
type ContactInput struct {
	LinkID   int64  `json:"link_id"`
	TargetID int64  `json:"target_id"`
	On       string `json:"on"`
	Method   Method `json:"method"`
	Notes    string `json:"notes"`
}

const contactSelect = `SELECT id, committee_id, COALESCE(link_id, 0), COALESCE(target_id, 0), contact_on, method, notes,
	COALESCE(recorded_by, 0), recorded_by_name, created_at FROM liaison_contacts `

func scanContact(sc interface{ Scan(...any) error }) (*Contact, error) {
	c := &Contact{}
	var at db.Time
	err := sc.Scan(&c.ID, &c.CommitteeID, &c.LinkID, &c.TargetID, &c.On, &c.Method, &c.Notes, &c.RecordedByID, &c.RecordedBy, &at)
	c.CreatedAt = at.Time
	return c, err
}

// owner is what a contact hangs on: a link or a campaign target.
type owner struct {
	committeeID int64
	liaison     Person // the liaising person or visitor
	from, to    string // the period in which contacts count
}

func loadOwner(ctx context.Context, q db.Querier, linkID, targetID int64) (*owner, error) {
	if linkID != 0 {
		l, err := loadLink(ctx, q, linkID)
		if err != nil {
			return nil, err
		}
		return &owner{l.CommitteeID, l.Liaison, l.StartsOn, l.EndsOn}, nil
	}
	t, err := loadTarget(ctx, q, targetID)
	if err != nil {
		return nil, err
	}
	var from, to string
	err = q.QueryRowContext(ctx, `SELECT starts_on, ends_on FROM liaison_campaigns WHERE id = $1`, t.CampaignID).Scan(&from, &to)
	if err != nil {
		return nil, err
	}
	return &owner{t.CommitteeID, t.Visitor, from, to}, nil
}

// mayLog decides whether the actor may record or remove contacts on o:
// editors always, members only where they are the liaising person.
// Readers who may not log get Forbidden; everyone else NotFound.
func mayLog(actor *auth.Actor, o *owner) error {
	if o.committeeID != actor.CommitteeID {
		return apperr.ErrNotFound
	}
	if auth.Can(actor, auth.EditLiaison) {
		return nil
	}
	if auth.Can(actor, LogContact) && isLiaisonOf(actor, o.committeeID, o.liaison) {
		return nil
	}
	if auth.Can(actor, ViewLiaison) {
		return forbidden()
	}
	return apperr.ErrNotFound
}

// LogContact records a contact on a link or a visit to a campaign target.
func (s *Service) LogContact(ctx context.Context, actor *auth.Actor, in ContactInput) (*Contact, error) {
	if actor == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	if (in.LinkID == 0) == (in.TargetID == 0) {
		return nil, apperr.Fields(apperr.Field("link_id", "err.liaison.link_or_target"))
	}
	var out *Contact
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		o, err := loadOwner(ctx, tx, in.LinkID, in.TargetID)
		if err != nil {
			return err
		}
		if err := mayLog(actor, o); err != nil {
			return err
		}
		if err := validateContact(&in, o, civil.Today()); err != nil {
			return err
		}
		var recBy any
		if actor.UserID != 0 {
			recBy = actor.UserID
		}
		var linkID, targetID any
		if in.LinkID != 0 {
			linkID = in.LinkID
		} else {
			targetID = in.TargetID
		}
		if err := refuseResubmission(ctx, tx, o.committeeID, in, actor.Name); err != nil {
			return err
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO liaison_contacts (committee_id, link_id, target_id, contact_on, method, notes,
			recorded_by, recorded_by_name, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
			o.committeeID, linkID, targetID, in.On, string(in.Method), in.Notes, recBy, actor.Name, db.Now()).Scan(&id)
		if err != nil {
			return err
		}
		if out, err = scanContact(tx.QueryRowContext(ctx, contactSelect+`WHERE id = $1`, id)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, o.committeeID, "create", "liaison_contact", id, nil, out)
	})
	return out, err
}

func validateContact(in *ContactInput, o *owner, today civil.Date) error {
	var fe fieldErrs
	in.Notes = strings.TrimSpace(in.Notes)
	d := fe.date("on", in.On, true)
	if !d.IsZero() {
		switch {
		case d.After(today):
			fe.add("on", "err.liaison.date_future")
		case d.String() < o.from || (o.to != "" && d.String() > o.to):
			fe.add("on", "err.liaison.outside_period", map[string]any{"From": o.from, "To": o.to})
		}
	}
	if !in.Method.Valid() {
		fe.add("method", "err.liaison.method_invalid")
	}
	fe.notes("notes", in.Notes)
	return fe.err()
}

// DeleteContact removes a contact recorded in error: editors any, members their own.
func (s *Service) DeleteContact(ctx context.Context, actor *auth.Actor, id int64) error {
	if actor == nil {
		return apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		c, err := scanContact(tx.QueryRowContext(ctx, contactSelect+`WHERE id = $1`, id))
		if err != nil {
			return notFoundIfNoRows(err)
		}
		o, err := loadOwner(ctx, tx, c.LinkID, c.TargetID)
		if err != nil {
			return err
		}
		if err := mayLog(actor, o); err != nil {
			return err
		}
		if !auth.Can(actor, auth.EditLiaison) && c.RecordedByID != actor.UserID {
			return forbidden()
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM liaison_contacts WHERE id = $1 AND committee_id = $2`, id, c.CommitteeID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, c.CommitteeID, "delete", "liaison_contact", id, c, nil)
	})
}

// ListContacts returns the contacts of a link (or visits to a target), newest first,
// to anyone who may see the link or target.
func (s *Service) ListContacts(ctx context.Context, actor *auth.Actor, linkID, targetID int64) ([]Contact, error) {
	if actor == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	if (linkID == 0) == (targetID == 0) {
		return nil, apperr.Fields(apperr.Field("link_id", "err.liaison.link_or_target"))
	}
	o, err := loadOwner(ctx, s.DB, linkID, targetID)
	if err != nil {
		return nil, err
	}
	ok, err := s.canRead(ctx, actor, o.committeeID, o.liaison)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, apperr.ErrNotFound
	}
	return db.Query(ctx, s.DB, byValue(scanContact), contactSelect+`WHERE committee_id = $1 AND (CAST($2 AS BIGINT) = 0 OR link_id = $2)
		AND (CAST($3 AS BIGINT) = 0 OR target_id = $3) ORDER BY contact_on DESC, id DESC`, o.committeeID, linkID, targetID)
}

// GetTarget returns a campaign target the actor may see (readers and the visitor).
func (s *Service) GetTarget(ctx context.Context, actor *auth.Actor, id int64) (*Target, error) {
	if actor == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	t, err := loadTarget(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	ok, err := s.canRead(ctx, actor, t.CommitteeID, t.Visitor)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, apperr.ErrNotFound
	}
	return t, nil
}

// resubmitWindow is how long an identical contact from the same person counts
// as the same form sent twice (a double tap, a retried slow request).
const resubmitWindow = 10 * time.Minute

// refuseResubmission refuses a contact identical (link or target, date,
// method, notes, recorder) to one recorded within resubmitWindow: it would
// count twice towards the link's frequency target.
func refuseResubmission(ctx context.Context, tx *sql.Tx, committeeID int64, in ContactInput, recorder string) error {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM liaison_contacts WHERE committee_id = $1
		AND COALESCE(link_id, 0) = $2 AND COALESCE(target_id, 0) = $3 AND contact_on = $4 AND method = $5
		AND notes = $6 AND recorded_by_name = $7 AND created_at > $8`,
		committeeID, in.LinkID, in.TargetID, in.On, string(in.Method), in.Notes, recorder, db.Now().Add(-resubmitWindow)).Scan(&n)
	if err != nil {
		return err
	}
	if n > 0 {
		return apperr.New(apperr.Conflict, "err.liaison.contact_resubmitted")
	}
	return nil
}
