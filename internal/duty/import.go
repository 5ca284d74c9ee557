package duty

import (
	"context"
	"database/sql"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// Past years: a committee that starts with the platform mid-term imports its
// earlier years' scores and grades from its spreadsheet. They are kept as
// imported (duty_imported_scores, with the file and who imported it in
// duty_imports), shown in members' score history and counted by the exit
// rules (不称职 in the term). A year the platform scores itself (it has rules)
// cannot be imported.

// Import is one imported file.
type Import struct {
	ID         int64     `json:"id"`
	Year       int       `json:"year"`
	FileName   string    `json:"file_name"`
	Rows       int       `json:"rows"`
	ImportedAt time.Time `json:"imported_at"`
}

// importHeaders are the accepted headings of each column (Chinese first).
var importHeaders = map[string][]string{
	"name":  {"姓名", "委员", "name"},
	"score": {"得分", "总分", "分数", "score"},
	"grade": {"等次", "等级", "考核等次", "grade"},
}

// gradeWords maps how sheets write grades to grade codes.
var gradeWords = map[string]string{"优秀": Excellent, "良好": Good, "称职": Competent, "基本称职": Competent,
	"不称职": Incompetent, "excellent": Excellent, "good": Good, "competent": Competent, "incompetent": Incompetent,
	"not competent": Incompetent}

// maxImportRows bounds one file.
const maxImportRows = 5000

// ImportYear reads a year's scores from an .xlsx file (first sheet: a heading
// row with 姓名, 得分, 等次, then one row per member) and keeps them, replacing
// an earlier import of that year. Every bad row is reported (Row set) and
// nothing is written unless the whole file is good.
func (s *Service) ImportYear(ctx context.Context, actor *auth.Actor, committeeID int64, year int, fileName string, file io.Reader) (*Import, error) {
	if year < 2000 || year > 2100 {
		return nil, apperr.Fields(apperr.Field("year", "err.form.out_of_range", map[string]any{"Min": 2000, "Max": 2100}))
	}
	// Refuse before reading a file the actor may not import.
	if err := checkScope(ctx, s.DB, actor, Manage, committeeID); err != nil {
		return nil, err
	}
	rows, err := readRows(file)
	if err != nil {
		return nil, err
	}
	var out *Import
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkScope(ctx, tx, actor, Manage, committeeID); err != nil {
			return err
		}
		if rs, err := loadRuleSet(ctx, tx, committeeID, year); err != nil {
			return err
		} else if rs != nil {
			return apperr.Fields(apperr.Field("year", "err.duty.import_has_rules", map[string]any{"Year": year}))
		}
		plan, err := planImport(ctx, tx, committeeID, year, rows)
		if err != nil {
			return err
		}
		out = &Import{Year: year, FileName: fileName, Rows: len(plan), ImportedAt: db.Now()}
		if err := tx.QueryRowContext(ctx, `INSERT INTO duty_imports (committee_id, year, file_name, row_count, imported_by, imported_at)
			VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`, committeeID, year, fileName, len(plan), userRef(actor), out.ImportedAt).Scan(&out.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM duty_imported_scores WHERE committee_id = $1 AND year = $2`, committeeID, year); err != nil {
			return err
		}
		for _, p := range plan {
			if _, err := tx.ExecContext(ctx, `INSERT INTO duty_imported_scores (committee_id, year, membership_id, import_id, score, grade)
				VALUES ($1,$2,$3,$4,$5,$6)`, committeeID, year, p.membership, out.ID, p.score, p.grade); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, actor, committeeID, "import", "duty_import", out.ID, nil, out)
	})
	return out, err
}

// Imports lists a committee's imported files, newest first.
func (s *Service) Imports(ctx context.Context, actor *auth.Actor, committeeID int64) ([]Import, error) {
	var out []Import
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if err := checkScope(ctx, tx, actor, View, committeeID); err != nil {
			return err
		}
		var err error
		out, err = db.Query(ctx, tx, func(sc db.Scanner) (Import, error) {
			var i Import
			var at db.Time
			err := sc.Scan(&i.ID, &i.Year, &i.FileName, &i.Rows, &at)
			i.ImportedAt = at.Time
			return i, err
		}, `SELECT id, year, file_name, row_count, imported_at FROM duty_imports WHERE committee_id = $1 ORDER BY id DESC`, committeeID)
		return err
	})
	return out, err
}

// readRows reads the first sheet's rows; an unreadable file is a field error.
func readRows(file io.Reader) ([][]string, error) {
	f, err := excelize.OpenReader(file)
	if err != nil {
		return nil, apperr.Fields(apperr.Field("file", "err.duty.import_unreadable"))
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil || len(rows) == 0 {
		return nil, apperr.Fields(apperr.Field("file", "err.duty.import_unreadable"))
	}
	if len(rows) > maxImportRows+1 {
		return nil, apperr.Fields(apperr.Field("file", "err.duty.import_too_many", map[string]any{"Max": maxImportRows}))
	}
	return rows, nil
}

type importRow struct {
	membership, score int64
	grade             string
}

// planImport checks every row against the year's members and returns what to
// write, or every row's errors.
func planImport(ctx context.Context, tx *sql.Tx, committeeID int64, year int, rows [][]string) ([]importRow, error) {
	col := map[string]int{}
	for i, h := range rows[0] {
		h = strings.ToLower(strings.TrimSpace(h))
		for key, names := range importHeaders {
			for _, n := range names {
				if h == n {
					col[key] = i
				}
			}
		}
	}
	var fs []apperr.FieldError
	for _, key := range []string{"name", "score", "grade"} {
		if _, ok := col[key]; !ok {
			fs = append(fs, apperr.FieldError{Row: 1, Field: importHeaders[key][0], Key: "err.duty.import_no_column"})
		}
	}
	if len(fs) > 0 {
		return nil, apperr.Fields(fs...)
	}
	ms, err := scoredMembers(ctx, tx, committeeID, year)
	if err != nil {
		return nil, err
	}
	byName := map[string][]int64{}
	for _, m := range ms {
		byName[m.name] = append(byName[m.name], m.id)
	}
	cell := func(r []string, key string) string {
		if i := col[key]; i < len(r) {
			return strings.TrimSpace(r[i])
		}
		return ""
	}
	var plan []importRow
	seen := map[int64]int{}
	for i, r := range rows[1:] {
		n := i + 2 // the spreadsheet's row number
		name, score, grade := cell(r, "name"), cell(r, "score"), cell(r, "grade")
		if name == "" && score == "" && grade == "" {
			continue
		}
		bad := func(key, msg string, args ...map[string]any) {
			fe := apperr.Field(importHeaders[key][0], msg, args...)
			fe.Row = n
			fs = append(fs, fe)
		}
		p := importRow{}
		switch ids := byName[name]; {
		case name == "":
			bad("name", "err.duty.import_name_required")
		case len(ids) == 0:
			bad("name", "err.duty.import_no_member", map[string]any{"Name": name, "Year": year})
		case len(ids) > 1:
			bad("name", "err.duty.import_ambiguous", map[string]any{"Name": name})
		case seen[ids[0]] != 0:
			bad("name", "err.duty.import_duplicate", map[string]any{"Row": seen[ids[0]]})
		default:
			p.membership = ids[0]
			seen[ids[0]] = n
		}
		pts, err := ParsePoints("score", score)
		if err != nil || pts < 0 || pts > maxPoints {
			bad("score", "err.duty.bad_points")
		}
		p.score = pts
		g, ok := gradeWords[strings.ToLower(grade)]
		if !ok {
			bad("grade", "err.duty.import_grade", map[string]any{"Value": grade})
		}
		p.grade = g
		plan = append(plan, p)
	}
	if len(fs) > 0 {
		return nil, apperr.Fields(fs...)
	}
	if len(plan) == 0 {
		return nil, apperr.Fields(apperr.Field("file", "err.duty.import_empty"))
	}
	return plan, nil
}

// importedYears returns a member's imported years as history rows.
func importedYears(ctx context.Context, q db.Querier, committeeID, membershipID int64) ([]YearScore, error) {
	return db.Query(ctx, q, func(sc db.Scanner) (YearScore, error) {
		y := YearScore{Imported: true}
		return y, sc.Scan(&y.Year, &y.Total, &y.Grade)
	}, `SELECT year, score, grade FROM duty_imported_scores WHERE committee_id = $1 AND membership_id = $2 ORDER BY year`,
		committeeID, membershipID)
}
