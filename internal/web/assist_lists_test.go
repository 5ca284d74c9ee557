package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"lvzhi/internal/assist"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/fixture"
	"lvzhi/internal/i18n"
	"lvzhi/internal/secret"
	"lvzhi/internal/sheet"
)

var (
	rowHousehold = regexp.MustCompile(`<a href="/assist/households/(\d+)">`)
	rowNeed      = regexp.MustCompile(`<a href="/assist/needs/(\d+)">`)
	rowRecord    = regexp.MustCompile(`<a href="/assist/records/(\d+)">`)
	listTotal    = regexp.MustCompile(`共 (\d+) 条`)
)

// TestAssistListsKeepTheFilter: the households, needs and records lists,
// filtered and read in pages of 5 (?per=), show the filtered total, reach
// every filtered row through their own pager links, once each, and their
// export links download the filtered rows in a file named committee-list-date
// (the households' pager and export wrote the query into the template, which
// encoded it again: the export lost the filter and page 3 was never reached;
// the records list read its first 500 rows with neither pager nor total).
func TestAssistListsKeepTheFilter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		box, err := secret.New(fixture.Key)
		h.must(err)
		svc := h.Server.Assist
		svc.Secret = box
		ctx, officer := context.Background(), h.actor("assistance")
		east, err := svc.CreateVillage(ctx, officer, "东城街道", "东关社区", "")
		h.must(err)
		west, err := svc.CreateVillage(ctx, officer, "西城街道", "西关社区", "")
		h.must(err)
		const inEast, studies = 12, 11
		unverifiedInfo := 0
		for i := range inEast + 3 {
			v := east
			if i >= inEast {
				v = west
			}
			reg := fmt.Sprintf("L%03d", i)
			hh, err := svc.CreateHousehold(ctx, officer, assist.HouseholdInput{RegistryID: reg, VillageID: v.ID, HeadName: "户主" + reg,
				Attribute: "general", CauseMain: "illness", Status: "poor",
				Members: []assist.MemberInput{{Name: "户主" + reg, Gender: "male", IDNumber: assistID("530325", "19700101", i+1), Relation: "户主"}}})
			h.must(err)
			kind := "study"
			if i >= studies {
				kind = "job"
			}
			_, err = svc.CreateNeed(ctx, officer, assist.NeedInput{HouseholdID: hh.ID, Kind: kind, Description: "需求" + reg})
			h.must(err)
			// Two records a household: info (verified every third) and industry.
			for _, rk := range []string{"info", "industry"} {
				rc, err := svc.RecordAssistance(ctx, officer, assist.RecordInput{HouseholdID: hh.ID, Kind: rk, InfoCount: 1,
					GivenOn: civil.Today().AddDays(-i), MembershipIDs: []int64{h.A.MembershipID}})
				h.must(err)
				if rk == "info" && i%3 == 0 {
					_, err = svc.VerifyRecord(ctx, officer, rc.ID, 0)
					h.must(err)
				} else if rk == "info" {
					unverifiedInfo++
				}
			}
		}
		for _, c := range []struct {
			path string
			row  *regexp.Regexp
			want int
		}{
			{"/assist/households?township=东城街道&per=5", rowHousehold, inEast},
			{"/assist/needs?kind=study&per=5", rowNeed, studies},
			{"/assist/records?kind=info&unverified=1&per=5", rowRecord, unverifiedInfo},
		} {
			for _, role := range []string{"assistance", "leader"} {
				if n := shownTotal(t, h, role, c.path); n != c.want {
					t.Errorf("%s as %s: total shown %d, want %d", c.path, role, n, c.want)
				}
				rows, export := walkList(t, h, role, c.path, c.row)
				if rows != c.want {
					t.Errorf("%s as %s: %d rows across the pages, want %d", c.path, role, rows, c.want)
				}
				if export == "" {
					t.Fatalf("%s as %s: no export link", c.path, role)
				}
				if n := exportRows(t, h, role, export); n != c.want {
					t.Errorf("%s as %s: export %s has %d rows, want %d", c.path, role, export, n, c.want)
				}
			}
		}
		for path, list := range map[string]string{"/assist/households.xlsx": "assist.households", "/assist/needs.xlsx": "assist.needs",
			"/assist/records.xlsx": "assist.records"} {
			resp := h.get("assistance", path)
			resp.Body.Close()
			want := sheet.Disposition(sheet.FileName(civil.Today(), "富源县政协", i18n.T("zh", list)))
			if got := resp.Header.Get("Content-Disposition"); resp.StatusCode != http.StatusOK || got != want {
				t.Errorf("%s: %d %q, want %q", path, resp.StatusCode, got, want)
			}
		}
	})
}

// shownTotal is the total ("共 N 条") the first page of a list shows, -1 if none.
func shownTotal(t *testing.T, h *harness, role, path string) int {
	t.Helper()
	m := listTotal.FindStringSubmatch(h.text(h.get(role, path)))
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}
