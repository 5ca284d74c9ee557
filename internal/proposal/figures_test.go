package proposal

import (
	"fmt"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// TestFiguresSession computes every figure of a fixture session (built through
// the use cases) on both engines, compares them with the golden files, and
// checks that every figure's records are exactly as many as its value.
func TestFiguresSession(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.seedSession()
		ff := FigureFilter{CommitteeID: f.cid, SessionID: f.sessionID}
		fs, err := f.svc.Figures(f.ctx, f.office, ff)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "figures_session.zh.golden", fs.Text("zh"))
		golden(t, "figures_session.en.golden", fs.Text("en"))
		for _, v := range fs.Values {
			n := 0
			if _, err := f.svc.EachRecord(f.ctx, f.office, v.ID, ff, func(Record) error { n++; return nil }); err != nil {
				t.Fatalf("%s: %v", v.ID, err)
			}
			pg, err := f.svc.Records(f.ctx, f.office, v.ID, ff, 0, 500)
			if err != nil {
				t.Fatalf("%s: %v", v.ID, err)
			}
			if int64(n) != v.Value || int64(pg.Total) != v.Value || len(pg.Records) != n {
				t.Errorf("%s = %d but %d records (total %d, page %d)", v.ID, v.Value, n, pg.Total, len(pg.Records))
			}
		}
	})
}

// TestFiguresSpotChecks asserts the definitions on known records, so that the
// golden file is not the only guard.
func TestFiguresSpotChecks(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		s := f.seedSession()
		ff := FigureFilter{CommitteeID: f.cid, SessionID: f.sessionID}
		fs, err := f.svc.Figures(f.ctx, f.office, ff)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][2]int64{ // value, denominator
			"proposals.received":       {13, 0},
			"proposals.registered":     {8, 13},
			"proposals.merged":         {1, 13},
			"proposals.not_registered": {2, 13},
			"proposals.converted_sqmy": {1, 2},
			"proposals.withdrawn":      {1, 13},
			"proposals.pending":        {1, 13},
			"proposals.collective":     {1, 8},
			"proposals.replied":        {6, 8},
			"proposals.on_time":        {5, 6},
			"proposals.face_to_face":   {5, 6},
			"proposals.overdue":        {1, 8},
			"proposals.solved":         {5, 8},
			"proposals.class.A":        {3, 8},
			"proposals.class.B":        {2, 8},
			"proposals.class.C":        {1, 8},
			"proposals.key":            {1, 8},
			"proposals.excellent":      {1, 8},
			"evaluations.returned":     {6, 0},
			"evaluations.satisfied":    {4, 6},
			"members.all":              {5, 0},
			"members.proposed":         {4, 5},
			"units.assigned":           {3, 0},
			"units.lead":               {3, 3},
		}
		for id, w := range want {
			v := fs.Get(id)
			if v.Value != w[0] || v.DenValue != w[1] {
				t.Errorf("%s = %d / %d, want %d / %d", id, v.Value, v.DenValue, w[0], w[1])
			}
		}
		// The 4th proposal (replied, not evaluated) is in the replied records, the draft nowhere.
		ids := map[int64]bool{}
		if _, err := f.svc.EachRecord(f.ctx, f.office, "proposals.replied", ff, func(r Record) error { ids[r.ProposalID] = true; return nil }); err != nil {
			t.Fatal(err)
		}
		if !ids[s.repliedOnly.ID] || ids[s.draft.ID] || ids[s.handling.ID] {
			t.Errorf("replied records %v", ids)
		}
		late := map[int64]bool{}
		if _, err := f.svc.EachRecord(f.ctx, f.office, "proposals.on_time", ff, func(r Record) error { late[r.ProposalID] = true; return nil }); err != nil {
			t.Fatal(err)
		}
		if late[s.late.ID] || !late[s.solvedA.ID] {
			t.Errorf("on-time records %v", late)
		}
		// The list's overdue filter and the overdue figure are one rule: same proposals.
		overdueFig := map[int64]bool{}
		if _, err := f.svc.EachRecord(f.ctx, f.office, "proposals.overdue", ff, func(r Record) error { overdueFig[r.ProposalID] = true; return nil }); err != nil {
			t.Fatal(err)
		}
		pg, err := f.svc.List(f.ctx, f.office, f.cid, Filter{SessionID: f.sessionID, Overdue: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(pg.Items) != len(overdueFig) || len(overdueFig) == 0 {
			t.Errorf("overdue list has %d, figure records %d", len(pg.Items), len(overdueFig))
		}
		for _, it := range pg.Items {
			if !overdueFig[it.ID] || !it.Overdue {
				t.Errorf("listed overdue proposal %d: in figure %v, marked %v", it.ID, overdueFig[it.ID], it.Overdue)
			}
		}
		// The unit filter keeps the unit's proposals only.
		u0, err := f.svc.Figures(f.ctx, f.office, FigureFilter{CommitteeID: f.cid, UnitID: f.units[0]})
		if err != nil {
			t.Fatal(err)
		}
		if got := u0.Get("proposals.registered").Value; got != 4 { // solvedA, separateC, handling, dissatisfied
			t.Errorf("unit 0 registered = %d", got)
		}
	})
}

