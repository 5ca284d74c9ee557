package proposal

import (
	"context"
	"testing"
	"time"

	"lvzhi/internal/jobs"
)

// TestDeadlineScanAtStart: the job runner scans deadlines as soon as it
// starts (not only at 08:00): an assignment overdue today is reminded of at
// once, and a second start sends nothing more.
func TestDeadlineScanAtStart(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.seed(Assigned) // assigned on the fixture's 2026-03-02: overdue by the real today of any later run
		start := func() {
			r, err := jobs.NewConfig(f.d, nil, jobs.Config{PollInterval: 50 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Start(f.ctx); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(60 * time.Second)
			for f.count(`SELECT COUNT(*) FROM reminders_sent WHERE kind = $1`, RemindOverdue) == 0 && time.Now().Before(deadline) {
				time.Sleep(100 * time.Millisecond)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			if err := r.Stop(ctx); err != nil {
				t.Errorf("stop: %v", err)
			}
		}
		start()
		if n := f.count(`SELECT COUNT(*) FROM reminders_sent WHERE kind = $1`, RemindOverdue); n != 1 {
			t.Fatalf("%d overdue reminders after the runner started", n)
		}
		notes := f.count(`SELECT COUNT(*) FROM notifications WHERE kind = 'proposal.overdue'`)
		start()
		if n := f.count(`SELECT COUNT(*) FROM notifications WHERE kind = 'proposal.overdue'`); n != notes {
			t.Errorf("a restart sent %d more overdue notifications", n-notes)
		}
	})
}
