package duty_test

import (
	"testing"

	"lvzhi/internal/assist"
	"lvzhi/internal/civil"
	"lvzhi/internal/duty"
	"lvzhi/internal/figure"
	"lvzhi/internal/figure/figuretest"
)

// TestPairingScores: a 三送三帮 pairing (结对) scores Guangshui's 20 once, in
// the year it starts, through the assist area's own use cases; a pairing
// ended on the day it started is reversed; one ended later keeps its points;
// a write to the pairings table outside any use case (the trigger of
// migration 00024 marks it) moves the posting, and a deleted pairing loses
// it; a pairing is not an assistance record for the participation figure.
func TestPairingScores(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.rules(2025, duty.PresetGuangshui)
		f.rules(2026, duty.PresetGuangshui)
		as := assist.NewService(f.d)
		today := civil.MustParse("2026-04-01")
		as.Today = func() civil.Date { return today }
		v, err := as.CreateVillage(f.ctx, f.staff, "中安街道", "西关社区", "")
		if err != nil {
			t.Fatal(err)
		}
		h, err := as.CreateHousehold(f.ctx, f.staff, assist.HouseholdInput{RegistryID: "H001", VillageID: v.ID, HeadName: "户主甲",
			Attribute: "general", CauseMain: "illness", Status: "poor", Members: []assist.MemberInput{{Name: "户主甲", Relation: "户主"}}})
		if err != nil {
			t.Fatal(err)
		}
		p0, err := as.Pair(f.ctx, f.staff, h.ID, f.mids[0])
		if err != nil {
			t.Fatal(err)
		}
		p1, err := as.Pair(f.ctx, f.staff, h.ID, f.mids[1])
		if err != nil {
			t.Fatal(err)
		}
		sc := f.scores(2026)
		if a, b := partOf(sc[f.mids[0]], duty.CatAssist).Raw, partOf(sc[f.mids[1]], duty.CatAssist).Raw; a != 2000 || b != 2000 {
			t.Fatalf("paired: %d, %d, want 2000 each", a, b)
		}
		// Undone the same day: reversed. Ended a month later: kept.
		if _, err := as.PairingStep(f.ctx, f.staff, p1.ID, p1.Version, assist.PairEnd); err != nil {
			t.Fatal(err)
		}
		today = civil.MustParse("2026-05-01")
		if _, err := as.PairingStep(f.ctx, f.staff, p0.ID, p0.Version, assist.PairEnd); err != nil {
			t.Fatal(err)
		}
		sc = f.scores(2026)
		if a, b := partOf(sc[f.mids[0]], duty.CatAssist).Raw, partOf(sc[f.mids[1]], duty.CatAssist).Raw; a != 2000 || b != 0 {
			t.Fatalf("after ending: %d, %d, want 2000, 0", a, b)
		}
		f.clean(2026)
		// A direct write (no use case marks it; the trigger does) moves the
		// pairing into last year: its 2026 posting is reversed.
		if _, err := f.d.Exec(`UPDATE assist_pairings SET starts_on = '2025-12-01' WHERE id = $1`, p0.ID); err != nil {
			t.Fatal(err)
		}
		if a := partOf(f.scores(2026)[f.mids[0]], duty.CatAssist).Raw; a != 0 {
			t.Fatalf("pairing moved to 2025 still scores %d in 2026", a)
		}
		f.clean(2026)
		var n int
		if err := f.d.QueryRow(`SELECT COUNT(*) FROM duty_entries WHERE source_entity = 'assist_pairing' AND year = 2025
			AND kind = 'post' AND NOT reversed`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("2025 postings of the moved pairing: %d %v", n, err)
		}
		// Participation counts records, not pairings.
		p2, err := as.Pair(f.ctx, f.staff, h.ID, f.mids[2])
		if err != nil {
			t.Fatal(err)
		}
		if partOf(f.scores(2026)[f.mids[2]], duty.CatAssist).Raw != 2000 {
			t.Fatal("a third pairing does not score")
		}
		for _, v := range figuretest.CheckRecords(t, f.ctx, f.svc.Source(), f.staff, figure.YearFilter(f.c.ID, 2026)) {
			if v.ID == "duty.part.assist" && v.Value != 0 {
				t.Errorf("duty.part.assist = %d with pairings only", v.Value)
			}
		}
		// A deleted pairing (no use case deletes one; the trigger marks it) loses its points.
		if _, err := f.d.Exec(`DELETE FROM assist_pairings WHERE id = $1`, p2.ID); err != nil {
			t.Fatal(err)
		}
		if a := partOf(f.scores(2026)[f.mids[2]], duty.CatAssist).Raw; a != 0 {
			t.Errorf("a deleted pairing still scores %d", a)
		}
		f.clean(2026)
	})
}
