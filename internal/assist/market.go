package assist

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// 爱心超市 (a site's supermarket project): households earn points for good
// conduct (clean courtyards, children at school, …) and exchange them for
// donated goods. Officers run it: items with a price in points and a stock,
// restocking, earning, redemption. A household's balance is the sum of its
// moves; a redemption never takes it below zero nor the stock below zero.

// MarketItem is a good on the supermarket's shelf.
type MarketItem struct {
	ID        int64  `json:"id"`
	ProjectID int64  `json:"project_id"`
	Name      string `json:"name"`
	Points    int    `json:"points"`
	Stock     int    `json:"stock"`
	Version   int    `json:"version"`
}

// MarketMove is one earning or redemption.
type MarketMove struct {
	ID          int64      `json:"id"`
	HouseholdID int64      `json:"household_id"`
	Kind        string     `json:"kind"` // earn, redeem
	Points      int        `json:"points"`
	ItemID      int64      `json:"item_id,omitempty"`
	Quantity    int        `json:"quantity,omitempty"`
	Reason      string     `json:"reason"`
	MovedOn     civil.Date `json:"moved_on"`
}

// MarketAccount is a household's points at one supermarket.
type MarketAccount struct {
	ProjectID   int64        `json:"project_id"`
	HouseholdID int64        `json:"household_id"`
	Balance     int          `json:"balance"`
	Moves       []MarketMove `json:"moves"`
}

// supermarket checks that project is a supermarket of the actor's committee
// and the actor an officer there.
func supermarket(ctx context.Context, q db.Querier, actor *auth.Actor, projectID int64) error {
	if _, err := auth.CheckScope(ctx, q, actor, PermManage, actor.CommitteeID); err != nil {
		return err
	}
	var kind string
	err := q.QueryRowContext(ctx, `SELECT kind FROM assist_site_projects WHERE id = $1 AND committee_id = $2`, projectID, actor.CommitteeID).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.ErrNotFound
	}
	if err != nil {
		return err
	}
	if kind != "supermarket" {
		return apperr.New(apperr.Conflict, "err.assist.not_supermarket")
	}
	return nil
}

