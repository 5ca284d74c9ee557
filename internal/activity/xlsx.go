package activity

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"regexp"
	"strings"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/i18n"
	"lvzhi/internal/sheet"
)

// Past activities from the office's Excel ledger: one row per activity with
// its date, kind, title, place and the names of the members who attended,
// were on leave and were absent. ImportPast checks every row — a real date not
// after today, a known kind, a title, every name a serving member of the
// committee and not a name two members share, no member twice in a row — and
// reports every problem with its row and column; nothing is written unless
// the whole file is valid, and then every activity is entered later (by the
// actor, now) in one transaction.

// importCols are the ledger's columns: key and width.
var importCols = []struct {
	key   string
	width float64
}{{"date", 12}, {"kind", 14}, {"title", 40}, {"place", 20}, {"attended", 40}, {"leave", 24}, {"absent", 24}}

// MaxImportBytes bounds an uploaded ledger.
const MaxImportBytes = 16 << 20

// ImportTemplate is the ledger template: the heading and one example row.
func ImportTemplate(lang string) ([]byte, error) {
	cols := make([]sheet.Column, len(importCols))
	for i, c := range importCols {
		cols[i] = sheet.Column{Head: i18n.T(lang, "activity.import.col."+c.key), Width: c.width}
	}
	sh, err := sheet.New(i18n.T(lang, "activity.import.sheet"), cols)
	if err != nil {
		return nil, err
	}
	if err := sh.Row("2018-03-15", i18n.T(lang, "activity.kind.research"), i18n.T(lang, "activity.import.example_title"),
		i18n.T(lang, "activity.import.example_place"), "张三、李四", "王五", ""); err != nil {
		sh.Close()
		return nil, err
	}
	var b bytes.Buffer
	if _, err := sh.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ImportResult is what an import wrote.
type ImportResult struct {
	Activities int `json:"activities"`
	Rows       int `json:"rows"` // attendance rows
}

type importRow struct {
	in   Input
	roll []PastRow
}

var dateSeps = regexp.MustCompile(`^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$`)

// parseLedgerDate reads 2018-03-15, 2018/3/15, 2018.3.15 or 2018年3月15日.
func parseLedgerDate(s string) (civil.Date, error) {
	m := dateSeps.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return civil.Parse(s)
	}
	pad := func(x string) string {
		if len(x) == 1 {
			return "0" + x
		}
		return x
	}
	return civil.Parse(m[1] + "-" + pad(m[2]) + "-" + pad(m[3]))
}

