package duty

import (
	"context"
	"database/sql"
	"fmt"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/changes"
	"lvzhi/internal/db"
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

// Totals is the outcome of a recompute of many committees: the sums of their
// reports, and the committees whose ledger differed. The reports themselves
// are not kept, so its size does not grow with the postings.
type Totals struct {
	Year       int     `json:"year"`
	Committees int     `json:"committees"`
	Events     int     `json:"events"`
	Reversed   int     `json:"reversed"`
	Missing    int     `json:"missing"`
	Differing  []int64 `json:"differing"` // committees whose ledger differed (repaired with repair)
	// MaxEvents is the most postings one committee's records earn: what one
	// step of the recompute holds in memory.
	MaxEvents int `json:"max_events"`
}

// RecomputeAll recomputes a year for the committee at path and every
// committee below it (the nation's, from the national committee), one
// committee per transaction: only one committee's records and ledger are in
// memory at a time, so memory is bounded by the largest committee, not by the
// nation. Each committee is recomputed as the actor actorFor gives for it and
// is refused as Recompute refuses it: duty is managed by each committee, not
// from above, so this is an operator's tool (the command's --all), not a
// page's. progress, if set, is called after each committee.
func (s *Service) RecomputeAll(ctx context.Context, path string, actorFor func(committeeID int64, path string) *auth.Actor,
	year int, repair bool, progress func(done, total int)) (*Totals, error) {
	type committee struct {
		id   int64
		path string
	}
	var a db.Args
	cs, err := db.Query(ctx, s.DB, func(sc db.Scanner) (committee, error) {
		var c committee
		err := sc.Scan(&c.id, &c.path)
		return c, err
	}, `SELECT id, path FROM committees WHERE `+db.Under("path", a.Add, path)+` ORDER BY id`, a...)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, apperr.ErrNotFound
	}
	t := &Totals{Year: year}
	for i, c := range cs {
		rep, err := s.Recompute(ctx, actorFor(c.id, c.path), c.id, year, repair)
		if err != nil {
			return t, fmt.Errorf("duty: recompute committee %d: %w", c.id, err)
		}
		t.Committees++
		t.Events += rep.Events
		t.MaxEvents = max(t.MaxEvents, rep.Events)
		t.Reversed += len(rep.Reversed)
		t.Missing += len(rep.Missing)
		if rep.Differs() {
			t.Differing = append(t.Differing, c.id)
		}
		if progress != nil {
			progress(i+1, len(cs))
		}
	}
	return t, nil
}
