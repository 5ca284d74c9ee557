package assist

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/i18n"
	"lvzhi/internal/org"
	"lvzhi/internal/sheet"
)

// The household import reads the official registry's export (建档立卡 系统导出):
// one row per person, the household's columns repeated on each of its rows.
// Headings are matched in Chinese or English (assist.col.<key>); a heading
// ending in * is required.

// importColumn is one column of the import.
type importColumn struct {
	key      string
	required bool
}

var importColumns = []importColumn{
	{"registry_id", true}, {"township", true}, {"village", true}, {"attribute", true}, {"cause_main", true},
	{"cause_others", false}, {"income", false}, {"housing", false}, {"status", true}, {"lifted_year", false},
	{"gov_helper", false}, {"name", true}, {"gender", false}, {"id_number", false}, {"relation", true},
	{"health", false}, {"labour", false}, {"schooling", false}, {"phone", false},
}

// MaxImportRows bounds one household import (rows of people): a county's
// registry export, or a prefecture's, fits (1 million households of two or
// three people); the ledger of past assistance is smaller (MaxLedgerRows).
const (
	MaxImportRows = 3_000_000
	MaxLedgerRows = 50_000
)

// headRelation is the relation that marks the head's row.
const headRelation = "户主"

// ImportResult summarises a successful import.
type ImportResult struct {
	Rows       int `json:"rows"`
	Households int `json:"households"`
	Created    int `json:"created"`
	Updated    int `json:"updated"`
	Unchanged  int `json:"unchanged"`
}

