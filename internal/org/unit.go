package org

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// Unit is a handling unit (承办单位): a Party or government department, the congress,
// the court, the procuratorate, or another body that replies to proposals.
type Unit struct {
	ID           int64     `json:"id"`
	CommitteeID  int64     `json:"committee_id"`
	Name         string    `json:"name"`
	Kind         string    `json:"kind" codes:"unit_kind"` // party, government, congress, court, procuratorate, other
	ContactName  string    `json:"contact_name"`
	ContactPhone string    `json:"contact_phone"`
	Active       bool      `json:"active"`
	Version      int       `json:"version"`
	CreatedAt    time.Time `json:"-"`
}

// UnitInput creates or edits a unit.
type UnitInput struct {
	Name         string
	Kind         string
	ContactName  string
	ContactPhone string
	Active       bool
	Version      int
}

// validate normalises and checks a unit; field names are the form's.
func (in *UnitInput) validate() []apperr.FieldError {
	trim(&in.Name, &in.Kind, &in.ContactName)
	in.ContactPhone = NormalizePhone(in.ContactPhone)
	fs := required(nil, "name", in.Name, "kind", in.Kind)
	if in.Kind != "" && !validCode(UnitKinds, in.Kind) {
		fs = append(fs, apperr.Field("kind", "err.org.choice_invalid"))
	}
	if in.ContactPhone != "" && !ValidPhone(in.ContactPhone) {
		fs = append(fs, apperr.Field("contact_phone", "err.org.phone_invalid"))
	}
	if len([]rune(in.Name)) > 100 {
		fs = append(fs, apperr.Field("name", "err.org.too_long", map[string]any{"Max": 100}))
	}
	return fs
}

// CreateUnit adds a handling unit (staff, admins).
func (s *Service) CreateUnit(ctx context.Context, actor *auth.Actor, committeeID int64, in UnitInput) (Unit, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.EditOrg, committeeID); err != nil {
		return Unit{}, err
	}
	if err := fieldsErr(in.validate()); err != nil {
		return Unit{}, err
	}
	var u Unit
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		u, err = insertUnit(ctx, tx, actor, committeeID, in)
		return err
	})
	return u, err
}

func insertUnit(ctx context.Context, tx *sql.Tx, actor *auth.Actor, committeeID int64, in UnitInput) (Unit, error) {
	now := db.Now()
	u := Unit{CommitteeID: committeeID, Name: in.Name, Kind: in.Kind, ContactName: in.ContactName,
		ContactPhone: in.ContactPhone, Active: in.Active, Version: 1, CreatedAt: now}
	err := tx.QueryRowContext(ctx, `INSERT INTO units (committee_id, name, kind, contact_name, contact_phone, active, created_at, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$7) RETURNING id`, committeeID, u.Name, u.Kind, u.ContactName, u.ContactPhone, u.Active, now).Scan(&u.ID)
	if isUniqueViolation(err) {
		return u, apperr.Fields(apperr.Field("name", "err.org.name_taken"))
	}
	if err != nil {
		return u, err
	}
	return u, audit.Record(ctx, tx, actor, committeeID, "create", "unit", u.ID, nil, u)
}

// UpdateUnit edits a unit of the actor's committee (optimistic locking on Version).
func (s *Service) UpdateUnit(ctx context.Context, actor *auth.Actor, id int64, in UnitInput) (Unit, error) {
	if err := fieldsErr(in.validate()); err != nil {
		if _, err2 := s.unitFor(ctx, actor, auth.EditOrg, id); err2 != nil {
			return Unit{}, err2
		}
		return Unit{}, err
	}
	var u Unit
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := s.unitIn(ctx, tx, actor, auth.EditOrg, id)
		if err != nil {
			return err
		}
		u, err = updateUnit(ctx, tx, actor, before, in)
		return err
	})
	return u, err
}

// unitFor loads a unit and authorizes action on it (ErrNotFound if invisible).
func (s *Service) unitFor(ctx context.Context, actor *auth.Actor, action auth.Action, id int64) (Unit, error) {
	return s.unitIn(ctx, s.DB, actor, action, id)
}

