package api

import (
	"lvzhi/internal/apperr"
	"lvzhi/internal/figure"
)

// Every area's figures through the shared figure contract: the same registry,
// and so the same definitions and values, as the web's /figures pages.

var neutralFilterParams = []Param{
	{"committee", "integer", "committee id (default: the token's user's committee; a committee below it reads its figures)"},
	{"subtree", "boolean", "include the committees below (a roll-up)"},
	{"year", "integer", "the period: one calendar year (1 January to 31 December)"},
	{"from", "string", "the period's first day, YYYY-MM-DD (proposal figures take whole years only)"},
	{"to", "string", "the period's last day, YYYY-MM-DD"},
	{"area", "string", "only this area's figures (e.g. proposal)"},
	{"session", "integer", "proposal figures: plenary session id"},
	{"theme", "string", "proposal figures: economy, politics, culture, society, ecology"},
	{"unit", "integer", "proposal figures: proposals assigned to this handling unit"},
	{"kind", "string", "proposal figures: individual, joint, body"},
	{"category", "string", "proposal figures: plenary, regular"},
}

func (a *API) neutralFilter(r *Request) (figure.Filter, error) {
	f, _, err := figure.ParseQuery(r.URL.Query())
	if f.CommitteeID == 0 {
		f.CommitteeID = r.Actor.CommitteeID
	}
	return f, err
}

func (a *API) neutralFigureRoutes() []Route {
	records := append([]Param{{"figure", "string", "figure id, e.g. proposals.on_time (required)"},
		{"offset", "integer", "rows to skip"}, {"limit", "integer", "rows per page (default 50, at most 500)"}}, neutralFilterParams...)
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
