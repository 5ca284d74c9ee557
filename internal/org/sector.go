package org

import (
	"context"
	"database/sql"
	"errors"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// Sector is a 界别 of a committee (中共, 民革, 经济界, 教育界 …).
type Sector struct {
	ID          int64  `json:"id"`
	CommitteeID int64  `json:"committee_id"`
	Name        string `json:"name"`
	Sort        int    `json:"sort"`
	Version     int    `json:"version"`
	Members     int    `json:"members,omitempty"` // active members in the current term (lists only)
}

// SectorInput creates or edits a sector.
type SectorInput struct {
	Name    string
	Sort    int
	Version int
}

// CreateSector adds a sector (staff, admins).
func (s *Service) CreateSector(ctx context.Context, actor *auth.Actor, committeeID int64, in SectorInput) (Sector, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.EditOrg, committeeID); err != nil {
		return Sector{}, err
	}
	trim(&in.Name)
	if err := fieldsErr(required(nil, "name", in.Name)); err != nil {
		return Sector{}, err
	}
	x := Sector{CommitteeID: committeeID, Name: in.Name, Sort: in.Sort, Version: 1}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO sectors (committee_id, name, sort) VALUES ($1,$2,$3) RETURNING id`,
			committeeID, x.Name, x.Sort).Scan(&x.ID)
		if isUniqueViolation(err) {
			return apperr.Fields(apperr.Field("name", "err.org.name_taken"))
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, committeeID, "create", "sector", x.ID, nil, x)
	})
	return x, err
}

// UpdateSector renames or re-sorts a sector (optimistic locking on Version).
func (s *Service) UpdateSector(ctx context.Context, actor *auth.Actor, committeeID, id int64, in SectorInput) (Sector, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.EditOrg, committeeID); err != nil {
		return Sector{}, err
	}
	trim(&in.Name)
	if err := fieldsErr(required(nil, "name", in.Name)); err != nil {
		return Sector{}, err
	}
	var after Sector
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var before Sector
		err := tx.QueryRowContext(ctx, `SELECT id, committee_id, name, sort, version FROM sectors WHERE id=$1 AND committee_id=$2`, id, committeeID).
			Scan(&before.ID, &before.CommitteeID, &before.Name, &before.Sort, &before.Version)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.ErrNotFound
		}
		if err != nil {
			return err
		}
		err = db.ExecVersioned(ctx, tx, `UPDATE sectors SET name=$1, sort=$2, version=version+1 WHERE id=$3 AND committee_id=$4 AND version=$5`,
			in.Name, in.Sort, id, committeeID, in.Version)
		if isUniqueViolation(err) {
			return apperr.Fields(apperr.Field("name", "err.org.name_taken"))
		}
		if err != nil {
			return err
		}
		after = Sector{ID: id, CommitteeID: committeeID, Name: in.Name, Sort: in.Sort, Version: before.Version + 1}
		return audit.Record(ctx, tx, actor, committeeID, "update", "sector", id, before, after)
	})
	return after, err
}

// Sectors lists a committee's sectors in display order, with active member counts of the current term.
func (s *Service) Sectors(ctx context.Context, actor *auth.Actor, committeeID int64) ([]Sector, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.ViewOrg, committeeID); err != nil {
		return nil, err
	}
	return listSectors(ctx, s.DB, committeeID)
}

func listSectors(ctx context.Context, q db.Querier, committeeID int64) ([]Sector, error) {
	return db.Query(ctx, q, func(sc db.Scanner) (Sector, error) {
		var x Sector
		err := sc.Scan(&x.ID, &x.CommitteeID, &x.Name, &x.Sort, &x.Version, &x.Members)
		return x, err
	}, `SELECT s.id, s.committee_id, s.name, s.sort, s.version,
		(SELECT COUNT(*) FROM memberships m WHERE m.committee_id = s.committee_id AND m.sector_id = s.id AND m.status = 'active'
		   AND m.term_id = `+currentTermSQL("s.committee_id")+`)
		FROM sectors s WHERE s.committee_id = $1 ORDER BY s.sort, s.id`, committeeID)
}
