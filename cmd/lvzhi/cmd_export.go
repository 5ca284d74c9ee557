package main

import (
	"context"
	"fmt"
	"os"

	"lvzhi/internal/i18n"
	"lvzhi/internal/org"
)

func init() {
	commands["export"] = command{"export members|units --committee CODE OUT.xlsx (ID numbers masked)", runExport}
}

func runExport(ctx context.Context, args []string) error {
	f, kind, path, err := parseOrgFlags("export", args)
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
	s := org.NewService(d)
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	var n int
	if kind == "members" {
		var tid int64
		if tid, err = termID(ctx, s, a, f.term); err != nil {
			out.Close()
			os.Remove(path)
			return err
		}
		n, err = s.ExportMembers(ctx, a, a.CommitteeID, org.MemberFilter{TermID: tid}, a.Lang, out)
	} else {
		n, err = s.ExportUnits(ctx, a, a.CommitteeID, org.UnitFilter{}, a.Lang, out)
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return printAppErr(a.Lang, err)
	}
	fmt.Println(i18n.T(a.Lang, "org.export.done", map[string]any{"Count": n, "File": path}))
	return nil
}
