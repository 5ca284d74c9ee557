package org

import (
	"context"
	"database/sql"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/i18n"
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
	x := excelize.NewFile()
	defer x.Close()
	sheet := i18n.T(lang, "org.sheet.members")
	_ = x.SetSheetName("Sheet1", sheet)
	sw, err := startSheet(x, sheet, lang, memberColumns)
	if err != nil {
		return 0, err
	}
	n := 0
	f.PerPage = 500
	for f.Page = 1; ; f.Page++ {
		page, err := listMembers(ctx, s.DB, committeeID, f)
		if err != nil {
			return n, err
		}
		for _, m := range page.Members {
			n++
			if err := sw.SetRow(cellName(0, n+1), memberCells(lang, ForReader(actor, m))); err != nil {
				return n, err
			}
		}
		if !page.HasNext {
			break
		}
	}
	return n, s.finishExport(ctx, actor, committeeID, "members", n, x, sw, w)
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
	x := excelize.NewFile()
	defer x.Close()
	sheet := i18n.T(lang, "org.sheet.units")
	_ = x.SetSheetName("Sheet1", sheet)
	sw, err := startSheet(x, sheet, lang, unitColumns)
	if err != nil {
		return 0, err
	}
	for i, u := range units {
		row := []any{u.Name, Label(lang, "unit_kind", u.Kind), u.ContactName, u.ContactPhone, yesNo(lang, u.Active)}
		if err := sw.SetRow(cellName(0, i+2), row); err != nil {
			return i, err
		}
	}
	return len(units), s.finishExport(ctx, actor, committeeID, "units", len(units), x, sw, w)
}

// startSheet opens a stream writer with column widths and the heading row.
func startSheet(x *excelize.File, sheet, lang string, cols []column) (*excelize.StreamWriter, error) {
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"F3EFE9"}, Pattern: 1}})
	if err != nil {
		return nil, err
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return nil, err
		}
		header[i] = excelize.Cell{StyleID: bold, Value: i18n.T(lang, "org.col."+c.key)}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	return sw, sw.SetRow("A1", header)
}

// finishExport flushes the sheet, audits the export and writes the workbook.
func (s *Service) finishExport(ctx context.Context, actor *auth.Actor, committeeID int64, what string, n int, x *excelize.File, sw *excelize.StreamWriter, w io.Writer) error {
	if err := sw.Flush(); err != nil {
		return err
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		return audit.Record(ctx, tx, actor, committeeID, "export", what, 0, nil, map[string]any{"rows": n})
	})
	if err != nil {
		return err
	}
	return x.Write(w)
}
