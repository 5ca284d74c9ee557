package duty_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/duty"
	"lvzhi/internal/fixture"
	"lvzhi/internal/gen"
	"lvzhi/internal/org"
)

// BenchmarkRecomputeCounty recomputes a county's year (issue 13: 300
// members, ~20,000 events, under 1 s), on each engine, two ways:
//
//   - generated: the generator's county (its proposals, held activities with
//     their rolls and 社情民意), every member then put on every activity's roll
//     so the year has ~20,000 events, mostly attendance, the source with the
//     costliest query (each row finds its membership), scored by the Tongcheng
//     table;
//   - adjustments: 300 members and 20,000 staff adjustments inserted in bulk
//     (the cheapest source: what the ledger itself costs).
//
// "post" rebuilds the ledger from nothing (every posting written); "check"
// compares a ledger in step with the records (the button and the command).
//
//	go test -run '^$' -bench RecomputeCounty -benchtime 5x ./internal/duty
func BenchmarkRecomputeCounty(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchCounty(b, dbtest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchCounty(b, dbtest.Postgres(b)) })
}

func benchCounty(b *testing.B, d *db.DB) {
	ctx := context.Background()
	b.Run("generated", func(b *testing.B) {
		a, year, events := generatedCounty(b, ctx, d)
		benchRecompute(b, ctx, d, a, year, events)
	})
	b.Run("adjustments", func(b *testing.B) {
		a := adjustedCounty(b, ctx, d)
		benchRecompute(b, ctx, d, a, 2026, 20000)
	})
}

// benchRecompute times posting a whole year into an empty ledger, then
// checking a ledger in step.
func benchRecompute(b *testing.B, ctx context.Context, d *db.DB, a *auth.Actor, year, events int) {
	svc := duty.NewService(d)
	b.Run("post", func(b *testing.B) {
		var cpu time.Duration
		for b.Loop() {
			b.StopTimer()
			emptyLedger(b, ctx, d)
			b.StartTimer()
			at := cpuNow(b)
			rep, err := svc.Recompute(ctx, a, a.CommitteeID, year, true)
			cpu += cpuNow(b) - at
			if err != nil || len(rep.Missing) != events {
				b.Fatalf("%v: %d postings, want %d", err, len(rep.Missing), events)
			}
		}
		reportCPU(b, cpu)
		b.ReportMetric(float64(events), "events")
	})
	b.Run("check", func(b *testing.B) {
		at := cpuNow(b)
		for b.Loop() {
			rep, err := svc.Recompute(ctx, a, a.CommitteeID, year, false)
			if err != nil || rep.Differs() || rep.Events != events {
				b.Fatalf("%v: %d events, differs %v", err, rep.Events, rep.Differs())
			}
		}
		reportCPU(b, cpuNow(b)-at)
		b.ReportMetric(float64(events), "events")
	})
}

// emptyLedger deletes every ledger row quickly. The ledger is append-only,
// so nothing indexes the rows that point at others (reversals, appeals), and
// a plain DELETE checks those references row by row: seconds of set-up per
// iteration. Without the checks (SQLite: a connection without foreign keys;
// PostgreSQL: TRUNCATE) it takes milliseconds.
func emptyLedger(b *testing.B, ctx context.Context, d *db.DB) {
	b.Helper()
	if d.Engine != db.SQLite {
		if _, err := d.ExecContext(ctx, `TRUNCATE duty_entries CASCADE`); err != nil {
			b.Fatal(err)
		}
		return
	}
	conn, err := d.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{`PRAGMA foreign_keys = OFF`, `DELETE FROM duty_appeals`, `DELETE FROM duty_entries`, `PRAGMA foreign_keys = ON`} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}

// reportCPU reports the process's CPU time (user and system) per operation
// as cpu-ms/op. On a shared machine wall time mostly measures waiting for a
// core; CPU time does not. With SQLite the database works inside the
// process, so this is all the work; with PostgreSQL the server's share is
// not in it.
func reportCPU(b *testing.B, cpu time.Duration) {
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

func cpuNow(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// generatedCounty generates a county with its year's records, fills every
// roll and copies the Tongcheng table into the year; it returns the staff
// actor, the year and how many postings the records earn.
func generatedCounty(b *testing.B, ctx context.Context, d *db.DB) (*auth.Actor, int, int) {
	b.Helper()
	const year = 2018
	res, err := gen.Run(ctx, d, gen.Options{Scale: gen.County, Seed: 1, NoUsers: true, Year: year})
	if err != nil {
		b.Fatal(err)
	}
	var path string
	if err := d.QueryRowContext(ctx, `SELECT path FROM committees WHERE id = $1`, res.RootID).Scan(&path); err != nil {
		b.Fatal(err)
	}
	a := auth.System(res.RootID)
	a.CommitteePath = path
	if _, err := d.ExecContext(ctx, `INSERT INTO activity_attendance (committee_id, activity_id, person_id, status, role,
		version, created_at, updated_at)
		SELECT a.committee_id, a.id, m.person_id, 'attended', '', 1, a.created_at, a.created_at
		FROM activities a JOIN memberships m ON m.committee_id = a.committee_id AND m.status = 'active'
		WHERE a.committee_id = $1 AND NOT EXISTS (SELECT 1 FROM activity_attendance t WHERE t.activity_id = a.id
			AND t.person_id = m.person_id)`, res.RootID); err != nil {
		b.Fatal(err)
	}
	svc := duty.NewService(d)
	if _, err := svc.CopyPreset(ctx, a, res.RootID, year, duty.PresetTongcheng); err != nil {
		b.Fatal(err)
	}
	rep, err := svc.Recompute(ctx, a, res.RootID, year, true)
	if err != nil {
		b.Fatal(err)
	}
	var members int
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE committee_id = $1 AND status = 'active'`,
		res.RootID).Scan(&members); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated county: %d members, %d postings", members, rep.Events)
	return a, year, rep.Events
}

// adjustedCounty is 300 members with 20,000 adjustments in 2026.
func adjustedCounty(b *testing.B, ctx context.Context, d *db.DB) *auth.Actor {
	b.Helper()
	w := fixture.New(b, d)
	c := w.Root("county", "基准县政协", "bench")
	term := w.Term(c, org.TermInput{Number: 9, Name: "第九届", StartsOn: "2021-12-01"})
	var mids []int64
	for i := range 300 {
		mids = append(mids, w.Member(c, org.MemberInput{Name: fmt.Sprintf("委员%03d", i), TermID: term.ID}).ID)
	}
	admin := fixture.Admin(c)
	if _, err := duty.NewService(d).CopyPreset(ctx, admin, c.ID, 2026, duty.PresetTongcheng); err != nil {
		b.Fatal(err)
	}
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		for start := 0; start < 20000; start += 500 {
			var a db.Args
			var vals []string
			for i := start; i < start+500; i++ {
				vals = append(vals, db.In(&a, []any{c.ID, mids[i%len(mids)], fmt.Sprintf("2026-%02d-%02d", 1+i%12, 1+i%28),
					int64(1 + i%500), "基准", db.Now()}))
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO duty_adjustments (committee_id, membership_id, on_date, points,
				reason, created_at) VALUES `+strings.Join(vals, ","), a...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return admin
}
