// Package jobs runs background work with River (github.com/riverqueue/river) on
// both engines, through database/sql, so a job is enqueued in the same
// transaction as the business row that causes it: if the transaction rolls
// back, the job never existed; once it commits, the job will run (at least once).
//
// # Enqueueing, from an area's service
//
// Inside the use case's transaction, after the write and the audit record:
//
//	err := d.Tx(ctx, func(tx *sql.Tx) error {
//		... write rows, audit.Record(...) ...
//		return jobs.Enqueue(ctx, s.db, tx, RemindArgs{ProposalID: id})
//	})
//
// jobs.Enqueue needs only the *db.DB the service already holds. A job's
// arguments are a JSON-encoded struct with a Kind method (river.JobArgs);
// keep them small (ids, not records) and load the current state in the worker.
//
// # Registering workers and periodic jobs
//
// An area registers its workers once, in an init function, with Register. The
// function runs for every Runner that jobs.New creates (the server's, and each
// test's), so it must only add workers and periodic jobs:
//
//	func init() {
//		jobs.Register(func(r *jobs.Runner) error {
//			jobs.AddWorker(r, &deadlineScanWorker{db: r.DB})
//			r.AddPeriodic(jobs.Periodic{
//				ID:       "proposal.deadline_scan",
//				Schedule: jobs.DailyAt(8, 0), // 08:00 Asia/Shanghai
//				Args:     func() river.JobArgs { return DeadlineScanArgs{} },
//			})
//			return nil
//		})
//	}
//
// A worker embeds river.WorkerDefaults[T] and implements Work; it opens its own
// transaction with r.DB.Tx and acts as auth.System(committeeID). Work may run
// more than once (after a crash or a retry), so it must be idempotent. A
// returned error is logged (warning, with the job's kind) and retried with
// backoff, up to 25 attempts over about three weeks; river.JobCancel(err) gives
// up at once without a log line (log it in the worker if it matters).
//
// Periodic jobs are inserted only by the elected leader, so several instances on
// one PostgreSQL database run each scan once. In tests, start a Runner on the
// test database (see jobs_test.go) or call the worker's Work method directly.
//
// # Engines
//
// PostgreSQL: River uses riverdatabasesql over the application's pool and polls
// for new jobs (no LISTEN/NOTIFY connection is held). SQLite: riversqlite, with
// its own single-connection pool on the same file, as the driver recommends; the
// business transaction on the application's pool still carries the insert.
// River's tables are created by db.Migrate and checked by db.CheckSchema.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"lvzhi/internal/db"
)

// Runner owns the River client of one database: its workers, periodic jobs,
// and the start and stop of job processing.
type Runner struct {
	// DB is the application database; workers use it for their transactions.
	DB *db.DB
	// Log is the application logger.
	Log *slog.Logger

	workers  *river.Workers
	nWorkers int
	client   *river.Client[*sql.Tx]
	own      *db.DB // SQLite only: River's own single-connection pool
	started  bool
}

// Config tunes a Runner; the zero value is the production setting.
type Config struct {
	// PollInterval is how often idle workers look for new jobs (default 1s).
	PollInterval time.Duration
	// MaxWorkers is how many jobs run at once per instance (default 4).
	MaxWorkers int
}

var (
	setupMu sync.Mutex
	setups  []func(*Runner) error
)

// Register adds fn to the set-up functions every new Runner runs, in
// registration order. Call it from an area's init function.
func Register(fn func(r *Runner) error) {
	setupMu.Lock()
	defer setupMu.Unlock()
	setups = append(setups, fn)
}

// AddWorker adds a worker for the job kind of T to the runner (before Start).
// It panics if a worker for that kind was already added, like river.AddWorker.
func AddWorker[T river.JobArgs](r *Runner, w river.Worker[T]) {
	river.AddWorker(r.workers, w)
	r.nWorkers++
}

// New returns a Runner for d with the registered workers and periodic jobs. It
// does not start processing; call Start (the server does) and Stop.
func New(d *db.DB, log *slog.Logger) (*Runner, error) {
	return NewConfig(d, log, Config{})
}

// NewConfig is New with explicit tuning (tests poll faster).
func NewConfig(d *db.DB, log *slog.Logger, c Config) (*Runner, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.MaxWorkers <= 0 {
		c.MaxWorkers = 4
	}
	r := &Runner{DB: d, Log: log, workers: river.NewWorkers()}
	driver, err := r.driver()
	if err != nil {
		return nil, err
	}
	r.client, err = river.NewClient(driver, &river.Config{
		ErrorHandler:      errorLogger{log},
		FetchPollInterval: c.PollInterval,
		FetchCooldown:     min(c.PollInterval, 100*time.Millisecond),
		Logger:            slog.New(warnOnly{log.Handler()}),
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: c.MaxWorkers}},
		SoftStopTimeout:   10 * time.Second,
		Workers:           r.workers,
	})
	if err != nil {
		r.closeOwn()
		return nil, fmt.Errorf("job runner: %w", err)
	}
	setupMu.Lock()
	fns := append([]func(*Runner) error(nil), setups...)
	setupMu.Unlock()
	for _, fn := range fns {
		if err := fn(r); err != nil {
			r.closeOwn()
			return nil, fmt.Errorf("job runner set-up: %w", err)
		}
	}
	return r, nil
}

// driver returns River's driver for the engine. On SQLite River gets its own
// single-connection pool (the driver cannot share a connection between its
// concurrent loops); inserts still go through the caller's transaction.
func (r *Runner) driver() (riverdriver.Driver[*sql.Tx], error) {
	if r.DB.Engine == db.Postgres {
		return riverdatabasesql.New(r.DB.DB), nil
	}
	own, err := db.Open(context.Background(), r.DB.Path)
	if err != nil {
		return nil, fmt.Errorf("job runner: open %s: %w", r.DB.Path, err)
	}
	own.SetMaxOpenConns(1)
	own.SetMaxIdleConns(1)
	r.own = own
	return riversqlite.New(own.DB), nil
}

