// Package civil holds calendar dates in Asia/Shanghai, stored as 'YYYY-MM-DD'.
package civil

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"time"
)

// Shanghai is the zone in which committees live; dates are civil dates there.
var Shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// Date is a calendar date without time or zone. The zero Date is "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Of returns the civil date of instant t in Asia/Shanghai.
func Of(t time.Time) Date {
	y, m, d := t.In(Shanghai).Date()
	return Date{y, m, d}
}

// Today is the current civil date in Asia/Shanghai.
func Today() Date { return Of(time.Now()) }

// The two ways Parse fails: ErrNoSuchDate is well written but not on the
// calendar (1988-02-30, 2025-13-01); ErrFormat is not 'YYYY-MM-DD' at all.
var (
	ErrFormat     = errors.New("civil: not a YYYY-MM-DD date")
	ErrNoSuchDate = errors.New("civil: no such date")
)

// Parse reads "2006-01-02"; errors wrap ErrFormat or ErrNoSuchDate.
func Parse(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		if wellFormed(s) {
			return Date{}, fmt.Errorf("%w: %q", ErrNoSuchDate, s)
		}
		return Date{}, fmt.Errorf("%w: %q", ErrFormat, s)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// wellFormed reports whether s has the shape NNNN-NN-NN.
func wellFormed(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, c := range s {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// MustParse is Parse for constants in code and tests.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is the zero date.
func (d Date) IsZero() bool { return d.Year == 0 }

// String formats as "2006-01-02", or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

func (d Date) t() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return Of0(d.t().AddDate(0, 0, n)) }

// AddMonths returns d moved by n months (time.AddDate normalisation).
func (d Date) AddMonths(n int) Date { return Of0(d.t().AddDate(0, n, 0)) }

// Of0 converts a UTC midnight back to a Date.
func Of0(t time.Time) Date { y, m, dd := t.Date(); return Date{y, m, dd} }

// Weekday of d.
func (d Date) Weekday() time.Weekday { return d.t().Weekday() }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.t().Before(e.t()) }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.t().After(e.t()) }

// DaysUntil returns the number of days from d to e (negative if e is earlier).
func (d Date) DaysUntil(e Date) int { return int(e.t().Sub(d.t()).Hours() / 24) }

// Scan implements sql.Scanner for TEXT columns.
func (d *Date) Scan(v any) error {
	var s string
	switch x := v.(type) {
	case nil:
		*d = Date{}
		return nil
	case string:
		s = x
	case []byte:
		s = string(x)
	case time.Time:
		*d = Date{x.Year(), x.Month(), x.Day()}
		return nil
	default:
		return fmt.Errorf("civil: cannot scan %T", v)
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	p, err := Parse(s)
	*d = p
	return err
}

// Value implements driver.Valuer: the zero date is stored as ”.
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// MarshalText writes "2006-01-02" ("" for the zero date), so JSON carries dates as strings.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "2006-01-02"; "" is the zero date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}
