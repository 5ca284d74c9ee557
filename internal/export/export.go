// Package export writes large spreadsheets in the background (issue 14,
// "exports at scale"): a request for the records behind a figure that is too
// big to wait for (more than AsyncRows records, or asked so) becomes a row of
// the exports table and a River job; the job rebuilds the reader's actor from
// the user id, so the reader's access is checked again when it runs, streams
// the records into the same workbook the direct export sends, and stores the
// file in the table, where any server of the deployment finds it. Only the
// user who asked sees the export and downloads it, until it expires.
//
// What other packages call:
//
//   - First and Write build the records workbook (the web's direct export uses
//     them too, so both give the same file).
//   - (*Service).StartRecords queues an export; Get reads its progress; File
//     its workbook once done. Run is the job's work (tests call it directly).
//   - Figures must be set (the web package does, in its init) for the job to
//     find the figures: the registry composes every area, which this package
//     does not import.
package export

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/riverqueue/river"

	"lvzhi/internal/account"
	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/figure"
	"lvzhi/internal/jobs"
)

const (
	// AsyncRows: an export of more records than this runs in the background.
	AsyncRows = 20000
	// MaxBytes caps one stored file (200,000 records of a few columns take
	// about 10 MB); a bigger one fails rather than fill the database.
	MaxBytes = 64 << 20
	// Keep is how long a finished export stays downloadable.
	Keep = 24 * time.Hour
	// progressEvery is how many records pass between two progress writes.
	progressEvery = 1000
)

// Status is where an export is.
type Status string

// The statuses: queued → running → done or failed.
const (
	Queued  Status = "queued"
	Running Status = "running"
	Done    Status = "done"
	Failed  Status = "failed"
)

// KindRecords is the export of the records behind a figure.
const KindRecords = "figure.records"

// Export is one background export, as its owner sees it.
type Export struct {
	ID          int64     `json:"id"`
	CommitteeID int64     `json:"committee_id"`
	Kind        string    `json:"kind"`
	Status      Status    `json:"status"`
	Done        int       `json:"rows_done"`
	Total       int       `json:"rows_total"`
	FileName    string    `json:"file_name"`
	Size        int       `json:"size"`
	Error       string    `json:"error,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	FinishedAt  time.Time `json:"finished_at,omitzero"`
	ExpiresAt   time.Time `json:"expires_at"`

	userID int64
	params string
	lang   string
}

// Figures returns the figure registry for the job's database; the web
// package sets it (the composed registry of every area).
var Figures func(d *db.DB) *figure.Registry

// Service is the exports of one database over a figure registry.
type Service struct {
	DB      *db.DB
	Figures *figure.Registry
	Now     func() time.Time
}

// NewService returns the exports service over reg.
func NewService(d *db.DB, reg *figure.Registry) *Service {
	return &Service{DB: d, Figures: reg, Now: db.Now}
}

// RecordsRequest is what an export of a figure's records needs.
type RecordsRequest struct {
	Figure   string
	Filter   figure.Filter
	Lang     string
	FileName string
	Total    int // the records the first page counted, shown until the job starts
}

// StartRecords queues the export of req for a: a row and its job, in one
// transaction. The caller has already read the first page as a (the check
// that a may read the records at all).
func (s *Service) StartRecords(ctx context.Context, a *auth.Actor, req RecordsRequest) (int64, error) {
	if a == nil || a.UserID == 0 {
		return 0, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	q := req.Filter.Query()
	q.Set("fig", req.Figure)
	now := s.Now()
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO exports (committee_id, user_id, kind, params, lang, status, rows_total,
			file_name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			a.CommitteeID, a.UserID, KindRecords, q.Encode(), req.Lang, string(Queued), req.Total, req.FileName,
			now, now.Add(Keep)).Scan(&id); err != nil {
			return err
		}
		return jobs.Enqueue(ctx, s.DB, tx, RunArgs{ID: id})
	})
	return id, err
}

const exportColumns = `id, committee_id, user_id, kind, params, lang, status, rows_done, rows_total, file_name,
	COALESCE(LENGTH(file), 0), error, created_at, finished_at, expires_at`

func scanExport(sc db.Scanner) (*Export, error) {
	e := &Export{}
	var created, finished, expires db.Time
	var status string
	if err := sc.Scan(&e.ID, &e.CommitteeID, &e.userID, &e.Kind, &e.params, &e.lang, &status, &e.Done, &e.Total,
		&e.FileName, &e.Size, &e.Error, &created, &finished, &expires); err != nil {
		return nil, err
	}
	e.Status, e.CreatedAt, e.FinishedAt, e.ExpiresAt = Status(status), created.Time, finished.Time, expires.Time
	return e, nil
}

// Get returns export id if a asked for it and it has not expired; anyone
// else, whatever their role, gets not found.
func (s *Service) Get(ctx context.Context, a *auth.Actor, id int64) (*Export, error) {
	if a == nil || a.UserID == 0 {
		return nil, apperr.ErrNotFound
	}
	e, err := scanExport(s.DB.QueryRowContext(ctx, `SELECT `+exportColumns+` FROM exports
		WHERE id = $1 AND user_id = $2 AND expires_at > $3`, id, a.UserID, s.Now()))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.ErrNotFound
	}
	return e, err
}

// File returns the finished workbook of export id (Get's rule on who may);
// one not finished yet is not found.
func (s *Service) File(ctx context.Context, a *auth.Actor, id int64) (*Export, []byte, error) {
	e, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, nil, err
	}
	if e.Status != Done {
		return nil, nil, apperr.ErrNotFound
	}
	var b []byte
	if err := s.DB.QueryRowContext(ctx, `SELECT file FROM exports WHERE id = $1`, id).Scan(&b); err != nil {
		return nil, nil, err
	}
	return e, b, nil
}

// Purge deletes the expired exports (the hourly export.purge job).
func (s *Service) Purge(ctx context.Context) (int64, error) {
	r, err := s.DB.ExecContext(ctx, `DELETE FROM exports WHERE expires_at <= $1`, s.Now())
	if err != nil {
		return 0, err
	}
	return r.RowsAffected()
}

// Run does export id: it rebuilds the owner's actor, re-reads the records as
// them and stores the workbook. A refusal or a failure marks the export
// failed (it is not retried: the owner asks again); a finished one is left
// alone, so a job run twice does no harm.
func (s *Service) Run(ctx context.Context, id int64) error {
	e, err := scanExport(s.DB.QueryRowContext(ctx, `SELECT `+exportColumns+` FROM exports WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil // purged before it ran
	}
	if err != nil {
		return err
	}
	if e.Status == Done || e.Status == Failed {
		return nil
	}
	if err := s.run(ctx, e); err != nil {
		return s.fail(ctx, id, err)
	}
	return nil
}

