package report

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"lvzhi/internal/apperr"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/figure"
)

const reportCols = `r.id, r.committee_id, r.kind, r.year, r.title, r.state, r.sections, r.final_on, r.final_at,
	r.final_by, r.version, r.created_at, r.updated_at`

func scanReport(sc db.Scanner) (*Report, error) {
	var r Report
	var sections string
	var finalOn sql.NullString
	var finalAt, created, updated db.Time
	var finalBy sql.NullInt64
	if err := sc.Scan(&r.ID, &r.CommitteeID, &r.Kind, &r.Year, &r.Title, &r.State, &sections, &finalOn, &finalAt,
		&finalBy, &r.Version, &created, &updated); err != nil {
		return nil, err
	}
	if finalOn.Valid && finalOn.String != "" {
		d, err := civil.Parse(finalOn.String)
		if err != nil {
			return nil, err
		}
		r.FinalOn = d
	}
	if sections != "" {
		if err := json.Unmarshal([]byte(sections), &r.Sections); err != nil {
			return nil, err
		}
	}
	r.FinalAt, r.CreatedAt, r.UpdatedAt, r.FinalBy = finalAt.Time, created.Time, updated.Time, finalBy.Int64
	return &r, nil
}

// load reads one report of the committee (lock: FOR UPDATE on PostgreSQL).
func load(ctx context.Context, q db.Querier, committeeID, id int64, lock string) (*Report, error) {
	r, err := scanReport(q.QueryRowContext(ctx, `SELECT `+reportCols+` FROM reports r WHERE r.id = $1 AND r.committee_id = $2`+lock,
		id, committeeID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	r.Texts, err = loadTexts(ctx, q, r)
	return r, err
}

func loadTexts(ctx context.Context, q db.Querier, r *Report) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT section, place, body FROM report_texts WHERE committee_id = $1 AND report_id = $2`,
		r.CommitteeID, r.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var section, place, body string
		if err := rows.Scan(&section, &place, &body); err != nil {
			return nil, err
		}
		out[TextKey(section, place)] = body
	}
	return out, rows.Err()
}

// frozenFigure is one figure of a finalised report.
type frozenFigure struct {
	figure.Value
	Columns []string
}

// loadFrozen reads a finalised report's figures, in the order they were frozen.
func loadFrozen(ctx context.Context, q db.Querier, r *Report) ([]frozenFigure, error) {
	return db.Query(ctx, q, func(sc db.Scanner) (frozenFigure, error) {
		var f frozenFigure
		var measure, cols string
		err := sc.Scan(&f.ID, &f.Area, &f.Unit, &measure, &f.Den, &f.Value.Value, &f.DenValue, &cols)
		f.Measure = figure.Measure(measure)
		if err == nil {
			err = json.Unmarshal([]byte(cols), &f.Columns)
		}
		return f, err
	}, `SELECT figure_id, area, unit, measure, den, value, den_value, columns FROM report_figures
		WHERE committee_id = $1 AND report_id = $2 ORDER BY position`, r.CommitteeID, r.ID)
}

// FrozenRecord is one record a frozen figure counted, as its records page read
// when the report was finalised.
type FrozenRecord struct {
	ID     int64    `json:"id"`
	Amount int64    `json:"amount,omitempty"`
	Link   string   `json:"link,omitempty"`
	Cells  []string `json:"cells"`
}

// loadFrozenRecords reads the records of one frozen figure.
func loadFrozenRecords(ctx context.Context, q db.Querier, r *Report, figureID string) ([]FrozenRecord, error) {
	return db.Query(ctx, q, func(sc db.Scanner) (FrozenRecord, error) {
		var x FrozenRecord
		var cells string
		err := sc.Scan(&x.ID, &x.Amount, &x.Link, &cells)
		if err == nil {
			err = json.Unmarshal([]byte(cells), &x.Cells)
		}
		return x, err
	}, `SELECT record_id, amount, link, cells FROM report_figure_records
		WHERE committee_id = $1 AND report_id = $2 AND figure_id = $3 ORDER BY position`, r.CommitteeID, r.ID, figureID)
}

// snapshot is what finalising writes: each figure with its records.
type snapshot struct {
	Figures []frozenFigure
	Records map[string][]FrozenRecord
}

// writeSnapshot inserts the frozen figures and their records (in batches).
func writeSnapshot(ctx context.Context, tx *sql.Tx, r *Report, snap *snapshot) error {
	for i, f := range snap.Figures {
		cols, err := json.Marshal(f.Columns)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_figures (committee_id, report_id, figure_id, position, area, unit,
			measure, den, value, den_value, columns) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
			r.CommitteeID, r.ID, f.ID, i, f.Area, f.Unit, string(f.Measure), f.Den, f.Value.Value, f.DenValue, string(cols)); err != nil {
			return err
		}
		if err := insertRecords(ctx, tx, r, f.ID, snap.Records[f.ID]); err != nil {
			return err
		}
	}
	return nil
}

const recordBatch = 200

func insertRecords(ctx context.Context, tx *sql.Tx, r *Report, figureID string, recs []FrozenRecord) error {
	for start := 0; start < len(recs); start += recordBatch {
		end := min(start+recordBatch, len(recs))
		var a db.Args
		q := `INSERT INTO report_figure_records (committee_id, report_id, figure_id, position, record_id, amount, link, cells) VALUES `
		for i := start; i < end; i++ {
			cells, err := json.Marshal(recs[i].Cells)
			if err != nil {
				return err
			}
			if i > start {
				q += ","
			}
			q += "(" + a.Add(r.CommitteeID) + "," + a.Add(r.ID) + "," + a.Add(figureID) + "," + a.Add(i) + "," +
				a.Add(recs[i].ID) + "," + a.Add(recs[i].Amount) + "," + a.Add(recs[i].Link) + "," + a.Add(string(cells)) + ")"
		}
		if _, err := tx.ExecContext(ctx, q, a...); err != nil {
			return err
		}
	}
	return nil
}
