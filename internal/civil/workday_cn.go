package civil

// ChinaHolidays is seed data: the State Council's public-holiday arrangements
// (国务院办公厅关于部分节假日安排的通知) for 2018 and for the current years, as
// holidays falling on weekdays and adjusted working days (调休上班) falling on
// weekends. Weekend days inside a holiday need no entry. It is data, not logic:
// committees load it into their own calendar and edit it; add a year when the
// State Council publishes it (usually in November).
var ChinaHolidays = func() []SpecialDay {
	var out []SpecialDay
	add := func(kind DayKind, name string, dates ...string) {
		for _, s := range dates {
			d := MustParse(s)
			// Only real overrides: a holiday on a weekend or a workday on a weekday changes nothing.
			weekend := d.Weekday() == 0 || d.Weekday() == 6
			if (kind == Holiday) == weekend {
				continue
			}
			out = append(out, SpecialDay{Date: d, Kind: kind, Name: name})
		}
	}
	span := func(from string, days int) []string {
		d := MustParse(from)
		s := make([]string, days)
		for i := range s {
			s[i] = d.AddDays(i).String()
		}
		return s
	}
	// 2018 (国办发明电〔2017〕12号; the New Year of 2019 from 国办发明电〔2018〕15号).
	add(Holiday, "元旦", span("2017-12-30", 3)...)
	add(Holiday, "春节", span("2018-02-15", 7)...)
	add(Workday, "春节调休", "2018-02-11", "2018-02-24")
	add(Holiday, "清明节", span("2018-04-05", 3)...)
	add(Workday, "清明节调休", "2018-04-08")
	add(Holiday, "劳动节", span("2018-04-29", 3)...)
	add(Workday, "劳动节调休", "2018-04-28")
	add(Holiday, "端午节", span("2018-06-16", 3)...)
	add(Holiday, "中秋节", span("2018-09-22", 3)...)
	add(Holiday, "国庆节", span("2018-10-01", 7)...)
	add(Workday, "国庆节调休", "2018-09-29", "2018-09-30")
	add(Holiday, "元旦", span("2018-12-30", 3)...)
	add(Workday, "元旦调休", "2018-12-29")
	// 2024.
	add(Holiday, "元旦", "2024-01-01")
	add(Holiday, "春节", span("2024-02-10", 8)...)
	add(Workday, "春节调休", "2024-02-04", "2024-02-18")
	add(Holiday, "清明节", span("2024-04-04", 3)...)
	add(Workday, "清明节调休", "2024-04-07")
	add(Holiday, "劳动节", span("2024-05-01", 5)...)
	add(Workday, "劳动节调休", "2024-04-28", "2024-05-11")
	add(Holiday, "端午节", "2024-06-10")
	add(Holiday, "中秋节", span("2024-09-15", 3)...)
	add(Workday, "中秋节调休", "2024-09-14")
	add(Holiday, "国庆节", span("2024-10-01", 7)...)
	add(Workday, "国庆节调休", "2024-09-29", "2024-10-12")
	// 2025.
	add(Holiday, "元旦", "2025-01-01")
	add(Holiday, "春节", span("2025-01-28", 8)...)
	add(Workday, "春节调休", "2025-01-26", "2025-02-08")
	add(Holiday, "清明节", span("2025-04-04", 3)...)
	add(Holiday, "劳动节", span("2025-05-01", 5)...)
	add(Workday, "劳动节调休", "2025-04-27")
	add(Holiday, "端午节", span("2025-05-31", 3)...)
	add(Holiday, "国庆节、中秋节", span("2025-10-01", 8)...)
	add(Workday, "国庆节调休", "2025-09-28", "2025-10-11")
	// 2026 (published 2025-11-04).
	add(Holiday, "元旦", span("2026-01-01", 3)...)
	add(Workday, "元旦调休", "2026-01-04")
	add(Holiday, "春节", span("2026-02-15", 9)...)
	add(Workday, "春节调休", "2026-02-14", "2026-02-28")
	add(Holiday, "清明节", span("2026-04-04", 3)...)
	add(Holiday, "劳动节", span("2026-05-01", 5)...)
	add(Workday, "劳动节调休", "2026-05-09")
	add(Holiday, "端午节", span("2026-06-19", 3)...)
	add(Holiday, "中秋节", span("2026-09-25", 3)...)
	add(Holiday, "国庆节", span("2026-10-01", 7)...)
	add(Workday, "国庆节调休", "2026-09-20", "2026-10-10")
	return out
}()
