package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"lvzhi/internal/activity"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
	"lvzhi/internal/i18n"
	"lvzhi/internal/org"
	"lvzhi/internal/sheet"
)

// The activity area's figures by kind and by organising group, and the
// attendance rates per member and per group. Both read the shared filter
// (figure.ParseQuery) with the area's dimensions act_kind and act_group; every
// number opens its records on /figures/records under the same filter, and the
// exports and the API (GET /figures?area=activity, GET /attendance-rates)
// take the same query.

// actFigPage is the data of both pages.
type actFigPage struct {
	Q      url.Values // the filter as query parameters
	Year   int
	Years  []int
	Kind   string
	Group  int64
	Groups []org.Group
	Opts   actOpts
	Lines  []figureLine
	By     activity.RatesBy
	Rows   []rateLine
	Export template.URL
	Rates  template.URL            // the attendance rates for the same filter
	ByLink map[string]template.URL // the rates by member and by group
}

// rateLine is one member's or group's attendance and the records behind it.
type rateLine struct {
	activity.RateRow
	Rate float64
	Link template.URL
}

// actFilter reads the page's filter: this year unless a period is given.
func (s *Server) actFilter(r *http.Request, a *auth.Actor) (figure.Filter, actFigPage, error) {
	q := r.URL.Query()
	q.Del("by") // the rates' breakdown, not a dimension
	if q.Get("year") == "" && q.Get("from") == "" && q.Get("to") == "" {
		q.Set("year", strconv.Itoa(civil.Today().Year))
	}
	f, err := s.parseFilter(r.Context(), a, q)
	if err != nil {
		return f, actFigPage{}, err
	}
	p := actFigPage{Q: f.Query(), Year: f.Year(), Years: planYears(f.Year()), Kind: f.Dim(activity.DimKind), Opts: newActOpts()}
	p.Group, _ = strconv.ParseInt(f.Dim(activity.DimGroup), 10, 64)
	if f.CommitteeID == a.CommitteeID {
		if p.Groups, err = s.Org.Groups(r.Context(), a, a.CommitteeID); err != nil {
			return f, p, err
		}
	}
	return f, p, nil
}

// activityFigures shows the area's figures for the filter.
func (s *Server) activityFigures(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, activity.PermFigures)
	if err != nil {
		return err
	}
	f, p, err := s.actFilter(r, a)
	if err != nil {
		return err
	}
	vs, err := s.Activities.Source().Figures(r.Context(), a, f)
	if err != nil {
		return err
	}
	p.Lines = figureLines(langOf(r), f, vs)
	p.Export = link("/figures/export.xlsx", p.Q, "area", activity.Area)
	p.Rates = link("/consult/attendance", p.Q)
	s.render(w, r, "activity/figures.html", p)
	return nil
}

func ratesBy(r *http.Request) activity.RatesBy {
	if activity.RatesBy(r.URL.Query().Get("by")) == activity.ByGroup {
		return activity.ByGroup
	}
	return activity.ByMember
}

// activityRates lists the attendance rates per member (or per group: by=group).
func (s *Server) activityRates(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, activity.PermFigures)
	if err != nil {
		return err
	}
	f, p, err := s.actFilter(r, a)
	if err != nil {
		return err
	}
	p.By = ratesBy(r)
	rows, err := s.Activities.AttendanceRates(r.Context(), a, f, p.By)
	if err != nil {
		return err
	}
	for _, row := range rows {
		rf := f.WithDim(p.By.Dim(), strconv.FormatInt(row.ID, 10))
		p.Rows = append(p.Rows, rateLine{RateRow: row, Rate: row.Rate() * 100, Link: template.URL(recordsLink(rf, "attendance.invited"))}) //nolint:gosec // built from url.Values
	}
	p.Export = link("/consult/attendance.xlsx", p.Q, "by", string(p.By))
	p.ByLink = map[string]template.URL{
		"member": link("/consult/attendance", p.Q, "by", string(activity.ByMember)),
		"group":  link("/consult/attendance", p.Q, "by", string(activity.ByGroup)),
	}
	s.render(w, r, "activity/rates.html", p)
	return nil
}

// activityRatesExport writes the rates the page shows as .xlsx.
func (s *Server) activityRatesExport(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, activity.PermFigures)
	if err != nil {
		return err
	}
	f, _, err := s.actFilter(r, a)
	if err != nil {
		return err
	}
	by := ratesBy(r)
	rows, err := s.Activities.AttendanceRates(r.Context(), a, f, by)
	if err != nil {
		return err
	}
	lang := langOf(r)
	cols := []sheet.Column{{Head: i18n.T(lang, "aw.rates.by_"+string(by)), Width: 20}, {Head: i18n.T(lang, "aw.col.invited"), Width: 10, Kind: sheet.Number},
		{Head: i18n.T(lang, "aw.col.attended"), Width: 10, Kind: sheet.Number}, {Head: i18n.T(lang, "aw.col.leave"), Width: 10, Kind: sheet.Number},
		{Head: i18n.T(lang, "aw.rates.absent"), Width: 10, Kind: sheet.Number}, {Head: i18n.T(lang, "aw.col.rate"), Width: 10, Kind: sheet.Percent}}
	title := i18n.T(lang, "aw.rates.title")
	return writeXLSX(w, s.exportName(r.Context(), a, f.CommitteeID, title), title, cols, func(row func(...any) error) error {
		for _, x := range rows {
			var rate any
			if x.Invited > 0 {
				rate = x.Rate()
			}
			if err := row(x.Name, x.Invited, x.Attended, x.Leave, x.Absent, rate); err != nil {
				return err
			}
		}
		return nil
	})
}
