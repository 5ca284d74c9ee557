package assist

import (
	"context"
	"database/sql"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Village is a village of a township where the committee's households live.
type Village struct {
	ID       int64  `json:"id"`
	Township string `json:"township"`
	Name     string `json:"name"`
	Code     string `json:"code"`
}

// CreateVillage adds a village (township, name, optional region code).
func (s *Service) CreateVillage(ctx context.Context, actor *auth.Actor, township, name, code string) (Village, error) {
	v := Village{Township: strings.TrimSpace(township), Name: strings.TrimSpace(name), Code: strings.TrimSpace(code)}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermManage, actor.CommitteeID); err != nil {
			return err
		}
		var fe []apperr.FieldError
		if v.Township == "" {
			fe = append(fe, apperr.Field("township", "err.assist.required"))
		}
		if v.Name == "" {
			fe = append(fe, apperr.Field("name", "err.assist.required"))
		}
		if len(fe) > 0 {
			return apperr.Fields(fe...)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM assist_villages WHERE committee_id = $1 AND township = $2 AND name = $3`,
			actor.CommitteeID, v.Township, v.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.Fields(apperr.Field("name", "err.assist.village_exists"))
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO assist_villages (committee_id, township, name, code, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, actor.CommitteeID, v.Township, v.Name, v.Code, db.Now()).Scan(&v.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "create", "assist_village", v.ID, nil, v)
	})
	return v, err
}

// Villages lists the committee's villages by township.
func (s *Service) Villages(ctx context.Context, actor *auth.Actor, committeeID int64) ([]Village, error) {
	var out []Village
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermView, committeeID); err != nil {
			return err
		}
		var err error
		out, err = listVillages(ctx, tx, committeeID)
		return err
	})
	return out, err
}

func listVillages(ctx context.Context, q db.Querier, cid int64) ([]Village, error) {
	return db.Query(ctx, q, func(sc db.Scanner) (Village, error) {
		var v Village
		return v, sc.Scan(&v.ID, &v.Township, &v.Name, &v.Code)
	}, `SELECT id, township, name, code FROM assist_villages WHERE committee_id = $1 ORDER BY township, name`, cid)
}

// Snapshot is one dated check of 两不愁三保障 (+ safe water).
type Snapshot struct {
	ID        int64      `json:"id"`
	TakenOn   civil.Date `json:"taken_on"`
	Food      bool       `json:"food"`
	Clothing  bool       `json:"clothing"`
	Schooling bool       `json:"schooling"`
	Medical   bool       `json:"medical"`
	Housing   bool       `json:"housing"`
	Water     bool       `json:"water"`
	Notes     string     `json:"notes"`
}

// AddSnapshot records a dated 两不愁三保障 check of a household.
func (s *Service) AddSnapshot(ctx context.Context, actor *auth.Actor, householdID int64, sn Snapshot) (Snapshot, error) {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		h, err := s.householdFor(ctx, tx, actor, PermManage, householdID)
		if err != nil {
			return err
		}
		if sn.TakenOn.IsZero() || s.today().Before(sn.TakenOn) {
			return apperr.Fields(apperr.Field("taken_on", "err.assist.date"))
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM assist_snapshots WHERE household_id = $1 AND taken_on = $2`,
			householdID, sn.TakenOn).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.Fields(apperr.Field("taken_on", "err.assist.snapshot_exists"))
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO assist_snapshots (committee_id, household_id, taken_on, food, clothing,
			schooling, medical, housing, water, notes, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING id`,
			h.CommitteeID, householdID, sn.TakenOn, sn.Food, sn.Clothing, sn.Schooling, sn.Medical, sn.Housing, sn.Water,
			strings.TrimSpace(sn.Notes), userRef(actor), db.Now()).Scan(&sn.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, h.CommitteeID, "create", "assist_snapshot", sn.ID, nil, sn)
	})
	return sn, err
}

func listSnapshots(ctx context.Context, q db.Querier, hid int64) ([]Snapshot, error) {
	return db.Query(ctx, q, func(sc db.Scanner) (Snapshot, error) {
		var s Snapshot
		return s, sc.Scan(&s.ID, &s.TakenOn, &s.Food, &s.Clothing, &s.Schooling, &s.Medical, &s.Housing, &s.Water, &s.Notes)
	}, `SELECT id, taken_on, food, clothing, schooling, medical, housing, water, notes FROM assist_snapshots
		WHERE household_id = $1 ORDER BY taken_on DESC`, hid)
}

// userRef is the actor's user id for a REFERENCES users column (NULL for the system).
func userRef(a *auth.Actor) any {
	if a == nil || a.UserID == 0 {
		return nil
	}
	return a.UserID
}
