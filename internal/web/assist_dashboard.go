package web

import (
	"net/http"
	"slices"
	"strings"

	"lvzhi/internal/apperr"
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
	Offer     *assist.Offer // a serving member's own offer, for the offer form
	Kinds     []string
	Fields    []apperr.FieldError
	Error     string
	Saved     bool
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
	p.Saved = r.URL.Query().Get("done") == "offer"
	return s.renderDashboard(w, r, a, http.StatusOK, p)
}

// renderDashboard adds a serving member's offer form to the dashboard.
func (s *Server) renderDashboard(w http.ResponseWriter, r *http.Request, a *auth.Actor, status int, p assistDashboardPage) error {
	if a.PersonID != 0 && a.Has(auth.RoleMember) {
		o, err := s.Assist.MyOffer(r.Context(), a)
		if err == nil {
			p.Offer = &o
		} else if apperr.As(err) == nil || apperr.As(err).Code != apperr.Forbidden {
			return err
		}
	}
	p.Kinds = assist.NeedKinds
	w.WriteHeader(status)
	s.render(w, r, "assist/dashboard.html", p)
	return nil
}

// assistSaveOffer saves what the member offers (kinds, townships, capacity).
func (s *Server) assistSaveOffer(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, assist.PermRecord)
	if err != nil {
		return err
	}
	o, err := s.Assist.MyOffer(r.Context(), a)
	if err != nil {
		return err
	}
	v := formValues(r)
	var fe []apperr.FieldError
	in := assist.OfferInput{Kinds: v["kinds"], Capacity: int(formRange(v, "capacity", 0, 1000, &fe)),
		Townships: strings.FieldsFunc(v.Get("townships"), func(r rune) bool { return strings.ContainsRune("、,，;； ", r) })}
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else if err = s.Assist.SaveOffer(r.Context(), a, o.MembershipID, in); err == nil {
		http.Redirect(w, r, "/assist?done=offer", http.StatusSeeOther)
		return nil
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderDashboard(w, r, a, http.StatusUnprocessableEntity, assistDashboardPage{Year: civil.Today().Year, Fields: fields, Error: msg})
}
