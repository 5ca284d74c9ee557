package api

import (
	"context"
	"fmt"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// TestFiguresAPI: the API's figures are the service's (the figures page's),
// each figure's records are as many as its value, the league marks the unit's
// own row, and the roles without figures are refused.
func TestFiguresAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		unit := proposalSetup(t, h)
		f, ctx := h.f, context.Background()
		var mid int64
		if err := d.QueryRowContext(ctx, `SELECT id FROM memberships WHERE committee_id = $1 AND person_id = $2`, f.A, f.MemberParty.PersonID).Scan(&mid); err != nil {
			t.Fatal(err)
		}
		sd := proposal.NewSeeder(h.api.deps.Proposals, f.A)
		for i, st := range []proposal.State{proposal.Closed, proposal.Closed, proposal.Replied, proposal.Assigned, proposal.Submitted} {
			_, err := sd.Drive(ctx, proposal.SeedSpec{FirstProposer: mid, Target: st, Units: []int64{unit}, ResultClass: []string{"A", "B", "C", "A", "A"}[i],
				Content: proposal.Content{Kind: proposal.Individual, Theme: proposal.Society, Title: fmt.Sprintf("关于第%d件事的建议", i),
					Matter: "案由", Analysis: "分析", Suggestions: "建议"}})
			if err != nil {
				t.Fatal(err)
			}
		}
		want, err := h.api.deps.Proposals.Figures(ctx, f.ProposalOffice, proposal.FigureFilter{CommitteeID: f.A})
		if err != nil {
			t.Fatal(err)
		}
		var got proposal.FigureSet
		h.want(h.do(f.ProposalOffice, "GET", "/proposals/figures", ""), 200).decode(t, &got)
		if len(got.Values) != len(want.Values) || got.Get("proposals.received").Value != 5 || got.Get("proposals.replied").Value != 3 {
			t.Fatalf("API figures %+v, want %+v", got.Values, want.Values)
		}
		for _, v := range want.Values {
			if g := got.Get(v.ID); g.Value != v.Value || g.DenValue != v.DenValue {
				t.Errorf("%s: API %d/%d, service %d/%d", v.ID, g.Value, g.DenValue, v.Value, v.DenValue)
			}
		}
		for _, id := range []string{"proposals.received", "proposals.replied", "proposals.solved", "evaluations.returned", "units.assigned"} {
			var rp proposal.RecordPage
			h.want(h.do(f.ProposalOffice, "GET", "/proposals/figures/records?figure="+id+"&limit=500", ""), 200).decode(t, &rp)
			if int64(rp.Total) != got.Get(id).Value || len(rp.Records) != rp.Total {
				t.Errorf("%s = %d but %d records (%d listed)", id, got.Get(id).Value, rp.Total, len(rp.Records))
			}
		}
		// The neutral figures endpoints answer the same values and records.
		var set struct {
			Values []struct {
				ID       string `json:"id"`
				Area     string `json:"area"`
				Value    int64  `json:"value"`
				DenValue int64  `json:"den_value"`
			} `json:"values"`
		}
		h.want(h.do(f.ProposalOffice, "GET", "/figures?area=proposal", ""), 200).decode(t, &set)
		if len(set.Values) != len(want.Values) {
			t.Fatalf("/figures has %d values, want %d", len(set.Values), len(want.Values))
		}
		for _, v := range set.Values {
			if w := want.Get(v.ID); v.Area != "proposal" || v.Value != w.Value || v.DenValue != w.DenValue {
				t.Errorf("/figures %s = %d/%d (%s), service %d/%d", v.ID, v.Value, v.DenValue, v.Area, w.Value, w.DenValue)
			}
			var pg struct {
				Total   int              `json:"total"`
				Columns []string         `json:"columns"`
				Records []map[string]any `json:"records"`
			}
			h.want(h.do(f.ProposalOffice, "GET", "/figures/records?figure="+v.ID+"&limit=500", ""), 200).decode(t, &pg)
			if int64(pg.Total) != v.Value || len(pg.Records) != pg.Total || len(pg.Columns) == 0 {
				t.Errorf("/figures/records %s: total %d, %d records, value %d", v.ID, pg.Total, len(pg.Records), v.Value)
			}
		}
		h.want(h.do(f.MemberParty, "GET", "/figures", ""), 403)
		h.want(h.do(f.ProposalOffice, "GET", "/figures/records?figure=nonsense", ""), 404)
		h.want(h.do(f.ProposalOffice, "GET", "/figures?from=2026-01-01&to=2026-02-01", ""), 422)
		var lg proposal.League
		h.want(h.do(f.Unit, "GET", "/units/league", ""), 200).decode(t, &lg)
		if len(lg.Rows) != 1 || !lg.Rows[0].Mine || lg.Rows[0].Get("assignments.all").Value != 4 {
			t.Fatalf("unit's league %+v", lg.Rows)
		}
		h.want(h.do(f.MemberParty, "GET", "/proposals/figures", ""), 403)
		h.want(h.do(f.MemberParty, "GET", "/proposals/figures/records?figure=proposals.received", ""), 403)
		h.want(h.do(f.ProposalOffice, "GET", "/proposals/figures/records?figure=nonsense", ""), 404)
		h.want(h.do(f.ProposalOffice, "GET", "/proposals/figures?year=abc", ""), 400)
	})
}
