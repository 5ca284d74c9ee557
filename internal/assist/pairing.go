package assist

import (
	"context"
	"database/sql"
	"errors"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Pairing is a member paired with a household (结对).
type Pairing struct {
	ID           int64        `json:"id"`
	CommitteeID  int64        `json:"committee_id"`
	HouseholdID  int64        `json:"household_id"`
	RegistryID   string       `json:"registry_id"`
	HeadName     string       `json:"head_name"`
	MembershipID int64        `json:"membership_id"`
	MemberName   string       `json:"member_name"`
	NeedID       int64        `json:"need_id,omitempty"`
	State        PairingState `json:"state"`
	Fit          int          `json:"fit"`
	StartsOn     civil.Date   `json:"starts_on"`
	Version      int          `json:"version"`
}

const pairingCols = `pr.id, pr.committee_id, pr.household_id, h.registry_id, h.head_name, pr.membership_id, p.name,
	COALESCE(pr.need_id, 0), pr.state, pr.fit, pr.starts_on, pr.version`

const pairingFrom = ` FROM assist_pairings pr JOIN assist_households h ON h.id = pr.household_id
	JOIN memberships m ON m.id = pr.membership_id JOIN people p ON p.id = m.person_id`

func scanPairing(sc db.Scanner) (Pairing, error) {
	var p Pairing
	err := sc.Scan(&p.ID, &p.CommitteeID, &p.HouseholdID, &p.RegistryID, &p.HeadName, &p.MembershipID, &p.MemberName,
		&p.NeedID, &p.State, &p.Fit, &p.StartsOn, &p.Version)
	return p, err
}

func loadPairing(ctx context.Context, q db.Querier, id int64) (Pairing, error) {
	p, err := scanPairing(q.QueryRowContext(ctx, `SELECT `+pairingCols+pairingFrom+` WHERE pr.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, apperr.ErrNotFound
	}
	return p, err
}

// ConfirmMatch is an officer confirming (or changing, by naming another
// member) a suggested match: the need becomes MATCHED and the member is
// paired with its household (an existing active pairing is kept).
func (s *Service) ConfirmMatch(ctx context.Context, actor *auth.Actor, needID int64, version int, membershipID int64, fit int) (Pairing, error) {
	var out Pairing
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		n, h, err := s.needFor(ctx, tx, actor, needID)
		if err != nil {
			return err
		}
		if version != 0 && version != n.Version {
			return apperr.ErrConflict
		}
		if err := s.decideNeed(ctx, tx, actor, h, n.State, NeedMatch); err != nil {
			return err
		}
		if err := checkServing(ctx, tx, h.CommitteeID, membershipID); err != nil {
			return err
		}
		if err := db.ExecVersioned(ctx, tx, `UPDATE assist_needs SET state = 'MATCHED', updated_at = $1, version = version + 1
			WHERE id = $2 AND version = $3`, db.Now(), n.ID, n.Version); err != nil {
			return err
		}
		after, err := loadNeed(ctx, tx, n.ID)
		if err != nil {
			return err
		}
		if err := s.afterNeed(ctx, tx, actor, "match", n, after); err != nil {
			return err
		}
		out, err = s.pair(ctx, tx, actor, h, membershipID, n.ID, fit)
		return err
	})
	return out, err
}

// Pair pairs a member with a household directly (without a need).
func (s *Service) Pair(ctx context.Context, actor *auth.Actor, householdID, membershipID int64) (Pairing, error) {
	var out Pairing
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		h, err := s.householdFor(ctx, tx, actor, "", householdID)
		if err != nil {
			return err
		}
		if err := checkServing(ctx, tx, h.CommitteeID, membershipID); err != nil {
			return err
		}
		out, err = s.pair(ctx, tx, actor, h, membershipID, 0, 0)
		return err
	})
	return out, err
}

// pair creates the pairing through the table (NEW → confirm → ACTIVE), or
// returns the member's live pairing with the household.
func (s *Service) pair(ctx context.Context, tx *sql.Tx, actor *auth.Actor, h Household, membershipID, needID int64, fit int) (Pairing, error) {
	if h.CommitteeID != actor.CommitteeID {
		return Pairing{}, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	to, ok := NextPairing(PairNew, PairConfirm, roleRelations(actor, h.CommitteeID))
	if !ok {
		return Pairing{}, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM assist_pairings WHERE committee_id = $1 AND household_id = $2 AND membership_id = $3
		AND state <> 'ENDED'`, h.CommitteeID, h.ID, membershipID).Scan(&id)
	if err == nil {
		return loadPairing(ctx, tx, id)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return Pairing{}, err
	}
	var need any
	if needID != 0 {
		need = needID
	}
	now := db.Now()
	if err := tx.QueryRowContext(ctx, `INSERT INTO assist_pairings (committee_id, household_id, membership_id, need_id, state, fit,
		starts_on, confirmed_by, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9) RETURNING id`,
		h.CommitteeID, h.ID, membershipID, need, to, fit, s.today(), userRef(actor), now).Scan(&id); err != nil {
		return Pairing{}, err
	}
	p, err := loadPairing(ctx, tx, id)
	if err != nil {
		return p, err
	}
	return p, audit.Record(ctx, tx, actor, h.CommitteeID, "create", "assist_pairing", id, nil, p)
}

// checkServing refuses a membership that is not a serving member of the committee's current term.
func checkServing(ctx context.Context, q db.Querier, cid, membershipID int64) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships m WHERE m.id = $1 AND m.committee_id = $2
		AND `+servingSQL("m"), membershipID, cid).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return apperr.Fields(apperr.Field("member", "err.assist.member_unknown"))
	}
	return nil
}

// servingSQL is true for a membership of a serving member: active, in the
// committee's current (newest) term. It is the denominator of participation.
func servingSQL(m string) string {
	return m + `.status = 'active' AND ` + m + `.term_id = (SELECT t.id FROM terms t WHERE t.committee_id = ` + m +
		`.committee_id ORDER BY t.number DESC LIMIT 1)`
}

// PairingStep suspends, resumes or ends a pairing (officers).
func (s *Service) PairingStep(ctx context.Context, actor *auth.Actor, id int64, version int, a PairingAction) (Pairing, error) {
	var out Pairing
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := loadPairing(ctx, tx, id)
		if err != nil {
			return err
		}
		h, err := s.householdFor(ctx, tx, actor, "", p.HouseholdID)
		if err != nil {
			return err
		}
		if version != 0 && version != p.Version {
			return apperr.ErrConflict
		}
		if h.CommitteeID != actor.CommitteeID {
			return apperr.New(apperr.Forbidden, "err.forbidden")
		}
		rels, err := relationsTo(ctx, tx, actor, h)
		if err != nil {
			return err
		}
		to, ok := NextPairing(p.State, a, rels)
		if !ok {
			for _, st := range AllPairingStates {
				if _, ever := NextPairing(st, a, rels); ever {
					return apperr.New(apperr.Conflict, "err.assist.state", map[string]any{"State": string(p.State)})
				}
			}
			return apperr.New(apperr.Forbidden, "err.forbidden")
		}
		ends := ""
		if to == PairEnded {
			ends = s.today().String()
		}
		if err := db.ExecVersioned(ctx, tx, `UPDATE assist_pairings SET state = $1, ends_on = $2, updated_at = $3, version = version + 1
			WHERE id = $4 AND version = $5`, to, ends, db.Now(), id, p.Version); err != nil {
			return err
		}
		if out, err = loadPairing(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, h.CommitteeID, string(a), "assist_pairing", id, p, out)
	})
	return out, err
}

// ListPairings lists the pairings of the households the actor may read
// (householdID 0: all of them), live ones first.
func (s *Service) ListPairings(ctx context.Context, actor *auth.Actor, householdID int64) ([]Pairing, error) {
	if actor == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	var out []Pairing
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		var a db.Args
		where := householdSQL(a.Add, actor) + ` AND pr.committee_id = ` + a.Add(actor.CommitteeID)
		if householdID != 0 {
			where += ` AND pr.household_id = ` + a.Add(householdID)
		}
		var err error
		out, err = db.Query(ctx, tx, scanPairing, `SELECT `+pairingCols+pairingFrom+` WHERE `+where+
			` ORDER BY CASE pr.state WHEN 'ENDED' THEN 1 ELSE 0 END, pr.id`, a...)
		return err
	})
	return out, err
}
