// Package sheet is the one writer of every .xlsx export: one sheet named
// after its content, a bold heading row that stays frozen with filters on,
// and cells with real types — dates are date cells, counts and amounts are
// numbers, rates are numbers formatted as percentages, an empty value is an
// empty cell. Web pages and areas build their exports with it only.
package sheet

import (
	"archive/zip"
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

// Sheet is a workbook being filled row by row. Rows are streamed (excelize's
// StreamWriter): each row goes to the sheet's part as it is written, spilling
// to a temporary file past a few megabytes, so an export of a million rows
// runs in bounded memory; WriteTo then zips the parts straight to its writer.
type Sheet struct {
	f      *excelize.File
	sw     *excelize.StreamWriter
	name   string
	cols   []Column
	names  map[string]bool // sheet names used
	rows   int             // data rows written on the current sheet
	styles struct{ date, pct, head int }
	cells  []any // the row being written, reused
	dst    counter
	done   bool
}

// counter is WriteTo's writer, counting the bytes written.
type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Content-Type of an .xlsx download.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// New starts a workbook whose only sheet is named name (cut to Excel's 31
// characters, without the characters Excel refuses) with cols' heading row.
func New(name string, cols []Column) (*Sheet, error) {
	f := excelize.NewFile()
	s := &Sheet{f: f, name: SheetName(name), cols: cols, names: map[string]bool{}}
	if err := s.start(); err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

func (s *Sheet) start() error {
	f := s.f
	// The stream writes straight to the zip: nothing of the workbook is
	// buffered whole (WriteTo would otherwise build it in a bytes.Buffer).
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(&s.dst) })
	var err error
	if s.styles.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: ptr(DateFormat)}); err != nil {
		return err
	}
	if s.styles.pct, err = f.NewStyle(&excelize.Style{CustomNumFmt: ptr(PercentFormat)}); err != nil {
		return err
	}
	if s.styles.head, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Color: []string{"F3EFE9"}, Pattern: 1}}); err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", s.name); err != nil {
		return err
	}
	s.names[s.name] = true
	return s.setup()
}

// Next finishes the current sheet (its filter over the rows written) and
// starts another, named name (see SheetName; a name already used is an error),
// with cols' heading row; Row then fills it. A workbook of several sheets: a
// report's figures, then each figure's records.
func (s *Sheet) Next(name string, cols []Column) error {
	name = SheetName(name)
	if s.names[name] {
		return fmt.Errorf("sheet %s exists already", name)
	}
	if err := s.flush(); err != nil {
		return err
	}
	if _, err := s.f.NewSheet(name); err != nil {
		return err
	}
	s.names[name] = true
	s.name, s.cols, s.rows = name, cols, 0
	return s.setup()
}

// setup opens the current sheet's stream and writes, before any row, its
// column widths and kinds, its frozen heading pane and the heading row.
func (s *Sheet) setup() error {
	sw, err := s.f.NewStreamWriter(s.name)
	if err != nil {
		return err
	}
	s.sw = sw
	heads := make([]any, len(s.cols))
	// From the last column back: the stream writer puts each column's
	// settings before the ones set already, and Excel wants them in order.
	for i := len(s.cols) - 1; i >= 0; i-- {
		c := s.cols[i]
		if c.Width > 0 {
			if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
				return err
			}
		}
		switch c.Kind {
		case Date:
			err = sw.SetColStyle(i+1, i+1, s.styles.date)
		case Percent:
			err = sw.SetColStyle(i+1, i+1, s.styles.pct)
		}
		if err != nil {
			return err
		}
		heads[i] = excelize.Cell{StyleID: s.styles.head, Value: c.Head}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	return sw.SetRow("A1", heads)
}

// Row appends one data row; cells are converted by their column's kind.
// A cell that does not fit its kind is an error: an export never silently
// turns a number into text.
func (s *Sheet) Row(cells ...any) error {
	if len(cells) > len(s.cols) {
		return fmt.Errorf("sheet %s: row of %d cells, %d columns", s.name, len(cells), len(s.cols))
	}
	row := s.cells[:0]
	for i, v := range cells {
		cv, err := convert(s.cols[i].Kind, v)
		if err != nil {
			return fmt.Errorf("sheet %s column %q: %w", s.name, s.cols[i].Head, err)
		}
		switch {
		case cv == nil:
		case s.cols[i].Kind == Percent:
			cv = excelize.Cell{StyleID: s.styles.pct, Value: cv}
		case s.cols[i].Kind == Date:
			if _, ok := cv.(time.Time); ok {
				cv = excelize.Cell{StyleID: s.styles.date, Value: cv}
			}
		}
		row = append(row, cv)
	}
	s.cells = row
	s.rows++
	cell, _ := excelize.CoordinatesToCellName(1, s.rows+1)
	return s.sw.SetRow(cell, row)
}

// Rows is the number of data rows written.
func (s *Sheet) Rows() int { return s.rows }

// WriteTo turns the filter on over the heading and the rows, writes the
// workbook to w and releases it.
func (s *Sheet) WriteTo(w io.Writer) (int64, error) {
	defer s.Close()
	if err := s.flush(); err != nil {
		return 0, err
	}
	s.dst = counter{w: w}
	err := s.f.Write(io.Discard) // the zip goes to s.dst (see start)
	return s.dst.n, err
}

// flush turns the filter on over the current sheet's heading and rows and
// ends its stream.
func (s *Sheet) flush() error {
	if s.sw == nil {
		return nil
	}
	last, _ := excelize.CoordinatesToCellName(max(len(s.cols), 1), s.rows+1)
	// The filter is set on the stream's worksheet before Flush writes it.
	if err := s.f.AutoFilter(s.name, "A1:"+last, nil); err != nil {
		return err
	}
	sw := s.sw
	s.sw = nil
	return sw.Flush()
}

// Close releases a workbook that is not written (and the temporary files of
// its streams).
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