// TestFiguresAccess: who may read figures and records, and the read-only roll-up.
func TestFiguresAccess(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		// A prefecture above the county, created before any proposal so paths are final.
		pref := f.id(`INSERT INTO committees (level, name, code, path, created_at) VALUES ('prefecture', '曲靖市政协', '5303', '', $1) RETURNING id`, db.Now())
		f.exec(`UPDATE committees SET path = $1 WHERE id = $2`, fmt.Sprintf("/%d/", pref), pref)
		f.exec(`UPDATE committees SET parent_id = $1, path = $2 WHERE id = $3`, pref, fmt.Sprintf("/%d/%d/", pref, f.cid), f.cid)
		for _, a := range []*auth.Actor{f.office, f.staff, f.admin, f.leader, f.leader2, f.assistance} {
			a.CommitteePath = fmt.Sprintf("/%d/%d/", pref, f.cid)
		}
		f.seedSession()
		ff := FigureFilter{CommitteeID: f.cid, SessionID: f.sessionID}
		for _, a := range []*auth.Actor{f.office, f.staff, f.admin, f.leader} {
			if _, err := f.svc.Figures(f.ctx, a, ff); err != nil {
				t.Errorf("%s: %v", a.Name, err)
			}
		}
		refused := []struct {
			a    *auth.Actor
			code apperr.Code
		}{
			{nil, apperr.Unauthorized}, {f.members[0], apperr.Forbidden}, {f.unitActors[0], apperr.Forbidden},
			{f.assistance, apperr.Forbidden}, {f.foreignOffice, apperr.NotFound}, {f.foreignMember, apperr.NotFound},
		}
		for _, c := range refused {
			_, err := f.svc.Figures(f.ctx, c.a, ff)
			wantCode(t, err, c.code)
			_, err = f.svc.Records(f.ctx, c.a, "proposals.registered", ff, 0, 10)
			wantCode(t, err, c.code)
		}
		if _, err := f.svc.Records(f.ctx, f.office, "no.such.figure", ff, 0, 10); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("unknown figure: %v", err)
		}
		// The prefecture reads the county's figures and its roll-up, equal to the county's.
		prefStaff := f.userIn(pref, "pref_staff", auth.RoleStaff, 0, 0)
		county, err := f.svc.Figures(f.ctx, f.office, FigureFilter{CommitteeID: f.cid})
		if err != nil {
			t.Fatal(err)
		}
		roll, err := f.svc.Figures(f.ctx, prefStaff, FigureFilter{CommitteeID: pref, Subtree: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range county.Values {
			if r := roll.Get(v.ID); r.Value != v.Value || r.DenValue != v.DenValue {
				t.Errorf("roll-up %s = %d/%d, county %d/%d", v.ID, r.Value, r.DenValue, v.Value, v.DenValue)
			}
		}
		if _, err := f.svc.Figures(f.ctx, prefStaff, ff); err != nil {
			t.Errorf("prefecture reads county: %v", err)
		}
		// The county never reads the prefecture.
		_, err = f.svc.Figures(f.ctx, f.office, FigureFilter{CommitteeID: pref, Subtree: true})
		wantCode(t, err, apperr.NotFound)
		// A bad session is a field error.
		_, err = f.svc.Figures(f.ctx, f.office, FigureFilter{CommitteeID: f.cid, SessionID: 999999})
		wantField(t, err, "session")
	})
}