// ImportPast reads a ledger (see ImportTemplate) into the committee (staff).
func (s *Service) ImportPast(ctx context.Context, actor *auth.Actor, committeeID int64, file io.Reader) (ImportResult, error) {
	var res ImportResult
	if _, err := auth.CheckScope(ctx, s.DB, actor, PermManage, committeeID); err != nil {
		return res, err
	}
	f, err := excelize.OpenReader(io.LimitReader(file, MaxImportBytes), excelize.Options{UnzipSizeLimit: 8 * MaxImportBytes, UnzipXMLSizeLimit: 64 << 20})
	if err != nil {
		return res, &apperr.Error{Code: apperr.Invalid, Key: "err.activity.not_excel", Err: err}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return res, apperr.New(apperr.Invalid, "err.activity.not_excel")
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return res, &apperr.Error{Code: apperr.Invalid, Key: "err.activity.not_excel", Err: err}
	}
	var plan []importRow
	err = s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		plan, err = s.planImport(ctx, tx, committeeID, rows)
		return err
	})
	if err != nil {
		return res, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, p := range plan {
			roll := p.roll
			if _, err := s.createTx(ctx, tx, actor, committeeID, ActEnterPast, p.in, func(o *op) error {
				marks := make([]Mark, len(roll))
				for i, r := range roll {
					marks[i] = Mark{PersonID: r.PersonID, Status: r.Status}
				}
				_, err := o.mark(marks)
				return err
			}); err != nil {
				return err
			}
			res.Activities++
			res.Rows += len(roll)
		}
		return nil
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// planImport checks every row and resolves names; all problems are returned together.
func (s *Service) planImport(ctx context.Context, q db.Querier, committeeID int64, rows [][]string) ([]importRow, error) {
	if len(rows) == 0 {
		return nil, apperr.New(apperr.Invalid, "err.activity.import_empty")
	}
	// Columns by heading, in either language.
	idx, names := map[string]int{}, map[string]string{}
	for i, h := range rows[0] {
		h = strings.TrimSpace(h)
		for _, c := range importCols {
			for _, lang := range i18n.Langs {
				if h == i18n.T(lang, "activity.import.col."+c.key) {
					idx[c.key], names[c.key] = i, h
				}
			}
		}
	}
	var missing []apperr.FieldError
	for _, c := range []string{"date", "kind", "title"} {
		if _, ok := idx[c]; !ok {
			missing = append(missing, apperr.Field(i18n.T("zh", "activity.import.col."+c), "err.activity.import_column"))
		}
	}
	if len(missing) > 0 {
		return nil, apperr.Fields(missing...)
	}
	// Kinds by their names in either language.
	kinds := map[string]Kind{}
	for _, k := range AllKinds {
		for _, lang := range i18n.Langs {
			kinds[i18n.T(lang, "activity.kind."+string(k))] = k
		}
		kinds[string(k)] = k
	}
	// Serving members by name (a name two members share cannot be used).
	byName := map[string][]int64{}
	rs, err := q.QueryContext(ctx, `SELECT p.id, p.name FROM people p WHERE p.committee_id = $1 AND p.id IN (`+servingSQL+`)`, committeeID)
	if err != nil {
		return nil, err
	}
	for rs.Next() {
		var id int64
		var name string
		if err := rs.Scan(&id, &name); err != nil {
			rs.Close()
			return nil, err
		}
		byName[name] = append(byName[name], id)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, err
	}
	today := s.today()
	var plan []importRow
	var fs []apperr.FieldError
	for n, cells := range rows[1:] {
		num := n + 2
		get := func(key string) string {
			i, ok := idx[key]
			if !ok || i >= len(cells) {
				return ""
			}
			return strings.TrimSpace(cells[i])
		}
		bad := func(key, msg string, args ...map[string]any) {
			fe := apperr.Field(names[key], msg, args...)
			if fe.Field == "" {
				fe.Field = i18n.T("zh", "activity.import.col."+key)
			}
			fe.Row = num
			fs = append(fs, fe)
		}
		blank := true
		for _, c := range cells {
			blank = blank && strings.TrimSpace(c) == ""
		}
		if blank {
			continue
		}
		var p importRow
		p.in.Title, p.in.Place = get("title"), get("place")
		d, err := parseLedgerDate(get("date"))
		switch {
		case get("date") == "":
			bad("date", "err.activity.required")
		case err != nil:
			bad("date", "err.form.bad_date")
		case today.Before(d):
			bad("date", "err.activity.past_in_future")
		}
		p.in.StartsOn = d
		if k, ok := kinds[get("kind")]; ok {
			p.in.Kind = k
		} else {
			bad("kind", "err.activity.import_kind", map[string]any{"Value": get("kind")})
		}
		if p.in.Title == "" {
			bad("title", "err.activity.required")
		} else if len([]rune(p.in.Title)) > 200 {
			bad("title", "err.activity.too_long", map[string]any{"Max": 200})
		}
		if len([]rune(p.in.Place)) > 200 {
			bad("place", "err.activity.too_long", map[string]any{"Max": 200})
		}
		seen := map[int64]bool{}
		for _, col := range []struct {
			key string
			st  Status
		}{{"attended", Attended}, {"leave", LeaveApproved}, {"absent", Absent}} {
			for _, name := range strings.FieldsFunc(get(col.key), func(r rune) bool {
				return r == '、' || r == ',' || r == '，' || r == ';' || r == '；' || r == ' ' || r == '\n'
			}) {
				ids := byName[name]
				switch {
				case len(ids) == 0:
					bad(col.key, "err.activity.import_no_member", map[string]any{"Name": name})
				case len(ids) > 1:
					bad(col.key, "err.activity.import_same_name", map[string]any{"Name": name})
				case seen[ids[0]]:
					bad(col.key, "err.activity.import_twice", map[string]any{"Name": name})
				default:
					seen[ids[0]] = true
					p.roll = append(p.roll, PastRow{PersonID: ids[0], Status: col.st})
				}
			}
		}
		plan = append(plan, p)
	}
	if len(fs) > 0 {
		return nil, apperr.Fields(fs...)
	}
	if len(plan) == 0 {
		return nil, apperr.New(apperr.Invalid, "err.activity.import_empty")
	}
	return plan, nil
}
