package activity

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// Invited guests (邀请领导、单位): the government leaders and units an activity
// invited from outside the committee. They are not members and have no
// attendance row; staff record them (ActGuests, also after the activity, to
// complete the record) and every reader of the activity sees them.

// GuestKind is a leader or a unit.
type GuestKind string

// The guest kinds.
const (
	GuestLeader GuestKind = "leader" // a leader (name and post)
	GuestUnit   GuestKind = "unit"   // a unit of the committee's unit list
)

// Guest is one invited leader or unit.
type Guest struct {
	ID     int64     `json:"id"`
	Kind   GuestKind `json:"kind"`
	Name   string    `json:"name"`
	Post   string    `json:"post,omitempty"`
	UnitID int64     `json:"unit_id,omitempty"`
}

// GuestInput is a new guest: a leader (name, post) or a unit (unit_id; its name is taken from the unit list).
type GuestInput struct {
	Kind   GuestKind `json:"kind"`
	Name   string    `json:"name,omitempty"`
	Post   string    `json:"post,omitempty"`
	UnitID int64     `json:"unit_id,omitempty"`
}

// MaxGuests bounds the guests of one activity.
const MaxGuests = 100

func listGuests(ctx context.Context, q db.Querier, activityID int64) ([]Guest, error) {
	return db.Query(ctx, q, func(sc db.Scanner) (Guest, error) {
		var g Guest
		err := sc.Scan(&g.ID, &g.Kind, &g.Name, &g.Post, &g.UnitID)
		return g, err
	}, `SELECT id, kind, name, post, COALESCE(unit_id, 0) FROM activity_guests WHERE activity_id = $1 ORDER BY kind, id`, activityID)
}

// AddGuest records an invited leader or unit (staff).
func (s *Service) AddGuest(ctx context.Context, actor *auth.Actor, ref Ref, in GuestInput) (*Guest, error) {
	var out *Guest
	_, err := s.run(ctx, actor, ref, func(o *op) error {
		if _, err := checkActivity(o.a.State, ActGuests, relations(actor, o.a.CommitteeID, 0)); err != nil {
			return err
		}
		g := Guest{Kind: in.Kind, Name: strings.TrimSpace(in.Name), Post: strings.TrimSpace(in.Post)}
		var fs []apperr.FieldError
		switch in.Kind {
		case GuestLeader:
			fs = checkText(fs, "name", g.Name, 100, true)
			fs = checkText(fs, "post", g.Post, 100, false)
		case GuestUnit:
			err := o.tx.QueryRowContext(ctx, `SELECT name FROM units WHERE id = $1 AND committee_id = $2`, in.UnitID, o.a.CommitteeID).Scan(&g.Name)
			if errors.Is(err, sql.ErrNoRows) {
				fs = append(fs, apperr.Field("unit_id", "err.form.bad_choice"))
			} else if err != nil {
				return err
			}
			g.UnitID, g.Post = in.UnitID, ""
		default:
			fs = append(fs, apperr.Field("kind", "err.form.bad_choice"))
		}
		if err := orInvalid(fs); err != nil {
			return err
		}
		var n int
		if err := o.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM activity_guests WHERE activity_id = $1`, o.a.ID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxGuests {
			return apperr.Fields(apperr.Field("name", "err.activity.too_many_guests", map[string]any{"Max": MaxGuests}))
		}
		if g.UnitID != 0 && exists(ctx, o.tx, `SELECT COUNT(*) FROM activity_guests WHERE activity_id = $1 AND unit_id = $2`, o.a.ID, g.UnitID) {
			return apperr.Fields(apperr.Field("unit_id", "err.activity.guest_twice"))
		}
		err := o.tx.QueryRowContext(ctx, `INSERT INTO activity_guests (committee_id, activity_id, kind, name, post, unit_id, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`, o.a.CommitteeID, o.a.ID, g.Kind, g.Name, g.Post, nullID(g.UnitID), db.Now()).Scan(&g.ID)
		if err != nil {
			return err
		}
		out = &g
		return o.record("activity.guest_add", EntityActivity, o.a.ID, nil, g)
	})
	return out, err
}

// RemoveGuest deletes an invited guest (staff).
func (s *Service) RemoveGuest(ctx context.Context, actor *auth.Actor, ref Ref, guestID int64) error {
	_, err := s.run(ctx, actor, ref, func(o *op) error {
		if _, err := checkActivity(o.a.State, ActGuests, relations(actor, o.a.CommitteeID, 0)); err != nil {
			return err
		}
		gs, err := listGuests(ctx, o.tx, o.a.ID)
		if err != nil {
			return err
		}
		for _, g := range gs {
			if g.ID != guestID {
				continue
			}
			if _, err := o.tx.ExecContext(ctx, `DELETE FROM activity_guests WHERE id = $1`, g.ID); err != nil {
				return err
			}
			return o.record("activity.guest_remove", EntityActivity, o.a.ID, g, nil)
		}
		return apperr.ErrNotFound
	})
	return err
}
