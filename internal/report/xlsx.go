package report

import (
	"context"
	"fmt"
	"slices"

	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
	"lvzhi/internal/i18n"
	"lvzhi/internal/sheet"
)

// Workbook is the report's .xlsx: a first sheet of every figure it cites
// with its value, base, share and definition, then one sheet per figure
// listing the records it counts — live through the registry for a draft, the
// frozen records for a finalised report.
func (s *Service) Workbook(ctx context.Context, actor *auth.Actor, id int64, lang string) (*sheet.Sheet, *Document, error) {
	d, err := s.Document(ctx, actor, id, lang)
	if err != nil {
		return nil, nil, err
	}
	lists := make([]recordList, len(d.Values))
	for i, v := range d.Values { // collected first: a refusal is an error, not half a workbook
		if lists[i], err = s.recordList(ctx, actor, d, v); err != nil {
			return nil, nil, err
		}
	}
	t := func(key string) string { return i18n.T(lang, key) }
	sh, err := sheet.New(t("report.xlsx.figures"), []sheet.Column{
		{Head: t("report.xlsx.section"), Width: 24}, {Head: t("figures.col.figure"), Width: 30},
		{Head: t("figures.col.value"), Width: 12, Kind: sheet.Number}, {Head: t("figures.col.unit_of"), Width: 8},
		{Head: t("figures.col.den"), Width: 12, Kind: sheet.Number}, {Head: t("figures.col.share"), Width: 10, Kind: sheet.Percent},
		{Head: t("figures.col.definition"), Width: 60}, {Head: "id", Width: 28}, {Head: t("report.xlsx.records_sheet"), Width: 24}})
	if err != nil {
		return nil, nil, err
	}
	names := make([]string, len(d.Values))
	for i, v := range d.Values {
		names[i] = sheet.SheetName(fmt.Sprintf("%02d %s", i+1, v.Name(lang)))
		var den, share any
		if v.HasRate() {
			den = v.DenValue
			if r, ok := v.Rate(); ok {
				share = r
			}
		}
		if err := sh.Row(d.sectionOf(v.ID), v.Name(lang), amountOf(v), v.UnitName(lang), den, share, v.Definition(lang),
			v.ID, names[i]); err != nil {
			sh.Close()
			return nil, nil, err
		}
	}
	for i, l := range lists {
		if err := sh.Next(names[i], l.cols); err != nil {
			sh.Close()
			return nil, nil, err
		}
		for _, row := range l.rows {
			if err := sh.Row(row...); err != nil {
				sh.Close()
				return nil, nil, err
			}
		}
	}
	return sh, d, nil
}

// amountOf is a value as a spreadsheet number: fen as yuan.
func amountOf(v figure.Value) any {
	if v.Unit == "fen" {
		return float64(v.Value) / 100
	}
	return v.Value
}

// sectionOf is the title of the first section citing figure id ("" for a base).
func (d *Document) sectionOf(id string) string {
	for _, s := range d.Sections {
		if slices.Contains(s.Cites, id) {
			return s.Title
		}
	}
	return ""
}

// recordList is one figure's records as spreadsheet rows.
type recordList struct {
	cols []sheet.Column
	rows [][]any
}

func (s *Service) recordList(ctx context.Context, actor *auth.Actor, d *Document, v figure.Value) (recordList, error) {
	var l recordList
	head := func(cols []string) {
		for _, c := range cols {
			l.cols = append(l.cols, sheet.Column{Head: i18n.T(d.Lang, "figures.col."+c), Width: 16})
		}
		l.cols = append(l.cols, sheet.Column{Head: i18n.T(d.Lang, "report.xlsx.record_id"), Width: 10, Kind: sheet.Number})
	}
	if d.Frozen {
		_, cols, recs, err := s.FrozenRecords(ctx, actor, d.Report.ID, v.ID)
		if err != nil {
			return l, err
		}
		head(cols)
		for _, r := range recs {
			row := make([]any, 0, len(r.Cells)+1)
			for _, c := range r.Cells {
				row = append(row, c)
			}
			l.rows = append(l.rows, append(row, r.ID))
		}
		return l, nil
	}
	src, _, _ := s.Figures.Lookup(v.ID)
	pg, err := src.Each(ctx, actor, d.Filter, v.ID, func(r figure.Record) error {
		row := make([]any, 0, len(r.Cells)+1)
		for _, c := range r.Cells {
			row = append(row, c)
		}
		l.rows = append(l.rows, append(row, r.ID))
		return nil
	})
	if err != nil {
		return l, err
	}
	head(pg.Columns)
	for i := range pg.Columns { // each column's kind from its typed cells
		l.cols[i].Kind = kindOf(l.rows, i)
		for _, row := range l.rows {
			row[i] = cellFor(d.Lang, l.cols[i].Kind, row[i])
		}
	}
	return l, nil
}

// kindOf is the spreadsheet kind of column i: numbers, dates, or else text.
func kindOf(rows [][]any, i int) sheet.Kind {
	for _, r := range rows {
		switch r[i].(type) {
		case nil:
			continue
		case int64, int, float64:
			return sheet.Number
		case civil.Date:
			return sheet.Date
		}
		return sheet.Text
	}
	return sheet.Text
}

// cellFor is a typed cell as its column takes it: text columns read the
// cell as shown (keys translated, lists joined).
func cellFor(lang string, k sheet.Kind, v any) any {
	if k == sheet.Text {
		return figure.CellText(lang, v)
	}
	return v
}
