package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"lvzhi/internal/apperr"
	"lvzhi/internal/db"
	"lvzhi/internal/org"
)

func init() {
	commands["committee"] = command{"committee create|list: set up committees from the command line (the first one of a new installation)", runCommittee}
}

const committeeUsage = `usage:
  lvzhi committee create --code CODE --name NAME --level national|province|prefecture|county [--parent CODE]
  lvzhi committee list [--parent CODE]
A new installation starts with "committee create" (no --parent) and then
"lvzhi user create --committee CODE --role admin" for its first administrator.`

// runCommittee creates committees: without --parent the root of the tree (an
// installation step nobody could otherwise do, since every web page needs a
// login in a committee), with --parent a committee below an existing one.
func runCommittee(ctx context.Context, args []string) error {
	var (
		c                         config
		code, name, level, parent string
	)
	sub := ""
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	fs := newFlags(strings.TrimSpace("committee "+sub), commands["committee"].summary)
	c.bind(fs)
	fs.StringVar(&code, "code", "", "short unique code of the committee, e.g. yn-qj-fuyuan (create)")
	fs.StringVar(&name, "name", "", "name, e.g. 富源县政协 (create)")
	fs.StringVar(&level, "level", "", "level: "+strings.Join(org.Levels, ", ")+" (create)")
	fs.StringVar(&parent, "parent", "", "code of the committee above it; empty for the top of the tree (create), or whose children to list (list)")
	if isHelp(sub) {
		fs.Usage()
		fmt.Fprintln(fs.Output(), committeeUsage)
		return flag.ErrHelp
	}
	if !slices.Contains([]string{"create", "list"}, sub) {
		return fmt.Errorf("unknown or missing subcommand %q\n%s", sub, committeeUsage)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(fs.Output(), committeeUsage)
		}
		return err
	}
	d, err := c.open(ctx, true)
	if err != nil {
		return err
	}
	defer d.Close()
	s := org.NewService(d)
	if sub == "list" {
		return listCommittees(ctx, d, s, parent)
	}
	in := org.CommitteeInput{Code: code, Name: name, Level: level}
	var made org.Committee
	if parent == "" {
		made, err = s.CreateRootCommittee(ctx, in)
	} else {
		var p org.Committee
		if p, err = org.CommitteeByCode(ctx, d, parent); errors.Is(err, apperr.ErrNotFound) {
			return fmt.Errorf("no committee with code %q", parent)
		} else if err != nil {
			return err
		}
		a := cliActor(p.ID)
		a.CommitteePath = p.Path
		made, err = s.CreateCommittee(ctx, a, p.ID, in)
	}
	if err != nil {
		return explain(err)
	}
	fmt.Printf("created committee %s (%s, %s, id %d)\n", made.Code, made.Name, made.Level, made.ID)
	return nil
}

// listCommittees prints the top of the tree, or the children of parent.
func listCommittees(ctx context.Context, d *db.DB, s *org.Service, parent string) error {
	var cs []org.Committee
	if parent == "" {
		var err error
		if cs, err = org.RootCommittees(ctx, d); err != nil {
			return err
		}
	} else {
		p, err := org.CommitteeByCode(ctx, d, parent)
		if errors.Is(err, apperr.ErrNotFound) {
			return fmt.Errorf("no committee with code %q", parent)
		} else if err != nil {
			return err
		}
		a := cliActor(p.ID)
		a.CommitteePath = p.Path
		if cs, err = s.Children(ctx, a, p.ID); err != nil {
			return err
		}
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCODE\tLEVEL\tNAME")
	for _, c := range cs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", c.ID, c.Code, c.Level, c.Name)
	}
	return tw.Flush()
}
