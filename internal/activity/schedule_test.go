package activity

import (
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/civil"
)

// TestSchedules: a study every two weeks and a monthly standing meeting create
// their occurrences lead_days ahead, once, until their end; staff are reminded.
func TestSchedules(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		d := civil.MustParse
		_, err := f.svc.AddSchedule(f.ctx, f.members[0], f.county.ID, ScheduleInput{Kind: KindStudy, Title: "双周学习", EveryN: 2, Unit: "week", FirstOn: d("2026-06-01")})
		wantCode(t, err, apperr.Forbidden)
		_, err = f.svc.AddSchedule(f.ctx, f.staff, f.county.ID, ScheduleInput{Kind: KindStudy, Title: "双周学习", EveryN: 0, Unit: "day", FirstOn: d("2026-06-01")})
		wantCode(t, err, apperr.Invalid)
		study, err := f.svc.AddSchedule(f.ctx, f.staff, f.county.ID, ScheduleInput{Kind: KindStudy, Title: "双周学习", EveryN: 2, Unit: "week",
			FirstOn: d("2026-06-01"), UntilOn: d("2026-07-31"), LeadDays: 14})
		f.must(err, "study schedule")
		_, err = f.svc.AddSchedule(f.ctx, f.staff, f.county.ID, ScheduleInput{Kind: KindStanding, Title: "常委会议", EveryN: 1, Unit: "month",
			FirstOn: d("2026-06-20"), LeadDays: 7, Mandatory: true})
		f.must(err, "meeting schedule")
		// Today is 2026-06-15: study on 06-01, 06-15, 06-29 (within 14 days); the meeting on 06-20 (within 7).
		n, err := f.svc.RunSchedules(f.ctx, f.today)
		f.must(err, "run")
		if n != 4 {
			t.Fatalf("created %d, want 4", n)
		}
		if n, err := f.svc.RunSchedules(f.ctx, f.today); err != nil || n != 0 {
			t.Fatalf("second run created %d (%v)", n, err)
		}
		items, _, err := f.svc.List(f.ctx, f.staff, Filter{CommitteeID: f.county.ID})
		f.must(err, "list")
		var meeting *Item
		for i := range items {
			if items[i].Kind == KindStanding {
				meeting = &items[i]
			}
		}
		if meeting == nil || meeting.StartsOn != d("2026-06-20") || meeting.Invited != 1 || meeting.State != Planned {
			t.Fatalf("the meeting: %+v (only the standing member is invited)", meeting)
		}
		// Later runs stop at the end of the study schedule: 07-13, 07-27 and no more.
		f.today = d("2026-09-30")
		_, err = f.svc.RunSchedules(f.ctx, f.today)
		f.must(err, "run later")
		var studies int
		f.must(f.d.QueryRowContext(f.ctx, `SELECT COUNT(*) FROM activities WHERE kind = 'study'`).Scan(&studies), "count")
		if studies != 5 {
			t.Fatalf("%d studies, want 5 (06-01 to 07-27)", studies)
		}
		scs, err := f.svc.Schedules(f.ctx, f.leader, f.county.ID)
		f.must(err, "schedules")
		for _, sc := range scs {
			if sc.ID == study.ID && sc.Active {
				t.Fatalf("the study schedule is still active after its end: %+v", sc)
			}
		}
		var reminders int
		f.must(f.d.QueryRowContext(f.ctx, `SELECT COUNT(*) FROM notifications WHERE kind = 'activity.prepare' AND user_id = $1`, f.staff.UserID).Scan(&reminders), "notifications")
		if reminders < 9 {
			t.Fatalf("%d reminders to staff", reminders)
		}
	})
}
