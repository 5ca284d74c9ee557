package changes

import (
	"context"
	"database/sql"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"lvzhi/internal/db"
	"lvzhi/internal/jobs"
)

// The background side of the queue: every ScanEvery, the periodic scan
// enqueues one drain job per committee with queued records; each drain job
// refreshes that committee's records (so no reader has to, and one busy
// committee never delays another's).

// ScanEvery is how often the periodic scan looks for queued records.
const ScanEvery = 30 * time.Second

// ScanArgs is the periodic scan's job.
type ScanArgs struct{}

// Kind names the job.
func (ScanArgs) Kind() string { return "changes.scan" }

// DrainArgs is one committee's drain job.
type DrainArgs struct {
	CommitteeID int64 `json:"committee_id"`
}

// Kind names the job.
func (DrainArgs) Kind() string { return "changes.drain" }

type scanWorker struct {
	river.WorkerDefaults[ScanArgs]
	db *db.DB
}

// Work enqueues a drain job for each committee with queued records.
func (w *scanWorker) Work(ctx context.Context, _ *river.Job[ScanArgs]) error {
	return Schedule(ctx, w.db)
}

// Schedule enqueues a drain job for each committee with queued records; a
// committee whose drain job is waiting or running does not get a second one.
func Schedule(ctx context.Context, d *db.DB) error {
	cs, err := Committees(ctx, d)
	if err != nil || len(cs) == 0 {
		return err
	}
	return d.Tx(ctx, func(tx *sql.Tx) error {
		for _, c := range cs {
			opts := &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true,
				ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
					rivertype.JobStateScheduled, rivertype.JobStateRetryable}}}
			if err := jobs.EnqueueOpts(ctx, d, tx, DrainArgs{CommitteeID: c}, opts); err != nil {
				return err
			}
		}
		return nil
	})
}

type drainWorker struct {
	river.WorkerDefaults[DrainArgs]
	db *db.DB
}

// Work refreshes the committee's queued records (idempotent: a record already
// refreshed is no longer queued).
func (w *drainWorker) Work(ctx context.Context, job *river.Job[DrainArgs]) error {
	_, err := CatchUp(ctx, w.db, job.Args.CommitteeID)
	return err
}

func init() {
	jobs.Register(func(r *jobs.Runner) error {
		jobs.AddWorker(r, &scanWorker{db: r.DB})
		jobs.AddWorker(r, &drainWorker{db: r.DB})
		r.AddPeriodic(jobs.Periodic{
			ID:         "changes.scan",
			Schedule:   jobs.Every(ScanEvery),
			Args:       func() river.JobArgs { return ScanArgs{} },
			RunOnStart: true,
		})
		return nil
	})
}
