package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/i18n"
	"lvzhi/internal/org"
)

func init() {
	commands["import"] = command{"import members|units --committee CODE FILE.xlsx: all rows or nothing, every error listed", runImport}
}

// orgFlags are the flags import and export share.
type orgFlags struct {
	config
	committee string
	term      int
	lang      string
}

func parseOrgFlags(name string, args []string) (*orgFlags, string, string, error) {
	var f orgFlags
	fs := newFlags(name, commands[name].summary)
	f.bind(fs)
	fs.StringVar(&f.committee, "committee", "", "committee code (required)")
	fs.IntVar(&f.term, "term", 0, "term number (届), default the current term (members only)")
	fs.StringVar(&f.lang, "lang", "zh", "language of messages and headings: zh or en")
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintf(fs.Output(), "usage: lvzhi %s members|units --committee CODE [flags] FILE.xlsx\n\n", name)
		fs.Usage()
		return nil, "", "", flag.ErrHelp
	}
	if len(args) == 0 || (args[0] != "members" && args[0] != "units") {
		return nil, "", "", fmt.Errorf("usage: lvzhi %s members|units --committee CODE FILE.xlsx", name)
	}
	kind := args[0]
	if err := fs.Parse(args[1:]); err != nil {
		return nil, "", "", err
	}
	if f.committee == "" || fs.NArg() != 1 {
		return nil, "", "", fmt.Errorf("usage: lvzhi %s %s --committee CODE FILE.xlsx", name, kind)
	}
	return &f, kind, fs.Arg(0), nil
}

// systemActor acts as the system in the committee named by code.
func systemActor(ctx context.Context, d *db.DB, code, lang string) (*auth.Actor, error) {
	c, err := org.CommitteeByCode(ctx, d, code)
	if err != nil {
		return nil, fmt.Errorf("committee %q not found", code)
	}
	a := auth.System(c.ID)
	a.CommitteePath, a.Lang, a.Name = c.Path, i18n.Norm(lang), "system (cli)"
	return a, nil
}

// termID resolves a term number of the committee (0: current).
func termID(ctx context.Context, s *org.Service, a *auth.Actor, number int) (int64, error) {
	if number == 0 {
		return 0, nil
	}
	terms, err := s.Terms(ctx, a, a.CommitteeID)
	if err != nil {
		return 0, err
	}
	for _, t := range terms {
		if t.Number == number {
			return t.ID, nil
		}
	}
	return 0, fmt.Errorf("term %d not found", number)
}

func runImport(ctx context.Context, args []string) error {
	f, kind, path, err := parseOrgFlags("import", args)
	if err != nil {
		return err
	}
	d, err := f.open(ctx, true)
	if err != nil {
		return err
	}
	defer d.Close()
	a, err := systemActor(ctx, d, f.committee, f.lang)
	if err != nil {
		return err
	}
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	s := org.NewService(d)
	var res org.ImportResult
	if kind == "members" {
		tid, err := termID(ctx, s, a, f.term)
		if err != nil {
			return err
		}
		res, err = s.ImportMembers(ctx, a, a.CommitteeID, tid, file)
		if err != nil {
			return printAppErr(a.Lang, err)
		}
	} else if res, err = s.ImportUnits(ctx, a, a.CommitteeID, file); err != nil {
		return printAppErr(a.Lang, err)
	}
	fmt.Println(i18n.T(a.Lang, "org.import.done", map[string]any{"Rows": res.Rows, "Created": res.Created, "Updated": res.Updated, "Unchanged": res.Unchanged}))
	return nil
}

// printAppErr prints a translated application error with every field error,
// one per line, and returns an error so the command exits non-zero.
func printAppErr(lang string, err error) error {
	e := apperr.As(err)
	if e == nil || e.Code == apperr.Internal {
		return err
	}
	msg := i18n.T(lang, e.Key, e.Args)
	for _, fe := range e.Fields {
		line := ""
		if fe.Row > 0 {
			line = i18n.T(lang, "err.row", map[string]any{"Row": fe.Row}) + " "
		}
		if fe.Field != "" {
			line += fe.Field + ": "
		}
		fmt.Fprintln(os.Stderr, line+i18n.T(lang, fe.Key, fe.Args))
	}
	return fmt.Errorf("%s", msg)
}
