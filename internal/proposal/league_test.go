package proposal

import (
	"fmt"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
)

// TestLeague: the league table per unit, every cell equal to its records, a
// unit seeing numbers of all and records of its own row only; both engines.
func TestLeague(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.seedSession()
		ff := FigureFilter{CommitteeID: f.cid, SessionID: f.sessionID}
		lg, err := f.svc.League(f.ctx, f.office, ff)
		if err != nil {
			t.Fatal(err)
		}
		if len(lg.Rows) != 3 {
			t.Fatalf("rows %d", len(lg.Rows))
		}
		sum := map[string]int64{}
		for _, row := range lg.Rows {
			for id, v := range row.Values {
				sum[id] += v.Value
				pg, err := f.svc.Records(f.ctx, f.office, id, FigureFilter{CommitteeID: f.cid, SessionID: f.sessionID, UnitID: row.UnitID}, 0, 500)
				if err != nil {
					t.Fatalf("%s %s: %v", row.Unit, id, err)
				}
				if int64(pg.Total) != v.Value {
					t.Errorf("%s %s = %d, records %d", row.Unit, id, v.Value, pg.Total)
				}
			}
		}
		// The committee's records of each figure are the sum of the rows.
		for id, n := range sum {
			pg, err := f.svc.Records(f.ctx, f.office, id, ff, 0, 1)
			if err != nil {
				t.Fatal(err)
			}
			if int64(pg.Total) != n {
				t.Errorf("%s: committee %d records, sum of units %d", id, pg.Total, n)
			}
		}
		// Unit 1: jointB lead (on time, face), separateC (on time, face), late (late, phone).
		var u1 LeagueRow
		for _, r := range lg.Rows {
			if r.UnitID == f.units[1] {
				u1 = r
			}
		}
		if u1.Get("assignments.replied").Value != 3 || u1.Get("assignments.on_time").Value != 2 || u1.Get("assignments.face_to_face").Value != 2 {
			t.Errorf("unit 1 row: %+v", u1.Values)
		}
		// A unit sees every row, its own marked, and its own records only.
		ua := f.unitActors[0]
		mine, err := f.svc.League(f.ctx, ua, FigureFilter{CommitteeID: f.cid, SessionID: f.sessionID})
		if err != nil {
			t.Fatal(err)
		}
		marked := 0
		for _, r := range mine.Rows {
			if r.Mine {
				marked++
				if r.UnitID != f.units[0] {
					t.Errorf("wrong row marked")
				}
			}
		}
		if marked != 1 || len(mine.Rows) != 3 {
			t.Errorf("unit league: %d marked of %d", marked, len(mine.Rows))
		}
		if pg, err := f.svc.Records(f.ctx, ua, "assignments.replied", FigureFilter{CommitteeID: f.cid}, 0, 50); err != nil || pg.Total != 3 {
			t.Errorf("unit's own records: %v %+v", err, pg)
		}
		_, err = f.svc.Records(f.ctx, ua, "assignments.replied", FigureFilter{CommitteeID: f.cid, UnitID: f.units[1]}, 0, 50)
		wantCode(t, err, apperr.NotFound)
		_, err = f.svc.Records(f.ctx, ua, "proposals.registered", FigureFilter{CommitteeID: f.cid}, 0, 50)
		wantCode(t, err, apperr.Forbidden)
		for _, a := range []*auth.Actor{f.members[0], f.assistance} {
			_, err = f.svc.League(f.ctx, a, ff)
			wantCode(t, err, apperr.Forbidden)
		}
		_, err = f.svc.League(f.ctx, f.foreignOffice, ff)
		wantCode(t, err, apperr.NotFound)
	})
}

