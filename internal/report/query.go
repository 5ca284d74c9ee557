package report

import (
	"net/url"
	"strconv"
	"strings"

	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
)

// BulletinQuery reads a bulletin's kind, year, quarter and committee from
// query parameters, with the defaults the web page and the API share (the
// proposal summary, this year, this quarter, the reader's committee), so both
// render the same bulletin for the same query. in holds the values used.
func BulletinQuery(q url.Values, committee int64, today civil.Date) (kind string, f figure.Filter, in map[string]string, err error) {
	in = map[string]string{"kind": q.Get("kind"), "year": q.Get("year"), "quarter": q.Get("quarter")}
	if in["kind"] == "" {
		in["kind"] = BulletinProposal
	}
	if in["year"] == "" {
		in["year"] = strconv.Itoa(today.Year)
	}
	if in["quarter"] == "" {
		in["quarter"] = strconv.Itoa((int(today.Month)-1)/3 + 1)
	}
	year, _ := strconv.Atoi(in["year"])
	quarter, _ := strconv.Atoi(in["quarter"])
	if v, perr := strconv.ParseInt(strings.TrimSpace(q.Get("committee")), 10, 64); perr == nil && v > 0 {
		committee = v
	}
	f, err = BulletinPeriod(in["kind"], committee, year, quarter)
	return in["kind"], f, in, err
}

// RollUpQuery reads a roll-up's committee (default: the reader's), year
// (default: this year; out of range is this year) and level.
func RollUpQuery(q url.Values, committee int64, today civil.Date) (int64, int, string) {
	if v, err := strconv.ParseInt(strings.TrimSpace(q.Get("committee")), 10, 64); err == nil && v > 0 {
		committee = v
	}
	year, err := strconv.Atoi(strings.TrimSpace(q.Get("year")))
	if err != nil || year < 1949 || year > 9999 {
		year = today.Year
	}
	return committee, year, q.Get("level")
}
