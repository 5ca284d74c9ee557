package account

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"lvzhi/internal/jobs"
)

// PurgeArgs is the hourly job that deletes expired sessions and old login attempts.
type PurgeArgs struct{}

// Kind names the job.
func (PurgeArgs) Kind() string { return "auth.purge" }

type purgeWorker struct {
	river.WorkerDefaults[PurgeArgs]
	svc *Service
}

func (w *purgeWorker) Work(ctx context.Context, _ *river.Job[PurgeArgs]) error {
	_, err := w.svc.PurgeExpired(ctx)
	return err
}

func init() {
	jobs.Register(func(r *jobs.Runner) error {
		jobs.AddWorker(r, &purgeWorker{svc: NewService(r.DB)})
		r.AddPeriodic(jobs.Periodic{
			ID:       "auth.purge",
			Schedule: jobs.Every(time.Hour),
			Args:     func() river.JobArgs { return PurgeArgs{} },
		})
		return nil
	})
}
