package civil

import "testing"

func TestWeekendsOnly(t *testing.T) {
	var c *Calendar // nil: weekends only
	fri, sat, mon := MustParse("2026-11-27"), MustParse("2026-11-28"), MustParse("2026-11-30")
	if !c.IsWorkday(fri) || c.IsWorkday(sat) || !c.IsWorkday(mon) {
		t.Fatal("weekday rule")
	}
	if got := c.AddWorkdays(fri, 1); got != mon {
		t.Fatalf("Fri+1 = %v", got)
	}
	if got := c.AddWorkdays(mon, -1); got != fri {
		t.Fatalf("Mon-1 = %v", got)
	}
	if got := c.AddWorkdays(sat, 0); got != sat {
		t.Fatalf("+0 = %v", got)
	}
	if got := c.NextWorkday(sat); got != mon {
		t.Fatalf("next = %v", got)
	}
	if n := c.WorkdaysBetween(fri, mon); n != 1 {
		t.Fatalf("between = %d", n)
	}
	if n := c.WorkdaysBetween(mon, fri); n != -1 {
		t.Fatalf("between reversed = %d", n)
	}
	if n := c.WorkdaysBetween(mon, mon); n != 0 {
		t.Fatalf("between same = %d", n)
	}
}

func TestChinaHolidays(t *testing.T) {
	c := NewCalendar(ChinaHolidays)
	cases := []struct {
		day  string
		work bool
	}{
		{"2018-02-11", true},  // Sunday, adjusted working day
		{"2018-02-15", false}, // 除夕
		{"2018-02-22", true},
		{"2018-02-24", true}, // Saturday, adjusted
		{"2018-10-05", false},
		{"2018-12-29", true},
		{"2018-12-31", false},
		{"2026-02-14", true},  // Saturday, adjusted
		{"2026-02-23", false}, // Monday, 初七
		{"2026-02-24", true},
		{"2026-10-08", true},
		{"2026-10-07", false},
		{"2026-10-10", true},
		{"2025-10-08", false},
	}
	for _, k := range cases {
		if got := c.IsWorkday(MustParse(k.day)); got != k.work {
			t.Errorf("%s workday = %v, want %v", k.day, got, k.work)
		}
	}
	// 7 working days after the Friday before the 2026 Spring Festival:
	// Sat 14 (worked) is 1, then 24,25,26,27 (2..5), Sat 28 (worked) is 6, Mon 2 March is 7.
	if got := c.AddWorkdays(MustParse("2026-02-13"), 7); got != MustParse("2026-03-02") {
		t.Fatalf("AddWorkdays over Spring Festival = %v", got)
	}
	if n := c.WorkdaysBetween(MustParse("2026-02-13"), MustParse("2026-03-02")); n != 7 {
		t.Fatalf("WorkdaysBetween = %d", n)
	}
	for _, d := range ChinaHolidays {
		weekend := d.Date.Weekday() == 0 || d.Date.Weekday() == 6
		if (d.Kind == Holiday) == weekend {
			t.Errorf("%v %s is not an override", d.Date, d.Kind)
		}
	}
}

func TestAddWorkdaysInverse(t *testing.T) {
	c := NewCalendar(ChinaHolidays)
	start := MustParse("2025-12-20")
	for n := 0; n < 60; n++ {
		end := c.AddWorkdays(start, n)
		if got := c.WorkdaysBetween(start, end); got != n {
			t.Fatalf("n=%d: WorkdaysBetween(AddWorkdays) = %d", n, got)
		}
		if n > 0 && !c.IsWorkday(end) {
			t.Fatalf("n=%d lands on a non-working day %v", n, end)
		}
	}
}
