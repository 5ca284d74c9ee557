package assist

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/changes"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Need is a household's need (帮扶需求) collected by an officer.
type Need struct {
	ID              int64      `json:"id"`
	CommitteeID     int64      `json:"committee_id"`
	HouseholdID     int64      `json:"household_id"`
	RegistryID      string     `json:"registry_id"`
	HeadName        string     `json:"head_name"`
	Township        string     `json:"township"`
	Village         string     `json:"village"`
	Kind            string     `json:"kind"`
	Description     string     `json:"description"`
	AmountFen       int64      `json:"amount_fen"`
	Urgency         int        `json:"urgency"` // 1 low, 2 normal, 3 urgent
	CollectedByName string     `json:"collected_by_name"`
	CollectedOn     civil.Date `json:"collected_on"`
	State           NeedState  `json:"state"`
	Version         int        `json:"version"`
	// Can lists the need actions the reader may take now (GetNeed only),
	// from the same table the use cases check.
	Can []NeedAction `json:"can,omitempty"`
}

// NeedInput is a need as entered.
type NeedInput struct {
	HouseholdID int64      `json:"household_id"`
	Kind        string     `json:"kind"`
	Description string     `json:"description"`
	AmountFen   int64      `json:"amount_fen"`
	Urgency     int        `json:"urgency"`
	CollectedOn civil.Date `json:"collected_on"`
}

const needCols = `n.id, n.committee_id, n.household_id, h.registry_id, h.head_name, v.township, v.name, n.kind, n.description,
	n.amount_fen, n.urgency, n.collected_by_name, n.collected_on, n.state, n.version`

const needFrom = ` FROM assist_needs n JOIN assist_households h ON h.id = n.household_id JOIN assist_villages v ON v.id = h.village_id`

func scanNeed(sc db.Scanner) (Need, error) {
	var n Need
	err := sc.Scan(&n.ID, &n.CommitteeID, &n.HouseholdID, &n.RegistryID, &n.HeadName, &n.Township, &n.Village, &n.Kind,
		&n.Description, &n.AmountFen, &n.Urgency, &n.CollectedByName, &n.CollectedOn, &n.State, &n.Version)
	return n, err
}

func (in *NeedInput) validate(today civil.Date) error {
	in.Description = strings.TrimSpace(in.Description)
	var fe []apperr.FieldError
	if !slices.Contains(NeedKinds, in.Kind) {
		fe = append(fe, apperr.Field("kind", "err.form.bad_choice"))
	}
	if in.Description == "" {
		fe = append(fe, apperr.Field("description", "err.assist.required"))
	} else if len([]rune(in.Description)) > 2000 {
		fe = append(fe, apperr.Field("description", "err.assist.too_long"))
	}
	if in.AmountFen < 0 {
		fe = append(fe, apperr.Field("amount", "err.form.out_of_range"))
	}
	if in.Urgency == 0 {
		in.Urgency = 2
	}
	if in.Urgency < 1 || in.Urgency > 3 {
		fe = append(fe, apperr.Field("urgency", "err.form.bad_choice"))
	}
	if in.CollectedOn.IsZero() {
		in.CollectedOn = today
	} else if today.Before(in.CollectedOn) {
		fe = append(fe, apperr.Field("collected_on", "err.assist.date"))
	}
	if len(fe) > 0 {
		return apperr.Fields(fe...)
	}
	return nil
}