// ImportHouseholds reads the registry's export into the actor's committee.
// Every row is checked (required cells, coded values, ID number per GB 11643,
// duplicates within the file and against the committee's other households,
// unknown or empty village, one household's columns equal on all its rows)
// and every problem returned with its row and column heading; nothing is
// written unless the whole file is valid. A household already registered
// (same registry id) is updated when it changed, its history kept in the
// audit log; identical ones are left alone; none is deleted. New households
// are written in batches (import_bulk.go), one audit entry per batch naming
// them; the whole import is still one transaction.
func (s *Service) ImportHouseholds(ctx context.Context, actor *auth.Actor, file io.Reader) (ImportResult, error) {
	var res ImportResult
	if _, err := auth.CheckScope(ctx, s.DB, actor, PermImport, actor.CommitteeID); err != nil {
		return res, err
	}
	if s.Secret == nil {
		return res, apperr.New(apperr.Invalid, "err.assist.no_key")
	}
	rows, err := readRows(file, importColumns, "assist.col.", MaxImportRows)
	if err != nil {
		return res, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		plan, err := s.planImport(ctx, tx, actor.CommitteeID, rows)
		if err != nil {
			return err
		}
		res = ImportResult{Rows: plan.rows, Households: len(plan.households)}
		bw, err := s.newBulkWriter(ctx, tx, actor)
		if err != nil {
			return err
		}
		defer bw.close(ctx)
		var batch []*plannedHousehold
		flush := func() error {
			err := bw.create(ctx, batch)
			batch = batch[:0]
			return err
		}
		for _, ph := range plan.households {
			if ph.existing == 0 {
				res.Created++
				if batch = append(batch, ph); len(batch) == importBatch {
					if err := flush(); err != nil {
						return err
					}
				}
				continue
			}
			same, err := s.sameAsStored(ctx, tx, ph.existing, ph.in)
			if err != nil {
				return err
			}
			if same {
				res.Unchanged++
				continue
			}
			var v int
			if err := tx.QueryRowContext(ctx, `SELECT version FROM assist_households WHERE id = $1`, ph.existing).Scan(&v); err != nil {
				return err
			}
			ph.in.Version = v
			res.Updated++
			if _, err := s.saveHousehold(ctx, tx, actor, ph.existing, &ph.in); err != nil {
				return rowError(err, ph.row)
			}
		}
		if err := flush(); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "import", "assist_household", 0, nil, res)
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// rowError puts a household's first row on field errors the write found
// (a race with another user); the plan has already checked everything.
func rowError(err error, row int) error {
	if e := apperr.As(err); e != nil && len(e.Fields) > 0 {
		for i := range e.Fields {
			e.Fields[i].Row = row
		}
	}
	return err
}

// readRows reads the data rows of cols from an .xlsx workbook (its first
// sheet) or a CSV file (UTF-8, as spreadsheets save it), told apart by their
// first bytes; see collectRows.
func readRows(r io.Reader, cols []importColumn, prefix string, max int) ([]importRow, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if magic, _ := br.Peek(4); !bytes.Equal(magic, []byte("PK\x03\x04")) {
		return csvRows(br, cols, prefix, max)
	}
	f, err := excelize.OpenReader(br, excelize.Options{UnzipSizeLimit: 1 << 30, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, &apperr.Error{Code: apperr.Invalid, Key: "err.assist.import_file", Err: err}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, apperr.New(apperr.Invalid, "err.assist.import_file")
	}
	// excelize's row iterator: the sheet is never held whole.
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, &apperr.Error{Code: apperr.Invalid, Key: "err.assist.import_file", Err: err}
	}
	defer it.Close()
	return collectRows(func() ([]string, error) {
		if !it.Next() {
			if err := it.Error(); err != nil {
				return nil, err
			}
			return nil, io.EOF
		}
		return it.Columns()
	}, cols, prefix, max)
}

// csvRows reads a CSV file (a UTF-8 byte order mark is skipped).
func csvRows(br *bufio.Reader, cols []importColumn, prefix string, max int) ([]importRow, error) {
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord, cr.LazyQuotes, cr.ReuseRecord = -1, true, true
	return collectRows(cr.Read, cols, prefix, max)
}

// collectRows maps the heading (the first row) to column keys and keeps the
// rows after it, compact, skipping blank and example rows; at most max rows.
func collectRows(next func() ([]string, error), cols []importColumn, prefix string, max int) ([]importRow, error) {
	var data []importRow
	var pos map[int]int // file column → position in a row's vals
	keys := map[string]int{}
	for i, c := range cols {
		keys[c.key] = i
	}
	for n := 1; ; n++ {
		row, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &apperr.Error{Code: apperr.Invalid, Key: "err.assist.import_file", Err: err}
		}
		if pos == nil {
			idx, err := columns(row, cols, prefix)
			if len(idx) == 0 { // not a sheet of this import at all (or not a table)
				return nil, apperr.New(apperr.Invalid, "err.assist.import_file")
			}
			if err != nil {
				return nil, err
			}
			pos = map[int]int{}
			for j, k := range idx {
				pos[j] = keys[k]
			}
			continue
		}
		r := importRow{num: n, cells: rowCells{vals: make([]string, len(cols)), idx: keys}}
		blank := true
		for j, v := range row {
			if k, ok := pos[j]; ok {
				r.cells.vals[k] = strings.Clone(strings.TrimSpace(v))
				blank = blank && r.cells.vals[k] == ""
			}
		}
		if blank || (len(row) > 0 && isExample(row[0])) {
			continue
		}
		if len(data) == max {
			return nil, apperr.New(apperr.Invalid, "err.assist.import_too_many", map[string]any{"Max": max})
		}
		data = append(data, r)
	}
	if len(data) == 0 {
		return nil, apperr.New(apperr.Invalid, "err.assist.import_empty")
	}
	return data, nil
}

// plannedHousehold is one household of the file, validated.
type plannedHousehold struct {
	row      int // its first row
	in       HouseholdInput
	existing int64 // the stored household with its registry id, 0 for new
}

type importPlan struct {
	rows       int
	households []*plannedHousehold
}

// importRow is one data row with its cells by column key.
type importRow struct {
	num   int
	cells rowCells
}

// rowCells are a row's cells in the import's column order; idx (shared by
// the rows of a file) maps a column key to its position.
type rowCells struct {
	vals []string
	idx  map[string]int
}

// at is the cell of column key ("" when the file has no such column).
func (c rowCells) at(key string) string {
	if i, ok := c.idx[key]; ok {
		return c.vals[i]
	}
	return ""
}

func normHeader(h string) string {
	return strings.ToLower(strings.Join(strings.Fields(strings.NewReplacer("*", "", "＊", "").Replace(h)), ""))
}

