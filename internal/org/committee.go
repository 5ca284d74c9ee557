package org

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// Committee is one CPPCC committee (a tenant) in the tree.
type Committee struct {
	ID        int64     `json:"id"`
	ParentID  int64     `json:"parent_id,omitempty"`
	Level     string    `json:"level" codes:"level"` // national, province, prefecture, county
	Name      string    `json:"name"`
	Code      string    `json:"code"` // short unique code, e.g. "yn-qj-fuyuan"
	Path      string    `json:"path"` // materialised path "/1/4/27/"
	CreatedAt time.Time `json:"created_at"`
}

// CommitteeInput is what creating a committee needs.
type CommitteeInput struct {
	Level string
	Name  string
	Code  string
}

const committeeCols = `id, COALESCE(parent_id, 0), level, name, code, path, created_at`

func scanCommittee(sc interface{ Scan(...any) error }) (Committee, error) {
	var c Committee
	var at db.Time
	err := sc.Scan(&c.ID, &c.ParentID, &c.Level, &c.Name, &c.Code, &c.Path, &at)
	c.CreatedAt = at.Time
	return c, err
}

func (in *CommitteeInput) validate() error {
	trim(&in.Level, &in.Name, &in.Code)
	fs := required(nil, "name", in.Name, "code", in.Code, "level", in.Level)
	if in.Level != "" && levelRank(in.Level) < 0 {
		fs = append(fs, apperr.Field("level", "err.org.level_invalid"))
	}
	if in.Code != "" && strings.ContainsAny(in.Code, " /\t\n") {
		fs = append(fs, apperr.Field("code", "err.org.code_invalid"))
	}
	return fieldsErr(fs)
}

// CreateRootCommittee creates a committee without a parent: the top of a deployment
// (the national committee, or a county committee running alone). It is an
// installation step (CLI, seeding), so it takes no actor and is audited as "system".
func (s *Service) CreateRootCommittee(ctx context.Context, in CommitteeInput) (Committee, error) {
	if err := in.validate(); err != nil {
		return Committee{}, err
	}
	return s.insertCommittee(ctx, nil, in, Committee{})
}

// CreateCommittee creates a child of parentID. The actor must manage the parent
// committee itself (admin of it); the child's level must be below the parent's.
func (s *Service) CreateCommittee(ctx context.Context, actor *auth.Actor, parentID int64, in CommitteeInput) (Committee, error) {
	parent, err := s.Committee(ctx, actor, parentID)
	if err != nil {
		return Committee{}, err
	}
	if err := auth.Authorize(actor, auth.ManageCommittee, auth.Scope{ID: parent.ID, Path: parent.Path}); err != nil {
		return Committee{}, err
	}
	if err := in.validate(); err != nil {
		return Committee{}, err
	}
	if levelRank(in.Level) <= levelRank(parent.Level) {
		return Committee{}, apperr.Fields(apperr.Field("level", "err.org.level_below_parent"))
	}
	return s.insertCommittee(ctx, actor, in, parent)
}

func (s *Service) insertCommittee(ctx context.Context, actor *auth.Actor, in CommitteeInput, parent Committee) (Committee, error) {
	c := Committee{ParentID: parent.ID, Level: in.Level, Name: in.Name, Code: in.Code, CreatedAt: db.Now()}
	var parentID any
	if parent.ID != 0 {
		parentID = parent.ID
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO committees (parent_id, level, name, code, path, created_at)
			VALUES ($1, $2, $3, $4, '', $5) RETURNING id`, parentID, c.Level, c.Name, c.Code, c.CreatedAt).Scan(&c.ID)
		if isUniqueViolation(err) {
			return apperr.Fields(apperr.Field("code", "err.org.code_taken"))
		}
		if err != nil {
			return err
		}
		c.Path = parent.Path + strconv.FormatInt(c.ID, 10) + "/"
		if parent.ID == 0 {
			c.Path = "/" + strconv.FormatInt(c.ID, 10) + "/"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE committees SET path = $1 WHERE id = $2`, c.Path, c.ID); err != nil {
			return err
		}
		chain := parent.ID
		if chain == 0 {
			chain, actor = c.ID, auth.System(c.ID)
		}
		return audit.Record(ctx, tx, actor, chain, "create", "committee", c.ID, nil, c)
	})
	return c, err
}

// Committee returns a committee the actor may see: its own, or one in its subtree.
func (s *Service) Committee(ctx context.Context, actor *auth.Actor, id int64) (Committee, error) {
	if actor == nil {
		return Committee{}, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	c, err := scanCommittee(s.DB.QueryRowContext(ctx, `SELECT `+committeeCols+` FROM committees WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, apperr.ErrNotFound
	}
	if err != nil {
		return c, err
	}
	if !auth.Sees(actor, auth.Scope{ID: c.ID, Path: c.Path}) {
		return Committee{}, apperr.ErrNotFound
	}
	return c, nil
}

// CommitteeByCode finds a committee by its code, without an actor: for the CLI,
// which runs as the system in the committee it names.
func CommitteeByCode(ctx context.Context, q db.Querier, code string) (Committee, error) {
	c, err := scanCommittee(q.QueryRowContext(ctx, `SELECT `+committeeCols+` FROM committees WHERE code = $1`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return c, apperr.ErrNotFound
	}
	return c, err
}

// RootCommittees returns the committees at the top of the tree (no parent), by
// code, without an actor: for the CLI, which lists them to a system operator.
func RootCommittees(ctx context.Context, q db.Querier) ([]Committee, error) {
	return db.Query(ctx, q, scanCommittee, `SELECT `+committeeCols+` FROM committees WHERE parent_id IS NULL ORDER BY code`)
}

// Children returns the direct children of a committee the actor may see, by name.
func (s *Service) Children(ctx context.Context, actor *auth.Actor, id int64) ([]Committee, error) {
	c, err := s.Committee(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	return db.Query(ctx, s.DB, scanCommittee, `SELECT `+committeeCols+` FROM committees WHERE parent_id = $1 ORDER BY code`, c.ID)
}

// SubtreeIDs returns the ids of the committee and every committee below it,
// for roll-ups (the actor must be able to read the committee).
func (s *Service) SubtreeIDs(ctx context.Context, actor *auth.Actor, id int64) ([]int64, error) {
	c, err := s.Committee(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := auth.Authorize(actor, auth.ViewOrg, auth.Scope{ID: c.ID, Path: c.Path}); err != nil {
		return nil, err
	}
	var a db.Args
	return db.Column[int64](ctx, s.DB, `SELECT id FROM committees WHERE `+db.Under("path", a.Add, c.Path)+` ORDER BY path`, a...)
}
