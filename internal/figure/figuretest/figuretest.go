// Package figuretest holds every area's figures to the figure contract: the
// records a figure lists are exactly what it counts.
package figuretest

import (
	"context"
	"testing"

	"lvzhi/internal/auth"
	"lvzhi/internal/figure"
)

// CheckRecords computes every figure of src for f as actor and checks, for
// each, that its records, listed page by page and streamed for export, are as
// many as its value (a Count figure) or that their amounts sum to it (a Sum
// figure), and that a rate's denominator is a figure of the same set. It
// returns the values, for further assertions.
func CheckRecords(t testing.TB, ctx context.Context, src figure.Source, actor *auth.Actor, f figure.Filter) []figure.Value {
	t.Helper()
	vs, err := src.Figures(ctx, actor, f)
	if err != nil {
		t.Fatalf("%s figures: %v", src.Area(), err)
	}
	if len(vs) == 0 {
		t.Fatalf("%s: no figures", src.Area())
	}
	ids := map[string]int64{}
	for _, v := range vs {
		ids[v.ID] = v.Value
	}
	for _, v := range vs {
		if v.Area != src.Area() {
			t.Errorf("%s: area %q, want %q", v.ID, v.Area, src.Area())
		}
		if v.Den != "" {
			den, ok := ids[v.Den]
			if !ok || den != v.DenValue {
				t.Errorf("%s: denominator %s = %d (computed %v) but the set has %d", v.ID, v.Den, v.DenValue, ok, den)
			}
		}
		if _, ok := src.Lookup(v.ID); !ok {
			t.Errorf("%s: listed but not found by Lookup", v.ID)
		}
		paged, total := pagedMeasure(t, ctx, src, actor, f, v.Def)
		var streamed int64
		if _, err := src.Each(ctx, actor, f, v.ID, func(r figure.Record) error {
			streamed += measureOf(v.Def, r)
			return nil
		}); err != nil {
			t.Fatalf("%s each: %v", v.ID, err)
		}
		if paged != v.Value || streamed != v.Value || (v.Measure == figure.Count && int64(total) != v.Value) {
			t.Errorf("%s = %d but its records give %d paged (total %d) and %d streamed", v.ID, v.Value, paged, total, streamed)
		}
	}
	return vs
}

// pagedMeasure walks every page of a figure's records.
func pagedMeasure(t testing.TB, ctx context.Context, src figure.Source, actor *auth.Actor, f figure.Filter, d figure.Def) (int64, int) {
	t.Helper()
	const limit = 37 // an odd page size, so page boundaries are crossed
	var sum int64
	total := -1
	for off := 0; ; off += limit {
		pg, err := src.Records(ctx, actor, f, d.ID, off, limit)
		if err != nil {
			t.Fatalf("%s records at %d: %v", d.ID, off, err)
		}
		if total >= 0 && pg.Total != total {
			t.Fatalf("%s: total changed between pages (%d, %d)", d.ID, total, pg.Total)
		}
		total = pg.Total
		for _, r := range pg.Records {
			if len(r.Cells) != len(pg.Columns) {
				t.Fatalf("%s: record %d has %d cells for %d columns", d.ID, r.ID, len(r.Cells), len(pg.Columns))
			}
			sum += measureOf(d, r)
		}
		if len(pg.Records) < limit {
			return sum, total
		}
	}
}

func measureOf(d figure.Def, r figure.Record) int64 {
	if d.Measure == figure.Sum {
		return r.Amount
	}
	return 1
}
