package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/org"
	"lvzhi/internal/secret"
)

// TestMemberAcrossCommitteesWeb: a county member whom the city (the
// prefecture) imports is one person with two memberships; the county's pages
// show nothing the city entered and do not open the city's membership; the
// city reveals the number on its own page, audited in the city's chain.
func TestMemberAcrossCommitteesWeb(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		h := newHarness(t, d)
		box, err := secret.New(bytes.Repeat([]byte{9}, 32))
		if err != nil {
			t.Fatal(err)
		}
		o := h.Server.Org
		o.Secret = box
		sys := auth.System(h.Pref.ID)
		if _, err := o.CreateTerm(ctx, sys, h.Pref.ID, org.TermInput{Number: 5, StartsOn: "2021-02-01"}); err != nil {
			t.Fatal(err)
		}
		if _, err := o.CreateSector(ctx, sys, h.Pref.ID, org.SectorInput{Name: "市经济界"}); err != nil {
			t.Fatal(err)
		}
		idA := orgIDNumber("53032519800101123")
		county, err := o.CreateMember(ctx, auth.System(h.A.ID), h.A.ID, org.MemberInput{Name: "张两级", Gender: "male", IDNumber: idA,
			Phone: "13912340001", SectorID: h.A.SectorID, Affiliation: "cpc", Employer: "富源县第一中学"})
		if err != nil {
			t.Fatal(err)
		}

		book := orgBook(t, [][]string{{"姓名*", "性别*", "公民身份号码*", "手机或电话*", "界别*", "政治面貌*", "工作单位", "政协职务"},
			{"张两级", "男", idA, "13977770002", "市经济界", "中共党员", "曲靖市第一人民医院", "常委"}})
		resp := orgUpload(h, "prefecture", "members", "市委员.xlsx", book)
		if body := h.text(resp); resp.StatusCode != http.StatusOK || strings.Contains(body, "err.") {
			t.Fatalf("city import: %d\n%s", resp.StatusCode, snippet(body[max(strings.Index(body, "<main"), 0):]))
		}
		var cityID, identities int64
		if err := d.QueryRowContext(ctx, `SELECT m.id FROM memberships m WHERE m.committee_id = $1`, h.Pref.ID).Scan(&cityID); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRowContext(ctx, `SELECT COUNT(DISTINCT identity_id) FROM people WHERE name = '张两级'`).Scan(&identities); err != nil || identities != 1 {
			t.Fatalf("identities of the person: %d %v", identities, err)
		}

		// The county: its own member, nothing of the city's.
		cityOnly := []string{"13977770002", "曲靖市第一人民医院"}
		for _, path := range []string{fmt.Sprintf("/org/members/%d", county.ID), "/org/members?q=张两级", "/org/members?status=all"} {
			resp := h.get("staff", path)
			body := h.text(resp)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, "张两级") {
				t.Fatalf("county %s: %d\n%s", path, resp.StatusCode, snippet(body))
			}
			for _, s := range cityOnly {
				if strings.Contains(body, s) {
					t.Fatalf("county %s shows the city's %q", path, s)
				}
			}
		}
		for _, role := range []string{"staff", "admin", "leader"} {
			if resp := h.get(role, fmt.Sprintf("/org/members/%d", cityID)); resp.StatusCode != http.StatusNotFound {
				t.Fatalf("county %s opens the city membership: %d", role, resp.StatusCode)
			}
		}
		if resp := h.post("admin", fmt.Sprintf("/org/members/%d/id-number", cityID), nil); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("county admin reveals through the city membership: %d", resp.StatusCode)
		}

		// The city: its own membership, and the number revealed and audited there.
		body := h.text(h.get("prefecture", fmt.Sprintf("/org/members/%d", cityID)))
		if !strings.Contains(body, "13977770002") || strings.Contains(body, "13912340001") || strings.Contains(body, "富源县第一中学") {
			t.Fatalf("city member page:\n%s", snippet(body))
		}
		var before, after int
		audits := func() int {
			var n int
			if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE committee_id = $1 AND action = 'view_id_number'`, h.Pref.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before = audits()
		resp = h.post("prefecture", fmt.Sprintf("/org/members/%d/id-number", cityID), nil)
		if body := h.text(resp); resp.StatusCode != http.StatusOK || !strings.Contains(body, idA) {
			t.Fatalf("city reveal: %d", resp.StatusCode)
		}
		if after = audits(); after != before+1 {
			t.Fatalf("city reveal audited in the city %d times", after-before)
		}
	})
}
