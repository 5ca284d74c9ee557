package jobs

import (
	"time"

	"github.com/riverqueue/river"

	"lvzhi/internal/civil"
)

// daily fires once a day at a wall-clock time in Asia/Shanghai.
type daily struct{ hour, minute int }

// DailyAt returns a schedule firing every day at hour:minute China Standard
// Time (Asia/Shanghai, where committees work), whatever the server's zone.
func DailyAt(hour, minute int) river.PeriodicSchedule {
	return daily{hour, minute}
}

// Next returns the first hour:minute in Shanghai strictly after current.
func (s daily) Next(current time.Time) time.Time {
	t := current.In(civil.Shanghai)
	next := time.Date(t.Year(), t.Month(), t.Day(), s.hour, s.minute, 0, 0, civil.Shanghai)
	if !next.After(t) {
		next = time.Date(t.Year(), t.Month(), t.Day()+1, s.hour, s.minute, 0, 0, civil.Shanghai)
	}
	return next
}

// Every returns a schedule firing every d (from when the leader starts).
func Every(d time.Duration) river.PeriodicSchedule { return river.PeriodicInterval(d) }
