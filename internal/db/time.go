package db

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Now returns the current instant in UTC, truncated to microseconds so that
// it survives a round trip through either engine unchanged.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Time scans a timestamp from either engine and normalises it to UTC
// (pgx returns local time, SQLite returns what was stored). A NULL scans as zero.
type Time struct{ time.Time }

// Scan implements sql.Scanner.
func (t *Time) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		t.Time = time.Time{}
	case time.Time:
		t.Time = x.UTC()
	case string:
		return t.parse(x)
	case []byte:
		return t.parse(string(x))
	default:
		return fmt.Errorf("db.Time: cannot scan %T", v)
	}
	return nil
}

func (t *Time) parse(s string) error {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05"} {
		if p, err := time.Parse(layout, s); err == nil {
			t.Time = p.UTC()
			return nil
		}
	}
	return fmt.Errorf("db.Time: cannot parse %q", s)
}

// Value implements driver.Valuer; the zero time is stored as NULL.
func (t Time) Value() (driver.Value, error) {
	if t.Time.IsZero() {
		return nil, nil
	}
	return t.Time.UTC(), nil
}
