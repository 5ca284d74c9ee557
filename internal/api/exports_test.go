package api

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/export"
	"lvzhi/internal/figure"
)

// TestExportsAPI: a background export of a figure's records started over the
// API is queued, runs as its job, and gives the workbook the direct export
// writes for the same filter; only the user who started it sees it.
func TestExportsAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		seedClosedProposal(t, h)
		ctx := context.Background()
		f := h.f
		q := "figure=proposals.received&subtree=0&year=" + strconv.Itoa(civil.Today().Year)
		var e export.Export
		h.want(h.do(f.Staff, "POST", "/figures/records/exports?"+q, ""), http.StatusCreated).decode(t, &e)
		if e.ID == 0 || e.Status != export.Queued || e.Total != 1 || !strings.HasSuffix(e.FileName, ".xlsx") {
			t.Fatalf("started export %+v", e)
		}
		path := "/exports/" + strconv.FormatInt(e.ID, 10)
		h.want(h.do(f.Staff, "GET", path+"/file", ""), http.StatusNotFound)
		svc := export.NewService(d, h.api.deps.Figures)
		if err := svc.Run(ctx, e.ID); err != nil {
			t.Fatal(err)
		}
		h.want(h.do(f.Staff, "GET", path, ""), http.StatusOK).decode(t, &e)
		if e.Status != export.Done || e.Done != 1 || e.Size == 0 {
			t.Fatalf("finished export %+v", e)
		}
		file := h.do(f.Staff, "GET", path+"/file", "")
		if file.Status != http.StatusOK {
			t.Fatalf("download: %d %s", file.Status, file.Body)
		}
		got := readRows(t, file.Body)
		// The direct export of the same filter.
		vals, _ := url.ParseQuery(q)
		fl, _, err := figure.ParseQuery(vals)
		if err != nil {
			t.Fatal(err)
		}
		fl.CommitteeID = f.Staff.CommitteeID
		src, _, _ := h.api.deps.Figures.Lookup("proposals.received")
		first, err := export.First(ctx, src, f.Staff, fl, "proposals.received")
		if err != nil {
			t.Fatal(err)
		}
		sh, err := export.Write(ctx, src, f.Staff, fl, "proposals.received", "zh", first, nil)
		if err != nil {
			t.Fatal(err)
		}
		var direct bytes.Buffer
		if _, err := sh.WriteTo(&direct); err != nil {
			t.Fatal(err)
		}
		want := readRows(t, direct.Bytes())
		if len(got) != 2 || strings.Join(got[0], "|")+strings.Join(got[1], "|") != strings.Join(want[0], "|")+strings.Join(want[1], "|") {
			t.Errorf("background export %v, direct %v", got, want)
		}
		for _, other := range []struct {
			name string
			r    response
		}{
			{"admin", h.do(f.Admin, "GET", path, "")}, {"admin file", h.do(f.Admin, "GET", path+"/file", "")},
			{"leader", h.do(f.LeaderRole, "GET", path, "")}, {"other county", h.do(f.StaffB, "GET", path+"/file", "")},
		} {
			if other.r.Status != http.StatusNotFound {
				t.Errorf("%s reads another's export: %d", other.name, other.r.Status)
			}
		}
		// A reader the figure refuses gets no export at all.
		h.want(h.do(f.MemberParty, "POST", "/figures/records/exports?"+q, ""), http.StatusForbidden)
	})
}

func readRows(t *testing.T, raw []byte) [][]string {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
