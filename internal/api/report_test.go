package api

import (
	"fmt"
	"net/http"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/report"
)

// TestReportAPI: staff start and write a report, a leader finalises it, a
// member then reads it; what members, units, other counties and a stale or
// late edit must not do is refused.
func TestReportAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		seedClosedProposal(t, h) // a figure that is not zero: a section of zeros writes no sentence
		f := h.f
		year := db.Now().Year()
		h.want(h.json(f.MemberParty, "POST", "/reports", ReportBody{Year: year}), http.StatusForbidden)
		h.want(h.json(f.Unit, "GET", "/reports", nil), http.StatusForbidden)
		var r report.Report
		h.want(h.json(f.Staff, "POST", "/reports", ReportBody{Year: year}), http.StatusCreated).decode(t, &r)
		h.want(h.json(f.Staff, "POST", "/reports", ReportBody{Year: year}), http.StatusUnprocessableEntity)
		path := fmt.Sprintf("/reports/%d", r.ID)
		// A draft: not found for readers who do not edit, and for another county.
		h.want(h.json(f.MemberParty, "GET", path, nil), http.StatusNotFound)
		h.want(h.json(f.StaffB, "GET", path, nil), http.StatusNotFound)
		h.want(h.json(f.StaffB, "PUT", path+"/texts", ReportTexts{Texts: map[string]string{"proposal/before": "x"}}), http.StatusNotFound)
		h.want(h.json(f.PrefLeader, "POST", path+"/finalise", ReportVersion{}), http.StatusNotFound)
		var list ReportList
		h.want(h.json(f.MemberParty, "GET", "/reports", nil), http.StatusOK).decode(t, &list)
		if len(list.Reports) != 0 {
			t.Errorf("a member lists a draft")
		}
		h.want(h.json(f.Staff, "PUT", path+"/texts", ReportTexts{Version: r.Version + 1, Texts: map[string]string{"proposal/before": "x"}}), http.StatusConflict)
		h.want(h.json(f.Staff, "PUT", path+"/texts", ReportTexts{Texts: map[string]string{"nosuch/before": "x"}}), http.StatusUnprocessableEntity)
		h.want(h.json(f.Staff, "PUT", path+"/texts", ReportTexts{Version: r.Version, Texts: map[string]string{"proposal/before": "提案工作稳步推进。"}}), http.StatusOK)
		var doc ReportDocument
		h.want(h.json(f.Staff, "GET", path, nil), http.StatusOK).decode(t, &doc)
		prop := func(doc ReportDocument) ReportSection {
			for _, s := range doc.Sections {
				if s.ID == "proposal" {
					return s
				}
			}
			t.Fatalf("no proposal section: %+v", doc.Sections)
			return ReportSection{}
		}
		if p := prop(doc); doc.Frozen || p.Before != "提案工作稳步推进。" || len(p.Sentences[0].Figures) == 0 {
			t.Fatalf("draft document %+v", doc)
		}
		h.want(h.json(f.MemberParty, "POST", path+"/finalise", ReportVersion{}), http.StatusNotFound)
		h.want(h.json(f.LeaderRole, "POST", path+"/finalise", ReportVersion{}), http.StatusOK)
		h.want(h.json(f.MemberParty, "GET", path, nil), http.StatusOK).decode(t, &doc)
		if !doc.Frozen || prop(doc).Before != "提案工作稳步推进。" {
			t.Errorf("final document %+v", doc)
		}
		var recs FrozenRecords
		h.want(h.json(f.MemberParty, "GET", path+"/records?figure=proposals.registered", nil), http.StatusOK).decode(t, &recs)
		if int64(len(recs.Records)) != recs.Figure.Value {
			t.Errorf("%d frozen records for %d", len(recs.Records), recs.Figure.Value)
		}
		h.want(h.json(f.Staff, "PUT", path+"/texts", ReportTexts{Texts: map[string]string{"proposal/before": "改"}}), http.StatusConflict)
		h.want(h.json(f.StaffB, "GET", path+"/records?figure=proposals.registered", nil), http.StatusNotFound)
	})
}