func (s *Service) run(ctx context.Context, e *Export) error {
	a, err := account.NewService(s.DB).ActorByID(ctx, e.userID)
	if err != nil {
		return err
	}
	if a == nil {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	q, err := url.ParseQuery(e.params)
	if err != nil {
		return err
	}
	f, _, err := figure.ParseQuery(q)
	if err != nil {
		return err
	}
	src, _, ok := s.Figures.Lookup(q.Get("fig"))
	if !ok {
		return apperr.ErrNotFound
	}
	first, err := First(ctx, src, a, f, q.Get("fig"))
	if err != nil {
		return err
	}
	total := first.Total
	if _, err := s.DB.ExecContext(ctx, `UPDATE exports SET status = $1, rows_total = $2 WHERE id = $3`,
		string(Running), total, e.ID); err != nil {
		return err
	}
	sh, err := Write(ctx, src, a, f, q.Get("fig"), e.lang, first, func(done int) error {
		if done%progressEvery != 0 {
			return nil
		}
		_, err := s.DB.ExecContext(ctx, `UPDATE exports SET rows_done = $1 WHERE id = $2`, done, e.ID)
		return err
	})
	if err != nil {
		return err
	}
	defer sh.Close()
	var buf capped
	if _, err := sh.WriteTo(&buf); err != nil {
		return err
	}
	_, err = s.DB.ExecContext(ctx, `UPDATE exports SET status = $1, rows_done = $2, rows_total = $2, file = $3, finished_at = $4
		WHERE id = $5`, string(Done), sh.Rows(), buf.b, s.Now(), e.ID)
	return err
}

// fail marks export id failed with why (its error code, for the owner).
func (s *Service) fail(ctx context.Context, id int64, why error) error {
	msg := string(apperr.CodeOf(why))
	if ae := apperr.As(why); ae != nil {
		msg = ae.Key
	}
	_, err := s.DB.ExecContext(ctx, `UPDATE exports SET status = $1, error = $2, finished_at = $3 WHERE id = $4`,
		string(Failed), msg, s.Now(), id)
	if err != nil {
		return fmt.Errorf("export %d failed (%v), and marking it: %w", id, why, err)
	}
	return nil
}

// capped is a buffer refusing to grow past MaxBytes.
type capped struct{ b []byte }

var errTooBig = apperr.New(apperr.Invalid, "export.too_big")

func (c *capped) Write(p []byte) (int, error) {
	if len(c.b)+len(p) > MaxBytes {
		return 0, errTooBig
	}
	c.b = append(c.b, p...)
	return len(p), nil
}

// RunArgs is the job doing one export.
type RunArgs struct {
	ID int64 `json:"id"`
}

// Kind implements river.JobArgs.
func (RunArgs) Kind() string { return "export.run" }

// PurgeArgs is the hourly job deleting expired exports.
type PurgeArgs struct{}

// Kind implements river.JobArgs.
func (PurgeArgs) Kind() string { return "export.purge" }

type runWorker struct {
	river.WorkerDefaults[RunArgs]
	db *db.DB
}

func (w *runWorker) Work(ctx context.Context, j *river.Job[RunArgs]) error {
	if Figures == nil {
		return river.JobCancel(errors.New("export: no figure registry set"))
	}
	return NewService(w.db, Figures(w.db)).Run(ctx, j.Args.ID)
}

type purgeWorker struct {
	river.WorkerDefaults[PurgeArgs]
	db *db.DB
}

func (w *purgeWorker) Work(ctx context.Context, _ *river.Job[PurgeArgs]) error {
	_, err := NewService(w.db, nil).Purge(ctx)
	return err
}

func init() {
	jobs.Register(func(r *jobs.Runner) error {
		jobs.AddWorker(r, &runWorker{db: r.DB})
		jobs.AddWorker(r, &purgeWorker{db: r.DB})
		r.AddPeriodic(jobs.Periodic{
			ID:       "export.purge",
			Schedule: jobs.Every(time.Hour),
			Args:     func() river.JobArgs { return PurgeArgs{} },
		})
		return nil
	})
}
