package duty_test

import (
	"testing"

	"lvzhi/internal/civil"
	"lvzhi/internal/duty"
	"lvzhi/internal/figure"
	"lvzhi/internal/figure/figuretest"
	"lvzhi/internal/proposal"
)

// TestFiguresCountTheirRecords: every duty figure lists exactly the members
// it counts, on both engines, with known values.
func TestFiguresCountTheirRecords(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.rules(2026, duty.PresetTongcheng)
		f.proposal(proposal.Registered, 0, []int{1}) // 张三 and 李四 take part in proposals
		if _, err := f.svc.Adjust(f.ctx, f.staff, f.c.ID, duty.AdjustInput{MembershipID: f.mids[0],
			Date: civil.MustParse("2026-06-01"), Points: 8000, Reason: "全年履职突出"}); err != nil {
			t.Fatal(err)
		}
		src := f.svc.Source()
		vs := figuretest.CheckRecords(t, f.ctx, src, f.staff, figure.YearFilter(f.c.ID, 2026))
		want := map[string]int64{"duty.members": 4, "duty.grade.excellent": 1, "duty.grade.incompetent": 3,
			"duty.grade.good": 0, "duty.part.proposal": 2, "duty.part.sqmy": 0, "duty.exit": 0}
		for _, v := range vs {
			if w, ok := want[v.ID]; ok && v.Value != w {
				t.Errorf("%s = %d, want %d", v.ID, v.Value, w)
			}
		}
		// Not a whole year: no figures; another committee: not found; a member: forbidden.
		if vs, err := src.Figures(f.ctx, f.staff, figure.Filter{CommitteeID: f.c.ID}); err != nil || len(vs) != 0 {
			t.Errorf("no period: %v %v", vs, err)
		}
		_, err := src.Figures(f.ctx, f.foreign, figure.YearFilter(f.c.ID, 2026))
		wantCode(t, err, "not_found")
		_, err = src.Records(f.ctx, f.members[0], figure.YearFilter(f.c.ID, 2026), "duty.members", 0, 10)
		wantCode(t, err, "forbidden")
	})
}
