package proposal

import (
	"fmt"
	"testing"

	"lvzhi/internal/apperr"
)

// TestAssessmentPrefill: the default score sheet's items with a basis are
// prefilled from the unit's league figures of the year (a hand count over
// last year's backfilled ledger); the office scores otherwise only with a
// reason, which is kept with the prefilled points.
func TestAssessmentPrefill(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		ps := f.pastSession()
		f.ledgerYear(ps)
		if err := f.svc.UseDefaultSheet(f.ctx, f.office); err != nil {
			t.Fatal(err)
		}
		items, _, err := f.svc.AssessItems(f.ctx, f.office)
		if err != nil {
			t.Fatal(err)
		}
		byBasis := map[string]AssessItem{}
		for _, it := range items {
			byBasis[it.Basis] = it
		}
		pre, err := f.svc.AssessmentPrefill(f.ctx, f.office, 2025, f.units[0])
		if err != nil {
			t.Fatal(err)
		}
		// units[0] in 2025 replied twice (单办逾期: late, face to face, B, 满意; 分办平时: on time,
		// face to face, B, 不满意); its 会办 part is a co-unit's (no reply of its own).
		want := map[string][3]int64{ // value, den, points
			"on_time":      {1, 2, 10}, // 20 × 1/2
			"face_to_face": {2, 2, 20},
			"solved":       {2, 2, 30},
			"satisfied":    {1, 2, 10},
		}
		for basis, w := range want {
			p, ok := pre[byBasis[basis].ID]
			if !ok || p.Value != w[0] || p.Den != w[1] || int64(p.Points) != w[2] {
				t.Errorf("%s: %+v, want %v", basis, p, w)
			}
		}
		if _, ok := pre[byBasis[""].ID]; ok {
			t.Error("the hand-scored item got a prefill")
		}
		points := map[int64]int{byBasis[""].ID: 8}
		for basis, w := range want {
			points[byBasis[basis].ID] = int(w[2])
		}
		onTime := byBasis["on_time"].ID
		points[onTime] = 15
		in := AssessmentInput{Year: 2025, UnitID: f.units[0], Points: points}
		_, err = f.svc.SaveAssessment(f.ctx, f.office, in)
		wantField(t, err, fmt.Sprintf("reason_%d", onTime))
		if e := apperr.As(err); len(e.Fields) != 1 {
			t.Errorf("fields %+v", e.Fields)
		}
		in.Reasons = map[int64]string{onTime: "逾期一件系因上级政策调整，经提案委认定"}
		a, err := f.svc.SaveAssessment(f.ctx, f.office, in)
		if err != nil {
			t.Fatal(err)
		}
		if a.Total != 8+15+20+30+10 || a.Prefilled[onTime] != 10 || a.Reasons[onTime] == "" {
			t.Errorf("assessment %+v", a)
		}
		as, err := f.svc.Assessments(f.ctx, f.leader, 2025)
		if err != nil || len(as) != 1 || as[0].Prefilled[onTime] != 10 || as[0].Reasons[onTime] != in.Reasons[onTime] ||
			as[0].Prefilled[byBasis[""].ID] != 0 {
			t.Errorf("read back %v %+v", err, as)
		}
		if n := f.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'proposal.assess' AND after_json LIKE '%上级政策调整%'`); n != 1 {
			t.Errorf("the reason is not in the audit log (%d)", n)
		}
		// A bad basis is refused.
		_, err = f.svc.SaveAssessItem(f.ctx, f.office, AssessItem{Name: "其他", MaxPoints: 5, Active: true, Basis: "speed"})
		wantField(t, err, "basis")
	})
}
