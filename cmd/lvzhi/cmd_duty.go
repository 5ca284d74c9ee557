package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"

	"lvzhi/internal/apperr"
	"lvzhi/internal/db"
	"lvzhi/internal/duty"
	"lvzhi/internal/org"
)

func init() {
	commands["duty"] = command{"duty recompute: check a committee's year of duty scores against the records", runDuty}
}

const dutyUsage = `usage:
  lvzhi duty recompute --committee ID|CODE --year YEAR [--repair]
Recomputes the year's score ledger from the records (proposals, attendance, …)
and prints every difference from the ledger; there should be none. With
--repair the ledger is brought in step (audited). Exits non-zero when the
ledger differed and was not repaired.`

// runDuty runs the duty area's maintenance subcommands.
func runDuty(ctx context.Context, args []string) error {
	var (
		c         config
		committee string
		year      int
		repair    bool
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
