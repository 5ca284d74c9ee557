package report

import (
	"context"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/figure"
)

func (stubSource) Area() string { return "stub" }

func (s stubSource) Lookup(id string) (figure.Def, bool) {
	if _, ok := s.values[id]; !ok {
		return figure.Def{}, false
	}
	return figure.Def{ID: id, Area: "stub", Counts: "item", Measure: figure.Count, Unit: "item"}, true
}

func (s stubSource) Figures(_ context.Context, _ *auth.Actor, _ figure.Filter) ([]figure.Value, error) {
	var out []figure.Value
	for id, v := range s.values {
		d, _ := s.Lookup(id)
		out = append(out, figure.Value{Def: d, Value: v})
	}
	return out, nil
}

func (s stubSource) Records(ctx context.Context, a *auth.Actor, f figure.Filter, id string, offset, limit int) (*figure.Page, error) {
	var recs []figure.Record
	pg, err := s.Each(ctx, a, f, id, func(r figure.Record) error { recs = append(recs, r); return nil })
	if err != nil {
		return nil, err
	}
	pg.Total, pg.Offset, pg.Limit = len(recs), offset, limit
	pg.Records = recs[min(offset, len(recs)):min(offset+limit, len(recs))]
	return pg, nil
}

func (s stubSource) Each(_ context.Context, _ *auth.Actor, _ figure.Filter, id string, fn func(figure.Record) error) (*figure.Page, error) {
	d, ok := s.Lookup(id)
	if !ok {
		return nil, apperr.ErrNotFound
	}
	for i := int64(1); i <= s.values[id]; i++ {
		if err := fn(figure.Record{ID: i, Cells: []any{"记录"}}); err != nil {
			return nil, err
		}
	}
	return &figure.Page{Figure: d, Columns: []string{"title"}}, nil
}
