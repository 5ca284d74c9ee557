package org

import (
	"context"
	"database/sql"
	"errors"
	"io"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
)

// ImportUnits reads a unit workbook (see UnitTemplate) into the committee:
// nothing is written unless the whole file is valid, then all of it in one
// transaction (a committee has tens of units, not thousands). A row whose unit name already
// exists updates that unit; identical rows are left alone.
func (s *Service) ImportUnits(ctx context.Context, actor *auth.Actor, committeeID int64, file io.Reader) (ImportResult, error) {
	return s.ImportUnitsWith(ctx, actor, committeeID, file, nil)
}

// ImportUnitsWith is ImportUnits running hook (nil: none) with every unit of
// the file, in the import's one transaction.
func (s *Service) ImportUnitsWith(ctx context.Context, actor *auth.Actor, committeeID int64, file io.Reader, hook ImportHook) (ImportResult, error) {
	var res ImportResult
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.ImportOrg, committeeID); err != nil {
		return res, err
	}
	rows, err := readSheet(file)
	if err != nil {
		return res, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		plan, err := planUnits(rows)
		if err != nil {
			return err
		}
		return audit.Batched(ctx, tx, func(ctx context.Context) error { // see applyInChunks
			var ids []int64
			if res, ids, err = applyUnits(ctx, tx, actor, committeeID, plan); err != nil || hook == nil {
				return err
			}
			return hook(ctx, tx, ids)
		})
	})
	return res, err
}

// unitFieldColumn maps UnitInput's field names onto sheet column keys.
var unitFieldColumn = map[string]string{"name": "unit_name", "kind": "unit_kind", "contact_name": "contact_name", "contact_phone": "contact_phone"}

func planUnits(rows [][]string) ([]UnitInput, error) {
	if len(rows) == 0 {
		return nil, apperr.New(apperr.Invalid, "err.org.empty_file")
	}
	idx, names, err := sheetColumns(rows[0], unitColumns)
	if err != nil {
		return nil, err
	}
	data := dataRows(rows, idx, names)
	if len(data) == 0 {
		return nil, apperr.New(apperr.Invalid, "err.org.empty_file")
	}
	if len(data) > MaxImportRows {
		return nil, apperr.New(apperr.Invalid, "err.org.too_many_rows", map[string]any{"Max": MaxImportRows})
	}
	var errs []apperr.FieldError
	var plan []UnitInput
	seen := map[string]int{}
	for _, row := range data {
		var fs []apperr.FieldError
		in := UnitInput{Name: row.get("unit_name"), ContactName: row.get("contact_name"), ContactPhone: row.get("contact_phone")}
		if v := row.get("unit_kind"); v != "" {
			c, ok := ParseCode(UnitKinds, "unit_kind", v)
			if !ok {
				fs = append(fs, row.fieldErr("unit_kind", "err.org.choice_invalid", nil))
				c = "other" // reported; keep validate from reporting the cell again
			}
			in.Kind = c
		}
		active, ok := parseYesNo(row.get("active"), true)
		if !ok {
			fs = append(fs, row.fieldErr("active", "err.org.yes_no", nil))
		}
		in.Active = active
		for _, fe := range in.validate() {
			fs = append(fs, row.fieldErr(unitFieldColumn[fe.Field], fe.Key, fe.Args))
		}
		if in.Name != "" {
			key := normHeader(in.Name)
			if other, dup := seen[key]; dup {
				fs = append(fs, row.fieldErr("unit_name", "err.org.duplicate_in_file", map[string]any{"Other": other}))
			} else {
				seen[key] = row.num
			}
		}
		errs = append(errs, fs...)
		plan = append(plan, in)
	}
	if len(errs) > 0 {
		sortRowErrors(errs, idx, names)
		return nil, &apperr.Error{Code: apperr.Invalid, Key: "err.org.import_failed", Args: map[string]any{"Count": len(errs)}, Fields: errs}
	}
	return plan, nil
}

func applyUnits(ctx context.Context, tx *sql.Tx, actor *auth.Actor, committeeID int64, plan []UnitInput) (res ImportResult, ids []int64, err error) {
	res.Rows = len(plan)
	for _, in := range plan {
		before, err := scanUnit(tx.QueryRowContext(ctx, `SELECT `+unitCols+` FROM units WHERE committee_id = $1 AND name = $2`, committeeID, in.Name))
		if errors.Is(err, sql.ErrNoRows) {
			u, err := insertUnit(ctx, tx, actor, committeeID, in)
			if err != nil {
				return res, ids, err
			}
			ids = append(ids, u.ID)
			res.Created++
			continue
		}
		if err != nil {
			return res, ids, err
		}
		ids = append(ids, before.ID)
		if before.Kind == in.Kind && before.ContactName == in.ContactName && before.ContactPhone == in.ContactPhone && before.Active == in.Active {
			res.Unchanged++
			continue
		}
		in.Version = before.Version
		if _, err := updateUnit(ctx, tx, actor, before, in); err != nil {
			return res, ids, err
		}
		res.Updated++
	}
	return res, ids, audit.Record(ctx, tx, actor, committeeID, "import", "unit", 0, nil,
		map[string]any{"rows": res.Rows, "created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged})
}
