package api

import (
	"bytes"
	"fmt"
	"net/url"
	"testing"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/org"
	"lvzhi/internal/secret"
)

// TestIDNumberUndeterminedInAPI: a member's API answers (one member, a page
// of members) leave a reader without the reveal permission (the county's
// leader, the prefecture's leader) at least 10,000 candidate ID numbers: the
// mask keeps four digits and the birth date its year. Staff, who may reveal
// the number, get the full birth date. Before: the old mask beside the full
// birth date.
func TestIDNumberUndeterminedInAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		box, err := secret.New(bytes.Repeat([]byte{5}, 32))
		if err != nil {
			t.Fatal(err)
		}
		h.api.deps.Org.Secret = box
		first17 := "53032519860509004"
		id := first17 + string(org.IDCheckChar(first17))
		m, err := h.api.deps.Org.CreateMember(t.Context(), h.f.Staff, h.f.A, org.MemberInput{Name: "隐私李四", Gender: org.GenderFemale,
			IDNumber: id, Phone: "13912345671", SectorID: h.sector, Affiliation: "nonparty"})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			who       *auth.Actor
			mayReveal bool
		}{{h.f.LeaderRole, false}, {h.f.PrefLeader, false}, {h.f.Staff, true}} {
			var one org.Member
			h.want(h.do(c.who, "GET", fmt.Sprintf("/members/%d", m.ID), ""), 200).decode(t, &one)
			var list MemberList
			h.want(h.do(c.who, "GET", fmt.Sprintf("/members?committee=%d&q=%s", h.f.A, url.QueryEscape("隐私李四")), ""), 200).decode(t, &list)
			if len(list.Items) != 1 {
				t.Fatalf("%s: list %+v", c.who.Name, list.Items)
			}
			for where, got := range map[string]org.Member{"one": one, "list": list.Items[0]} {
				if got.IDMasked != "5303**************" {
					t.Errorf("%s %s: mask %q", c.who.Name, where, got.IDMasked)
				}
				if c.mayReveal {
					if got.BirthDate != "1986-05-09" {
						t.Errorf("%s %s: birth date %q, want it whole", c.who.Name, where, got.BirthDate)
					}
					continue
				}
				if n := org.IDCandidates(got.IDMasked, got.BirthDate, got.Gender, 20000); got.BirthDate != "1986" || n < 10000 {
					t.Errorf("%s %s: birth %q, mask %q leave %d candidates", c.who.Name, where, got.BirthDate, got.IDMasked, n)
				}
			}
		}
	})
}
