package activity

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/riverqueue/river"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/jobs"
	"lvzhi/internal/notify"
)

// Recurring mechanisms (DOMAIN.md §4): "study every two weeks, planning every
// month, a bulletin every quarter, a progress meeting every half year". A
// schedule creates each occurrence as a PLANNED activity LeadDays before its
// day — inviting every serving member when it is mandatory — and reminds the
// committee's staff to prepare it. The daily job "activity.schedule_scan"
// runs RunSchedules; each occurrence is created once (next_on moves on in the
// same transaction), so the scan may run any number of times.

// Schedule is one recurring mechanism.
type Schedule struct {
	ID        int64      `json:"id"`
	Kind      Kind       `json:"kind"`
	Title     string     `json:"title"`
	Place     string     `json:"place"`
	StartsAt  string     `json:"starts_at"`
	Mandatory bool       `json:"mandatory"`
	EveryN    int        `json:"every_n"`
	Unit      string     `json:"unit"` // week, month
	NextOn    civil.Date `json:"next_on"`
	UntilOn   civil.Date `json:"until_on"`
	LeadDays  int        `json:"lead_days"`
	Active    bool       `json:"active"`
	Version   int        `json:"version"`
}

// ScheduleInput is a new schedule: the first occurrence is FirstOn.
type ScheduleInput struct {
	Kind      Kind       `json:"kind"`
	Title     string     `json:"title"`
	Place     string     `json:"place,omitempty"`
	StartsAt  string     `json:"starts_at,omitempty"`
	Mandatory bool       `json:"mandatory,omitempty"`
	EveryN    int        `json:"every_n"`
	Unit      string     `json:"unit"`
	FirstOn   civil.Date `json:"first_on"`
	UntilOn   civil.Date `json:"until_on"`
	LeadDays  int        `json:"lead_days"`
}

// after is the occurrence following d.
func (sc Schedule) after(d civil.Date) civil.Date {
	if sc.Unit == "week" {
		return d.AddDays(7 * sc.EveryN)
	}
	return d.AddMonths(sc.EveryN)
}

const scheduleCols = `id, kind, title, place, starts_at, mandatory, every_n, unit, next_on, until_on, lead_days, active, version`

func scanSchedule(sc db.Scanner) (Schedule, error) {
	var s Schedule
	err := sc.Scan(&s.ID, &s.Kind, &s.Title, &s.Place, &s.StartsAt, &s.Mandatory, &s.EveryN, &s.Unit, &s.NextOn, &s.UntilOn,
		&s.LeadDays, &s.Active, &s.Version)
	return s, err
}

