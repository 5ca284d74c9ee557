package civil

// DayKind says how a calendar entry overrides the weekday rule.
type DayKind string

// The two kinds of calendar override.
const (
	Holiday DayKind = "holiday" // a weekday that is not worked (public holiday, 放假)
	Workday DayKind = "workday" // a weekend day that is worked (调休上班)
)

// SpecialDay is one override of the weekday rule.
type SpecialDay struct {
	Date Date
	Kind DayKind
	Name string // e.g. "春节"
}

// Calendar is a working-day calendar: Monday to Friday are working days,
// except holidays; Saturdays and Sundays are not, except adjusted working days.
// The zero value and a nil *Calendar are valid and know weekends only.
type Calendar struct {
	kinds map[Date]DayKind
}

// NewCalendar returns a calendar with the given overrides; a later entry for
// the same date replaces an earlier one.
func NewCalendar(days []SpecialDay) *Calendar {
	c := &Calendar{kinds: make(map[Date]DayKind, len(days))}
	for _, d := range days {
		if d.Kind == Holiday || d.Kind == Workday {
			c.kinds[d.Date] = d.Kind
		}
	}
	return c
}

// IsWorkday reports whether d is a working day.
func (c *Calendar) IsWorkday(d Date) bool {
	if c != nil {
		switch c.kinds[d] {
		case Holiday:
			return false
		case Workday:
			return true
		}
	}
	wd := d.Weekday()
	return wd != 0 && wd != 6 // time.Sunday, time.Saturday
}

// NextWorkday returns d if it is a working day, otherwise the first working day after it.
func (c *Calendar) NextWorkday(d Date) Date {
	for !c.IsWorkday(d) {
		d = d.AddDays(1)
	}
	return d
}

// AddWorkdays returns the date n working days after d (d itself does not count):
// a deadline of "7 working days from the 1st" is AddWorkdays(1st, 7). A negative n
// counts backwards; n == 0 returns d unchanged.
func (c *Calendar) AddWorkdays(d Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// WorkdaysBetween counts the working days after a up to and including b;
// it is negative when b is before a, and AddWorkdays(a, WorkdaysBetween(a, b))
// is the last working day on or before b.
func (c *Calendar) WorkdaysBetween(a, b Date) int {
	sign := 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	n := 0
	for d := a.AddDays(1); !d.After(b); d = d.AddDays(1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return sign * n
}
