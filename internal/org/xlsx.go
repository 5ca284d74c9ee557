package org

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/apperr"
	"lvzhi/internal/i18n"
)

// column describes one spreadsheet column shared by the template, the import
// and the export, so the three never disagree. Its header is "org.col.<key>".
type column struct {
	key      string
	required bool
	text     bool    // format as text, so Excel keeps leading zeros and long numbers
	width    float64 // characters
	list     string  // drop-down source: a code list prefix or "sector"/"group"/"yesno"
	date     bool    // a date: exported as a date cell
}

// memberColumns are the member sheet's columns, in order.
var memberColumns = []column{
	{key: "name", required: true, width: 10},
	{key: "gender", required: true, width: 6, list: "gender"},
	{key: "id_number", required: true, text: true, width: 22},
	{key: "birth_date", text: true, width: 12, date: true},
	{key: "ethnicity", width: 8},
	{key: "phone", required: true, text: true, width: 15},
	{key: "email", width: 20},
	{key: "employer", width: 24},
	{key: "job_title", width: 14},
	{key: "sector", required: true, width: 12, list: "sector"},
	{key: "affiliation", required: true, width: 10, list: "affiliation"},
	{key: "positions", width: 16},
	{key: "standing", width: 8, list: "yesno"},
	{key: "groups", width: 24},
	{key: "status", width: 8, list: "status"},
	{key: "skills", width: 20},
	{key: "resources", width: 20},
	{key: "joined_on", text: true, width: 12, date: true},
}

// unitColumns are the unit sheet's columns, in order.
var unitColumns = []column{
	{key: "unit_name", required: true, width: 28},
	{key: "unit_kind", required: true, width: 10, list: "unit_kind"},
	{key: "contact_name", width: 10},
	{key: "contact_phone", text: true, width: 16},
	{key: "active", width: 8, list: "yesno"},
}

// header is the column's heading in lang; required columns carry a "*".
func (c column) header(lang string) string {
	h := i18n.T(lang, "org.col."+c.key)
	if c.required {
		h += "*"
	}
	return h
}

// normHeader strips the required mark, spaces and case, for matching headings.
func normHeader(s string) string {
	s = strings.NewReplacer("*", "", "＊", "", " ", "", "\u3000", "", "\n", "").Replace(s)
	return strings.ToLower(strings.TrimSpace(s))
}

// sheetColumns maps a header row onto columns: index by key. Headings may be
// in Chinese or English and in any order; a missing required column or an
// unknown heading means the wrong template.
func sheetColumns(header []string, cols []column) (map[string]int, map[string]string, error) {
	byName := map[string]column{}
	for _, c := range cols {
		for _, lang := range i18n.Langs {
			byName[normHeader(i18n.T(lang, "org.col."+c.key))] = c
		}
	}
	idx, names := map[string]int{}, map[string]string{}
	for i, h := range header {
		n := normHeader(h)
		if n == "" {
			continue
		}
		c, ok := byName[n]
		if !ok {
			return nil, nil, apperr.New(apperr.Invalid, "err.org.unknown_column", map[string]any{"Column": strings.TrimSpace(h)})
		}
		idx[c.key] = i
		names[c.key] = strings.TrimSpace(strings.NewReplacer("*", "", "＊", "").Replace(h))
	}
	for _, c := range cols {
		if _, ok := idx[c.key]; !ok && c.required {
			return nil, nil, apperr.New(apperr.Invalid, "err.org.wrong_template", map[string]any{"Column": i18n.T("zh", "org.col."+c.key)})
		}
	}
	return idx, names, nil
}

// sortRowErrors orders errors by row, then by the column's place in the file,
// so the list reads like the sheet.
func sortRowErrors(errs []apperr.FieldError, idx map[string]int, names map[string]string) {
	col := map[string]int{}
	for key, name := range names {
		col[name] = idx[key]
	}
	sort.SliceStable(errs, func(i, j int) bool {
		if errs[i].Row != errs[j].Row {
			return errs[i].Row < errs[j].Row
		}
		return col[errs[i].Field] < col[errs[j].Field]
	})
}

