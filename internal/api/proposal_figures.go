package api

import (
	"slices"

	"lvzhi/internal/proposal"
)

// The figures of DOMAIN.md §3.3, the records behind each and the unit league
// table: the same service calls (and so the same definitions) as the figures
// pages, the league table and the unit portal.

var figureFilterParams = []Param{
	{Name: "committee", Type: "integer", Description: "committee id (default: the token's user's committee; a committee below it reads its figures)"},
	{Name: "subtree", Type: "boolean", Description: "include the committees below (a roll-up)"},
	{Name: "session", Type: "integer", Description: "plenary session id"},
	{Name: "year", Type: "integer", Description: "the proposals' session year"},
	{Name: "theme", Type: "string", Description: "a theme", Enum: proposal.Theme("").EnumValues()},
	{Name: "unit", Type: "integer", Description: "proposals assigned to this handling unit"},
	{Name: "kind", Type: "string", Description: "a kind", Enum: proposal.Kind("").EnumValues()},
	{Name: "category", Type: "string", Description: "a category", Enum: proposal.Category("").EnumValues()},
}

// recordsParams are the parameters of a figure's records call besides its filter.
var recordsParams = []Param{{Name: "figure", Type: "string", Description: "figure id, e.g. proposals.on_time", Required: true},
	{Name: "offset", Type: "integer", Description: "rows to skip"},
	{Name: "limit", Type: "integer", Description: "rows per page (default 50); above 500 is capped to 500", Max: 500}}

func (a *API) figureFilter(r *Request) (proposal.FigureFilter, error) {
	ff := proposal.FigureFilter{Theme: proposal.Theme(r.Query("theme")), Kind: proposal.Kind(r.Query("kind")),
		Category: proposal.Category(r.Query("category"))}
	var err error
	for _, x := range []struct {
		name string
		dst  *int64
	}{{"committee", &ff.CommitteeID}, {"session", &ff.SessionID}, {"unit", &ff.UnitID}} {
		if *x.dst, err = r.QueryInt(x.name); err != nil {
			return ff, err
		}
	}
	year, err := r.QueryInt("year")
	if err != nil {
		return ff, err
	}
	ff.Year = int(year)
	if ff.Subtree, err = r.QueryBool("subtree"); err != nil {
		return ff, err
	}
	if ff.CommitteeID == 0 {
		ff.CommitteeID = r.Actor.CommitteeID
	}
	return ff, nil
}

func (a *API) figureRoutes() []Route {
	s := a.deps.Proposals
	records := append(slices.Clone(recordsParams), figureFilterParams...)
	return []Route{
		{Method: "GET", Path: "/proposals/figures", Tag: "figures", Summary: "Every proposal figure (DOMAIN.md §3.3) for a filter; a rate is a value over its den figure",
			Query: figureFilterParams, Result: proposal.FigureSet{}, Handle: func(r *Request) (any, error) {
				ff, err := a.figureFilter(r)
				if err != nil {
					return nil, err
				}
				return s.Figures(r.Context(), r.Actor, ff)
			}},
		{Method: "GET", Path: "/proposals/figures/records", Tag: "figures", Summary: "The records a figure counts (as many as its value)",
			Query: records, Result: proposal.RecordPage{}, Handle: func(r *Request) (any, error) {
				ff, err := a.figureFilter(r)
				if err != nil {
					return nil, err
				}
				off, err := r.QueryInt("offset")
				if err != nil {
					return nil, err
				}
				lim, err := r.QueryInt("limit")
				if err != nil {
					return nil, err
				}
				return s.Records(r.Context(), r.Actor, r.Query("figure"), ff, int(off), int(lim))
			}},
		{Method: "GET", Path: "/units/league", Tag: "figures", Summary: "The handling units' league table (a unit sees its own row marked)",
			Query: figureFilterParams, Result: proposal.League{}, Handle: func(r *Request) (any, error) {
				ff, err := a.figureFilter(r)
				if err != nil {
					return nil, err
				}
				return s.League(r.Context(), r.Actor, ff)
			}},
	}
}
