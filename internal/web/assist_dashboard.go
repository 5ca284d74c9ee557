package web

import (
	"net/http"
	"slices"

	"lvzhi/internal/assist"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
)

// assistDashboardPage is the programme's dashboard: the year's figures and
// the breakdown by township; for a member, their paired households.
type assistDashboardPage struct {
	Year      int
	Values    []figure.Value
	Townships []townshipRow
	Columns   []string // the figures of the breakdown
	Mine      []assist.Household
	Reader    bool
	Officer   bool
}

// townshipRow is one township's values of the breakdown figures.
type townshipRow struct {
	Township string
	Values   []figure.Value
}

var townshipFigures = []string{"assist.households", "assist.needs_open", "assist.cash", "assist.industry_households", "assist.students", "assist.jobs"}

func (s *Server) assistDashboard(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	p := assistDashboardPage{Year: queryInt(r.URL.Query(), "year"), Reader: auth.Can(a, assist.PermView), Officer: canManage(a),
		Columns: townshipFigures}
	if p.Year < 2000 || p.Year > 2100 {
		p.Year = civil.Today().Year
	}
	if p.Reader {
		src := s.Assist.Source()
		f := figure.YearFilter(a.CommitteeID, p.Year)
		if p.Values, err = src.Figures(r.Context(), a, f); err != nil {
			return err
		}
		vs, err := s.Assist.Villages(r.Context(), a, a.CommitteeID)
		if err != nil {
			return err
		}
		var towns []string
		for _, v := range vs {
			if !slices.Contains(towns, v.Township) {
				towns = append(towns, v.Township)
			}
		}
		for _, t := range towns {
			tv, err := src.Figures(r.Context(), a, f.WithDim("township", t))
			if err != nil {
				return err
			}
			row := townshipRow{Township: t}
			for _, id := range townshipFigures {
				i := slices.IndexFunc(tv, func(v figure.Value) bool { return v.ID == id })
				row.Values = append(row.Values, tv[i])
			}
			p.Townships = append(p.Townships, row)
		}
	} else if p.Mine, _, err = s.Assist.ListHouseholds(r.Context(), a, assist.HouseholdFilter{Limit: 200}); err != nil {
		return err
	}
	s.render(w, r, "assist/dashboard.html", p)
	return nil
}
