// Package sheet is the one writer of every .xlsx export: one sheet named
// after its content, a bold heading row that stays frozen with filters on,
// and cells with real types — dates are date cells, counts and amounts are
// numbers, rates are numbers formatted as percentages, an empty value is an
// empty cell. Web pages and areas build their exports with it only.
package sheet

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/civil"
)

// Kind is what a column holds.
type Kind int

const (
	Text    Kind = iota // strings ([]string joined with "、")
	Number              // int, int64, float64 (counts, amounts)
	Date                // civil.Date, time.Time or "YYYY-MM-DD": a date cell shown as yyyy-mm-dd (other text as is)
	Percent             // float64 rate 0..1: a number shown as 0.0%
)

// DateFormat is the date cells' number format; it reads back as the ISO text.
const DateFormat = "yyyy-mm-dd"

// PercentFormat is the rate cells' number format.
const PercentFormat = "0.0%"

// Column is one column: its heading, width (characters) and kind.
type Column struct {
	Head  string
	Width float64
	Kind  Kind
}

// Sheet is a workbook of one sheet being filled row by row.
type Sheet struct {
	f    *excelize.File
	name string
	cols []Column
	rows int // data rows written
	done bool
}

// Content-Type of an .xlsx download.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// New starts a workbook whose only sheet is named name (cut to Excel's 31
// characters, without the characters Excel refuses) with cols' heading row.
func New(name string, cols []Column) (*Sheet, error) {
	f := excelize.NewFile()
	s := &Sheet{f: f, name: SheetName(name), cols: cols}
	if err := s.start(); err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

func (s *Sheet) start() error {
	if err := s.f.SetSheetName("Sheet1", s.name); err != nil {
		return err
	}
	return s.setup()
}

// Next finishes the current sheet (its filter over the rows written) and
// starts another, named name (see SheetName; a name already used is an error),
// with cols' heading row; Row then fills it. A workbook of several sheets: a
// report's figures, then each figure's records.
func (s *Sheet) Next(name string, cols []Column) error {
	if err := s.filter(); err != nil {
		return err
	}
	name = SheetName(name)
	if i, _ := s.f.GetSheetIndex(name); i >= 0 {
		return fmt.Errorf("sheet %s exists already", name)
	}
	if _, err := s.f.NewSheet(name); err != nil {
		return err
	}
	s.name, s.cols, s.rows = name, cols, 0
	return s.setup()
}

// setup writes the current sheet's column widths and kinds and its frozen heading row.
func (s *Sheet) setup() error {
	f := s.f
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr(DateFormat)})
	if err != nil {
		return err
	}
	pct, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr(PercentFormat)})
	if err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Color: []string{"F3EFE9"}, Pattern: 1}})
	if err != nil {
		return err
	}
	heads := make([]any, len(s.cols))
	for i, c := range s.cols {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if c.Width > 0 {
			if err := f.SetColWidth(s.name, col, col, c.Width); err != nil {
				return err
			}
		}
		switch c.Kind {
		case Date:
			err = f.SetColStyle(s.name, col, date)
		case Percent:
			err = f.SetColStyle(s.name, col, pct)
		}
		if err != nil {
			return err
		}
		heads[i] = c.Head
	}
	if err := f.SetSheetRow(s.name, "A1", &heads); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(max(len(s.cols), 1), 1)
	if err := f.SetCellStyle(s.name, "A1", last, head); err != nil {
		return err
	}
	return f.SetPanes(s.name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}})
}

