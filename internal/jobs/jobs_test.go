package jobs_test

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"lvzhi/internal/logbuf"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/jobs"
)

// greetArgs names a committee row written in the same transaction as the job.
type greetArgs struct {
	CommitteeID int64  `json:"committee_id"`
	Via         string `json:"via"`
}

func (greetArgs) Kind() string { return "test.greet" }

// greetWorker reports, per job, the name of the committee row the job points at,
// which proves the worker sees the business row its transaction committed.
type greetWorker struct {
	river.WorkerDefaults[greetArgs]
	d    *db.DB
	seen chan string
}

func (w *greetWorker) Work(ctx context.Context, j *river.Job[greetArgs]) error {
	var name string
	err := w.d.QueryRowContext(ctx, `SELECT name FROM committees WHERE id = $1`, j.Args.CommitteeID).Scan(&name)
	if err != nil {
		return err
	}
	w.seen <- j.Args.Via + ":" + name
	return nil
}

func startRunner(t *testing.T, d *db.DB, add func(r *jobs.Runner)) *jobs.Runner {
	t.Helper()
	r, err := jobs.NewConfig(d, nil, jobs.Config{PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	add(r)
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return r
}

// insertWithJob writes a committee row and enqueues a job for it in one
// transaction, committing or (fail set) rolling back.
func insertWithJob(t *testing.T, d *db.DB, name string, fail bool, enqueue func(ctx context.Context, tx *sql.Tx, args river.JobArgs) error, via string) {
	t.Helper()
	ctx := context.Background()
	errRollback := errors.New("rollback")
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO committees (level, name, code, path, created_at)
			VALUES ('county', $1, $2, '/', $3) RETURNING id`, name, name, db.Now()).Scan(&id); err != nil {
			return err
		}
		if err := enqueue(ctx, tx, greetArgs{CommitteeID: id, Via: via}); err != nil {
			return err
		}
		if fail {
			return errRollback
		}
		return nil
	})
	if fail && !errors.Is(err, errRollback) || !fail && err != nil {
		t.Fatalf("tx %s: %v", name, err)
	}
}

// TestEnqueueInTx: a job enqueued in a rolled-back transaction never runs, one
// in a committed transaction runs and sees the committed row; through both the
// Runner and the package-level Enqueue.
func TestEnqueueInTx(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		seen := make(chan string, 10)
		r := startRunner(t, d, func(r *jobs.Runner) { jobs.AddWorker(r, &greetWorker{d: d, seen: seen}) })
		pkg := func(ctx context.Context, tx *sql.Tx, a river.JobArgs) error { return jobs.Enqueue(ctx, d, tx, a) }

		insertWithJob(t, d, "回滚A", true, r.Enqueue, "runner")
		insertWithJob(t, d, "回滚B", true, pkg, "package")
		insertWithJob(t, d, "提交A", false, r.Enqueue, "runner")
		insertWithJob(t, d, "提交B", false, pkg, "package")

		want := map[string]bool{"runner:提交A": true, "package:提交B": true}
		deadline := time.After(15 * time.Second)
		for len(want) > 0 {
			select {
			case s := <-seen:
				if !want[s] {
					t.Fatalf("unexpected job ran: %s", s)
				}
				delete(want, s)
			case <-deadline:
				t.Fatalf("committed jobs did not run: %v", want)
			}
		}
		var n int
		if err := d.QueryRowContext(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'test.greet'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Fatalf("river_job holds %d greet jobs, want 2 (rolled-back inserts must vanish)", n)
		}
		select {
		case s := <-seen:
			t.Fatalf("extra job ran: %s", s)
		case <-time.After(300 * time.Millisecond):
		}
	})
}

type tickArgs struct{}

func (tickArgs) Kind() string { return "test.tick" }

type tickWorker struct {
	river.WorkerDefaults[tickArgs]
	runs *atomic.Int64
}

func (w *tickWorker) Work(ctx context.Context, j *river.Job[tickArgs]) error {
	w.runs.Add(1)
	return nil
}

// TestPeriodicOnceAcrossInstances: two runners (two instances) on one database
// run a periodic job once per schedule, because only the leader inserts it.
func TestPeriodicOnceAcrossInstances(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		var runs atomic.Int64
		for range 2 {
			startRunner(t, d, func(r *jobs.Runner) {
				jobs.AddWorker(r, &tickWorker{runs: &runs})
				r.AddPeriodic(jobs.Periodic{ID: "test.tick", Schedule: jobs.DailyAt(3, 0), RunOnStart: true,
					Args: func() river.JobArgs { return tickArgs{} }})
			})
		}
		deadline := time.Now().Add(15 * time.Second)
		for runs.Load() == 0 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if runs.Load() == 0 {
			t.Fatal("periodic job never ran")
		}
		time.Sleep(2 * time.Second) // time for a second, wrongful insertion to show
		if n := runs.Load(); n != 1 {
			t.Fatalf("periodic job ran %d times across two instances, want 1", n)
		}
	})
}

// TestStartWithoutWorkers: a runner with nothing registered starts and stops quietly.
func TestStartWithoutWorkers(t *testing.T) {
	d := dbtest.SQLite(t)
	r, err := jobs.New(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := r.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestDailyAt(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	s := jobs.DailyAt(8, 0)
	for _, c := range []struct{ now, want time.Time }{
		{time.Date(2026, 3, 1, 7, 59, 0, 0, cst), time.Date(2026, 3, 1, 8, 0, 0, 0, cst)},
		{time.Date(2026, 3, 1, 8, 0, 0, 0, cst), time.Date(2026, 3, 2, 8, 0, 0, 0, cst)},
		{time.Date(2026, 3, 1, 0, 30, 0, 0, time.UTC), time.Date(2026, 3, 2, 8, 0, 0, 0, cst)}, // 08:30 in Shanghai
		{time.Date(2026, 2, 28, 23, 59, 0, 0, time.UTC), time.Date(2026, 3, 1, 8, 0, 0, 0, cst)},
		{time.Date(2026, 12, 31, 9, 0, 0, 0, cst), time.Date(2027, 1, 1, 8, 0, 0, 0, cst)},
	} {
		if got := s.Next(c.now); !got.Equal(c.want) {
			t.Errorf("Next(%v) = %v, want %v", c.now, got, c.want)
		}
	}
}

type failArgs struct{}

func (failArgs) Kind() string { return "test.fail" }

type failWorker struct {
	river.WorkerDefaults[failArgs]
	once sync.Once
	done chan struct{}
}

func (w *failWorker) Work(ctx context.Context, j *river.Job[failArgs]) error {
	defer w.once.Do(func() { close(w.done) })
	return errors.New("county data missing")
}

// TestFailedJobLogged: a failing job is logged at warning level with its kind and error.
func TestFailedJobLogged(t *testing.T) {
	d := dbtest.SQLite(t)
	var buf logbuf.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	r, err := jobs.NewConfig(d, log, jobs.Config{PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	w := &failWorker{done: make(chan struct{})}
	jobs.AddWorker(r, w)
	ctx := context.Background()
	if err := d.Tx(ctx, func(tx *sql.Tx) error { return r.Enqueue(ctx, tx, failArgs{}) }); err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer r.Stop(ctx)
	select {
	case <-w.done:
	case <-time.After(15 * time.Second):
		t.Fatal("job did not run")
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(buf.String(), "job failed") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	out := buf.String()
	if !strings.Contains(out, "level=WARN msg=\"job failed\" kind=test.fail") || !strings.Contains(out, "data missing") {
		t.Fatalf("failure not logged:\n%s", out)
	}
}

type flakyArgs struct{}

func (flakyArgs) Kind() string { return "test.flaky" }

type flakyWorker struct {
	river.WorkerDefaults[flakyArgs]
	attempts atomic.Int64
	done     chan int
}

func (w *flakyWorker) Work(ctx context.Context, j *river.Job[flakyArgs]) error {
	if w.attempts.Add(1) == 1 {
		return errors.New("temporary failure")
	}
	w.done <- j.Attempt
	return nil
}

// TestRetry: a failed job is retried later and then succeeds, which needs the
// scheduled time to round-trip through each engine correctly.
func TestRetry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := &flakyWorker{done: make(chan int, 1)}
		r := startRunner(t, d, func(r *jobs.Runner) { jobs.AddWorker(r, w) })
		ctx := context.Background()
		if err := d.Tx(ctx, func(tx *sql.Tx) error { return r.Enqueue(ctx, tx, flakyArgs{}) }); err != nil {
			t.Fatal(err)
		}
		select {
		case attempt := <-w.done:
			if attempt != 2 {
				t.Fatalf("succeeded on attempt %d, want 2", attempt)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("failed job not retried (%d attempts)", w.attempts.Load())
		}
	})
}
