package report

import (
	"context"
	"database/sql"
	"slices"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/figure"
	"lvzhi/internal/org"
)

// Roll-ups: a higher committee reads each figure of the annual report for
// itself (its own records), for each committee below it (that committee's
// whole subtree), and for the whole subtree, which is the sum of the others
// for every count; or, by level, compares the committees of one level below it
// side by side (a province its counties). Every cell is a registry value under
// its own filter, so every cell opens its records.

// RollCol is one column: a committee and the filter of its cell values.
type RollCol struct {
	CommitteeID int64
	Name        string
	Kind        string // "own", "below" (a committee below, with its subtree) or "total"
	Filter      figure.Filter
}

// RollRow is one figure across the columns.
type RollRow struct {
	Def    figure.Def
	Values []figure.Value // one per column
}

// RollUp is the table.
type RollUp struct {
	Committee string
	Year      int
	Level     string // "" for the committees directly below
	Cols      []RollCol
	Rows      []RollRow
}

// RollUp computes the report's registered figures of a year for committeeID
// and the committees below it: directly below (level ""), or every committee
// of level below it. The actor reads the committee's figures (auth.ViewReports;
// a higher committee reads down); any other committee is not found.
func (s *Service) RollUp(ctx context.Context, actor *auth.Actor, committeeID int64, year int, level string) (*RollUp, error) {
	if level != "" && !slices.Contains(org.Levels, level) {
		return nil, apperr.Fields(apperr.Field("level", "err.report.bad_level"))
	}
	ru := &RollUp{Year: year, Level: level}
	var below []RollCol
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		sc, err := auth.CheckScope(ctx, tx, actor, auth.ViewReports, committeeID)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT name FROM committees WHERE id = $1`, committeeID).Scan(&ru.Committee); err != nil {
			return err
		}
		q := `SELECT id, name FROM committees WHERE parent_id = $1 ORDER BY code, id`
		args := []any{committeeID}
		if level != "" {
			q = `SELECT id, name FROM committees WHERE path LIKE $1 AND id <> $2 AND level = $3 ORDER BY code, id`
			args = []any{sc.Path + "%", committeeID, level}
		}
		below, err = readCols(ctx, tx, q, args...)
		return err
	})
	if err != nil {
		return nil, err
	}
	f := figure.YearFilter(committeeID, year)
	total := f
	total.Subtree = true
	if level == "" {
		ru.Cols = append(ru.Cols, RollCol{CommitteeID: committeeID, Name: ru.Committee, Kind: "own", Filter: f})
	}
	for _, c := range below {
		c.Filter = figure.YearFilter(c.CommitteeID, year)
		c.Filter.Subtree, c.Kind = true, "below"
		ru.Cols = append(ru.Cols, c)
	}
	ru.Cols = append(ru.Cols, RollCol{CommitteeID: committeeID, Name: ru.Committee, Kind: "total", Filter: total})
	ids, areas := s.reportFigures()
	values := make([]map[string]figure.Value, len(ru.Cols))
	for i, c := range ru.Cols {
		set, err := s.readable(ctx, actor, c.Filter, areas)
		if err != nil {
			return nil, err
		}
		values[i] = map[string]figure.Value{}
		for _, v := range set.Values {
			values[i][v.ID] = v
		}
	}
	for _, id := range ids {
		if _, ok := values[len(values)-1][id]; !ok {
			continue // an area the reader may not read
		}
		row := RollRow{}
		for i := range ru.Cols {
			v, ok := values[i][id]
			if !ok {
				v = figure.Value{Def: row.Def}
			}
			row.Def = v.Def
			row.Values = append(row.Values, v)
		}
		ru.Rows = append(ru.Rows, row)
	}
	return ru, nil
}

// reportFigures are the figures the annual report cites that are registered,
// each once in citation order, and their areas.
func (s *Service) reportFigures() (ids, areas []string) {
	for _, sd := range Sections {
		for _, id := range sd.Cites() {
			src, _, ok := s.Figures.Lookup(id)
			if !ok || slices.Contains(ids, id) {
				continue
			}
			ids = append(ids, id)
			if !slices.Contains(areas, src.Area()) {
				areas = append(areas, src.Area())
			}
		}
	}
	return ids, areas
}

// readCols reads (id, name) rows as columns.
func readCols(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]RollCol, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RollCol
	for rows.Next() {
		var c RollCol
		if err := rows.Scan(&c.CommitteeID, &c.Name); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
