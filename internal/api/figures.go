package api

import (
	"lvzhi/internal/apperr"
	"lvzhi/internal/figure"
	"lvzhi/internal/proposal"
)

// Every area's figures through the shared figure contract: the same registry,
// and so the same definitions and values, as the web's /figures pages.

var neutralFilterParams = []Param{
	{Name: "committee", Type: "integer", Description: "committee id (default: the token's user's committee; a committee below it reads its figures)"},
	{Name: "subtree", Type: "boolean", Description: "include the committees below (a roll-up)"},
	{Name: "year", Type: "integer", Description: "the period: one calendar year (1 January to 31 December)"},
	{Name: "from", Type: "string", Description: "the period's first day, YYYY-MM-DD (proposal figures take whole years only)"},
	{Name: "to", Type: "string", Description: "the period's last day, YYYY-MM-DD"},
	{Name: "area", Type: "string", Description: "only this area's figures (e.g. proposal)"},
	{Name: "session", Type: "integer", Description: "proposal figures: plenary session id"},
	{Name: "theme", Type: "string", Description: "proposal figures: a theme", Enum: proposal.Theme("").EnumValues()},
	{Name: "unit", Type: "integer", Description: "proposal figures: proposals assigned to this handling unit"},
	{Name: "kind", Type: "string", Description: "proposal figures: a kind", Enum: proposal.Kind("").EnumValues()},
	{Name: "category", Type: "string", Description: "proposal figures: a category", Enum: proposal.Category("").EnumValues()},
}

func (a *API) neutralFilter(r *Request) (figure.Filter, error) {
	f, _, err := figure.ParseQuery(r.URL.Query())
	if f.CommitteeID == 0 {
		f.CommitteeID = r.Actor.CommitteeID
	}
	return f, err
}

func (a *API) neutralFigureRoutes() []Route {
	records := append([]Param{{Name: "figure", Type: "string", Description: "figure id, e.g. proposals.on_time", Required: true},
		{Name: "offset", Type: "integer", Description: "rows to skip"}, {Name: "limit", Type: "integer", Description: "rows per page (default 50); above 500 is capped to 500", Max: 500}}, neutralFilterParams...)
	return []Route{
		{Method: "GET", Path: "/figures", Tag: "figures", Summary: "Every registered figure of every area (or of one area) for a filter, with its definition's id, unit and rate base",
			Query: neutralFilterParams, Result: figure.Set{}, Handle: func(r *Request) (any, error) {
				f, err := a.neutralFilter(r)
				if err != nil {
					return nil, err
				}
				var areas []string
				if v := r.Query("area"); v != "" {
					areas = append(areas, v)
				}
				return a.deps.Figures.Figures(r.Context(), r.Actor, f, areas...)
			}},
		{Method: "GET", Path: "/figures/records", Tag: "figures", Summary: "The records a figure counts, of any area (as many as its value, or summing to it)",
			Query: records, Result: figure.Page{}, Handle: func(r *Request) (any, error) {
				f, err := a.neutralFilter(r)
				if err != nil {
					return nil, err
				}
				id := r.Query("figure")
				src, _, ok := a.deps.Figures.Lookup(id)
				if !ok {
					return nil, apperr.ErrNotFound
				}
				off, err := r.QueryInt("offset")
				if err != nil {
					return nil, err
				}
				lim, err := r.QueryInt("limit")
				if err != nil {
					return nil, err
				}
				return src.Records(r.Context(), r.Actor, f, id, int(off), int(lim))
			}},
	}
}
