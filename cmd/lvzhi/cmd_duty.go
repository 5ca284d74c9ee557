package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/duty"
	"lvzhi/internal/org"
)

func init() {
	commands["duty"] = command{"duty recompute: check a committee's year of duty scores against the records", runDuty}
}

const dutyUsage = `usage:
  lvzhi duty recompute --committee ID|CODE --year YEAR [--repair] [--all]
Recomputes the year's score ledger from the records (proposals, attendance, …)
and prints every difference from the ledger; there should be none. With
--repair the ledger is brought in step (audited). With --all the committee and
every committee below it are recomputed one at a time (memory holds one
committee's records), printing totals and the committees that differed.
Exits non-zero when the ledger differed and was not repaired.`

// runDuty runs the duty area's maintenance subcommands.
func runDuty(ctx context.Context, args []string) error {
	var (
		c         config
		committee string
		year      int
		repair    bool
		all       bool
	)
	sub := ""
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	fs := newFlags("duty "+sub, commands["duty"].summary)
	c.bind(fs)
	fs.StringVar(&committee, "committee", "", "the committee: its id or code")
	fs.IntVar(&year, "year", 0, "the year to recompute")
	fs.BoolVar(&repair, "repair", false, "bring the ledger in step with the records")
	fs.BoolVar(&all, "all", false, "also every committee below the committee, one at a time")
	if isHelp(sub) {
		fs.Usage()
		fmt.Fprintln(fs.Output(), dutyUsage)
		return flag.ErrHelp
	}
	if sub != "recompute" {
		return fmt.Errorf("unknown or missing subcommand %q\n%s", sub, dutyUsage)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if committee == "" || year == 0 {
		return errors.New("--committee and --year are required")
	}
	d, err := c.open(ctx, true)
	if err != nil {
		return err
	}
	defer d.Close()
	cm, err := findCommittee(ctx, d, committee)
	if err != nil {
		return err
	}
	a := cliActor(cm.ID)
	a.CommitteePath = cm.Path
	if all {
		return recomputeAll(ctx, duty.NewService(d), cm, year, repair)
	}
	rep, err := duty.NewService(d).Recompute(ctx, a, cm.ID, year, repair)
	if err != nil {
		return explain(err)
	}
	printReport(cm, rep)
	if rep.Differs() && !rep.Repaired {
		return fmt.Errorf("the ledger differs from the records in %d postings (run with --repair)", len(rep.Reversed)+len(rep.Missing))
	}
	return nil
}

// recomputeAll recomputes a subtree's year and prints the totals.
func recomputeAll(ctx context.Context, s *duty.Service, cm org.Committee, year int, repair bool) error {
	start := time.Now()
	actorFor := func(id int64, path string) *auth.Actor {
		a := cliActor(id)
		a.CommitteePath = path
		return a
	}
	t, err := s.RecomputeAll(ctx, cm.Path, actorFor, year, repair, func(done, total int) {
		if done%200 == 0 || done == total {
			fmt.Fprintf(os.Stderr, "duty: %d/%d committees (%.1fs)\n", done, total, time.Since(start).Seconds())
		}
	})
	if err != nil {
		return explain(err)
	}
	fmt.Printf("%s (%s) and below, %d: %d committees, %d postings from the records (at most %d in one committee), "+
		"%d missing from the ledger, %d not supported by any record, %.1fs\n", cm.Name, cm.Code, year, t.Committees, t.Events,
		t.MaxEvents, t.Missing, t.Reversed, time.Since(start).Seconds())
	switch {
	case len(t.Differing) == 0:
		fmt.Println("every ledger agrees with the records")
	case repair:
		fmt.Printf("repaired %d committees: their ledgers now agree with the records\n", len(t.Differing))
	default:
		return fmt.Errorf("committees whose ledger differs from the records: %d (run with --repair)", len(t.Differing))
	}
	return nil
}

// findCommittee resolves an id or a code.
func findCommittee(ctx context.Context, d *db.DB, ref string) (org.Committee, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		cm, err := org.NewService(d).Committee(ctx, cliActor(id), id)
		if errors.Is(err, apperr.ErrNotFound) {
			return cm, fmt.Errorf("no committee with id %d", id)
		}
		return cm, err
	}
	cm, err := org.CommitteeByCode(ctx, d, ref)
	if errors.Is(err, apperr.ErrNotFound) {
		return cm, fmt.Errorf("no committee with code %q", ref)
	}
	return cm, err
}

func printReport(cm org.Committee, rep *duty.Report) {
	fmt.Printf("%s (%s) %d: %d postings from the records\n", cm.Name, cm.Code, rep.Year, rep.Events)
	for _, e := range rep.Reversed {
		fmt.Printf("  not supported by any record: entry %d member %d %s %s/%s %s points (%s %d)\n",
			e.ID, e.MembershipID, e.Date, e.Item, e.Variant, duty.FormatPoints(e.Points), e.Entity, e.SourceID)
	}
	for _, e := range rep.Missing {
		fmt.Printf("  missing from the ledger: member %d %s %s/%s %s points (%s %d)\n",
			e.MembershipID, e.Date, e.Item, e.Variant, duty.FormatPoints(e.Points), e.Entity, e.SourceID)
	}
	switch {
	case !rep.Differs():
		fmt.Println("the ledger agrees with the records")
	case rep.Repaired:
		fmt.Println("repaired: the ledger now agrees with the records")
	}
}
