package api

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/org"
	"lvzhi/internal/secret"
)

// TestMemberAcrossCommitteesAPI: a member of county A whom the prefecture
// also seats is one person; A's API answers (list, search, one member) carry
// only A's membership and nothing the prefecture entered, and the
// prefecture's membership is not found for A.
func TestMemberAcrossCommitteesAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		h := newHarness(t, d)
		f := h.f
		box, err := secret.New(bytes.Repeat([]byte{7}, 32))
		if err != nil {
			t.Fatal(err)
		}
		o := h.api.deps.Org
		o.Secret = box
		idA := "53032519800101123" + string(org.IDCheckChar("53032519800101123"))

		var county org.Member
		h.want(h.json(f.Staff, "POST", "/members", MemberBody{Name: "张两级", Gender: "male", IDNumber: idA, Phone: "13912340001",
			Affiliation: "cpc", SectorID: h.sector, Employer: "富源县第一中学"}), 201).decode(t, &county)

		sys := auth.System(f.P)
		if _, err := o.CreateTerm(ctx, sys, f.P, org.TermInput{Number: 5, StartsOn: "2021-02-01"}); err != nil {
			t.Fatal(err)
		}
		sec, err := o.CreateSector(ctx, sys, f.P, org.SectorInput{Name: "市经济界"})
		if err != nil {
			t.Fatal(err)
		}
		city, err := o.CreateMember(ctx, sys, f.P, org.MemberInput{Name: "张两级", Gender: "male", IDNumber: idA, Phone: "13977770002",
			SectorID: sec.ID, Affiliation: "cpc", Employer: "曲靖市第一人民医院", Positions: []string{"vice_chair"}, Skills: "心血管"})
		if err != nil {
			t.Fatal(err)
		}
		var identities int
		if err := d.QueryRowContext(ctx, `SELECT COUNT(DISTINCT identity_id) FROM people WHERE id IN ($1, $2)`, county.PersonID, city.PersonID).Scan(&identities); err != nil || identities != 1 {
			t.Fatalf("identities: %d %v", identities, err)
		}

		cityOnly := []string{"13977770002", "曲靖市第一人民医院", "心血管", fmt.Sprintf(`"id":%d,`, city.ID), fmt.Sprintf(`"committee_id":%d,`, f.P)}
		for _, path := range []string{"/members?q=张两级", "/members?per_page=500", fmt.Sprintf("/members/%d", county.ID)} {
			r := h.want(h.do(f.Staff, "GET", path, ""), 200)
			body := string(r.Body)
			if !strings.Contains(body, "张两级") || !strings.Contains(body, "13912340001") {
				t.Fatalf("county %s: %s", path, body)
			}
			for _, s := range cityOnly {
				if strings.Contains(body, s) {
					t.Fatalf("county %s carries the prefecture's %q: %s", path, s, body)
				}
			}
		}
		var got org.Member
		h.want(h.do(f.Staff, "GET", fmt.Sprintf("/members/%d", county.ID), ""), 200).decode(t, &got)
		if len(got.Positions) != 0 || got.Skills != "" || got.SectorID != h.sector || got.IDMasked != city.IDMasked {
			t.Fatalf("county member: %+v", got)
		}
		h.want(h.do(f.Staff, "GET", fmt.Sprintf("/members/%d", city.ID), ""), 404)
		h.want(h.do(f.Admin, "GET", fmt.Sprintf("/members/%d", city.ID), ""), 404)
		h.want(h.json(f.Staff, "PUT", fmt.Sprintf("/members/%d", city.ID), MemberBody{Name: "张两级", Gender: "male", Phone: "13900000000",
			Affiliation: "cpc", SectorID: h.sector, Version: city.Version}), 404)
	})
}
