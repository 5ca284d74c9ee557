package web

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"lvzhi/internal/assist"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/fixture"
	"lvzhi/internal/secret"
)

var (
	rowHousehold = regexp.MustCompile(`<a href="/assist/households/(\d+)">`)
	rowNeed      = regexp.MustCompile(`<a href="/assist/needs/(\d+)">`)
)

// TestAssistListsKeepTheFilter: the households and needs lists, filtered and
// read in pages of 5 (?per=), reach every filtered row through their own
// pager links, once each, and their export links download the filtered rows
// (the households' pager and export wrote the query into the template, which
// encoded it again: the export lost the filter and page 3 was never reached).
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
		}
		for _, c := range []struct {
			path string
			row  *regexp.Regexp
			want int
		}{
			{"/assist/households?township=东城街道&per=5", rowHousehold, inEast},
			{"/assist/needs?kind=study&per=5", rowNeed, studies},
		} {
			for _, role := range []string{"assistance", "leader"} {
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
	})
}
