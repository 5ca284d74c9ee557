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

// Group is a 专委会 (special committee), 工作组 (working group) or 委员小组 (member group).
type Group struct {
	ID          int64  `json:"id"`
	CommitteeID int64  `json:"committee_id"`
	Kind        string `json:"kind" codes:"group_kind"` // special_committee, working_group, member_group
	Name        string `json:"name"`
	Sort        int    `json:"sort"`
	Version     int    `json:"version"`
	Members     int    `json:"members,omitempty"` // active members (lists only)
}

// GroupInput creates or edits a group.
type GroupInput struct {
	Kind    string
	Name    string
	Sort    int
	Version int
}

func (in *GroupInput) validate() error {
	trim(&in.Kind, &in.Name)
	fs := required(nil, "name", in.Name, "kind", in.Kind)
	if in.Kind != "" && !validCode(GroupKinds, in.Kind) {
		fs = append(fs, apperr.Field("kind", "err.org.choice_invalid"))
	}
	return fieldsErr(fs)
}

// CreateGroup adds a group (staff, admins).
func (s *Service) CreateGroup(ctx context.Context, actor *auth.Actor, committeeID int64, in GroupInput) (Group, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.EditOrg, committeeID); err != nil {
		return Group{}, err
	}
	if err := in.validate(); err != nil {
		return Group{}, err
	}
	g := Group{CommitteeID: committeeID, Kind: in.Kind, Name: in.Name, Sort: in.Sort, Version: 1}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO org_groups (committee_id, kind, name, sort) VALUES ($1,$2,$3,$4) RETURNING id`,
			committeeID, g.Kind, g.Name, g.Sort).Scan(&g.ID)
		if isUniqueViolation(err) {
			return apperr.Fields(apperr.Field("name", "err.org.name_taken"))
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, committeeID, "create", "group", g.ID, nil, g)
	})
	return g, err
}

// UpdateGroup edits a group (optimistic locking on Version).
func (s *Service) UpdateGroup(ctx context.Context, actor *auth.Actor, committeeID, id int64, in GroupInput) (Group, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.EditOrg, committeeID); err != nil {
		return Group{}, err
	}
	if err := in.validate(); err != nil {
		return Group{}, err
	}
	var after Group
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var before Group
		err := tx.QueryRowContext(ctx, `SELECT id, committee_id, kind, name, sort, version FROM org_groups WHERE id=$1 AND committee_id=$2`, id, committeeID).
			Scan(&before.ID, &before.CommitteeID, &before.Kind, &before.Name, &before.Sort, &before.Version)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.ErrNotFound
		}
		if err != nil {
			return err
		}
		err = db.ExecVersioned(ctx, tx, `UPDATE org_groups SET kind=$1, name=$2, sort=$3, version=version+1 WHERE id=$4 AND committee_id=$5 AND version=$6`,
			in.Kind, in.Name, in.Sort, id, committeeID, in.Version)
		if isUniqueViolation(err) {
			return apperr.Fields(apperr.Field("name", "err.org.name_taken"))
		}
		if err != nil {
			return err
		}
		after = Group{ID: id, CommitteeID: committeeID, Kind: in.Kind, Name: in.Name, Sort: in.Sort, Version: before.Version + 1}
		return audit.Record(ctx, tx, actor, committeeID, "update", "group", id, before, after)
	})
	return after, err
}

// Groups lists a committee's groups by kind and order, with active member counts of the current term.
func (s *Service) Groups(ctx context.Context, actor *auth.Actor, committeeID int64) ([]Group, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.ViewOrg, committeeID); err != nil {
		return nil, err
	}
	return listGroups(ctx, s.DB, committeeID)
}

func listGroups(ctx context.Context, q db.Querier, committeeID int64) ([]Group, error) {
	return db.Query(ctx, q, func(sc db.Scanner) (Group, error) {
		var g Group
		err := sc.Scan(&g.ID, &g.CommitteeID, &g.Kind, &g.Name, &g.Sort, &g.Version, &g.Members)
		return g, err
	}, `SELECT g.id, g.committee_id, g.kind, g.name, g.sort, g.version,
		(SELECT COUNT(*) FROM membership_groups mg JOIN memberships m ON m.id = mg.membership_id
		  WHERE mg.committee_id = g.committee_id AND mg.group_id = g.id AND m.status = 'active'
		    AND m.term_id = `+currentTermSQL("g.committee_id")+`)
		FROM org_groups g WHERE g.committee_id = $1 ORDER BY g.kind, g.sort, g.id`, committeeID)
}