// AddSchedule creates a recurring mechanism (staff).
func (s *Service) AddSchedule(ctx context.Context, actor *auth.Actor, committeeID int64, in ScheduleInput) (*Schedule, error) {
	var out *Schedule
	err := s.write(ctx, actor, committeeID, PermManage, func(tx *sql.Tx) error {
		in.Title, in.Place, in.StartsAt = strings.TrimSpace(in.Title), strings.TrimSpace(in.Place), strings.TrimSpace(in.StartsAt)
		var fs []apperr.FieldError
		if !in.Kind.Valid() {
			fs = append(fs, apperr.Field("kind", "err.form.bad_choice"))
		}
		fs = checkText(fs, "title", in.Title, 200, true)
		fs = checkText(fs, "place", in.Place, 200, false)
		if in.StartsAt != "" && !clock.MatchString(in.StartsAt) {
			fs = append(fs, apperr.Field("starts_at", "err.activity.bad_time"))
		}
		if in.EveryN < 1 || in.EveryN > 52 {
			fs = append(fs, outOfRange("every_n", 1, 52))
		}
		if in.Unit != "week" && in.Unit != "month" {
			fs = append(fs, apperr.Field("unit", "err.form.bad_choice"))
		}
		if in.LeadDays < 0 || in.LeadDays > 90 {
			fs = append(fs, outOfRange("lead_days", 0, 90))
		}
		fs = dateRequired(fs, "first_on", in.FirstOn)
		if !in.UntilOn.IsZero() && in.UntilOn.Before(in.FirstOn) {
			fs = append(fs, apperr.Field("until_on", "err.activity.ends_before_start"))
		}
		if err := orInvalid(fs); err != nil {
			return err
		}
		now := db.Now()
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO activity_schedules (committee_id, kind, title, place, starts_at, mandatory, every_n, unit,
			next_on, until_on, lead_days, active, version, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,TRUE,1,$12,$12) RETURNING id`,
			committeeID, in.Kind, in.Title, in.Place, in.StartsAt, in.Mandatory, in.EveryN, in.Unit, in.FirstOn, in.UntilOn, in.LeadDays, now).Scan(&id); err != nil {
			return err
		}
		sc, err := scanSchedule(tx.QueryRowContext(ctx, `SELECT `+scheduleCols+` FROM activity_schedules WHERE id = $1`, id))
		if err != nil {
			return err
		}
		out = &sc
		return recordChange(ctx, tx, actor, committeeID, "activity.schedule_create", "activity_schedule", id, nil, in)
	})
	return out, err
}

// StopSchedule ends a schedule (staff): no further occurrence is created.
func (s *Service) StopSchedule(ctx context.Context, actor *auth.Actor, ref Ref) error {
	c, err := committeeOf(ctx, s.DB, "activity_schedules", ref.ID)
	if err != nil {
		return err
	}
	return s.write(ctx, actor, c, PermManage, func(tx *sql.Tx) error {
		if err := db.ExecVersioned(ctx, tx, `UPDATE activity_schedules SET active = FALSE, version = version + 1, updated_at = $1
			WHERE id = $2 AND active AND ($3 = 0 OR version = $3)`, db.Now(), ref.ID, ref.Version); err != nil {
			return err
		}
		return recordChange(ctx, tx, actor, c, "activity.schedule_stop", "activity_schedule", ref.ID, map[string]any{"active": true}, map[string]any{"active": false})
	})
}

// Schedules lists a committee's schedules (committee readers).
func (s *Service) Schedules(ctx context.Context, actor *auth.Actor, committeeID int64) ([]Schedule, error) {
	var out []Schedule
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermView, committeeID); err != nil {
			return err
		}
		var err error
		out, err = db.Query(ctx, tx, scanSchedule, `SELECT `+scheduleCols+` FROM activity_schedules WHERE committee_id = $1 ORDER BY active DESC, next_on, id`, committeeID)
		return err
	})
	return out, err
}

// RunSchedules creates the occurrences due within their lead time on today
// for every committee and returns how many it created.
func (s *Service) RunSchedules(ctx context.Context, today civil.Date) (int, error) {
	committees, err := db.Column[int64](ctx, s.DB, `SELECT DISTINCT committee_id FROM activity_schedules WHERE active ORDER BY committee_id`)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, c := range committees {
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			n, err := s.runCommittee(ctx, tx, c, today)
			total += n
			return err
		})
		if err != nil {
			return total, fmt.Errorf("schedules of committee %d: %w", c, err)
		}
	}
	return total, nil
}

func (s *Service) runCommittee(ctx context.Context, tx *sql.Tx, committeeID int64, today civil.Date) (int, error) {
	scs, err := db.Query(ctx, tx, scanSchedule, `SELECT `+scheduleCols+` FROM activity_schedules WHERE committee_id = $1 AND active ORDER BY id`+
		s.DB.ForUpdate(), committeeID)
	if err != nil {
		return 0, err
	}
	var path string
	if err := tx.QueryRowContext(ctx, `SELECT path FROM committees WHERE id = $1`, committeeID).Scan(&path); err != nil {
		return 0, err
	}
	// The schedule acts as the committee's office.
	office := &auth.Actor{Name: "system", CommitteeID: committeeID, CommitteePath: path, Roles: []auth.Role{auth.RoleStaff}}
	staff, err := notify.UsersWithRole(ctx, tx, committeeID, auth.RoleStaff)
	if err != nil {
		return 0, err
	}
	made := 0
	for _, sc := range scs {
		next, active := sc.NextOn, true
		for !today.AddDays(sc.LeadDays).Before(next) {
			if !sc.UntilOn.IsZero() && sc.UntilOn.Before(next) {
				active = false
				break
			}
			a, err := s.createTx(ctx, tx, office, committeeID, ActCreate, Input{Kind: sc.Kind, Title: sc.Title, Place: sc.Place,
				StartsOn: next, StartsAt: sc.StartsAt, Mandatory: sc.Mandatory}, func(o *op) error {
				if !sc.Mandatory {
					return nil
				}
				q := servingSQL
				if sc.Kind == KindStanding {
					q += ` AND m.is_standing`
				}
				ids, err := db.Column[int64](ctx, tx, q, committeeID)
				if err != nil {
					return err
				}
				_, err = o.invite(ids, true)
				return err
			})
			if err != nil {
				return made, err
			}
			if err := notify.Send(ctx, tx, committeeID, staff, "activity.prepare", "notify.activity.prepare",
				map[string]any{"Title": sc.Title, "On": next.String()}, actURL(a.ID)); err != nil {
				return made, err
			}
			made++
			next = sc.after(next)
		}
		if next != sc.NextOn || !active {
			if _, err := tx.ExecContext(ctx, `UPDATE activity_schedules SET next_on = $1, active = $2, updated_at = $3 WHERE id = $4`,
				next, active, db.Now(), sc.ID); err != nil {
				return made, err
			}
		}
	}
	return made, nil
}

func actURL(id int64) string { return fmt.Sprintf("/activities/%d", id) }

// ScheduleScanArgs is the daily job running RunSchedules.
type ScheduleScanArgs struct{}

// Kind names the job.
func (ScheduleScanArgs) Kind() string { return "activity.schedule_scan" }

type scheduleWorker struct {
	river.WorkerDefaults[ScheduleScanArgs]
	svc *Service
}

func (w *scheduleWorker) Work(ctx context.Context, _ *river.Job[ScheduleScanArgs]) error {
	_, err := w.svc.RunSchedules(ctx, w.svc.today())
	return err
}

func init() {
	jobs.Register(func(r *jobs.Runner) error {
		jobs.AddWorker(r, &scheduleWorker{svc: NewService(r.DB)})
		r.AddPeriodic(jobs.Periodic{
			ID:       "activity.schedule_scan",
			Schedule: jobs.DailyAt(7, 30),
			Args:     func() river.JobArgs { return ScheduleScanArgs{} },
		})
		return nil
	})
}
