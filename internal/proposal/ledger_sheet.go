package proposal

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/apperr"
	"lvzhi/internal/civil"
	"lvzhi/internal/i18n"
	"lvzhi/internal/sheet"
)

// The proposal ledger (提案办理台账): one row per registered proposal, the
// layout shared by the template, the import and the export, so the three never
// disagree. A column's heading is "ledger.col.<key>" in either language.

// ledgerCol is one column of the ledger.
type ledgerCol struct {
	key      string
	required bool
	width    float64
	kind     sheet.Kind
}

// ledgerCols are the ledger's columns, in order.
var ledgerCols = []ledgerCol{
	{"number", true, 16, sheet.Text},
	{"title", true, 30, sheet.Text},
	{"first_proposer", true, 10, sheet.Text},
	{"co_signers", false, 16, sheet.Text},
	{"sector", false, 12, sheet.Text},
	{"theme", true, 8, sheet.Text},
	{"category", false, 10, sheet.Text},
	{"units", false, 24, sheet.Text},
	{"mode", false, 8, sheet.Text},
	{"submitted_on", true, 12, sheet.Date},
	{"co_signed_on", false, 12, sheet.Date},
	{"registered_on", true, 12, sheet.Date},
	{"assigned_on", false, 12, sheet.Date},
	{"due_on", false, 12, sheet.Date},
	{"accepted_on", false, 12, sheet.Date},
	{"contact_on", false, 12, sheet.Date},
	{"contact_method", false, 8, sheet.Text},
	{"replied_on", false, 12, sheet.Date},
	{"approved_on", false, 12, sheet.Date},
	{"reply_class", false, 8, sheet.Text},
	{"evaluation", false, 10, sheet.Text},
	{"evaluated_on", false, 12, sheet.Date},
	{"closed_on", false, 12, sheet.Date},
	{"matter", false, 30, sheet.Text},
	{"analysis", false, 30, sheet.Text},
	{"suggestions", false, 30, sheet.Text},
	{"reply_letter", false, 30, sheet.Text},
}

// head is the column's heading in lang; required columns carry a "*".
func (c ledgerCol) head(lang string) string {
	h := i18n.T(lang, "ledger.col."+c.key)
	if c.required {
		h += "*"
	}
	return h
}

// newLedgerSheet starts a ledger workbook in lang.
func newLedgerSheet(lang string) (*sheet.Sheet, error) {
	cols := make([]sheet.Column, len(ledgerCols))
	for i, c := range ledgerCols {
		cols[i] = sheet.Column{Head: c.head(lang), Width: c.width, Kind: c.kind}
	}
	return sheet.New(i18n.T(lang, "ledger.sheet"), cols)
}

// LedgerTemplate writes the empty ledger (its heading row) in lang to w.
func LedgerTemplate(lang string, w io.Writer) error {
	sh, err := newLedgerSheet(lang)
	if err != nil {
		return err
	}
	_, err = sh.WriteTo(w)
	return err
}

// MaxLedgerRows bounds one ledger import (a province's year is ~800 rows; a
// county's ~250).
const MaxLedgerRows = 5000

// maxLedgerBytes bounds what an uploaded workbook may unpack to (zip bombs).
const maxLedgerBytes = 256 << 20

// readLedger opens an uploaded workbook and returns its first sheet's rows.
func readLedger(r io.Reader) ([][]string, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: maxLedgerBytes, UnzipXMLSizeLimit: 64 << 20})
	if err != nil {
		return nil, &apperr.Error{Code: apperr.Invalid, Key: "err.proposal.ledger.not_excel", Err: err}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, apperr.New(apperr.Invalid, "err.proposal.ledger.not_excel")
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, &apperr.Error{Code: apperr.Invalid, Key: "err.proposal.ledger.not_excel", Err: err}
	}
	if len(rows) == 0 {
		return nil, apperr.New(apperr.Invalid, "err.proposal.ledger.empty")
	}
	if len(rows)-1 > MaxLedgerRows {
		return nil, apperr.New(apperr.Invalid, "err.proposal.ledger.too_many_rows", map[string]any{"Max": MaxLedgerRows})
	}
	return rows, nil
}

