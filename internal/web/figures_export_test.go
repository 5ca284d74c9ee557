package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/figure"
)

// bulkSource is a figure source of many records ("bulk.rows": n records of a
// title, a number and a date; "bulk.broken": fails after half of them), read
// by its committee's staff only.
type bulkSource struct {
	n         int
	committee int64
}

func (bulkSource) Area() string { return "bulk" }

func (bulkSource) Lookup(id string) (figure.Def, bool) {
	if id != "bulk.rows" && id != "bulk.broken" {
		return figure.Def{}, false
	}
	return figure.Def{ID: id, Area: "bulk", Counts: "item", Measure: figure.Count, Unit: "item"}, true
}

func (b bulkSource) Figures(context.Context, *auth.Actor, figure.Filter) ([]figure.Value, error) {
	return nil, nil
}

func (b bulkSource) Records(ctx context.Context, a *auth.Actor, f figure.Filter, id string, offset, limit int) (*figure.Page, error) {
	pg := &figure.Page{Offset: offset, Limit: limit, Total: b.n}
	full, err := b.Each(ctx, a, f, id, func(r figure.Record) error {
		if r.ID > int64(offset) && len(pg.Records) < limit {
			pg.Records = append(pg.Records, r)
		}
		return nil
	})
	if err != nil && !errors.Is(err, errBulk) {
		return nil, err
	}
	pg.Figure, pg.Columns = full.Figure, full.Columns
	return pg, nil
}

var errBulk = errors.New("bulk: the source failed half way")

func (b bulkSource) Each(_ context.Context, a *auth.Actor, f figure.Filter, id string, fn func(figure.Record) error) (*figure.Page, error) {
	d, ok := b.Lookup(id)
	if !ok || f.CommitteeID != b.committee || a.CommitteeID != b.committee {
		return nil, apperr.ErrNotFound
	}
	if !a.Has(auth.RoleStaff) {
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	pg := &figure.Page{Figure: d, Columns: []string{"title", "count", "submitted_on"}}
	for i := 1; i <= b.n; i++ {
		if id == "bulk.broken" && i > b.n/2 {
			return pg, errBulk
		}
		rec := figure.Record{ID: int64(i), Cells: []any{"第" + strconv.Itoa(i) + "条", int64(i), civil.Date{Year: 2026, Month: 3, Day: 1 + i%28}}}
		if err := fn(rec); err != nil {
			return nil, err
		}
	}
	return pg, nil
}

// TestFigureRecordsExportStreams: an export of many records streams every one
// into the workbook with its typed cells; a source failing half way, and a
// reader it refuses, get an error page and no spreadsheet.
func TestFigureRecordsExportStreams(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		const n = 12000
		h.Server.Figures = figure.NewRegistry(append(h.Server.Figures.Sources(), bulkSource{n: n, committee: h.A.ID})...)
		path := "/figures/records.xlsx?subtree=0&year=2026&fig="
		resp := h.get("staff", path+"bulk.rows")
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("export: %d %s", resp.StatusCode, snippet(string(raw)))
		}
		x, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		sheetName := x.GetSheetList()[0]
		rows, err := x.GetRows(sheetName)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != n+1 || rows[n][0] != "第"+strconv.Itoa(n)+"条" || rows[n][1] != strconv.Itoa(n) {
			t.Fatalf("%d rows, last %v", len(rows), rows[len(rows)-1])
		}
		if typ, _ := x.GetCellType(sheetName, "B"+strconv.Itoa(n+1)); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("the number column of the last record is text (%v)", typ)
		}
		for _, c := range []struct {
			role, fig string
			want      int
		}{
			{"staff", "bulk.broken", http.StatusInternalServerError},
			{"member", "bulk.rows", http.StatusForbidden},
			{"other_admin", "bulk.rows", http.StatusNotFound},
		} {
			resp := h.get(c.role, path+c.fig)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.want || bytes.HasPrefix(body, []byte("PK")) {
				t.Errorf("%s exporting %s: %d (%d bytes, want %d and no workbook)", c.role, c.fig, resp.StatusCode, len(body), c.want)
			}
		}
	})
}
