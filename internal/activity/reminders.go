package activity

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river"

	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/jobs"
	"lvzhi/internal/notify"
)

// Overdue follow-up items (跟踪问效) are reminded once: the daily job
// "activity.followup_scan" finds the open items past their due date that were
// not yet reminded, notifies the committee's staff and the responsible unit's
// accounts, and records the day (reminded_on, audited as the system), so the
// scan may run any number of times a day.

// ScanFollowups sends the overdue follow-up reminders due on today for every
// committee and returns how many items it reminded.
func (s *Service) ScanFollowups(ctx context.Context, today civil.Date) (int, error) {
	committees, err := db.Column[int64](ctx, s.DB, `SELECT DISTINCT committee_id FROM activity_followups
		WHERE status = 'open' AND reminded_on = '' AND due_on < $1 ORDER BY committee_id`, today)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, c := range committees {
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			n, err := s.remindCommittee(ctx, tx, c, today)
			total += n
			return err
		})
		if err != nil {
			return total, fmt.Errorf("follow-up scan of committee %d: %w", c, err)
		}
	}
	return total, nil
}

func (s *Service) remindCommittee(ctx context.Context, tx *sql.Tx, committeeID int64, today civil.Date) (int, error) {
	items, err := db.Query(ctx, tx, scanFollowup, `SELECT `+followupCols+followupFrom+` WHERE f.committee_id = $1 AND f.status = 'open'
		AND f.reminded_on = '' AND f.due_on < $2 ORDER BY f.due_on, f.id`+s.DB.ForUpdate("f"), committeeID, today)
	if err != nil {
		return 0, err
	}
	staff, err := notify.UsersWithRole(ctx, tx, committeeID, auth.RoleStaff)
	if err != nil {
		return 0, err
	}
	sys := auth.System(committeeID)
	for _, f := range items {
		to := staff
		if f.UnitID != 0 {
			unit, err := notify.UsersOfUnit(ctx, tx, committeeID, f.UnitID)
			if err != nil {
				return 0, err
			}
			to = append(append([]int64{}, staff...), unit...)
		}
		args := map[string]any{"Matter": f.Matter, "Due": f.DueOn.String(), "Unit": f.UnitName}
		if err := notify.Send(ctx, tx, committeeID, to, "activity.followup_overdue", "notify.activity.followup_overdue", args,
			fmt.Sprintf("/consult/outputs/%d", f.OutputID)); err != nil {
			return 0, err
		}
		// Bookkeeping, not an edit: the version stays, so an open page can still close the item.
		if _, err := tx.ExecContext(ctx, `UPDATE activity_followups SET reminded_on = $1, updated_at = $2 WHERE id = $3`,
			today, db.Now(), f.ID); err != nil {
			return 0, err
		}
		if err := audit.Record(ctx, tx, sys, committeeID, "activity.followup_remind", "activity_followup", f.ID, nil,
			map[string]any{"reminded_on": today.String(), "recipients": len(to)}); err != nil {
			return 0, err
		}
	}
	return len(items), nil
}

// FollowupScanArgs is the daily job running ScanFollowups.
type FollowupScanArgs struct{}

// Kind names the job.
func (FollowupScanArgs) Kind() string { return "activity.followup_scan" }

type followupWorker struct {
	river.WorkerDefaults[FollowupScanArgs]
	svc *Service
}

func (w *followupWorker) Work(ctx context.Context, _ *river.Job[FollowupScanArgs]) error {
	_, err := w.svc.ScanFollowups(ctx, w.svc.today())
	return err
}

func init() {
	jobs.Register(func(r *jobs.Runner) error {
		jobs.AddWorker(r, &followupWorker{svc: NewService(r.DB)})
		r.AddPeriodic(jobs.Periodic{
			ID:       "activity.followup_scan",
			Schedule: jobs.DailyAt(8, 10),
			Args:     func() river.JobArgs { return FollowupScanArgs{} },
		})
		return nil
	})
}
