package duty

import (
	"context"
	"database/sql"

	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/changes"
)

// Report is the outcome of a recompute: how the ledger of a committee's year
// differed from what the records say (there should be no difference), and
// whether the differences were repaired.
type Report struct {
	CommitteeID int64   `json:"committee_id"`
	Year        int     `json:"year"`
	Events      int     `json:"events"`   // postings the records earn
	Reversed    []Entry `json:"reversed"` // live postings no record supports
	Missing     []Entry `json:"missing"`  // postings the ledger lacked (ID 0 unless repaired)
	Repaired    bool    `json:"repaired"`
}

// Differs reports whether the ledger disagreed with the records.
func (r *Report) Differs() bool { return len(r.Reversed) > 0 || len(r.Missing) > 0 }

// Recompute recomputes a committee's year from the records and compares it
// with the ledger, after catching up with the change queue; with repair it
// also brings the ledger in step (audited, as it should never be needed).
func (s *Service) Recompute(ctx context.Context, actor *auth.Actor, committeeID int64, year int, repair bool) (*Report, error) {
	if _, err := changes.CatchUp(ctx, s.DB, committeeID); err != nil {
		return nil, err
	}
	rep := &Report{CommitteeID: committeeID, Year: year}
	run := s.DB.ReadTx
	if repair {
		run = s.DB.Tx
	}
	err := run(ctx, func(tx *sql.Tx) error {
		if err := checkScope(ctx, tx, actor, Manage, committeeID); err != nil {
			return err
		}
		d, err := compare(ctx, tx, committeeID, scope{year: year})
		if err != nil {
			return err
		}
		rep.Reversed = d.Reverse
		for _, p := range d.Post {
			rep.Missing = append(rep.Missing, p.entry())
		}
		rep.Events = d.Wanted
		if !repair || d.Empty() {
			return nil
		}
		if err := apply(ctx, tx, committeeID, d); err != nil {
			return err
		}
		rep.Repaired = true
		return audit.Record(ctx, tx, actor, committeeID, "repair", "duty_ledger", int64(year), nil, rep)
	})
	return rep, err
}

func (p posting) entry() Entry {
	return Entry{Year: p.Year, MembershipID: p.MembershipID, Date: p.Date, Category: p.Category, Item: p.Item,
		Variant: p.Variant, Quantity: p.Quantity, Shares: p.Shares, Points: p.Points, Entity: p.Entity,
		SourceID: p.SourceID, Kind: "post"}
}