// columns maps the heading row to column keys, refusing a missing required
// column (the columns found are returned with that error).
func columns(header []string, cols []importColumn, prefix string) (map[int]string, error) {
	byName := map[string]string{}
	for _, c := range cols {
		for _, lang := range i18n.Langs {
			byName[normHeader(i18n.T(lang, prefix+c.key))] = c.key
		}
	}
	idx := map[int]string{}
	have := map[string]bool{}
	for i, h := range header {
		if k, ok := byName[normHeader(h)]; ok {
			idx[i], have[k] = k, true
		}
	}
	for _, c := range cols {
		if c.required && !have[c.key] {
			return idx, apperr.New(apperr.Invalid, "err.assist.import_header", map[string]any{"Column": i18n.T("zh", prefix+c.key)})
		}
	}
	return idx, nil
}

func isExample(first string) bool {
	f := strings.ToLower(strings.TrimSpace(first))
	return strings.HasPrefix(f, "（示例）") || strings.HasPrefix(f, "(示例)") || strings.HasPrefix(f, "(example)")
}

// planImport validates every row and groups rows into households; it returns all problems at once.
func (s *Service) planImport(ctx context.Context, q db.Querier, cid int64, data []importRow) (*importPlan, error) {
	villages, err := listVillages(ctx, q, cid)
	if err != nil {
		return nil, err
	}
	stored, err := storedHouseholds(ctx, q, cid)
	if err != nil {
		return nil, err
	}
	storedIDs, err := storedIDHashes(ctx, q, cid)
	if err != nil {
		return nil, err
	}
	var fe []apperr.FieldError
	bad := func(r importRow, key, msg string, args ...map[string]any) {
		e := apperr.Field(i18n.T("zh", "assist.col."+key), msg, args...)
		e.Row = r.num
		fe = append(fe, e)
	}
	plan := &importPlan{rows: len(data)}
	byReg := map[string]*plannedHousehold{}
	sig := map[string]string{} // registry id → the household columns of its first row
	seenID := map[string]int{}
	for _, r := range data {
		hh, m := s.readRow(r, villages, bad)
		reg := hh.RegistryID
		if reg == "" {
			continue
		}
		ph, ok := byReg[reg]
		if !ok {
			ph = &plannedHousehold{row: r.num, in: hh, existing: stored[reg]}
			byReg[reg] = ph
			plan.households = append(plan.households, ph)
			sig[reg] = householdSig(hh)
		} else if householdSig(hh) != sig[reg] {
			bad(r, "registry_id", "err.assist.head_conflict")
		}
		if m.IDNumber != "" && org.IDNumberProblem(m.IDNumber, s.today()) == "" {
			hash, err := s.Secret.Hash(m.IDNumber)
			if err != nil {
				return nil, err
			}
			if other, dup := seenID[hash]; dup {
				bad(r, "id_number", "err.assist.id_number_duplicate_file", map[string]any{"Row": other})
			} else {
				seenID[hash] = r.num
				if owner, ok := storedIDs[hash]; ok && owner != reg {
					bad(r, "id_number", "err.assist.id_number_taken")
				}
			}
		}
		if m.Relation == headRelation {
			ph.in.HeadName = m.Name
		}
		ph.in.Members = append(ph.in.Members, m)
	}
	for _, ph := range plan.households {
		if ph.in.HeadName == "" {
			bad(importRow{num: ph.row}, "relation", "err.assist.head_missing")
		}
	}
	if len(fe) > 0 {
		slices.SortStableFunc(fe, func(a, b apperr.FieldError) int { return a.Row - b.Row })
		return nil, apperr.Fields(fe...)
	}
	return plan, nil
}

// householdSig is the household's own columns, equal on each of its rows.
func householdSig(h HouseholdInput) string {
	return fmt.Sprint(h.VillageID, h.Attribute, h.CauseMain, h.CauseOthers, h.IncomeFen, h.Housing, h.Status, h.LiftedYear, h.GovHelper)
}

var moneyRE = regexp.MustCompile(`^\d{1,12}(\.\d{1,2})?$`)