// CreateNeed records a household's need, collected by the actor (an officer).
func (s *Service) CreateNeed(ctx context.Context, actor *auth.Actor, in NeedInput) (Need, error) {
	var out Need
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		h, err := s.householdFor(ctx, tx, actor, "", in.HouseholdID)
		if err != nil {
			return err
		}
		if err := s.decideNeed(ctx, tx, actor, h, NeedNew, NeedCreate); err != nil {
			return err
		}
		if err := in.validate(s.today()); err != nil {
			return err
		}
		now := db.Now()
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO assist_needs (committee_id, household_id, kind, description, amount_fen, urgency,
			collected_by, collected_by_name, collected_on, state, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'OPEN',$10,$10)
			RETURNING id`, h.CommitteeID, h.ID, in.Kind, in.Description, in.AmountFen, in.Urgency, userRef(actor), actor.Name,
			in.CollectedOn, now).Scan(&id); err != nil {
			return err
		}
		if out, err = loadNeed(ctx, tx, id); err != nil {
			return err
		}
		return s.afterNeed(ctx, tx, actor, "create", nil, out)
	})
	return out, err
}

// decideNeed checks the need table for the actor's relations to household h:
// never allowed → Forbidden; not in this state → Conflict.
func (s *Service) decideNeed(ctx context.Context, q db.Querier, actor *auth.Actor, h Household, from NeedState, a NeedAction) error {
	if h.CommitteeID != actor.CommitteeID {
		return apperr.New(apperr.Forbidden, "err.forbidden") // a higher committee reads, never acts
	}
	rels, err := relationsTo(ctx, q, actor, h)
	if err != nil {
		return err
	}
	if _, ok := NextNeed(from, a, rels); ok {
		return nil
	}
	for _, st := range AllNeedStates {
		if _, ok := NextNeed(st, a, rels); ok {
			return apperr.New(apperr.Conflict, "err.assist.state", map[string]any{"State": string(from)})
		}
	}
	return apperr.New(apperr.Forbidden, "err.forbidden")
}

// relationsTo is the actor's relations to a household of its own committee.
func relationsTo(ctx context.Context, q db.Querier, actor *auth.Actor, h Household) ([]Relation, error) {
	rels := roleRelations(actor, h.CommitteeID)
	paired, err := pairedWith(ctx, q, actor, h.ID)
	if paired {
		rels = append(rels, RelPaired)
	}
	return rels, err
}

func (s *Service) afterNeed(ctx context.Context, tx *sql.Tx, actor *auth.Actor, action string, before any, after Need) error {
	if err := audit.Record(ctx, tx, actor, after.CommitteeID, action, "assist_need", after.ID, before, after); err != nil {
		return err
	}
	return changes.Mark(ctx, tx, after.CommitteeID, "assist_need", after.ID)
}

func loadNeed(ctx context.Context, q db.Querier, id int64) (Need, error) {
	n, err := scanNeed(q.QueryRowContext(ctx, `SELECT `+needCols+needFrom+` WHERE n.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return n, apperr.ErrNotFound
	}
	return n, err
}

// NeedStep moves a need along the table (edit, unmatch, start, meet, close,
// reopen; match goes through ConfirmMatch). version 0 skips the stale check.
func (s *Service) NeedStep(ctx context.Context, actor *auth.Actor, id int64, version int, a NeedAction) (Need, error) {
	if a == NeedCreate || a == NeedMatch || a == NeedEdit {
		return Need{}, apperr.New(apperr.Invalid, "err.assist.bad_action")
	}
	var out Need
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.stepNeed(ctx, tx, actor, id, version, a)
		return err
	})
	return out, err
}

// stepNeed runs one need action inside tx: load, see, decide, write, audit.
func (s *Service) stepNeed(ctx context.Context, tx *sql.Tx, actor *auth.Actor, id int64, version int, a NeedAction) (Need, error) {
	n, h, err := s.needFor(ctx, tx, actor, id)
	if err != nil {
		return n, err
	}
	if version != 0 && version != n.Version {
		return n, apperr.ErrConflict
	}
	if err := s.decideNeed(ctx, tx, actor, h, n.State, a); err != nil {
		return n, err
	}
	to, _ := NextNeed(n.State, a, append(roleRelations(actor, h.CommitteeID), RelPaired, RelSystem))
	if err := db.ExecVersioned(ctx, tx, `UPDATE assist_needs SET state = $1, updated_at = $2, version = version + 1
		WHERE id = $3 AND version = $4`, to, db.Now(), n.ID, n.Version); err != nil {
		return n, err
	}
	after, err := loadNeed(ctx, tx, id)
	if err != nil {
		return n, err
	}
	return after, s.afterNeed(ctx, tx, actor, string(a), n, after)
}

