package assist

import (
	"fmt"
	"testing"

	"lvzhi/internal/civil"
)

// TestListCountsAndPages: the needs and records lists return the number
// their filter selects (not the page's length), and their pages, read with
// Offset and Limit, hold every filtered row once; the foreign committee's
// rows and a paired member's unreadable ones are never counted.
func TestListCountsAndPages(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		const homes, studies, unverified = 9, 7, 5
		for i := range homes {
			h := f.household(fmt.Sprintf("C%03d", i), i%3, i+1)
			kind := "study"
			if i >= studies {
				kind = "job"
			}
			_, err := f.svc.CreateNeed(f.ctx, f.officer, NeedInput{HouseholdID: h.ID, Kind: kind, Description: "需求"})
			f.must(err)
			r, err := f.svc.RecordAssistance(f.ctx, f.officer, RecordInput{HouseholdID: h.ID, Kind: "info", InfoCount: 1,
				GivenOn: civil.MustParse("2026-05-01").AddDays(i), MembershipIDs: f.mids[:1]})
			f.must(err)
			if i >= unverified {
				_, err = f.svc.VerifyRecord(f.ctx, f.officer, r.ID, 0)
				f.must(err)
			}
		}
		_, err := f.svc.CreateNeed(f.ctx, f.foreignOfficer, NeedInput{HouseholdID: f.foreignHH.ID, Kind: "study", Description: "外县"})
		f.must(err)

		needs := func(lim int) (map[int64]bool, []int) {
			seen, totals := map[int64]bool{}, []int{}
			for off := 0; ; off += lim {
				list, total, err := f.svc.ListNeeds(f.ctx, f.officer, NeedFilter{Kind: "study", Offset: off, Limit: lim})
				f.must(err)
				totals = append(totals, total)
				for _, n := range list {
					if seen[n.ID] || n.Kind != "study" {
						t.Errorf("need %d (%s) twice or outside the filter", n.ID, n.Kind)
					}
					seen[n.ID] = true
				}
				if len(list) < lim {
					return seen, totals
				}
			}
		}
		seen, totals := needs(3)
		if len(seen) != studies || len(totals) != 3 {
			t.Errorf("needs: %d read in %d pages, want %d in 3", len(seen), len(totals), studies)
		}
		for _, n := range totals {
			if n != studies {
				t.Errorf("needs total %d, want %d", n, studies)
			}
		}
		if _, n, err := f.svc.ListNeeds(f.ctx, f.officer, NeedFilter{Limit: 1}); err != nil || n != homes {
			t.Errorf("all needs: total %d (%v), want %d", n, err, homes)
		}

		seenRec := map[int64]bool{}
		for off := 0; off < 20; off += 2 {
			list, total, err := f.svc.ListRecords(f.ctx, f.officer, RecordFilter{Unverified: true, Offset: off, Limit: 2})
			f.must(err)
			if total != unverified {
				t.Errorf("records total %d at offset %d, want %d", total, off, unverified)
			}
			for _, r := range list {
				if seenRec[r.ID] || r.Verified {
					t.Errorf("record %d twice or verified", r.ID)
				}
				seenRec[r.ID] = true
			}
		}
		if len(seenRec) != unverified {
			t.Errorf("records read %d, want %d", len(seenRec), unverified)
		}
		// A paired member reads only its households' rows, and counts only those.
		if _, n, err := f.svc.ListRecords(f.ctx, f.members[1], RecordFilter{}); err != nil || n != 0 {
			t.Errorf("unpaired member: %d records (%v)", n, err)
		}
		if _, n, err := f.svc.ListNeeds(f.ctx, f.foreignOfficer, NeedFilter{}); err != nil || n != 1 {
			t.Errorf("foreign officer: %d needs (%v), want 1", n, err)
		}
	})
}
