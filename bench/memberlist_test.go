package bench

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/org"
)

// listCase is one member-list request: a committee's staff filtering by one of its sectors.
type listCase struct {
	actor    *auth.Actor
	sectorID int64
}

// listCases picks committees of every level (the national committee, every
// province, and random prefectures and counties) and a random sector of each.
func listCases(t testing.TB, d *db.DB, n int) []listCase {
	t.Helper()
	ctx := context.Background()
	rows, err := d.QueryContext(ctx, `SELECT c.id, c.path, c.level, s.id FROM committees c
		JOIN sectors s ON s.committee_id = c.id ORDER BY c.id, s.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type comm struct {
		id      int64
		path    string
		level   string
		sectors []int64
	}
	var all []*comm
	for rows.Next() {
		var id, sector int64
		var path, level string
		if err := rows.Scan(&id, &path, &level, &sector); err != nil {
			t.Fatal(err)
		}
		if len(all) == 0 || all[len(all)-1].id != id {
			all = append(all, &comm{id: id, path: path, level: level})
		}
		all[len(all)-1].sectors = append(all[len(all)-1].sectors, sector)
	}
	r := rand.New(rand.NewPCG(42, 0))
	var out []listCase
	add := func(c *comm) {
		out = append(out, listCase{
			actor:    &auth.Actor{Name: "bench", CommitteeID: c.id, CommitteePath: c.path, Roles: []auth.Role{auth.RoleStaff}},
			sectorID: c.sectors[r.IntN(len(c.sectors))],
		})
	}
	for _, c := range all {
		if c.level == "national" || c.level == "province" {
			add(c)
		}
	}
	for len(out) < n {
		add(all[r.IntN(len(all))])
	}
	return out
}

// listOnce runs one first-page member list and checks it returned members.
func listOnce(t testing.TB, s *org.Service, c listCase) time.Duration {
	start := time.Now()
	page, err := s.ListMembers(context.Background(), c.actor, c.actor.CommitteeID, org.MemberFilter{SectorID: c.sectorID})
	el := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if page.Total > 0 && len(page.Members) == 0 {
		t.Fatalf("committee %d sector %d: total %d but an empty first page", c.actor.CommitteeID, c.sectorID, page.Total)
	}
	return el
}

// TestMemberListLatency asserts target (a): the first page of a committee's
// member list filtered by sector, on the nation-scale database, has p95 < 50 ms.
func TestMemberListLatency(t *testing.T) {
	requireBench(t)
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			d, _ := nationDB(t, engine)
			s := org.NewService(d)
			cases := listCases(t, d, 400)
			for _, c := range cases[:50] { // warm the connection pool and caches a little
				listOnce(t, s, c)
			}
			var ds []time.Duration
			for i := range 1000 {
				ds = append(ds, listOnce(t, s, cases[i%len(cases)]))
			}
			p := percentiles(ds, 50, 95, 99)
			t.Logf("%s member list by sector, nation scale, %d calls: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms",
				engine, len(ds), ms(p[0]), ms(p[1]), ms(p[2]), ms(ds[len(ds)-1]))
			if p[1] >= 50*time.Millisecond {
				t.Errorf("p95 %.2f ms, target < 50 ms", ms(p[1]))
			}
		})
	}
}

// BenchmarkMemberList reports the same call's time per operation and percentiles.
func BenchmarkMemberList(b *testing.B) {
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			d, _ := nationDB(b, engine)
			s := org.NewService(d)
			cases := listCases(b, d, 400)
			ds := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				ds = append(ds, listOnce(b, s, cases[i%len(cases)]))
			}
			p := percentiles(ds, 50, 95, 99)
			b.ReportMetric(ms(p[0]), "p50-ms")
			b.ReportMetric(ms(p[1]), "p95-ms")
			b.ReportMetric(ms(p[2]), "p99-ms")
		})
	}
}