func (s *Service) unitIn(ctx context.Context, q db.Querier, actor *auth.Actor, action auth.Action, id int64) (Unit, error) {
	u, err := scanUnit(q.QueryRowContext(ctx, `SELECT `+unitCols+` FROM units WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, apperr.ErrNotFound
	}
	if err != nil {
		return u, err
	}
	if _, err := auth.CheckScope(ctx, q, actor, action, u.CommitteeID); err != nil {
		return Unit{}, err
	}
	return u, nil
}

func updateUnit(ctx context.Context, tx *sql.Tx, actor *auth.Actor, before Unit, in UnitInput) (Unit, error) {
	err := db.ExecVersioned(ctx, tx, `UPDATE units SET name=$1, kind=$2, contact_name=$3, contact_phone=$4, active=$5,
		version=version+1, updated_at=$6 WHERE id=$7 AND committee_id=$8 AND version=$9`,
		in.Name, in.Kind, in.ContactName, in.ContactPhone, in.Active, db.Now(), before.ID, before.CommitteeID, in.Version)
	if isUniqueViolation(err) {
		return Unit{}, apperr.Fields(apperr.Field("name", "err.org.name_taken"))
	}
	if err != nil {
		return Unit{}, err
	}
	after := before
	after.Name, after.Kind, after.ContactName, after.ContactPhone, after.Active = in.Name, in.Kind, in.ContactName, in.ContactPhone, in.Active
	after.Version = before.Version + 1
	return after, audit.Record(ctx, tx, actor, before.CommitteeID, "update", "unit", before.ID, before, after)
}

const unitCols = `id, committee_id, name, kind, contact_name, contact_phone, active, version, created_at`

func scanUnit(sc interface{ Scan(...any) error }) (Unit, error) {
	var u Unit
	var at db.Time
	err := sc.Scan(&u.ID, &u.CommitteeID, &u.Name, &u.Kind, &u.ContactName, &u.ContactPhone, &u.Active, &u.Version, &at)
	u.CreatedAt = at.Time
	return u, err
}

// Unit returns one unit, if the actor may read its committee (its own or one below).
func (s *Service) Unit(ctx context.Context, actor *auth.Actor, id int64) (Unit, error) {
	return s.unitFor(ctx, actor, auth.ViewOrg, id)
}

// UnitFilter narrows the unit list.
type UnitFilter struct {
	Kind   string // "" for all
	Q      string // name or contact contains
	Active string // "", "yes", "no"
}

// Units lists a committee's units by kind and name. A county has at most a few
// hundred, so there is no paging.
func (s *Service) Units(ctx context.Context, actor *auth.Actor, committeeID int64, f UnitFilter) ([]Unit, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.ViewOrg, committeeID); err != nil {
		return nil, err
	}
	return listUnits(ctx, s.DB, committeeID, f)
}

// UnitNames lists a committee's units as Units does with no filter (same
// check, same order) with only ID and Name set: the choices of a unit filter,
// without reading and parsing every column of every unit.
func (s *Service) UnitNames(ctx context.Context, actor *auth.Actor, committeeID int64) ([]Unit, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.ViewOrg, committeeID); err != nil {
		return nil, err
	}
	return db.Query(ctx, s.DB, func(sc db.Scanner) (Unit, error) {
		var u Unit
		return u, sc.Scan(&u.ID, &u.Name)
	}, `SELECT id, name FROM units WHERE committee_id = $1 ORDER BY kind, name`, committeeID)
}

func listUnits(ctx context.Context, d *db.DB, committeeID int64, f UnitFilter) ([]Unit, error) {
	var a db.Args
	q := `SELECT ` + unitCols + ` FROM units WHERE committee_id = ` + a.Add(committeeID)
	if f.Kind != "" {
		q += ` AND kind = ` + a.Add(f.Kind)
	}
	switch f.Active {
	case "yes":
		q += ` AND active = TRUE`
	case "no":
		q += ` AND active = FALSE`
	}
	if f.Q != "" {
		n := a.Add("%" + db.EscapeLike(f.Q) + "%")
		q += ` AND (name ` + d.ILike() + ` ` + n + ` ESCAPE '\' OR contact_name ` + d.ILike() + ` ` + n + ` ESCAPE '\')`
	}
	return db.Query(ctx, d, scanUnit, q+` ORDER BY kind, name`, a...)
}
