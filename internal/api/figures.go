package api

import (
	"slices"

	"lvzhi/internal/apperr"
	"lvzhi/internal/figure"
)

// Every area's figures through the shared figure contract: the same registry,
// and so the same definitions and values, as the web's /figures pages.

// neutralFilterParams are the neutral filter (committee, subtree, a period,
// an area) and, as dimensions, the proposal figures' own parameters.
var neutralFilterParams = func() []Param {
	out := []Param{
		figureFilterParams[0], figureFilterParams[1], // committee, subtree
		{Name: "year", Type: "integer", Description: "the period: one calendar year (1 January to 31 December)"},
		{Name: "from", Type: "string", Description: "the period's first day, YYYY-MM-DD (proposal figures take whole years only)"},
		{Name: "to", Type: "string", Description: "the period's last day, YYYY-MM-DD"},
		{Name: "area", Type: "string", Description: "only this area's figures (e.g. proposal)"},
	}
	out = append(out, Param{Name: "act_kind", Type: "string", Description: "activity figures: of this activity kind only", Enum: kindStrings()},
		Param{Name: "act_group", Type: "integer", Description: "activity figures: organised by this group only"})
	for _, p := range figureFilterParams {
		if p.Name != "committee" && p.Name != "subtree" && p.Name != "year" {
			p.Description = "proposal figures: " + p.Description
			out = append(out, p)
		}
	}
	return out
}()

func (a *API) neutralFilter(r *Request) (figure.Filter, error) {
	f, _, err := figure.ParseQuery(r.URL.Query())
	if f.CommitteeID == 0 {
		f.CommitteeID = r.Actor.CommitteeID
	}
	return f, err
}

func (a *API) neutralFigureRoutes() []Route {
	records := append(slices.Clone(recordsParams), neutralFilterParams...)
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
