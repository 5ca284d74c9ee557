package notify

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"lvzhi/internal/db"
	"lvzhi/internal/jobs"
)

// KeepRead is how long a read notification stays in its user's list.
const KeepRead = 180 * 24 * time.Hour

// PruneArgs is the daily job that deletes read notifications older than KeepRead.
type PruneArgs struct{}

// Kind names the job.
func (PruneArgs) Kind() string { return "notify.prune" }

type pruneWorker struct {
	river.WorkerDefaults[PruneArgs]
	db *db.DB
}

func (w *pruneWorker) Work(ctx context.Context, _ *river.Job[PruneArgs]) error {
	_, err := Prune(ctx, w.db, time.Now().Add(-KeepRead))
	return err
}

func init() {
	jobs.Register(func(r *jobs.Runner) error {
		jobs.AddWorker(r, &pruneWorker{db: r.DB})
		r.AddPeriodic(jobs.Periodic{
			ID:       "notify.prune",
			Schedule: jobs.DailyAt(3, 30),
			Args:     func() river.JobArgs { return PruneArgs{} },
		})
		return nil
	})
}
