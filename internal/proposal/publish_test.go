package proposal

import (
	"strings"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
)

// TestPublication: consent, publication by the office, the public pages and
// their redaction, refusals leaving the database unchanged; both engines.
func TestPublication(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		s := f.seedSession()
		a := Ref{ID: s.solvedA.ID}
		// Nothing is public before publication.
		for _, id := range []int64{s.solvedA.ID, s.jointB.ID, s.draft.ID, 999999} {
			_, err := f.svc.PublicGet(f.ctx, id)
			wantCode(t, err, apperr.NotFound)
		}
		// Refusals: who may not publish, and what cannot be published.
		refusals := []struct {
			who  *auth.Actor
			ref  Ref
			code apperr.Code
		}{
			{nil, a, apperr.Unauthorized},
			{f.members[0], a, apperr.Forbidden}, // the proposer consents, never publishes
			{f.unitActors[0], a, apperr.Forbidden},
			{f.staff, a, apperr.Forbidden},
			{f.leader, a, apperr.Forbidden},
			{f.admin, a, apperr.Forbidden},
			{f.foreignOffice, a, apperr.NotFound},
			{f.office, Ref{ID: s.jointB.ID}, apperr.Conflict},   // no consent
			{f.office, Ref{ID: s.handling.ID}, apperr.Conflict}, // not replied
			{f.office, Ref{ID: s.draft.ID}, apperr.NotFound},    // a draft is not even visible
		}
		for _, r := range refusals {
			before := f.fingerprint(r.ref.ID)
			_, err := f.svc.Publish(f.ctx, r.who, r.ref)
			wantCode(t, err, r.code)
			if after := f.fingerprint(r.ref.ID); after != before {
				t.Errorf("refused publish changed %s → %s", before, after)
			}
		}
		// Consent: only the first proposer.
		for _, who := range []*auth.Actor{f.office, f.members[2], f.unitActors[1]} {
			_, err := f.svc.SetPublishConsent(f.ctx, who, Ref{ID: s.jointB.ID}, true)
			if c := apperr.CodeOf(err); c != apperr.Forbidden && c != apperr.NotFound {
				t.Errorf("%s consents for another: %v", who.Name, err)
			}
		}
		// Publish.
		audited := f.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'proposal.publish'`)
		p, err := f.svc.Publish(f.ctx, f.office, a)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Published || f.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'proposal.publish'`) != audited+1 {
			t.Fatalf("published %v, audit", p.Published)
		}
		_, err = f.svc.Publish(f.ctx, f.office, a)
		wantCode(t, err, apperr.Conflict)
		// The public page: texts and replies, contact details redacted.
		pp, err := f.svc.PublicGet(f.ctx, s.solvedA.ID)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(pp.Matter, "13812345678") || !strings.Contains(pp.Matter, "[电话已隐去]") || len(pp.Replies) != 1 || pp.Replies[0].Class != "A" {
			t.Fatalf("public proposal: %+v", pp)
		}
		// The public list, its filters and search.
		list := func(q PublicQuery) int {
			t.Helper()
			pg, err := f.svc.PublicList(f.ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			return pg.Total
		}
		if n := list(PublicQuery{}); n != 1 {
			t.Errorf("public list: %d", n)
		}
		for name, c := range map[string]struct {
			q    PublicQuery
			want int
		}{
			"text":        {PublicQuery{Q: "乡村振兴"}, 1},
			"other text":  {PublicQuery{Q: "道路"}, 0}, // jointB is not published
			"theme":       {PublicQuery{Theme: Economy}, 1},
			"other theme": {PublicQuery{Theme: Ecology}, 0},
			"unit":        {PublicQuery{UnitID: f.units[0]}, 1},
			"other unit":  {PublicQuery{UnitID: f.units[2]}, 0},
			"year":        {PublicQuery{Year: 2026}, 1},
			"other year":  {PublicQuery{Year: 2025}, 0},
			"committee":   {PublicQuery{CommitteeID: f.cid, Q: "乡村振兴"}, 1},
		} {
			if n := list(c.q); n != c.want {
				t.Errorf("%s: %d, want %d", name, n, c.want)
			}
		}
		ch, err := f.svc.PublicChoices(f.ctx, f.cid)
		if err != nil || len(ch.Committees) != 1 || len(ch.Units) != 1 || len(ch.Years) != 1 {
			t.Errorf("choices %v %+v", err, ch)
		}
		// Another member now finds it in search; the figure counts it.
		if pg, err := f.svc.Search(f.ctx, f.members[1], SearchQuery{Q: "乡村振兴"}); err != nil || pg.Total != 1 {
			t.Errorf("member search of published: %v %+v", err, pg)
		}
		fs, err := f.svc.Figures(f.ctx, f.office, FigureFilter{CommitteeID: f.cid})
		if err != nil || fs.Get("proposals.published").Value != 1 {
			t.Errorf("published figure: %v", err)
		}
		// Withdrawing consent takes it off at once.
		if _, err := f.svc.SetPublishConsent(f.ctx, f.members[0], a, false); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.PublicGet(f.ctx, s.solvedA.ID)
		wantCode(t, err, apperr.NotFound)
		if n := list(PublicQuery{Q: "乡村振兴"}); n != 0 {
			t.Errorf("still listed after consent withdrawn")
		}
		// Consent again, publish, unpublish with a note (required).
		f.must(f.svc.SetPublishConsent(f.ctx, f.members[0], a, true))
		f.must(f.svc.Publish(f.ctx, f.office, a))
		_, err = f.svc.Unpublish(f.ctx, f.office, a, " ")
		wantField(t, err, "note")
		f.must(f.svc.Unpublish(f.ctx, f.office, a, "内容需更正"))
		_, err = f.svc.PublicGet(f.ctx, s.solvedA.ID)
		wantCode(t, err, apperr.NotFound)
		// jointB's own first proposer consents; then the office may publish it.
		b := Ref{ID: s.jointB.ID}
		f.must(f.svc.SetPublishConsent(f.ctx, f.members[1], b, true))
		f.must(f.svc.Publish(f.ctx, f.office, b))
		if n := list(PublicQuery{Q: "道路"}); n != 1 {
			t.Errorf("jointB after consent: %d", n)
		}
	})
}
