package figure

import (
	"net/url"
	"slices"
	"strconv"

	"lvzhi/internal/apperr"
	"lvzhi/internal/civil"
)

// The filter as query parameters, one spelling for the web pages, their
// pagers and exports, and the API: committee, subtree (1/0), year (a whole
// calendar year) or from/to (civil dates), and every other non-empty
// parameter not in Reserved is an area dimension (session, theme, …).

// Reserved are the query parameters that are not area dimensions.
var Reserved = []string{"committee", "subtree", "from", "to", "year", "fig", "figure", "page", "offset", "limit", "area", "lang"}

// ParseQuery reads a filter from query parameters. subtreeSet reports whether
// the query said subtree=0 or 1 (the web defaults it from the committee tree).
func ParseQuery(q url.Values) (f Filter, subtreeSet bool, err error) {
	if v := q.Get("committee"); v != "" {
		if f.CommitteeID, err = strconv.ParseInt(v, 10, 64); err != nil || f.CommitteeID < 0 {
			return f, false, apperr.Fields(apperr.Field("committee", "err.figures.bad_filter"))
		}
	}
	switch q.Get("subtree") {
	case "1", "true":
		f.Subtree, subtreeSet = true, true
	case "0", "false":
		subtreeSet = true
	case "":
	default:
		return f, false, apperr.Fields(apperr.Field("subtree", "err.figures.bad_filter"))
	}
	if v := q.Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1900 || y > 9999 {
			return f, subtreeSet, apperr.Fields(apperr.Field("year", "err.figures.bad_filter"))
		}
		f.From, f.To = civil.Date{Year: y, Month: 1, Day: 1}, civil.Date{Year: y, Month: 12, Day: 31}
	}
	for _, p := range []struct {
		name string
		dst  *civil.Date
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := q.Get(p.name); v != "" {
			d, err := civil.Parse(v)
			if err != nil {
				return f, subtreeSet, apperr.Fields(apperr.Field(p.name, "err.figures.bad_filter"))
			}
			*p.dst = d
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return f, subtreeSet, apperr.Fields(apperr.Field("to", "err.figures.bad_filter"))
	}
	for k, vs := range q {
		if !slices.Contains(Reserved, k) && len(vs) > 0 && vs[0] != "" {
			f = f.WithDim(k, vs[0])
		}
	}
	return f, subtreeSet, nil
}

// Query writes the filter as query parameters (ParseQuery's inverse).
func (f Filter) Query() url.Values {
	v := url.Values{}
	v.Set("committee", strconv.FormatInt(f.CommitteeID, 10))
	if f.Subtree {
		v.Set("subtree", "1")
	} else {
		v.Set("subtree", "0")
	}
	if y := f.Year(); y != 0 {
		v.Set("year", strconv.Itoa(y))
	} else {
		if !f.From.IsZero() {
			v.Set("from", f.From.String())
		}
		if !f.To.IsZero() {
			v.Set("to", f.To.String())
		}
	}
	for k, x := range f.Dims {
		v.Set(k, x)
	}
	return v
}