// TestAssessment: the score sheet, scoring a unit, corrections with versions,
// field errors, refusals; both engines.
func TestAssessment(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		items, saved, err := f.svc.AssessItems(f.ctx, f.office)
		if err != nil || saved || len(items) != len(DefaultAssessItems) {
			t.Fatalf("defaults: %v %v %d", err, saved, len(items))
		}
		in := AssessmentInput{Year: 2026, UnitID: f.units[0], Points: map[int64]int{}}
		_, err = f.svc.SaveAssessment(f.ctx, f.office, in)
		wantCode(t, err, apperr.Conflict, "err.figures.no_score_sheet")
		for _, a := range []*auth.Actor{f.staff, f.admin, f.leader, f.members[0], f.unitActors[0]} {
			wantCode(t, f.svc.UseDefaultSheet(f.ctx, a), apperr.Forbidden)
			_, err := f.svc.SaveAssessItem(f.ctx, a, AssessItem{Name: "x", MaxPoints: 5, Active: true})
			wantCode(t, err, apperr.Forbidden)
		}
		if err := f.svc.UseDefaultSheet(f.ctx, f.office); err != nil {
			t.Fatal(err)
		}
		items, saved, err = f.svc.AssessItems(f.ctx, f.office)
		if err != nil || !saved || len(items) != 5 {
			t.Fatalf("sheet: %v %v %d", err, saved, len(items))
		}
		// Item validation.
		_, err = f.svc.SaveAssessItem(f.ctx, f.office, AssessItem{Name: " ", MaxPoints: 0})
		wantField(t, err, "name")
		wantField(t, err, "max_points")
		_, err = f.svc.SaveAssessItem(f.ctx, f.office, AssessItem{Name: items[0].Name, MaxPoints: 5})
		wantField(t, err, "name")
		extra, err := f.svc.SaveAssessItem(f.ctx, f.office, AssessItem{Name: "信息报送", MaxPoints: 10, Sort: 6, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		// Scoring: every active item within its maximum.
		points := map[int64]int{}
		for _, it := range items {
			points[it.ID] = it.MaxPoints - 1
		}
		in.Points = points
		before := f.count(`SELECT COUNT(*) FROM audit_log`)
		_, err = f.svc.SaveAssessment(f.ctx, f.office, in) // the extra item has no points
		wantField(t, err, fmt.Sprintf("points_%d", extra.ID))
		points[extra.ID] = 11
		_, err = f.svc.SaveAssessment(f.ctx, f.office, in)
		wantField(t, err, fmt.Sprintf("points_%d", extra.ID))
		_, err = f.svc.SaveAssessment(f.ctx, f.office, AssessmentInput{Year: 2026, UnitID: f.foreignUnit, Points: points})
		wantField(t, err, "unit")
		_, err = f.svc.SaveAssessment(f.ctx, f.office, AssessmentInput{Year: 2031, UnitID: f.units[0], Points: points})
		wantField(t, err, "year")
		if n := f.count(`SELECT COUNT(*) FROM audit_log`); n != before || f.count(`SELECT COUNT(*) FROM proposal_assessments`) != 0 {
			t.Fatalf("refused assessments changed the database")
		}
		points[extra.ID] = 10
		a, err := f.svc.SaveAssessment(f.ctx, f.office, in)
		if err != nil {
			t.Fatal(err)
		}
		if a.Total != 105 || a.MaxTotal != 110 || a.Unit == "" || a.Version != 1 {
			t.Errorf("assessment %+v", a)
		}
		// A correction needs the version read.
		_, err = f.svc.SaveAssessment(f.ctx, f.office, in)
		wantCode(t, err, apperr.Conflict)
		in.Version = 1
		points[extra.ID] = 0
		if a, err = f.svc.SaveAssessment(f.ctx, f.office, in); err != nil || a.Total != 95 || a.Version != 2 {
			t.Fatalf("correction %v %+v", err, a)
		}
		// Reading: office and readers all; a unit its own; members nothing.
		if as, err := f.svc.Assessments(f.ctx, f.leader, 2026); err != nil || len(as) != 1 || as[0].Points[extra.ID] != 0 {
			t.Errorf("leader reads: %v %+v", err, as)
		}
		if as, err := f.svc.Assessments(f.ctx, f.unitActors[0], 2026); err != nil || len(as) != 1 {
			t.Errorf("unit reads own: %v %+v", err, as)
		}
		if as, err := f.svc.Assessments(f.ctx, f.unitActors[1], 2026); err != nil || len(as) != 0 {
			t.Errorf("unit reads another's: %v %+v", err, as)
		}
		_, err = f.svc.Assessments(f.ctx, f.members[0], 2026)
		wantCode(t, err, apperr.Forbidden)
		// The figure and the league show it.
		fs, err := f.svc.Figures(f.ctx, f.office, FigureFilter{CommitteeID: f.cid, Year: 2026})
		if err != nil || fs.Get("units.assessed").Value != 1 {
			t.Errorf("units.assessed: %v", err)
		}
		lg, err := f.svc.League(f.ctx, f.office, FigureFilter{CommitteeID: f.cid, Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range lg.Rows {
			if (r.UnitID == f.units[0]) != r.Assessed || (r.Assessed && r.Score != 95) {
				t.Errorf("league row %s assessed %v score %d", r.Unit, r.Assessed, r.Score)
			}
		}
	})
}
