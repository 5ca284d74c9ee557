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

// Pledge is what members pledged at a meeting (认捐), with what the verified
// records citing it delivered.
type Pledge struct {
	ID                 int64      `json:"id"`
	CommitteeID        int64      `json:"committee_id"`
	Meeting            string     `json:"meeting"`
	PledgedOn          civil.Date `json:"pledged_on"`
	DueOn              string     `json:"due_on"`
	AmountFen          int64      `json:"amount_fen"`
	Households         int        `json:"households"`
	Jobs               int        `json:"jobs"`
	IndustryHouseholds int        `json:"industry_households"`
	Notes              string     `json:"notes"`
	Members            int        `json:"members"`
	MembershipIDs      []int64    `json:"member_ids,omitempty"`
	Version            int        `json:"version"`
	Delivered          Delivered  `json:"delivered"`
}

// Delivered is the reconciliation of a pledge: the verified records citing it.
type Delivered struct {
	AmountFen          int64 `json:"amount_fen"` // cash plus goods' value
	Households         int   `json:"households"`
	Jobs               int   `json:"jobs"`
	IndustryHouseholds int   `json:"industry_households"`
}

// PledgeInput is a pledge as entered.
type PledgeInput struct {
	Meeting            string     `json:"meeting"`
	PledgedOn          civil.Date `json:"pledged_on"`
	DueOn              civil.Date `json:"due_on"`
	AmountFen          int64      `json:"amount_fen"`
	Households         int        `json:"households"`
	Jobs               int        `json:"jobs"`
	IndustryHouseholds int        `json:"industry_households"`
	Notes              string     `json:"notes"`
	MembershipIDs      []int64    `json:"member_ids,omitempty"`
}

// CreatePledge records a pledge made at a meeting (officers).
func (s *Service) CreatePledge(ctx context.Context, actor *auth.Actor, in PledgeInput) (Pledge, error) {
	var out Pledge
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermManage, actor.CommitteeID); err != nil {
			return err
		}
		in.Meeting, in.Notes = strings.TrimSpace(in.Meeting), strings.TrimSpace(in.Notes)
		var fe []apperr.FieldError
		if in.Meeting == "" {
			fe = append(fe, apperr.Field("meeting", "err.assist.required"))
		}
		if in.PledgedOn.IsZero() || s.today().Before(in.PledgedOn) {
			fe = append(fe, apperr.Field("pledged_on", "err.assist.date"))
		}
		if !in.DueOn.IsZero() && in.DueOn.Before(in.PledgedOn) {
			fe = append(fe, apperr.Field("due_on", "err.assist.date"))
		}
		if in.AmountFen < 0 || in.Households < 0 || in.Jobs < 0 || in.IndustryHouseholds < 0 {
			fe = append(fe, apperr.Field("amount", "err.form.out_of_range"))
		}
		if len(in.MembershipIDs) == 0 {
			fe = append(fe, apperr.Field("members", "err.assist.required"))
		}
		if len(fe) > 0 {
			return apperr.Fields(fe...)
		}
		for _, m := range in.MembershipIDs {
			if err := checkServing(ctx, tx, actor.CommitteeID, m); err != nil {
				return err
			}
		}
		due := ""
		if !in.DueOn.IsZero() {
			due = in.DueOn.String()
		}
		now := db.Now()
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO assist_pledges (committee_id, meeting, pledged_on, due_on, amount_fen, households,
			jobs, industry_households, notes, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$10) RETURNING id`,
			actor.CommitteeID, in.Meeting, in.PledgedOn, due, in.AmountFen, in.Households, in.Jobs, in.IndustryHouseholds, in.Notes, now).Scan(&id); err != nil {
			return err
		}
		seen := map[int64]bool{}
		for _, m := range in.MembershipIDs {
			if seen[m] {
				continue
			}
			seen[m] = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO assist_pledge_members (committee_id, pledge_id, membership_id) VALUES ($1,$2,$3)`,
				actor.CommitteeID, id, m); err != nil {
				return err
			}
		}
		ps, err := listPledges(ctx, tx, actor.CommitteeID, id)
		if err != nil {
			return err
		}
		out = ps[0]
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "create", "assist_pledge", id, nil, out)
	})
	return out, err
}

// ListPledges lists a committee's pledges with their reconciliation (readers of the programme).
func (s *Service) ListPledges(ctx context.Context, actor *auth.Actor, committeeID int64) ([]Pledge, error) {
	var out []Pledge
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermView, committeeID); err != nil {
			return err
		}
		var err error
		out, err = listPledges(ctx, tx, committeeID, 0)
		return err
	})
	return out, err
}

func listPledges(ctx context.Context, q db.Querier, cid, only int64) ([]Pledge, error) {
	var a db.Args
	where := `p.committee_id = ` + a.Add(cid)
	if only != 0 {
		where += ` AND p.id = ` + a.Add(only)
	}
	verified := `FROM assist_records r WHERE r.pledge_id = p.id AND r.verified_at IS NOT NULL`
	return db.Query(ctx, q, func(sc db.Scanner) (Pledge, error) {
		var p Pledge
		err := sc.Scan(&p.ID, &p.CommitteeID, &p.Meeting, &p.PledgedOn, &p.DueOn, &p.AmountFen, &p.Households, &p.Jobs,
			&p.IndustryHouseholds, &p.Notes, &p.Version, &p.Members, &p.Delivered.AmountFen, &p.Delivered.Households,
			&p.Delivered.Jobs, &p.Delivered.IndustryHouseholds)
		return p, err
	}, `SELECT p.id, p.committee_id, p.meeting, p.pledged_on, p.due_on, p.amount_fen, p.households, p.jobs, p.industry_households,
		p.notes, p.version,
		(SELECT COUNT(*) FROM assist_pledge_members pm WHERE pm.pledge_id = p.id),
		(SELECT COALESCE(SUM(r.amount_fen + r.goods_value_fen), 0) `+verified+`),
		(SELECT COUNT(DISTINCT r.household_id) `+verified+`),
		(SELECT COALESCE(SUM(r.jobs), 0) `+verified+`),
		(SELECT COUNT(DISTINCT r.household_id) `+verified+` AND r.kind = 'industry')
		FROM assist_pledges p WHERE `+where+` ORDER BY p.pledged_on DESC, p.id DESC`, a...)
}
