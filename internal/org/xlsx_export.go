package org

import (
	"context"
	"database/sql"
	"io"
	"strings"

	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/i18n"
	"lvzhi/internal/sheet"
)

// ExportMembers writes the committee's members matching f (all pages) as .xlsx
// to w, with the template's columns and headings in lang, streaming rows.
// ID numbers are masked. The export is audited (personal data leaving the system).
func (s *Service) ExportMembers(ctx context.Context, actor *auth.Actor, committeeID int64, f MemberFilter, lang string, w io.Writer) (int, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.ViewOrg, committeeID); err != nil {
		return 0, err
	}
	if f.TermID == 0 {
		if t, err := currentTerm(ctx, s.DB, committeeID); err == nil {
			f.TermID = t.ID
		}
	}
	sh, err := sheet.New(i18n.T(lang, "org.sheet.members"), exportColumns(lang, memberColumns))
	if err != nil {
		return 0, err
	}
	defer sh.Close()
	n := 0
	f.PerPage = 500
	for f.Page = 1; ; f.Page++ {
		page, err := listMembers(ctx, s.DB, committeeID, f)
		if err != nil {
			return n, err
		}
		for _, m := range page.Members {
			n++
			if err := sh.Row(memberCells(lang, ForReader(actor, m))...); err != nil {
				return n, err
			}
		}
		if !page.HasNext {
			break
		}
	}
	return n, s.finishExport(ctx, actor, committeeID, "members", n, sh, w)
}

func memberCells(lang string, m Member) []any {
	positions := make([]string, len(m.Positions))
	for i, p := range m.Positions {
		positions[i] = Label(lang, "position", p)
	}
	groups := make([]string, len(m.Groups))
	for i, g := range m.Groups {
		groups[i] = g.Name
		if g.Role != "" && g.Role != "member" {
			groups[i] += "（" + Label(lang, "group_role", g.Role) + "）"
		}
	}
	return []any{m.Name, Label(lang, "gender", m.Gender), m.IDMasked, m.BirthDate, m.Ethnicity, m.Phone, m.Email,
		m.Employer, m.JobTitle, m.SectorName, Label(lang, "affiliation", m.Affiliation), strings.Join(positions, "、"),
		yesNo(lang, m.Standing), strings.Join(groups, "、"), Label(lang, "status", m.Status), m.Skills, m.Resources, m.JoinedOn}
}

func yesNo(lang string, b bool) string {
	if b {
		return i18n.T(lang, "org.yes")
	}
	return i18n.T(lang, "org.no")
}

// ExportUnits writes the committee's units matching f as .xlsx to w.
func (s *Service) ExportUnits(ctx context.Context, actor *auth.Actor, committeeID int64, f UnitFilter, lang string, w io.Writer) (int, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.ViewOrg, committeeID); err != nil {
		return 0, err
	}
	units, err := listUnits(ctx, s.DB, committeeID, f)
	if err != nil {
		return 0, err
	}
	sh, err := sheet.New(i18n.T(lang, "org.sheet.units"), exportColumns(lang, unitColumns))
	if err != nil {
		return 0, err
	}
	defer sh.Close()
	for i, u := range units {
		row := []any{u.Name, Label(lang, "unit_kind", u.Kind), u.ContactName, u.ContactPhone, yesNo(lang, u.Active)}
		if err := sh.Row(row...); err != nil {
			return i, err
		}
	}
	return len(units), s.finishExport(ctx, actor, committeeID, "units", len(units), sh, w)
}

// exportColumns are the export's columns: the template's headings and widths;
// dates are date cells, everything else text (ID numbers and phones keep
// their digits as text).
func exportColumns(lang string, cols []column) []sheet.Column {
	out := make([]sheet.Column, len(cols))
	for i, c := range cols {
		out[i] = sheet.Column{Head: i18n.T(lang, "org.col."+c.key), Width: c.width}
		if c.date {
			out[i].Kind = sheet.Date
		}
	}
	return out
}

// finishExport flushes the sheet, audits the export and writes the workbook.
func (s *Service) finishExport(ctx context.Context, actor *auth.Actor, committeeID int64, what string, n int, sh *sheet.Sheet, w io.Writer) error {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		return audit.Record(ctx, tx, actor, committeeID, "export", what, 0, nil, map[string]any{"rows": n})
	})
	if err != nil {
		return err
	}
	_, err = sh.WriteTo(w)
	return err
}