// maxImportBytes bounds what a spreadsheet may unpack to (zip bombs).
const maxImportBytes = 256 << 20

// MaxImportRows bounds one import; a county has a few hundred members.
const MaxImportRows = 10000

// readSheet opens an uploaded workbook and returns the rows of its first sheet.
func readSheet(r io.Reader) ([][]string, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: maxImportBytes, UnzipXMLSizeLimit: 64 << 20})
	if err != nil {
		return nil, &apperr.Error{Code: apperr.Invalid, Key: "err.org.not_excel", Err: err}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, apperr.New(apperr.Invalid, "err.org.not_excel")
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, &apperr.Error{Code: apperr.Invalid, Key: "err.org.not_excel", Err: err}
	}
	return rows, nil
}

// sheetRow is one data row with accessors by column key.
type sheetRow struct {
	num   int // 1-based row number in the sheet
	cells []string
	idx   map[string]int
	names map[string]string
}

func (r sheetRow) get(key string) string {
	i, ok := r.idx[key]
	if !ok || i >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[i])
}

func (r sheetRow) blank() bool {
	for _, c := range r.cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// fieldErr is an error in this row's column key, named by the file's own heading.
func (r sheetRow) fieldErr(key, msgKey string, args map[string]any) apperr.FieldError {
	name := r.names[key]
	if name == "" {
		name = i18n.T("zh", "org.col."+key)
	}
	fe := apperr.Field(name, msgKey, args)
	fe.Row = r.num
	return fe
}

// dataRows turns sheet rows after the header into sheetRows, skipping blank
// rows and example rows (first column starting with the example mark).
func dataRows(rows [][]string, idx map[string]int, names map[string]string) []sheetRow {
	var out []sheetRow
	for i := 1; i < len(rows); i++ {
		r := sheetRow{num: i + 1, cells: rows[i], idx: idx, names: names}
		if r.blank() || (len(r.cells) > 0 && isExample(r.cells[0])) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// isExample recognises the template's example row: its first cell starts with
// "（示例）" or "(Example)" in either language, so it is never imported.
func isExample(first string) bool {
	f := strings.ToLower(strings.TrimSpace(first))
	for _, p := range []string{"（示例）", "(示例)", "(example)", "（example）"} {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}

var dateRE = regexp.MustCompile(`^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$`)

// parseSheetDate reads the date spellings found in spreadsheets (2018-01-05,
// 2018/1/5, 2018.1.5, 2018年1月5日, 20180105, an Excel serial number) as YYYY-MM-DD.
func parseSheetDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	if m := dateRE.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if t.Year() != y || int(t.Month()) != mo || t.Day() != d {
			return s, false
		}
		return t.Format("2006-01-02"), true
	}
	if len(s) == 8 {
		if t, err := time.Parse("20060102", s); err == nil {
			return t.Format("2006-01-02"), true
		}
	}
	if n, err := strconv.Atoi(s); err == nil && n > 1 && n < 80000 {
		return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n).Format("2006-01-02"), true
	}
	return s, false
}

// parseYesNo reads 是/否, yes/no, y/n, 1/0, true/false; "" is def.
func parseYesNo(s string, def bool) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return def, true
	case "是", "yes", "y", "1", "true", "√", "✓":
		return true, true
	case "否", "no", "n", "0", "false", "×":
		return false, true
	}
	return false, false
}

// splitList splits a cell holding several values (、，,;；/ or new lines).
func splitList(s string) []string {
	f := func(r rune) bool { return strings.ContainsRune("、，,;；/\n", r) }
	var out []string
	for _, p := range strings.FieldsFunc(s, f) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// cellName returns the A1 name of column i (0-based), row r (1-based).
func cellName(i, r int) string {
	n, _ := excelize.CoordinatesToCellName(i+1, r)
	return n
}

func colName(i int) string {
	n, _ := excelize.ColumnNumberToName(i + 1)
	return n
}

// workbookBytes writes f to bytes.
func workbookBytes(f *excelize.File) ([]byte, error) {
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("write workbook: %w", err)
	}
	return buf.Bytes(), nil
}
