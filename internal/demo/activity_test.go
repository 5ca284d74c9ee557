package demo_test

import (
	"context"
	"testing"

	"lvzhi/internal/activity"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/demo"
	"lvzhi/internal/figure"
	"lvzhi/internal/figure/figuretest"
)

// checkActivities asserts the demo year's activity figures say what the
// Fuyuan report says, each equal to its records.
func checkActivities(t *testing.T, d *db.DB, res *demo.Result, staff *auth.Actor) {
	t.Helper()
	ctx := context.Background()
	vs := figuretest.CheckRecords(t, ctx, activity.NewService(d).Source(), staff, figure.YearFilter(res.CommitteeID, 2018))
	want := map[string]int64{"activities.research": 10, "activities.inspection": 4, "activities.consultation": 6,
		"activities.followup": 3, "activities.appraisal": 2, "outputs.to_party": 8, "study.articles_collected": 73,
		"study.articles_published": 12, "publicity.tv": 17, "publicity.articles": 57, "culture.volumes": 1, "plan.done": 3}
	got := map[string]figure.Value{}
	for _, v := range vs {
		got[v.ID] = v
	}
	for id, w := range want {
		if got[id].Value != w {
			t.Errorf("demo %s = %d, want %d", id, got[id].Value, w)
		}
	}
	inv, att, leave, abs := got["attendance.invited"].Value, got["attendance.attended"].Value, got["attendance.leave"].Value, got["attendance.absent"].Value
	if inv < 1000 || att+leave+abs != inv || att < inv*8/10 || leave == 0 || abs == 0 {
		t.Errorf("demo attendance: invited %d attended %d leave %d absent %d", inv, att, leave, abs)
	}
}
