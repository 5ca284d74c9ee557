package export_test

import (
	"context"
	"testing"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/export"
	"lvzhi/internal/figure"
	"lvzhi/internal/jobs"
	"lvzhi/internal/liaison/liaisontest"
)

// rowsSource is a figure ("test.rows") of n records, read by staff only.
type rowsSource struct{ n int }

func (rowsSource) Area() string { return "test" }

func (rowsSource) Lookup(id string) (figure.Def, bool) {
	return figure.Def{ID: id, Area: "test", Counts: "item", Measure: figure.Count, Unit: "item"}, id == "test.rows"
}

func (rowsSource) Figures(context.Context, *auth.Actor, figure.Filter) ([]figure.Value, error) {
	return nil, nil
}

func (s rowsSource) Records(ctx context.Context, a *auth.Actor, f figure.Filter, id string, offset, limit int) (*figure.Page, error) {
	pg, err := s.Each(ctx, a, f, id, func(figure.Record) error { return nil })
	if err != nil {
		return nil, err
	}
	for i := offset + 1; i <= min(s.n, offset+limit); i++ {
		pg.Records = append(pg.Records, figure.Record{ID: int64(i), Cells: []any{"记录", int64(i)}})
	}
	return pg, nil
}

func (s rowsSource) Each(_ context.Context, a *auth.Actor, _ figure.Filter, id string, fn func(figure.Record) error) (*figure.Page, error) {
	d, _ := s.Lookup(id)
	if !a.Has(auth.RoleStaff) {
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	for i := 1; i <= s.n; i++ {
		if err := fn(figure.Record{ID: int64(i), Cells: []any{"记录", int64(i)}}); err != nil {
			return nil, err
		}
	}
	return &figure.Page{Figure: d, Columns: []string{"title", "count"}, Total: s.n}, nil
}

// TestExportJob: a started export is done by the server's job runner (the
// worker registered by the package), with its progress counted to the total;
// it expires for its owner after Keep, and the purge job's Purge removes it.
func TestExportJob(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := liaisontest.Seed(t, d)
		ctx := context.Background()
		const n = 2500
		reg := figure.NewRegistry(rowsSource{n: n})
		export.Figures = func(*db.DB) *figure.Registry { return reg }
		svc := export.NewService(d, reg)
		id, err := svc.StartRecords(ctx, f.Staff, export.RecordsRequest{Figure: "test.rows",
			Filter: figure.Filter{CommitteeID: f.A}, Lang: "zh", FileName: "x.xlsx", Total: n})
		if err != nil {
			t.Fatal(err)
		}
		r, err := jobs.NewConfig(d, nil, jobs.Config{PollInterval: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer func() {
			stop, cancel := context.WithTimeout(ctx, 15*time.Second)
			defer cancel()
			if err := r.Stop(stop); err != nil {
				t.Errorf("stop: %v", err)
			}
		}()
		var e *export.Export
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if e, err = svc.Get(ctx, f.Staff, id); err != nil || e.Status == export.Done || e.Status == export.Failed {
				break
			}
		}
		if err != nil || e.Status != export.Done || e.Done != n || e.Total != n || e.Size == 0 {
			t.Fatalf("after the job: %+v, %v", e, err)
		}
		if _, b, err := svc.File(ctx, f.Staff, id); err != nil || len(b) != e.Size {
			t.Fatalf("file: %d bytes, %v", len(b), err)
		}
		if _, err := svc.Get(ctx, f.StaffB, id); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("another user reads the export: %v", err)
		}
		svc.Now = func() time.Time { return db.Now().Add(export.Keep + time.Minute) }
		if _, err := svc.Get(ctx, f.Staff, id); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("an expired export is still offered: %v", err)
		}
		if k, err := svc.Purge(ctx); err != nil || k != 1 {
			t.Errorf("purge: %d, %v", k, err)
		}
	})
}
