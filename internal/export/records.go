package export

import (
	"context"

	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
	"lvzhi/internal/i18n"
	"lvzhi/internal/sheet"
)

// sample is how many records decide the kinds of an export's columns
// before the rest streams.
const sample = 500

// First reads the first records behind figure id as a: the check that a may
// read them, their total, their columns, and the sample deciding the
// columns' kinds.
func First(ctx context.Context, src figure.Source, a *auth.Actor, f figure.Filter, id string) (*figure.Page, error) {
	return src.Records(ctx, a, f, id, 0, sample)
}

// Write streams every record behind figure id into a new workbook, with
// typed cells (numbers, dates); the sheet spills to a temporary file, so
// memory stays bounded however many records there are (figure.MaxExportRows
// at most). progress is told how many records are in after each one. The
// caller sends or stores the sheet and closes it; on an error there is none.
func Write(ctx context.Context, src figure.Source, a *auth.Actor, f figure.Filter, id, lang string,
	first *figure.Page, progress func(done int) error) (*sheet.Sheet, error) {
	rows := make([][]any, len(first.Records))
	for i, rec := range first.Records {
		rows[i] = rec.Cells
	}
	cols := make([]sheet.Column, len(first.Columns))
	for i, c := range first.Columns {
		cols[i] = sheet.Column{Head: i18n.T(lang, "figures.col."+c), Width: 14, Kind: recordKind(rows, i)}
		if c == "title" {
			cols[i].Width = 48
		}
	}
	sh, err := sheet.New(first.Figure.Name(lang), cols)
	if err != nil {
		return nil, err
	}
	done := 0
	_, err = src.Each(ctx, a, f, id, func(rec figure.Record) error {
		out := make([]any, len(cols))
		for i := range out {
			if i < len(rec.Cells) {
				out[i] = xlsxCell(lang, cols[i].Kind, rec.Cells[i])
			}
		}
		if err := sh.Row(out...); err != nil {
			return err
		}
		done++
		if progress != nil {
			return progress(done)
		}
		return nil
	})
	if err != nil {
		sh.Close()
		return nil, err
	}
	return sh, nil
}

// recordKind is the spreadsheet kind of records' column i, from its typed
// cells: numbers, dates, or else text.
func recordKind(rows [][]any, i int) sheet.Kind {
	for _, r := range rows {
		if i >= len(r) {
			continue
		}
		switch r[i].(type) {
		case int64, int, float64:
			return sheet.Number
		case civil.Date:
			return sheet.Date
		case nil:
			continue
		}
		return sheet.Text
	}
	return sheet.Text
}

// xlsxCell is a record cell as a spreadsheet value: numbers and dates keep
// their types in their columns, everything else is its text.
func xlsxCell(lang string, k sheet.Kind, v any) any {
	switch v.(type) {
	case int64, int, float64, civil.Date:
		if k != sheet.Text {
			return v
		}
	}
	return figure.CellText(lang, v)
}
