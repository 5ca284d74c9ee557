package account

import (
	"context"
	"database/sql"

	"github.com/riverqueue/river"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/jobs"
)

// Accounts end with the membership. Every day (and when the server starts)
// the accounts of members whose membership has ended — its status is no
// longer active, its left_on date or its term's end has passed — and of units
// no longer active are disabled, each with an audit entry by the system, as
// ProvisionAll does for its committee. An account that also holds a staff or
// admin role is left alone: that role is not the membership's.

// DisableEndedArgs is the daily job that disables those accounts.
type DisableEndedArgs struct{}

// Kind names the job.
func (DisableEndedArgs) Kind() string { return "auth.disable_ended" }

// DisableEnded disables, committee by committee (one transaction each), the
// accounts whose membership or unit has ended, and returns how many.
// Running it again disables nothing more.
func (s *Service) DisableEnded(ctx context.Context) (int, error) {
	ids, err := db.Column[int64](ctx, s.DB, `SELECT DISTINCT committee_id FROM users WHERE NOT disabled
		AND (person_id IS NOT NULL OR unit_id IS NOT NULL) ORDER BY committee_id`)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		var gone []Issued
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			var err error
			gone, err = s.disableEnded(ctx, tx, auth.System(id))
			return err
		})
		if err != nil {
			return n, err
		}
		n += len(gone)
	}
	return n, nil
}

type disableEndedWorker struct {
	river.WorkerDefaults[DisableEndedArgs]
	svc *Service
}

func (w *disableEndedWorker) Work(ctx context.Context, _ *river.Job[DisableEndedArgs]) error {
	_, err := w.svc.DisableEnded(ctx)
	return err
}

func init() {
	jobs.Register(func(r *jobs.Runner) error {
		jobs.AddWorker(r, &disableEndedWorker{svc: NewService(r.DB)})
		r.AddPeriodic(jobs.Periodic{
			ID:       "auth.disable_ended",
			Schedule: jobs.DailyAt(0, 30), // just after midnight: a membership ends with its day
			Args:     func() river.JobArgs { return DisableEndedArgs{} },
			// Also at start: a server that was down at 00:30 catches up.
			RunOnStart: true,
		})
		return nil
	})
}