// needFor loads a need whose household the actor may read.
func (s *Service) needFor(ctx context.Context, q db.Querier, actor *auth.Actor, id int64) (Need, Household, error) {
	n, err := loadNeed(ctx, q, id)
	if err != nil {
		return n, Household{}, err
	}
	h, err := s.householdFor(ctx, q, actor, "", n.HouseholdID)
	return n, h, err
}

// UpdateNeed edits a need's description, amount, urgency and kind.
func (s *Service) UpdateNeed(ctx context.Context, actor *auth.Actor, id int64, version int, in NeedInput) (Need, error) {
	var out Need
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		n, h, err := s.needFor(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := s.decideNeed(ctx, tx, actor, h, n.State, NeedEdit); err != nil {
			return err
		}
		in.CollectedOn = n.CollectedOn
		if err := in.validate(s.today()); err != nil {
			return err
		}
		if err := db.ExecVersioned(ctx, tx, `UPDATE assist_needs SET kind = $1, description = $2, amount_fen = $3, urgency = $4,
			updated_at = $5, version = version + 1 WHERE id = $6 AND version = $7`, in.Kind, in.Description, in.AmountFen, in.Urgency,
			db.Now(), id, version); err != nil {
			return err
		}
		if out, err = loadNeed(ctx, tx, id); err != nil {
			return err
		}
		return s.afterNeed(ctx, tx, actor, "edit", n, out)
	})
	return out, err
}

// GetNeed returns a need whose household the actor may read, with the
// actions the reader may take now (Can).
func (s *Service) GetNeed(ctx context.Context, actor *auth.Actor, id int64) (Need, error) {
	var out Need
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		n, h, err := s.needFor(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		out = n
		if h.CommitteeID != actor.CommitteeID {
			return nil
		}
		rels, err := relationsTo(ctx, tx, actor, h)
		if err != nil {
			return err
		}
		for _, a := range AllNeedActions {
			if _, ok := NextNeed(n.State, a, rels); ok && a != NeedCreate {
				out.Can = append(out.Can, a)
			}
		}
		return nil
	})
	return out, err
}

// NeedFilter selects needs: Offset and Limit pick the page (Limit 0 is 200,
// at most 5000).
type NeedFilter struct {
	State       NeedState
	Kind        string
	HouseholdID int64
	Offset      int
	Limit       int
}

// ListNeeds lists a page of the needs of the households the actor may read,
// in its committee, with the number the filter selects (read in the same
// transaction, so the pager and the total agree).
func (s *Service) ListNeeds(ctx context.Context, actor *auth.Actor, f NeedFilter) ([]Need, int, error) {
	if actor == nil {
		return nil, 0, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	var out []Need
	var total int
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		var a db.Args
		where := needWhere(&a, actor, f)
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*)`+needFrom+` WHERE `+where, a...).Scan(&total); err != nil {
			return err
		}
		var err error
		out, err = listNeeds(ctx, tx, actor, f)
		return err
	})
	return out, total, err
}

// needWhere is the condition selecting the needs of f the actor may read.
func needWhere(a *db.Args, actor *auth.Actor, f NeedFilter) string {
	where := householdSQL(a.Add, actor) + ` AND n.committee_id = ` + a.Add(actor.CommitteeID)
	if f.State != "" {
		where += ` AND n.state = ` + a.Add(string(f.State))
	}
	if f.Kind != "" {
		where += ` AND n.kind = ` + a.Add(f.Kind)
	}
	if f.HouseholdID != 0 {
		where += ` AND n.household_id = ` + a.Add(f.HouseholdID)
	}
	return where
}

func listNeeds(ctx context.Context, q db.Querier, actor *auth.Actor, f NeedFilter) ([]Need, error) {
	var a db.Args
	where := needWhere(&a, actor, f)
	limit := f.Limit
	if limit <= 0 || limit > 5000 {
		limit = 200
	}
	return db.Query(ctx, q, scanNeed, `SELECT `+needCols+needFrom+` WHERE `+where+
		` ORDER BY n.urgency DESC, n.collected_on, n.id LIMIT `+a.Add(limit)+` OFFSET `+a.Add(max(f.Offset, 0)), a...)
}