// Row appends one data row; cells are converted by their column's kind.
// A cell that does not fit its kind is an error: an export never silently
// turns a number into text.
func (s *Sheet) Row(cells ...any) error {
	if len(cells) > len(s.cols) {
		return fmt.Errorf("sheet %s: row of %d cells, %d columns", s.name, len(cells), len(s.cols))
	}
	s.rows++
	for i, v := range cells {
		cv, err := convert(s.cols[i].Kind, v)
		if err != nil {
			return fmt.Errorf("sheet %s column %q: %w", s.name, s.cols[i].Head, err)
		}
		if cv == nil {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(i+1, s.rows+1)
		if err := s.f.SetCellValue(s.name, cell, cv); err != nil {
			return err
		}
	}
	return nil
}

// Rows is the number of data rows written.
func (s *Sheet) Rows() int { return s.rows }

// WriteTo turns the filter on over the heading and the rows, writes the
// workbook to w and releases it.
func (s *Sheet) WriteTo(w io.Writer) (int64, error) {
	defer s.Close()
	if err := s.filter(); err != nil {
		return 0, err
	}
	return s.f.WriteTo(w)
}

// filter turns the filter on over the current sheet's heading and rows.
func (s *Sheet) filter() error {
	last, _ := excelize.CoordinatesToCellName(max(len(s.cols), 1), s.rows+1)
	return s.f.AutoFilter(s.name, "A1:"+last, nil)
}

// Close releases a workbook that is not written.
func (s *Sheet) Close() {
	if !s.done {
		s.done = true
		s.f.Close()
	}
}

func convert(k Kind, v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		if x == "" {
			return nil, nil
		}
	case []string:
		if len(x) == 0 {
			return nil, nil
		}
		v = strings.Join(x, "、")
	case civil.Date:
		if x.IsZero() {
			return nil, nil
		}
	case *float64:
		if x == nil {
			return nil, nil
		}
		v = *x
	}
	switch k {
	case Text:
		switch x := v.(type) {
		case string:
			return x, nil
		case fmt.Stringer:
			return x.String(), nil
		}
		return fmt.Sprint(v), nil
	case Number, Percent:
		switch x := v.(type) {
		case int:
			return x, nil
		case int64:
			return x, nil
		case int32:
			return x, nil
		case float64:
			return x, nil
		}
	case Date:
		switch x := v.(type) {
		case civil.Date:
			return time.Date(x.Year, x.Month, x.Day, 0, 0, 0, 0, time.UTC), nil
		case time.Time:
			d := civil.Of(x)
			return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC), nil
		case string:
			d, err := civil.Parse(x)
			if err != nil {
				return x, nil // a partly known date ("1980") stays as written
			}
			return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC), nil
		}
	}
	return nil, fmt.Errorf("%T %v does not fit the column", v, v)
}

func ptr[T any](v T) *T { return &v }

// SheetName makes name a valid Excel sheet name: without []:*?/\ and at most 31 characters.
func SheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, strings.TrimSpace(name))
	name = strings.Trim(name, "'")
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	if name == "" {
		name = "Sheet1"
	}
	return name
}

// FileName is the download's name: the parts (committee, list, …) and the
// date joined with "-", e.g. 滇富县政协-提案-2026-12-07.xlsx.
func FileName(day civil.Date, parts ...string) string {
	var ps []string
	for _, p := range parts {
		p = strings.Map(func(r rune) rune {
			if strings.ContainsRune(`/\:*?"<>|`, r) || r < 0x20 {
				return '-'
			}
			return r
		}, strings.TrimSpace(p))
		if p != "" {
			ps = append(ps, p)
		}
	}
	return strings.Join(append(ps, day.String()), "-") + ".xlsx"
}

// Disposition is the Content-Disposition of an attachment named name: an
// ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987 filename*).
func Disposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			return -1
		}
		return r
	}, name)
	if strings.TrimSuffix(ascii, ".xlsx") == "" || strings.HasPrefix(ascii, "-") {
		ascii = strings.TrimSuffix("export-"+strings.TrimLeft(strings.TrimSuffix(ascii, ".xlsx"), "-"), "-") + ".xlsx"
	}
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, attrEscape(name))
}

// attrEscape percent-encodes every byte outside RFC 5987's attr-char.
func attrEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// Send writes the sheet to w as the download name.
func (s *Sheet) Send(w http.ResponseWriter, name string) error {
	h := w.Header()
	h.Set("Content-Type", ContentType)
	h.Set("Content-Disposition", Disposition(name))
	h.Set("Cache-Control", "no-store")
	_, err := s.WriteTo(w)
	return err
}
