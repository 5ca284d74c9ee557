package assist

import (
	"context"
	"database/sql"
	"slices"
	"strconv"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/figure"
)

// BreakdownFigures are the figures a breakdown shows for each row: 帮扶次数,
// 帮扶资金 (fen) and the households helped.
var BreakdownFigures = []string{"assist.records", "assist.funds", "assist.households_helped"}

// BreakdownBy are the dimensions a breakdown splits by.
var BreakdownBy = []string{"kind", "campaign", "member"}

// Breakdown is the assistance figures split by one record dimension: each
// row is the figures with that dimension set, so a row's value is the
// figure's value for the same filter (one definition, the registered one)
// and its records are the figure's records for that row.
type Breakdown struct {
	By      string         `json:"by"`
	Filter  figure.Filter  `json:"filter"`
	Figures []figure.Def   `json:"figures"`
	Rows    []BreakdownRow `json:"rows"`
	Total   BreakdownRow   `json:"total"` // the figures without the dimension
}

// BreakdownRow is one value of the dimension (a kind's code, a campaign's or
// membership's id) with its label and the figures' values in Figures order.
type BreakdownRow struct {
	Key    string  `json:"key"`
	Label  string  `json:"label"` // a campaign's or member's name; kinds are labelled by the pages
	Values []int64 `json:"values"`
}

// Breakdown computes the breakdown of the filter by "kind", "campaign" or
// "member". Kinds list every kind, campaigns every campaign of the
// committee, members those named on at least one record the total counts.
func (s *Service) Breakdown(ctx context.Context, actor *auth.Actor, f figure.Filter, by string) (Breakdown, error) {
	out := Breakdown{By: by, Filter: f}
	if !slices.Contains(BreakdownBy, by) {
		return out, apperr.Fields(apperr.Field("by", "err.form.bad_choice"))
	}
	if actor == nil || !auth.Can(actor, PermView) {
		return out, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	f = f.WithDim(by, "")
	defs := make([]figureDef, len(BreakdownFigures))
	for i, id := range BreakdownFigures {
		defs[i], _ = lookup(id)
		out.Figures = append(out.Figures, defs[i].Def)
	}
	src := source{s}
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		path, err := src.check(ctx, tx, actor, f)
		if err != nil {
			return err
		}
		rows, err := breakdownKeys(ctx, tx, actor, f, path, by)
		if err != nil {
			return err
		}
		values := func(fl figure.Filter) ([]int64, error) {
			var vs []int64
			for _, fd := range defs {
				var a db.Args
				var v int64
				if err := tx.QueryRowContext(ctx, fd.valueSQL(&a, actor, fl, path), a...).Scan(&v); err != nil {
					return nil, err
				}
				vs = append(vs, v)
			}
			return vs, nil
		}
		for _, r := range rows {
			if r.Values, err = values(f.WithDim(by, r.Key)); err != nil {
				return err
			}
			out.Rows = append(out.Rows, r)
		}
		out.Total.Values, err = values(f)
		return err
	})
	return out, err
}

// breakdownKeys lists the rows of a breakdown (without values).
func breakdownKeys(ctx context.Context, tx *sql.Tx, actor *auth.Actor, f figure.Filter, path, by string) ([]BreakdownRow, error) {
	scan := func(sc db.Scanner) (BreakdownRow, error) {
		var r BreakdownRow
		var id int64
		err := sc.Scan(&id, &r.Label)
		r.Key = strconv.FormatInt(id, 10)
		return r, err
	}
	switch by {
	case "campaign":
		return db.Query(ctx, tx, scan, `SELECT id, name FROM assist_campaigns WHERE committee_id = $1 ORDER BY starts_on, id`, f.CommitteeID)
	case "member":
		// The members named on the records the total counts: the figure's own WHERE.
		fd, _ := lookup("assist.records")
		var a db.Args
		w := fd.where(&a, actor, f, path)
		return db.Query(ctx, tx, scan, `SELECT m.id, p.name FROM memberships m JOIN people p ON p.id = m.person_id
			WHERE m.id IN (SELECT rm.membership_id FROM assist_record_members rm WHERE rm.record_id IN (SELECT r.id FROM `+
			recordBase.from+` WHERE `+w+`)) ORDER BY m.id`, a...)
	}
	var out []BreakdownRow
	for _, k := range RecordKinds {
		out = append(out, BreakdownRow{Key: k})
	}
	return out, nil
}
