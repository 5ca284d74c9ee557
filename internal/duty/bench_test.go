package duty_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/duty"
	"lvzhi/internal/fixture"
	"lvzhi/internal/org"
)

// BenchmarkRecomputeCounty recomputes a county's year: 300 members and 20,000
// events, on each engine. "post" rebuilds the ledger from nothing (every
// posting written); "check" compares a ledger in step with the records (the
// button and the command). The members are made through the services; the
// events are 20,000 adjustments inserted in bulk, since 20,000 audited use
// cases would make the set-up, not the recompute, the benchmark.
func BenchmarkRecomputeCounty(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchCounty(b, dbtest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchCounty(b, dbtest.Postgres(b)) })
}

func benchCounty(b *testing.B, d *db.DB) {
	{
		ctx := context.Background()
		w := fixture.New(b, d)
		c := w.Root("county", "基准县政协", "bench")
		term := w.Term(c, org.TermInput{Number: 9, Name: "第九届", StartsOn: "2021-12-01"})
		var mids []int64
		for i := range 300 {
			mids = append(mids, w.Member(c, org.MemberInput{Name: fmt.Sprintf("委员%03d", i), TermID: term.ID}).ID)
		}
		svc := duty.NewService(d)
		admin := fixture.Admin(c)
		if _, err := svc.CopyPreset(ctx, admin, c.ID, 2026, duty.PresetTongcheng); err != nil {
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
		b.Run("post", func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				if _, err := d.ExecContext(ctx, `DELETE FROM duty_entries`); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				rep, err := svc.Recompute(ctx, admin, c.ID, 2026, true)
				if err != nil || len(rep.Missing) != 20000 {
					b.Fatalf("%v %d", err, len(rep.Missing))
				}
			}
		})
		b.Run("check", func(b *testing.B) {
			for b.Loop() {
				rep, err := svc.Recompute(ctx, admin, c.ID, 2026, false)
				if err != nil || rep.Differs() || rep.Events != 20000 {
					b.Fatalf("%v %+v", err, rep.Events)
				}
			}
		})
	}
}