// AddMarketItem puts a donated good on the shelf with its price and stock.
func (s *Service) AddMarketItem(ctx context.Context, actor *auth.Actor, projectID int64, it MarketItem) (MarketItem, error) {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := supermarket(ctx, tx, actor, projectID); err != nil {
			return err
		}
		it.Name, it.ProjectID = strings.TrimSpace(it.Name), projectID
		var fe []apperr.FieldError
		if it.Name == "" {
			fe = append(fe, apperr.Field("name", "err.assist.required"))
		}
		if it.Points <= 0 || it.Points > 1000000 {
			fe = append(fe, apperr.Field("points", "err.form.out_of_range"))
		}
		if it.Stock < 0 || it.Stock > 1000000 {
			fe = append(fe, apperr.Field("stock", "err.form.out_of_range"))
		}
		if len(fe) > 0 {
			return apperr.Fields(fe...)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM assist_market_items WHERE project_id = $1 AND name = $2`, projectID, it.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.Fields(apperr.Field("name", "err.assist.item_exists"))
		}
		it.Version = 1
		if err := tx.QueryRowContext(ctx, `INSERT INTO assist_market_items (committee_id, project_id, name, points, stock, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$6) RETURNING id`, actor.CommitteeID, projectID, it.Name, it.Points, it.Stock, db.Now()).Scan(&it.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "create", "assist_market_item", it.ID, nil, it)
	})
	return it, err
}

// Restock adds donated units of an item.
func (s *Service) Restock(ctx context.Context, actor *auth.Actor, itemID int64, quantity int) (MarketItem, error) {
	var out MarketItem
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		it, err := loadItem(ctx, tx, itemID, actor.CommitteeID)
		if err != nil {
			return err
		}
		if err := supermarket(ctx, tx, actor, it.ProjectID); err != nil {
			return err
		}
		if quantity <= 0 || quantity > 1000000 {
			return apperr.Fields(apperr.Field("quantity", "err.form.out_of_range"))
		}
		if err := db.ExecVersioned(ctx, tx, `UPDATE assist_market_items SET stock = stock + $1, updated_at = $2, version = version + 1
			WHERE id = $3 AND version = $4`, quantity, db.Now(), itemID, it.Version); err != nil {
			return err
		}
		if out, err = loadItem(ctx, tx, itemID, actor.CommitteeID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "restock", "assist_market_item", itemID, it, out)
	})
	return out, err
}

func loadItem(ctx context.Context, q db.Querier, id, cid int64) (MarketItem, error) {
	var it MarketItem
	err := q.QueryRowContext(ctx, `SELECT id, project_id, name, points, stock, version FROM assist_market_items WHERE id = $1 AND committee_id = $2`,
		id, cid).Scan(&it.ID, &it.ProjectID, &it.Name, &it.Points, &it.Stock, &it.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return it, apperr.ErrNotFound
	}
	return it, err
}

// EarnPoints credits a household with points for a reason.
func (s *Service) EarnPoints(ctx context.Context, actor *auth.Actor, projectID, householdID int64, points int, reason string, on civil.Date) (MarketAccount, error) {
	return s.move(ctx, actor, projectID, householdID, func(tx *sql.Tx, balance int) (MarketMove, error) {
		reason = strings.TrimSpace(reason)
		var fe []apperr.FieldError
		if points <= 0 || points > 100000 {
			fe = append(fe, apperr.Field("points", "err.form.out_of_range"))
		}
		if reason == "" {
			fe = append(fe, apperr.Field("reason", "err.assist.required"))
		}
		if on.IsZero() || s.today().Before(on) {
			fe = append(fe, apperr.Field("moved_on", "err.assist.date"))
		}
		if len(fe) > 0 {
			return MarketMove{}, apperr.Fields(fe...)
		}
		return MarketMove{Kind: "earn", Points: points, Reason: reason, MovedOn: on}, nil
	})
}

// Redeem exchanges a household's points for quantity units of an item:
// refused when the balance or the stock is short.
func (s *Service) Redeem(ctx context.Context, actor *auth.Actor, projectID, householdID, itemID int64, quantity int, on civil.Date) (MarketAccount, error) {
	return s.move(ctx, actor, projectID, householdID, func(tx *sql.Tx, balance int) (MarketMove, error) {
		it, err := loadItem(ctx, tx, itemID, actor.CommitteeID)
		if err != nil || it.ProjectID != projectID {
			return MarketMove{}, apperr.Fields(apperr.Field("item", "err.form.bad_choice"))
		}
		if quantity <= 0 || quantity > 1000 {
			return MarketMove{}, apperr.Fields(apperr.Field("quantity", "err.form.out_of_range"))
		}
		if on.IsZero() || s.today().Before(on) {
			return MarketMove{}, apperr.Fields(apperr.Field("moved_on", "err.assist.date"))
		}
		cost := it.Points * quantity
		if cost > balance {
			return MarketMove{}, apperr.New(apperr.Conflict, "err.assist.points_short", map[string]any{"Balance": balance, "Cost": cost})
		}
		if quantity > it.Stock {
			return MarketMove{}, apperr.New(apperr.Conflict, "err.assist.stock_short", map[string]any{"Stock": it.Stock})
		}
		if err := db.ExecVersioned(ctx, tx, `UPDATE assist_market_items SET stock = stock - $1, updated_at = $2, version = version + 1
			WHERE id = $3 AND version = $4`, quantity, db.Now(), itemID, it.Version); err != nil {
			return MarketMove{}, err
		}
		return MarketMove{Kind: "redeem", Points: cost, ItemID: itemID, Quantity: quantity, Reason: it.Name, MovedOn: on}, nil
	})
}

// move runs one earning or redemption: checks, the household's current
// balance, the move itself, its audit; and returns the account after it.
func (s *Service) move(ctx context.Context, actor *auth.Actor, projectID, householdID int64, decide func(tx *sql.Tx, balance int) (MarketMove, error)) (MarketAccount, error) {
	var out MarketAccount
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := supermarket(ctx, tx, actor, projectID); err != nil {
			return err
		}
		h, err := s.householdFor(ctx, tx, actor, "", householdID)
		if err != nil {
			return err
		}
		if h.CommitteeID != actor.CommitteeID {
			return apperr.ErrNotFound
		}
		// Lock the household so two moves of one account cannot both spend the same balance.
		var locked int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM assist_households WHERE id = $1`+s.DB.ForUpdate(), householdID).Scan(&locked); err != nil {
			return err
		}
		before, err := marketAccount(ctx, tx, projectID, householdID)
		if err != nil {
			return err
		}
		m, err := decide(tx, before.Balance)
		if err != nil {
			return err
		}
		var item any
		if m.ItemID != 0 {
			item = m.ItemID
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO assist_market_moves (committee_id, project_id, household_id, kind, points, item_id,
			quantity, reason, moved_on, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`,
			actor.CommitteeID, projectID, householdID, m.Kind, m.Points, item, m.Quantity, m.Reason, m.MovedOn, userRef(actor), db.Now()).Scan(&m.ID); err != nil {
			return err
		}
		if out, err = marketAccount(ctx, tx, projectID, householdID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, m.Kind, "assist_market_move", m.ID, map[string]any{"balance": before.Balance},
			map[string]any{"move": m, "balance": out.Balance})
	})
	return out, err
}

// Account returns a household's points and moves at a supermarket (officers).
func (s *Service) Account(ctx context.Context, actor *auth.Actor, projectID, householdID int64) (MarketAccount, error) {
	var out MarketAccount
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if err := supermarket(ctx, tx, actor, projectID); err != nil {
			return err
		}
		if _, err := s.householdFor(ctx, tx, actor, "", householdID); err != nil {
			return err
		}
		var err error
		out, err = marketAccount(ctx, tx, projectID, householdID)
		return err
	})
	return out, err
}

func marketAccount(ctx context.Context, q db.Querier, projectID, householdID int64) (MarketAccount, error) {
	a := MarketAccount{ProjectID: projectID, HouseholdID: householdID}
	ms, err := db.Query(ctx, q, func(sc db.Scanner) (MarketMove, error) {
		var m MarketMove
		return m, sc.Scan(&m.ID, &m.HouseholdID, &m.Kind, &m.Points, &m.ItemID, &m.Quantity, &m.Reason, &m.MovedOn)
	}, `SELECT id, household_id, kind, points, COALESCE(item_id, 0), quantity, reason, moved_on FROM assist_market_moves
		WHERE project_id = $1 AND household_id = $2 ORDER BY moved_on, id`, projectID, householdID)
	for _, m := range ms {
		if m.Kind == "earn" {
			a.Balance += m.Points
		} else {
			a.Balance -= m.Points
		}
	}
	a.Moves = ms
	return a, err
}
