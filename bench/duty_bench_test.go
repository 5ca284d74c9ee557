package bench

import (
	"context"
	"os"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/duty"
)

// TestNationDutyRecompute recomputes a year of duty scores for every
// committee of a generated nation (issue 13: 650,000 members in under 10
// minutes, streaming, in bounded memory), one committee at a time as the
// command's --all does, and reports the time, the postings and the peak Go
// heap and resident memory. It needs a database generated with the year's
// records (proposals, activities with their rolls, 社情民意), which the
// nation cache of the other benchmarks lacks (it is built without
// proposals); build one with the generator and name it:
//
//	lvzhi gen --scale nation --data /tmp/nation                  # ~10-25 minutes
//	LVZHI_BENCH=1 LVZHI_BENCH_DUTY_DB=/tmp/nation/lvzhi.db go test -timeout 2h -run TestNationDutyRecompute -v ./bench
//
// Every committee without rules for the year gets the Tongcheng table (which
// posts its ledger). The test then empties the ledger (it is a generated
// database), rebuilds it from the records (post) and checks it (check).
func TestNationDutyRecompute(t *testing.T) {
	requireBench(t)
	target := os.Getenv("LVZHI_BENCH_DUTY_DB")
	if target == "" {
		t.Skip("set LVZHI_BENCH_DUTY_DB to a database generated with its records (lvzhi gen --scale nation)")
	}
	ctx := context.Background()
	d, err := db.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var year, members int
	if err := d.QueryRowContext(ctx, `SELECT COALESCE(MAX(year), 0) FROM proposals`).Scan(&year); err != nil || year == 0 {
		t.Fatalf("no generated year of proposals in %s: %v", target, err)
	}
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE status = 'active'`).Scan(&members); err != nil {
		t.Fatal(err)
	}
	svc := duty.NewService(d)
	root, path := nationRoot(t, d)
	actorFor := func(id int64, path string) *auth.Actor {
		a := auth.System(id)
		a.CommitteePath = path
		return a
	}
	copyRules(t, ctx, d, svc, year, actorFor)
	emptyLedger(t, ctx, d)
	t.Logf("%s: %d active members, year %d, root committee %d", d.Engine, members, year, root)
	run := func(name string, repair bool) {
		stop := sampleHeap()
		start, cpu := time.Now(), processCPU(t)
		tot, err := svc.RecomputeAll(ctx, path, actorFor, year, repair, func(done, total int) {
			if done%500 == 0 {
				t.Logf("%s: %d/%d committees (%s)", name, done, total, time.Since(start).Round(time.Second))
			}
		})
		took, used := time.Since(start), processCPU(t)-cpu
		heap := stop()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d committees, %d postings (at most %d in one committee), %d missing, %d unsupported, %d committees differing, "+
			"%s (CPU %s), peak Go heap %.0f MB, peak RSS %.0f MB (load %s)", name, tot.Committees, tot.Events, tot.MaxEvents,
			tot.Missing, tot.Reversed, len(tot.Differing), took.Round(time.Second), used.Round(time.Second), float64(heap)/(1<<20),
			float64(vmHWM(t))/(1<<20), loadAvg())
		if took > 10*time.Minute {
			t.Errorf("%s took %s (target < 10 minutes)", name, took.Round(time.Second))
		}
	}
	run("post", true)
	run("check", false)
}

// emptyLedger deletes every ledger row. The ledger is append-only, so
// nothing indexes the rows that point at others (reversals, appeals), and a
// plain DELETE would check those references row by row: without the checks
// (SQLite: a connection without foreign keys; PostgreSQL: TRUNCATE).
func emptyLedger(t *testing.T, ctx context.Context, d *db.DB) {
	if d.Engine != db.SQLite {
		if _, err := d.ExecContext(ctx, `TRUNCATE duty_entries CASCADE`); err != nil {
			t.Fatal(err)
		}
		return
	}
	conn, err := d.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{`PRAGMA foreign_keys = OFF`, `DELETE FROM duty_appeals`, `DELETE FROM duty_entries`, `PRAGMA foreign_keys = ON`} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
}

// nationRoot is the committee without a parent (the national committee).
func nationRoot(t *testing.T, d *db.DB) (int64, string) {
	var id int64
	var path string
	if err := d.QueryRowContext(context.Background(), `SELECT id, path FROM committees WHERE parent_id IS NULL ORDER BY id LIMIT 1`).
		Scan(&id, &path); err != nil {
		t.Fatal(err)
	}
	return id, path
}

// copyRules gives every committee without rules for the year the Tongcheng table.
func copyRules(t *testing.T, ctx context.Context, d *db.DB, svc *duty.Service, year int, actorFor func(int64, string) *auth.Actor) {
	rows, err := d.QueryContext(ctx, `SELECT id, path FROM committees c WHERE NOT EXISTS (SELECT 1 FROM duty_rule_sets r
		WHERE r.committee_id = c.id AND r.year = $1) ORDER BY id`, year)
	if err != nil {
		t.Fatal(err)
	}
	type cm struct {
		id   int64
		path string
	}
	var cs []cm
	for rows.Next() {
		var c cm
		if err := rows.Scan(&c.id, &c.path); err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	start, cpu := time.Now(), processCPU(t)
	for _, c := range cs {
		if _, err := svc.CopyPreset(ctx, actorFor(c.id, c.path), c.id, year, duty.PresetTongcheng); err != nil {
			t.Fatalf("rules of committee %d: %v", c.id, err)
		}
	}
	if len(cs) > 0 {
		t.Logf("copied the Tongcheng table into %d committees, posting their ledgers (%s, CPU %s, peak RSS %.0f MB)", len(cs),
			time.Since(start).Round(time.Second), (processCPU(t) - cpu).Round(time.Second), float64(vmHWM(t))/(1<<20))
	}
}

// processCPU is the CPU time (user and system) the process has used: on a
// shared machine the wall time mostly measures waiting for a core.
func processCPU(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// sampleHeap samples the Go heap in use every 250 ms until the returned
// func is called, which returns the peak.
func sampleHeap() func() uint64 {
	var mu sync.Mutex
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			mu.Lock()
			peak = max(peak, ms.HeapInuse)
			mu.Unlock()
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak
	}
}
