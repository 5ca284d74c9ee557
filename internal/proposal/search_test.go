package proposal

import (
	"strings"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
)

func hitIDs(p *SearchPage) map[int64]bool {
	m := map[int64]bool{}
	for _, h := range p.Hits {
		m[h.ID] = true
	}
	return m
}

// TestSearch: Chinese words in titles, texts and replies, scoped by what each
// role may see, on both engines.
func TestSearch(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		s := f.seedSession()
		search := func(a *auth.Actor, q string) *SearchPage {
			t.Helper()
			pg, err := f.svc.Search(f.ctx, a, SearchQuery{Q: q})
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			return pg
		}
		// A word of a title; the office sees it, best first.
		pg := search(f.office, "乡村振兴")
		if pg.Total != 1 || pg.Hits[0].ID != s.solvedA.ID {
			t.Fatalf("乡村振兴: %+v", pg)
		}
		// Part of a longer word (教育 in 教育体育局 is a unit name, not indexed) and a two-character word.
		if pg := search(f.office, "道路"); !hitIDs(pg)[s.jointB.ID] || pg.Total != 1 {
			t.Errorf("道路: %+v", pg)
		}
		// A word that only a delivered reply holds.
		if pg := search(f.office, "规划"); pg.Total != 1 || pg.Hits[0].ID != s.late.ID {
			t.Errorf("规划 (reply): %+v", pg)
		}
		// Every word must match.
		if pg := search(f.office, "乡村振兴 停车"); pg.Total != 0 {
			t.Errorf("two unrelated words: %+v", pg)
		}
		// Contact details are not indexed.
		if pg := search(f.office, "13812345678"); pg.Total != 0 {
			t.Errorf("phone number found: %+v", pg)
		}
		// Drafts are not found by readers; their first proposer finds them.
		if pg := search(f.office, "DRAFT"); hitIDs(pg)[s.draft.ID] {
			t.Errorf("office finds a draft")
		}
		if pg := search(f.members[0], "DRAFT"); !hitIDs(pg)[s.draft.ID] {
			t.Errorf("proposer does not find own draft: %+v", pg)
		}
		// A member finds their own proposals only (none published here).
		if pg := search(f.members[1], "乡村振兴"); pg.Total != 0 {
			t.Errorf("member 1 finds member 0's proposal: %+v", pg)
		}
		if pg := search(f.members[1], "道路"); pg.Total != 1 {
			t.Errorf("member 1 own: %+v", pg)
		}
		// A unit finds its assignments only.
		if pg := search(f.unitActors[2], "道路"); pg.Total != 1 { // unit 2 is the co-unit of jointB
			t.Errorf("unit 2: %+v", pg)
		}
		if pg := search(f.unitActors[0], "道路"); pg.Total != 0 {
			t.Errorf("unit 0 finds another unit's proposal: %+v", pg)
		}
		// Editing the text re-indexes it.
		ref := Ref{ID: s.draft.ID}
		c := content("关于建设智慧停车场的建议")
		f.must(f.svc.Update(f.ctx, f.members[0], ref, c))
		if pg := search(f.members[0], "智慧"); !hitIDs(pg)[s.draft.ID] {
			t.Errorf("edited draft not re-indexed: %+v", pg)
		}
		// Filters.
		if pg, err := f.svc.Search(f.ctx, f.office, SearchQuery{Q: "建议", Theme: Ecology}); err != nil || pg.Total != 2 {
			t.Errorf("theme filter: %v %+v", err, pg)
		}
		// Refusals and bad input.
		_, err := f.svc.Search(f.ctx, f.foreignOffice, SearchQuery{CommitteeID: f.cid, Q: "道路"})
		wantCode(t, err, apperr.NotFound)
		_, err = f.svc.Search(f.ctx, nil, SearchQuery{CommitteeID: f.cid, Q: "道路"})
		wantCode(t, err, apperr.Unauthorized)
		_, err = f.svc.Search(f.ctx, f.office, SearchQuery{Q: strings.Repeat("长", MaxQuery+1)})
		wantField(t, err, "q")
		if pg := search(f.office, "  "); pg.Total != 0 || len(pg.Words) != 0 {
			t.Errorf("blank query: %+v", pg)
		}
		// The foreign committee's own search does not see this one.
		if pg, err := f.svc.Search(f.ctx, f.foreignOffice, SearchQuery{Q: "道路"}); err != nil || pg.Total != 0 {
			t.Errorf("foreign search: %v %+v", err, pg)
		}
	})
}

// TestSimilar: earlier proposals like a draft, with their result classes.
func TestSimilar(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		s := f.seedSession()
		got, err := f.svc.SimilarDraft(f.ctx, f.members[2], "关于乡村振兴产业发展的几点建议", "希望扶持乡村振兴特色产业，培育龙头企业。", 0, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 || got[0].ID != s.solvedA.ID || len(got[0].Classes) != 1 || got[0].Classes[0] != "A" {
			t.Fatalf("similar: %+v", got)
		}
		for _, g := range got {
			if g.ID == s.draft.ID || g.Score < similarMinScore {
				t.Errorf("similar returned %+v", g)
			}
			// Readable says whether the page may link to the proposal (Get).
			_, gerr := f.svc.Get(f.ctx, f.members[2], g.ID)
			if g.Readable != (gerr == nil) {
				t.Errorf("similar %d: readable %v, Get %v", g.ID, g.Readable, gerr)
			}
		}
		if got[0].Readable {
			t.Errorf("another member's proposal is marked readable")
		}
		if office, err := f.svc.SimilarDraft(f.ctx, f.office, "关于乡村振兴产业发展的几点建议", "希望扶持乡村振兴特色产业。", 0, 5); err != nil ||
			len(office) == 0 || !office[0].Readable {
			t.Errorf("the office's similar list: %v %+v", err, office)
		}
		// Nothing alike: nothing shown.
		if got, err := f.svc.SimilarDraft(f.ctx, f.members[2], "关于举办少儿围棋比赛", "围棋 棋类 比赛", 0, 5); err != nil || len(got) != 0 {
			t.Errorf("unrelated: %v %+v", err, got)
		}
		// The review hook: SimilarTo on the proposal itself excludes it.
		f.svc.Similar = Finder{Svc: f.svc}
		sum, err := f.svc.SimilarTo(f.ctx, f.office, s.solvedA.ID, 5)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range sum {
			if x.ID == s.solvedA.ID {
				t.Errorf("similar to itself")
			}
		}
		// Units may not ask.
		_, err = f.svc.SimilarDraft(f.ctx, f.unitActors[0], "乡村振兴", "", 0, 5)
		wantCode(t, err, apperr.Forbidden)
	})
}