// readRow reads a row's household and person, reporting each bad cell.
func (s *Service) readRow(r importRow, villages []Village, bad func(importRow, string, string, ...map[string]any)) (HouseholdInput, MemberInput) {
	c := r.cells
	var h HouseholdInput
	for _, col := range importColumns {
		if col.required && c.at(col.key) == "" {
			bad(r, col.key, "err.assist.required")
		}
	}
	h.RegistryID = c.at("registry_id")
	if len(h.RegistryID) > 40 {
		bad(r, "registry_id", "err.assist.too_long")
	}
	if c.at("township") != "" && c.at("village") != "" {
		for _, v := range villages {
			if v.Township == c.at("township") && v.Name == c.at("village") {
				h.VillageID = v.ID
			}
		}
		if h.VillageID == 0 {
			bad(r, "village", "err.assist.village_unknown")
		}
	}
	choice := func(key, list string, codes []string) string {
		if c.at(key) == "" {
			return ""
		}
		v := codeOf(list, codes, c.at(key))
		if v == "" {
			bad(r, key, "err.form.bad_choice")
		}
		return v
	}
	h.Attribute = choice("attribute", "attribute", Attributes)
	h.CauseMain = choice("cause_main", "cause", Causes)
	if others := splitList(c.at("cause_others")); len(others) > 2 {
		bad(r, "cause_others", "err.assist.too_many_causes")
	} else {
		for _, o := range others {
			if v := codeOf("cause", Causes, o); v == "" || v == h.CauseMain {
				bad(r, "cause_others", "err.form.bad_choice")
			} else {
				h.CauseOthers = append(h.CauseOthers, v)
			}
		}
	}
	if v := c.at("income"); v != "" {
		if fen, ok := ParseYuan(v); ok {
			h.IncomeFen = fen
		} else {
			bad(r, "income", "err.assist.money")
		}
	}
	h.Housing, h.GovHelper = c.at("housing"), c.at("gov_helper")
	h.Status = choice("status", "status", Statuses)
	if v := c.at("lifted_year"); v != "" {
		y, err := strconv.Atoi(strings.TrimSuffix(v, "年"))
		if err != nil {
			bad(r, "lifted_year", "err.assist.number")
		}
		h.LiftedYear = y
	}
	if h.Status == "lifted" && (h.LiftedYear < 2013 || h.LiftedYear > 2100) {
		bad(r, "lifted_year", "err.assist.lifted_year")
	}
	m := MemberInput{Name: c.at("name"), Relation: c.at("relation"), Schooling: c.at("schooling"),
		IDNumber: org.NormalizeIDNumber(c.at("id_number")), Phone: org.NormalizePhone(c.at("phone"))}
	m.Gender = choice("gender", "gender", Genders)
	m.Health = choice("health", "health", Healths)
	m.Labour = choice("labour", "labour", Labours)
	if m.IDNumber != "" {
		if p := org.IDNumberProblem(m.IDNumber, s.today()); p != "" {
			bad(r, "id_number", p)
		}
	}
	if m.Phone != "" && !org.ValidPhone(m.Phone) {
		bad(r, "phone", "err.assist.phone_invalid")
	}
	return h, m
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、,，;；/ ", r) }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ParseYuan reads an amount in yuan ("3500", "3500.5") as fen.
func ParseYuan(s string) (int64, bool) {
	s = strings.ReplaceAll(s, ",", "")
	if !moneyRE.MatchString(s) {
		return 0, false
	}
	whole, frac, _ := strings.Cut(s, ".")
	y, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	frac = (frac + "00")[:2]
	f, _ := strconv.ParseInt(frac, 10, 64)
	return y*100 + f, true
}

func storedHouseholds(ctx context.Context, q db.Querier, cid int64) (map[string]int64, error) {
	out := map[string]int64{}
	rows, err := q.QueryContext(ctx, `SELECT registry_id, id FROM assist_households WHERE committee_id = $1`, cid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var reg string
		var id int64
		if err := rows.Scan(&reg, &id); err != nil {
			return nil, err
		}
		out[reg] = id
	}
	return out, rows.Err()
}

// storedIDHashes maps each registered ID number's hash to its household's registry id.
func storedIDHashes(ctx context.Context, q db.Querier, cid int64) (map[string]string, error) {
	out := map[string]string{}
	rows, err := q.QueryContext(ctx, `SELECT m.id_number_hash, h.registry_id FROM assist_household_members m
		JOIN assist_households h ON h.id = m.household_id WHERE m.committee_id = $1 AND m.id_number_hash IS NOT NULL`, cid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var hash, reg string
		if err := rows.Scan(&hash, &reg); err != nil {
			return nil, err
		}
		out[hash] = reg
	}
	return out, rows.Err()
}

// sameAsStored reports whether the stored household already equals in
// (fields, and members with their ID numbers and phones, in order).
func (s *Service) sameAsStored(ctx context.Context, q db.Querier, id int64, in HouseholdInput) (bool, error) {
	h, err := loadHousehold(ctx, q, id)
	if err != nil {
		return false, err
	}
	if h.VillageID != in.VillageID || h.HeadName != in.HeadName || h.Attribute != in.Attribute || h.CauseMain != in.CauseMain ||
		!slices.Equal(h.CauseOthers, in.CauseOthers) || h.IncomeFen != in.IncomeFen || h.Housing != in.Housing ||
		h.Status != in.Status || h.LiftedYear != in.LiftedYear || h.GovHelper != in.GovHelper || len(h.Members) != len(in.Members) {
		return false, nil
	}
	type stored struct {
		name, gender, relation, health, labour, schooling string
		hash                                              sql.NullString
		phone                                             []byte
		id                                                int64
	}
	ms, err := db.Query(ctx, q, func(sc db.Scanner) (stored, error) {
		var m stored
		return m, sc.Scan(&m.id, &m.name, &m.gender, &m.relation, &m.health, &m.labour, &m.schooling, &m.hash, &m.phone)
	}, `SELECT id, name, gender, relation, health, labour, schooling, id_number_hash, phone_enc FROM assist_household_members
		WHERE household_id = $1 ORDER BY sort, id`, id)
	if err != nil {
		return false, err
	}
	for i, m := range ms {
		w := in.Members[i]
		health, labour := cmp.Or(w.Health, "healthy"), cmp.Or(w.Labour, "ordinary")
		if m.name != w.Name || m.gender != w.Gender || m.relation != w.Relation || m.health != health || m.labour != labour || m.schooling != w.Schooling {
			return false, nil
		}
		hash := ""
		if w.IDNumber != "" {
			if hash, err = s.Secret.Hash(w.IDNumber); err != nil {
				return false, err
			}
		}
		if m.hash.String != hash {
			return false, nil
		}
		phone := ""
		if len(m.phone) > 0 {
			p, err := s.Secret.Open(m.phone, m.id)
			if err != nil {
				return false, err
			}
			phone = strings.TrimPrefix(p, "phone:")
		}
		if phone != w.Phone {
			return false, nil
		}
	}
	return true, nil
}

// templateColumns are the headings of an import template in lang: each
// column's label (key prefix + key), required ones marked *, all text cells.
func templateColumns(lang, prefix string, columns []importColumn) []sheet.Column {
	cols := make([]sheet.Column, len(columns))
	for i, c := range columns {
		h := i18n.T(lang, prefix+c.key)
		if c.required {
			h += "*"
		}
		cols[i] = sheet.Column{Head: h, Width: 14, Kind: sheet.Text}
	}
	return cols
}

// HouseholdTemplate returns the import template in lang: the headings
// (required ones marked *), an example household of two rows (skipped on
// import, marked （示例）), the coded values written as their labels.
func (s *Service) HouseholdTemplate(ctx context.Context, actor *auth.Actor, lang string) ([]byte, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, PermImport, actor.CommitteeID); err != nil {
		return nil, err
	}
	sh, err := sheet.New(i18n.T(lang, "assist.sheet.households"), templateColumns(lang, "assist.col.", importColumns))
	if err != nil {
		return nil, err
	}
	ex := i18n.T(lang, "assist.example")
	id1 := "53032519800101123" + string(org.IDCheckChar("53032519800101123"))
	id2 := "53032520100202124" + string(org.IDCheckChar("53032520100202124"))
	label := func(list, code string) string { return i18n.T(lang, "assist."+list+"."+code) }
	for _, r := range [][]any{
		{ex + "5303250101001", "中安街道", "西关社区", label("attribute", "dibao"), label("cause", "illness"), label("cause", "labour"),
			"3500", "砖混", label("status", "poor"), "", "县扶贫办 李某", "张某", label("gender", "male"), id1, headRelation,
			label("health", "chronic"), label("labour", "weak"), "", "13800000000"},
		{ex + "5303250101001", "中安街道", "西关社区", label("attribute", "dibao"), label("cause", "illness"), label("cause", "labour"),
			"3500", "砖混", label("status", "poor"), "", "县扶贫办 李某", "张某某", label("gender", "female"), id2, "之女",
			label("health", "healthy"), label("labour", "none"), "小学", ""},
	} {
		if err := sh.Row(r...); err != nil {
			sh.Close()
			return nil, err
		}
	}
	var buf bytes.Buffer
	if _, err := sh.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
