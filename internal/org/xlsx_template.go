package org

import (
	"context"
	"strconv"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/auth"
	"lvzhi/internal/i18n"
)

// templateRows is how many rows the template formats and validates.
const templateRows = 2000

// MemberTemplate returns the member import template in lang: the header row,
// an example row (skipped on import), drop-downs of the committee's own
// sectors and the code lists, text-formatted ID/phone/date columns, and a notes sheet.
func (s *Service) MemberTemplate(ctx context.Context, actor *auth.Actor, committeeID int64, lang string) ([]byte, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.ImportOrg, committeeID); err != nil {
		return nil, err
	}
	r, err := loadRefs(ctx, s.DB, committeeID)
	if err != nil {
		return nil, err
	}
	sectors := r.sectorNames()
	example := map[string]string{
		"name": i18n.T(lang, "org.example.member_name"), "gender": Label(lang, "gender", GenderMale),
		"id_number": "53032519800101123" + string(IDCheckChar("53032519800101123")), "birth_date": "1980-01-01",
		"ethnicity": i18n.T(lang, "org.example.ethnicity"), "phone": "13800000000", "email": "zhangsan@example.com",
		"employer": i18n.T(lang, "org.example.employer"), "job_title": i18n.T(lang, "org.example.job_title"),
		"sector": first(sectors, i18n.T(lang, "org.example.sector")), "affiliation": Label(lang, "affiliation", "cpc"),
		"positions": Label(lang, "position", "vice_chair"), "standing": i18n.T(lang, "org.yes"),
		"groups": i18n.T(lang, "org.example.groups"), "status": Label(lang, "status", "active"),
		"skills": i18n.T(lang, "org.example.skills"), "resources": i18n.T(lang, "org.example.resources"), "joined_on": "2017-01-01",
	}
	lists := map[string][]string{"sector": sectors}
	return buildTemplate(lang, "org.sheet.members", memberColumns, example, lists, "org.notes.members")
}

// UnitTemplate returns the handling-unit import template in lang.
func (s *Service) UnitTemplate(ctx context.Context, actor *auth.Actor, committeeID int64, lang string) ([]byte, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.ImportOrg, committeeID); err != nil {
		return nil, err
	}
	example := map[string]string{
		"unit_name": i18n.T(lang, "org.example.unit_name"), "unit_kind": Label(lang, "unit_kind", "government"),
		"contact_name": i18n.T(lang, "org.example.contact_name"), "contact_phone": "0874-4612345", "active": i18n.T(lang, "org.yes"),
	}
	return buildTemplate(lang, "org.sheet.units", unitColumns, example, nil, "org.notes.units")
}

func first(xs []string, def string) string {
	if len(xs) > 0 {
		return xs[0]
	}
	return def
}

// codeLabels returns the labels in lang of a code list, for drop-downs.
func codeLabels(lang, prefix string, codes []string) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = Label(lang, prefix, c)
	}
	return out
}

func buildTemplate(lang, sheetKey string, cols []column, example map[string]string, lists map[string][]string, notesKey string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := i18n.T(lang, sheetKey)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	styles, err := templateStyles(f)
	if err != nil {
		return nil, err
	}
	listSheet := "lists"
	if _, err := f.NewSheet(listSheet); err != nil {
		return nil, err
	}
	listCol := 0
	for i, c := range cols {
		name := colName(i)
		if err := f.SetCellValue(sheet, cellName(i, 1), c.header(lang)); err != nil {
			return nil, err
		}
		st := styles.header
		if c.required {
			st = styles.required
		}
		_ = f.SetCellStyle(sheet, cellName(i, 1), cellName(i, 1), st)
		_ = f.SetColWidth(sheet, name, name, c.width)
		if c.text {
			_ = f.SetCellStyle(sheet, cellName(i, 2), cellName(i, templateRows), styles.text)
		}
		_ = f.SetCellValue(sheet, cellName(i, 2), example[c.key])
		values := dropValues(lang, c.list, lists)
		if len(values) == 0 {
			continue
		}
		// Drop-down sources live on a hidden sheet: inline lists are capped at 255 characters.
		for j, v := range values {
			_ = f.SetCellValue(listSheet, cellName(listCol, j+1), v)
		}
		dv := excelize.NewDataValidation(true)
		dv.Sqref = cellName(i, 2) + ":" + cellName(i, templateRows)
		dv.SetSqrefDropList("'" + listSheet + "'!$" + colName(listCol) + "$1:$" + colName(listCol) + "$" + strconv.Itoa(len(values)))
		dv.SetError(excelize.DataValidationErrorStyleWarning, i18n.T(lang, "org.import.pick_title"), i18n.T(lang, "org.import.pick_body"))
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return nil, err
		}
		listCol++
	}
	_ = f.SetCellStyle(sheet, "A2", cellName(len(cols)-1, 2), styles.example)
	_ = f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	_ = f.SetSheetVisible(listSheet, false)
	if err := notesSheet(f, lang, cols, notesKey, styles); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	return workbookBytes(f)
}

func dropValues(lang, list string, lists map[string][]string) []string {
	switch list {
	case "":
		return nil
	case "yesno":
		return []string{i18n.T(lang, "org.yes"), i18n.T(lang, "org.no")}
	case "gender":
		return codeLabels(lang, list, Genders)
	case "affiliation":
		return codeLabels(lang, list, Affiliations)
	case "status":
		return codeLabels(lang, list, Statuses)
	case "unit_kind":
		return codeLabels(lang, list, UnitKinds)
	}
	return lists[list]
}

type sheetStyles struct{ header, required, example, text, wrap int }

func templateStyles(f *excelize.File) (sheetStyles, error) {
	var st sheetStyles
	var err error
	fill := excelize.Fill{Type: "pattern", Color: []string{"F3EFE9"}, Pattern: 1}
	if st.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: fill}); err != nil {
		return st, err
	}
	if st.required, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "B71C1C"}, Fill: fill}); err != nil {
		return st, err
	}
	if st.example, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "888888"}, NumFmt: 49}); err != nil {
		return st, err
	}
	if st.text, err = f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil { // 49 = "@" (text)
		return st, err
	}
	st.wrap, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	return st, err
}

// notesSheet explains every column and the import rules.
func notesSheet(f *excelize.File, lang string, cols []column, notesKey string, st sheetStyles) error {
	sheet := i18n.T(lang, "org.sheet.notes")
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	_ = f.SetColWidth(sheet, "A", "A", 18)
	_ = f.SetColWidth(sheet, "B", "B", 10)
	_ = f.SetColWidth(sheet, "C", "C", 80)
	row := 1
	for _, line := range splitLines(i18n.T(lang, notesKey)) {
		_ = f.SetCellValue(sheet, cellName(0, row), line)
		row++
	}
	row++
	for i, h := range []string{"org.notes.col", "org.notes.required", "org.notes.explain"} {
		_ = f.SetCellValue(sheet, cellName(i, row), i18n.T(lang, h))
		_ = f.SetCellStyle(sheet, cellName(i, row), cellName(i, row), st.header)
	}
	for _, c := range cols {
		row++
		req := i18n.T(lang, "org.no")
		if c.required {
			req = i18n.T(lang, "org.yes")
		}
		_ = f.SetCellValue(sheet, cellName(0, row), c.header(lang))
		_ = f.SetCellValue(sheet, cellName(1, row), req)
		_ = f.SetCellValue(sheet, cellName(2, row), i18n.T(lang, "org.help."+c.key))
		_ = f.SetCellStyle(sheet, cellName(2, row), cellName(2, row), st.wrap)
	}
	return nil
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
