package assist

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/changes"
	"lvzhi/internal/db"
)

// SeedData is a programme's records written at once by Seed (the demo and
// the generator): households by township and village, and what refers to
// them by index into Households.
type SeedData struct {
	Households []SeedHousehold
	Pairings   []SeedPairing
	Needs      []SeedNeed
	Records    []SeedRecord
	Pledges    []PledgeInput
	Offers     map[int64]OfferInput // by membership id
}

// SeedHousehold is a household and the township and village it lives in.
type SeedHousehold struct {
	Township, Village string
	In                HouseholdInput
}

// SeedPairing pairs a member with Households[Household].
type SeedPairing struct {
	Household    int
	MembershipID int64
}

// SeedNeed is a need of Households[Household] in a given state.
type SeedNeed struct {
	Household int
	In        NeedInput
	State     NeedState
}

// SeedRecord is an assistance record (Household -1: none), verified or not.
type SeedRecord struct {
	Household int
	In        RecordInput
	Verified  bool
	Imported  bool
}

// SeedResult counts what Seed wrote.
type SeedResult struct {
	Households, Pairings, Needs, Records, Pledges int
}

// Seed writes data into the actor's committee in one transaction, every
// input checked as the use cases check it, with one audit entry for the
// whole seed (entity "assist", action "seed") instead of one per row: it
// is the bulk path of the demo and the generator, not of users.
func (s *Service) Seed(ctx context.Context, actor *auth.Actor, data SeedData) (SeedResult, error) {
	var res SeedResult
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		cid := actor.CommitteeID
		if _, err := auth.CheckScope(ctx, tx, actor, PermImport, cid); err != nil {
			return err
		}
		hids, err := s.seedHouseholds(ctx, tx, cid, data.Households)
		if err != nil {
			return err
		}
		ref := func(i int) int64 {
			if i < 0 || i >= len(hids) {
				return 0
			}
			return hids[i]
		}
		now := db.Now()
		for _, p := range data.Pairings {
			if _, err := tx.ExecContext(ctx, `INSERT INTO assist_pairings (committee_id, household_id, membership_id, state, starts_on,
				confirmed_by, created_at, updated_at) VALUES ($1,$2,$3,'ACTIVE',$4,$5,$6,$6)`, cid, ref(p.Household), p.MembershipID,
				s.today(), userRef(actor), now); err != nil {
				return err
			}
		}
		for i, n := range data.Needs {
			n.In.HouseholdID = ref(n.Household)
			if err := n.In.validate(s.today()); err != nil {
				return fmt.Errorf("need %d: %w", i, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO assist_needs (committee_id, household_id, kind, description, amount_fen, urgency,
				collected_by, collected_by_name, collected_on, state, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$11)`,
				cid, n.In.HouseholdID, n.In.Kind, n.In.Description, n.In.AmountFen, n.In.Urgency, userRef(actor), actor.Name,
				n.In.CollectedOn, n.State, now); err != nil {
				return err
			}
		}
		for i, p := range data.Pledges {
			if _, err := s.seedPledge(ctx, tx, cid, p); err != nil {
				return fmt.Errorf("pledge %d: %w", i, err)
			}
		}
		for mid, o := range data.Offers {
			if _, err := tx.ExecContext(ctx, `INSERT INTO assist_offers (committee_id, membership_id, kinds, townships, capacity, notes,
				created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$7)`, cid, mid, strings.Join(o.Kinds, ","), strings.Join(o.Townships, ","),
				o.Capacity, o.Notes, now); err != nil {
				return err
			}
		}
		for i, r := range data.Records {
			r.In.HouseholdID = ref(r.Household)
			if err := r.In.validate(s.today()); err != nil {
				return fmt.Errorf("record %d: %w", i, err)
			}
			id, err := insertRecord(ctx, tx, actor, cid, r.In, r.Imported)
			if err != nil {
				return err
			}
			if r.Verified {
				if _, err := tx.ExecContext(ctx, `UPDATE assist_records SET verified_by = $1, verified_by_name = $2, verified_at = $3
					WHERE id = $4`, userRef(actor), actor.Name, now, id); err != nil {
					return err
				}
			}
			if err := changes.Mark(ctx, tx, cid, "assist_record", id); err != nil {
				return err
			}
		}
		res = SeedResult{Households: len(hids), Pairings: len(data.Pairings), Needs: len(data.Needs), Records: len(data.Records),
			Pledges: len(data.Pledges)}
		return audit.Record(ctx, tx, actor, cid, "seed", "assist", 0, nil, res)
	})
	return res, err
}

// seedHouseholds writes the villages and households (members sealed) and returns the households' ids.
func (s *Service) seedHouseholds(ctx context.Context, tx *sql.Tx, cid int64, hs []SeedHousehold) ([]int64, error) {
	villages := map[[2]string]int64{}
	vs, err := listVillages(ctx, tx, cid)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		villages[[2]string{v.Township, v.Name}] = v.ID
	}
	now := db.Now()
	ids := make([]int64, 0, len(hs))
	for i, h := range hs {
		k := [2]string{h.Township, h.Village}
		if villages[k] == 0 {
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO assist_villages (committee_id, township, name, created_at) VALUES ($1,$2,$3,$4)
				RETURNING id`, cid, h.Township, h.Village, now).Scan(&id); err != nil {
				return nil, err
			}
			villages[k] = id
		}
		in := h.In
		in.VillageID = villages[k]
		if fe := append(in.validate(), s.memberProblems(in.Members)...); len(fe) > 0 {
			return nil, fmt.Errorf("household %d: %w", i, apperr.Fields(fe...))
		}
		o1, o2 := "", ""
		if len(in.CauseOthers) > 0 {
			o1 = in.CauseOthers[0]
		}
		if len(in.CauseOthers) > 1 {
			o2 = in.CauseOthers[1]
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO assist_households (committee_id, registry_id, village_id, head_name, attribute,
			cause_main, cause_other1, cause_other2, income_fen, housing, status, lifted_year, gov_helper, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$14) RETURNING id`, cid, in.RegistryID, in.VillageID, in.HeadName,
			in.Attribute, in.CauseMain, o1, o2, in.IncomeFen, in.Housing, in.Status, in.LiftedYear, in.GovHelper, now).Scan(&id); err != nil {
			return nil, fmt.Errorf("household %d: %w", i, err)
		}
		if err := s.saveMembers(ctx, tx, cid, id, in.Members); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func (s *Service) seedPledge(ctx context.Context, tx *sql.Tx, cid int64, in PledgeInput) (int64, error) {
	due := ""
	if !in.DueOn.IsZero() {
		due = in.DueOn.String()
	}
	now := db.Now()
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO assist_pledges (committee_id, meeting, pledged_on, due_on, amount_fen, households, jobs,
		industry_households, notes, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$10) RETURNING id`,
		cid, in.Meeting, in.PledgedOn, due, in.AmountFen, in.Households, in.Jobs, in.IndustryHouseholds, in.Notes, now).Scan(&id); err != nil {
		return 0, err
	}
	for _, m := range in.MembershipIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO assist_pledge_members (committee_id, pledge_id, membership_id) VALUES ($1,$2,$3)`,
			cid, id, m); err != nil {
			return 0, err
		}
	}
	return id, nil
}