func (r *Runner) closeOwn() {
	if r.own != nil {
		_ = r.own.Close()
		r.own = nil
	}
}

// Periodic is a job inserted on a schedule by the leader instance.
type Periodic struct {
	// ID names the periodic job uniquely, e.g. "proposal.deadline_scan".
	ID string
	// Schedule says when; see DailyAt and Every.
	Schedule river.PeriodicSchedule
	// Args builds the job's arguments each time (must not block).
	Args func() river.JobArgs
	// RunOnStart also inserts the job when a leader starts; use it only for
	// idempotent jobs, as every restart runs it.
	RunOnStart bool
}

// AddPeriodic schedules p; call it from a Register function (before Start).
func (r *Runner) AddPeriodic(p Periodic) {
	r.client.PeriodicJobs().Add(river.NewPeriodicJob(p.Schedule,
		func() (river.JobArgs, *river.InsertOpts) { return p.Args(), nil },
		&river.PeriodicJobOpts{ID: p.ID, RunOnStart: p.RunOnStart}))
}

// Enqueue inserts a job inside tx: it runs after tx commits, never if it rolls back.
func (r *Runner) Enqueue(ctx context.Context, tx *sql.Tx, args river.JobArgs) error {
	if _, err := r.client.InsertTx(ctx, tx, args, nil); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// EnqueueOpts is Enqueue with River insert options (delay with ScheduledAt,
// queue, priority, uniqueness).
func (r *Runner) EnqueueOpts(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := r.client.InsertTx(ctx, tx, args, opts); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// Start begins working jobs and scheduling periodic ones until Stop. Cancelling
// ctx does not stop the runner (Stop drains it gracefully). With no worker
// registered there is nothing to run, and Start only logs that.
func (r *Runner) Start(ctx context.Context) error {
	if r.started {
		return errors.New("job runner already started")
	}
	if r.nWorkers == 0 {
		r.Log.Info("jobs: no workers registered; background jobs not started")
		return nil
	}
	if err := r.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start job runner: %w", err)
	}
	r.started = true
	r.Log.Info("jobs: started", "engine", string(r.DB.Engine))
	return nil
}

// Stop lets running jobs finish (up to ten seconds, then cancels them) and
// releases the runner's resources. It waits at most until ctx ends.
func (r *Runner) Stop(ctx context.Context) error {
	defer r.closeOwn()
	if !r.started {
		return nil
	}
	r.started = false
	if err := r.client.Stop(ctx); err != nil {
		return fmt.Errorf("stop job runner: %w", err)
	}
	return nil
}

// Client exposes the River client for what the Runner does not wrap (job lists, metrics).
func (r *Runner) Client() *river.Client[*sql.Tx] { return r.client }

// errorLogger logs every failed attempt of a job at warning level (River
// itself reports them only as information, which warnOnly drops).
type errorLogger struct{ log *slog.Logger }

func (h errorLogger) HandleError(ctx context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	h.log.WarnContext(ctx, "job failed", "kind", job.Kind, "job_id", job.ID, "attempt", job.Attempt,
		"max_attempts", job.MaxAttempts, "err", err)
	return nil
}

func (h errorLogger) HandlePanic(ctx context.Context, job *rivertype.JobRow, v any, trace string) *river.ErrorHandlerResult {
	h.log.ErrorContext(ctx, "job panicked", "kind", job.Kind, "job_id", job.ID, "attempt", job.Attempt,
		"panic", fmt.Sprint(v), "trace", trace)
	return nil
}

// warnOnly passes River's warnings and errors to the application log and drops
// its routine information lines.
type warnOnly struct{ slog.Handler }

func (h warnOnly) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && h.Handler.Enabled(ctx, l)
}

func (h warnOnly) WithAttrs(a []slog.Attr) slog.Handler { return warnOnly{h.Handler.WithAttrs(a)} }
func (h warnOnly) WithGroup(g string) slog.Handler      { return warnOnly{h.Handler.WithGroup(g)} }

// inserters are insert-only River clients, one per engine, for Enqueue: they
// hold no pool and no workers, only the SQL to insert a job into a transaction.
var (
	inserterOnce sync.Once
	inserters    map[db.Engine]*river.Client[*sql.Tx]
	inserterErr  error
)

// Enqueue inserts a job inside tx, a transaction on d: it runs after tx commits
// (on whichever instance's Runner picks it up), never if tx rolls back. Areas
// call this from their use cases; it needs no Runner.
func Enqueue(ctx context.Context, d *db.DB, tx *sql.Tx, args river.JobArgs) error {
	return EnqueueOpts(ctx, d, tx, args, nil)
}

// EnqueueOpts is Enqueue with River insert options (ScheduledAt to delay,
// Priority, UniqueOpts to drop duplicates).
func EnqueueOpts(ctx context.Context, d *db.DB, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	inserterOnce.Do(func() {
		inserters = map[db.Engine]*river.Client[*sql.Tx]{}
		var err error
		if inserters[db.Postgres], err = river.NewClient(riverdatabasesql.New(nil), &river.Config{}); err != nil {
			inserterErr = err
			return
		}
		inserters[db.SQLite], inserterErr = river.NewClient(riversqlite.New(nil), &river.Config{})
	})
	if inserterErr != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), inserterErr)
	}
	if _, err := inserters[d.Engine].InsertTx(ctx, tx, args, opts); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}
