package activity

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/fixture"
	"lvzhi/internal/org"
)

// perfWorld is a county committee of n serving members with a year of
// activities: a plenary with every member and `activities` sign-up
// activities of 30 members each, all held.
type perfWorld struct {
	svc     *Service
	staff   *auth.Actor
	member  *auth.Actor
	cid     int64
	people  []int64
	plenary int64
}

func newPerfWorld(tb testing.TB, d *db.DB, members, activities int) *perfWorld {
	tb.Helper()
	ctx := context.Background()
	w := fixture.New(tb, d)
	c := w.Root("county", "性能县政协", "perf")
	w.Term(c, org.TermInput{Number: 9, Name: "第九届", StartsOn: "2021-12-01"})
	p := &perfWorld{svc: NewService(d), cid: c.ID}
	p.svc.Today = func() civil.Date { return civil.MustParse("2026-12-31") }
	p.staff = w.User(c, "perfstaff", []auth.Role{auth.RoleStaff}, 0, 0)
	for i := 0; i < members; i++ {
		p.people = append(p.people, w.Member(c, org.MemberInput{Name: fmt.Sprintf("委员%03d", i)}).PersonID)
	}
	p.member = w.User(c, "perfmember", []auth.Role{auth.RoleMember}, p.people[0], 0)
	r := rand.New(rand.NewPCG(1, 2))
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	a, err := p.svc.Create(ctx, p.staff, c.ID, Input{Kind: KindPlenary, Title: "全体会议", StartsOn: civil.MustParse("2026-02-26"), Mandatory: true})
	must(err)
	p.plenary = a.ID
	_, err = p.svc.InviteServing(ctx, p.staff, Ref{ID: a.ID})
	must(err)
	kinds := []Kind{KindResearch, KindInspection, KindBimonthly, KindStudy, KindForum}
	for i := 0; i < activities; i++ {
		on := civil.MustParse("2026-01-01").AddDays(i * 360 / max(activities, 1))
		roll := make([]PastRow, 0, 30)
		for _, j := range r.Perm(len(p.people))[:min(30, len(p.people))] {
			roll = append(roll, PastRow{PersonID: p.people[j], Status: Attended})
		}
		_, err := p.svc.EnterPast(ctx, p.staff, c.ID, Input{Kind: kinds[i%len(kinds)], Title: fmt.Sprintf("活动%d", i), StartsOn: on}, roll)
		must(err)
	}
	return p
}

// TestPlenaryRollInOneAction records a 300-member plenary's attendance in one
// action and reports the time (the issue asks under 1 s; this fails only on a
// gross regression, 5 s, since the test machines are shared).
func TestPlenaryRollInOneAction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		p := newPerfWorld(t, d, 300, 0)
		ctx := context.Background()
		if _, err := p.svc.Open(ctx, p.staff, Ref{ID: p.plenary}); err != nil {
			t.Fatal(err)
		}
		marks := make([]Mark, len(p.people))
		for i, id := range p.people {
			marks[i] = Mark{PersonID: id, Status: Attended}
			if i%20 == 0 {
				marks[i].Status = Absent
			}
		}
		t0 := time.Now()
		n, err := p.svc.MarkAttendance(ctx, p.staff, Ref{ID: p.plenary}, marks)
		took := time.Since(t0)
		if err != nil || n != 300 {
			t.Fatalf("marked %d: %v", n, err)
		}
		t.Logf("%s: 300 marks in one action took %s", d.Engine, took)
		if took > 5*time.Second {
			t.Errorf("recording a 300-member plenary took %s", took)
		}
	})
}

// BenchmarkCalendar is a member's calendar for a year (120 activities of 30 of
// 300 members, and the plenary). On the nation-scale database the issue asks
// under 50 ms p95; here it measures the query shape on SQLite.
func BenchmarkCalendar(b *testing.B) {
	p := newPerfWorld(b, dbtest.SQLite(b), 300, 120)
	ctx := context.Background()
	from, to := civil.MustParse("2026-01-01"), civil.MustParse("2026-12-31")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := p.svc.Calendar(ctx, p.member, from, to); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkList is the committee's activity list for a year, first page.
func BenchmarkList(b *testing.B) {
	p := newPerfWorld(b, dbtest.SQLite(b), 300, 120)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := p.svc.List(ctx, p.staff, Filter{CommitteeID: p.cid, Year: 2026}); err != nil {
			b.Fatal(err)
		}
	}
}