// normHead strips the required mark, spaces and case, for matching headings.
func normHead(s string) string {
	s = strings.NewReplacer("*", "", "＊", "", " ", "", "\u3000", "", "\n", "").Replace(s)
	return strings.ToLower(strings.TrimSpace(s))
}

// ledgerHeader maps a heading row onto the columns (headings in either
// language, in any order): index and the file's own heading by key.
func ledgerHeader(header []string) (map[string]int, map[string]string, error) {
	byName := map[string]string{}
	for _, c := range ledgerCols {
		for _, lang := range i18n.Langs {
			byName[normHead(i18n.T(lang, "ledger.col."+c.key))] = c.key
		}
	}
	idx, names := map[string]int{}, map[string]string{}
	for i, h := range header {
		n := normHead(h)
		if n == "" {
			continue
		}
		key, ok := byName[n]
		if !ok {
			return nil, nil, apperr.New(apperr.Invalid, "err.proposal.ledger.unknown_column", map[string]any{"Column": strings.TrimSpace(h)})
		}
		idx[key] = i
		names[key] = strings.TrimSpace(strings.NewReplacer("*", "", "＊", "").Replace(h))
	}
	for _, c := range ledgerCols {
		if _, ok := idx[c.key]; !ok && c.required {
			return nil, nil, apperr.New(apperr.Invalid, "err.proposal.ledger.wrong_template",
				map[string]any{"Column": i18n.T("zh", "ledger.col."+c.key)})
		}
	}
	return idx, names, nil
}

// ledgerCells is one data row of the sheet with accessors by column key; its
// errors name the row and the file's own heading of the column.
type ledgerCells struct {
	num   int // 1-based row number in the sheet
	cells []string
	idx   map[string]int
	names map[string]string
	errs  []apperr.FieldError
}

func (r *ledgerCells) get(key string) string {
	i, ok := r.idx[key]
	if !ok || i >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[i])
}

func (r *ledgerCells) blank() bool {
	for _, c := range r.cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// heading is the file's own heading of column key (the Chinese one if absent).
func (r *ledgerCells) heading(key string) string {
	if name := r.names[key]; name != "" {
		return name
	}
	return i18n.T("zh", "ledger.col."+key)
}

// fail records an error in this row's column key.
func (r *ledgerCells) fail(key, msgKey string, args ...map[string]any) {
	fe := apperr.Field(r.heading(key), msgKey, args...)
	fe.Row = r.num
	r.errs = append(r.errs, fe)
}

// required returns the cell, recording an error when it is empty.
func (r *ledgerCells) required(key string) string {
	v := r.get(key)
	if v == "" {
		r.fail(key, "err.required")
	}
	return v
}

var dateParts = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)

// date reads a date cell: 2018-03-05, 2018/3/5, 2018.3.5 or 2018年3月5日.
func (r *ledgerCells) date(key string) civil.Date {
	v := r.get(key)
	if v == "" {
		return civil.Date{}
	}
	m := dateParts.FindStringSubmatch(v)
	if m == nil {
		r.fail(key, "err.form.bad_date")
		return civil.Date{}
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	dd, _ := strconv.Atoi(m[3])
	d, err := civil.Parse(fmt.Sprintf("%04d-%02d-%02d", y, mo, dd))
	switch {
	case errors.Is(err, civil.ErrNoSuchDate):
		r.fail(key, "err.form.no_such_date")
	case err != nil:
		r.fail(key, "err.form.bad_date")
	}
	return d
}

// choice reads a cell holding one of codes, written as its label in either
// language (labelKey+code) or as the code itself.
func (r *ledgerCells) choice(key, labelKey string, codes []string) string {
	v := r.get(key)
	if v == "" {
		return ""
	}
	for _, c := range codes {
		if strings.EqualFold(v, c) {
			return c
		}
		for _, lang := range i18n.Langs {
			if v == i18n.T(lang, labelKey+c) {
				return c
			}
		}
	}
	r.fail(key, "err.form.bad_choice")
	return ""
}

// names splits a cell listing names (、，, ; or spaces).
func splitNames(v string) []string {
	return strings.FieldsFunc(v, func(c rune) bool {
		return c == '、' || c == '，' || c == ',' || c == ';' || c == '；' || c == ' ' || c == '\u3000'
	})
}
