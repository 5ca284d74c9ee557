package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/export"
	"lvzhi/internal/figure"
)

// sheetRows reads every row of a workbook's first sheet.
func sheetRows(t *testing.T, raw []byte) [][]string {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not a workbook (%d bytes): %v", len(raw), err)
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// startExport asks for path as role and returns the export the redirect names.
func startExport(t *testing.T, h *harness, role, path string) int64 {
	t.Helper()
	resp := h.get(role, path)
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/exports/") {
		t.Fatalf("%s: %d to %q, want a redirect to the progress page", path, resp.StatusCode, loc)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/exports/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestFigureRecordsExportInBackground: asked with async=1, the export becomes
// a job and a progress page polling itself; once the job has run, the page
// offers the file, which has the same rows and cells as the direct export;
// another user of the same committee, or of another, gets not found for both;
// and a reader who lost the right to read the records before the job ran gets
// a failed export, not the file.
func TestFigureRecordsExportInBackground(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		const n = 1500
		h.Server.Figures = figure.NewRegistry(append(h.Server.Figures.Sources(), bulkSource{n: n, committee: h.A.ID})...)
		path := "/figures/records.xlsx?subtree=0&year=2026&fig=bulk.rows"
		direct := h.get("staff", path)
		want, _ := io.ReadAll(direct.Body)
		direct.Body.Close()
		if direct.StatusCode != http.StatusOK {
			t.Fatalf("direct export: %d", direct.StatusCode)
		}

		id := startExport(t, h, "staff", path+"&async=1")
		page := h.text(h.get("staff", "/exports/"+strconv.Itoa(int(id))))
		if !strings.Contains(page, `hx-trigger="every 2s"`) || strings.Contains(page, "/exports/"+strconv.Itoa(int(id))+"/file") || !strings.Contains(page, "1,500") {
			t.Errorf("queued export's page does not poll, or offers a file, or misses the total:\n%s", page[strings.Index(page, "<main"):])
		}
		if resp := h.get("staff", "/exports/"+strconv.Itoa(int(id))+"/file"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("file before the job ran: %d, want 404", resp.StatusCode)
		}
		svc := export.NewService(d, h.Server.Figures)
		if err := svc.Run(ctx, id); err != nil {
			t.Fatal(err)
		}
		page = h.text(h.get("staff", "/exports/"+strconv.Itoa(int(id))))
		if strings.Contains(page, "every 2s") || !strings.Contains(page, "/exports/"+strconv.Itoa(int(id))+"/file") {
			t.Errorf("finished export's page still polls or offers no file:\n%s", snippet(page))
		}
		resp := h.get("staff", "/exports/"+strconv.Itoa(int(id))+"/file")
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("download: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
		wr, gr := sheetRows(t, want), sheetRows(t, got)
		if len(gr) != n+1 || len(wr) != len(gr) {
			t.Fatalf("background export has %d rows, direct %d, want %d", len(gr), len(wr), n+1)
		}
		for i := range wr {
			if strings.Join(wr[i], "|") != strings.Join(gr[i], "|") {
				t.Fatalf("row %d differs: direct %v, background %v", i, wr[i], gr[i])
			}
		}
		for _, role := range []string{"admin", "leader", "other_admin"} {
			for _, p := range []string{"", "/file"} {
				if resp := h.get(role, "/exports/"+strconv.Itoa(int(id))+p); resp.StatusCode != http.StatusNotFound {
					t.Errorf("%s opening /exports/%d%s: %d, want 404", role, id, p, resp.StatusCode)
				}
			}
		}

		// The job reads as the reader does when it runs: without the role, no file.
		id2 := startExport(t, h, "staff", path+"&async=1")
		if _, err := d.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = $1`, h.Users["staff"]); err != nil {
			t.Fatal(err)
		}
		if err := svc.Run(ctx, id2); err != nil {
			t.Fatal(err)
		}
		e, err := svc.Get(ctx, h.actor("staff"), id2)
		if err != nil || e.Status != export.Failed || e.Done != 0 {
			t.Fatalf("export after the role was taken: %+v, %v; want failed", e, err)
		}
		if page := h.text(h.get("staff", "/exports/"+strconv.Itoa(int(id2)))); !strings.Contains(page, "导出失败") || strings.Contains(page, "every 2s") {
			t.Errorf("failed export's page does not say so, or still polls:\n%s", page[strings.Index(page, "<main"):])
		}
		if resp := h.get("staff", "/exports/"+strconv.Itoa(int(id2))+"/file"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("file of a failed export: %d, want 404", resp.StatusCode)
		}
	})
}

// TestFigureRecordsExportLargeGoesBackground: more than export.AsyncRows
// records go to the background without being asked.
func TestFigureRecordsExportLargeGoesBackground(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		h.Server.Figures = figure.NewRegistry(append(h.Server.Figures.Sources(), bulkSource{n: export.AsyncRows + 1, committee: h.A.ID})...)
		startExport(t, h, "staff", "/figures/records.xlsx?subtree=0&year=2026&fig=bulk.rows")
	})
}
