package api

import (
	"lvzhi/internal/apperr"
	"lvzhi/internal/proposal"
)

// Finding proposals: full-text search (the web's /proposals/search), proposals
// like a draft or like an existing one (the hints of the draft and review
// pages), and the public list of published proposals, which needs no token.

// SimilarBody is a draft being written: the proposals most like it are answered.
type SimilarBody struct {
	Title       string `json:"title"`
	Matter      string `json:"matter,omitempty"`
	Suggestions string `json:"suggestions,omitempty"`
	ExcludeID   int64  `json:"exclude_id,omitempty"` // the draft itself, once saved
}

// SimilarList lists proposals like a text or a proposal, best first.
type SimilarList struct {
	Items []proposal.Similar `json:"items"`
}

// PublicList is one page of published proposals with the choices its filter offers.
type PublicList struct {
	proposal.PublicPage
	Choices proposal.PublicFacets `json:"choices"`
}

func (a *API) proposalSearchRoutes() []Route {
	s := a.deps.Proposals
	ints := func(r *Request, names ...string) ([]int64, error) {
		out := make([]int64, len(names))
		for i, n := range names {
			v, err := r.QueryInt(n)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	return []Route{
		{Method: "GET", Path: "/proposals/search", Tag: "proposals", Summary: "Full-text search of the proposals the token's user may read (and published ones), best match first",
			Query: []Param{{Name: "q", Type: "string", Description: "words (Chinese is segmented); at most 100 characters; none finds nothing"},
				{Name: "session", Type: "integer", Description: "plenary session id"}, {Name: "year", Type: "integer", Description: ""},
				{Name: "theme", Type: "string", Description: "a theme", Enum: proposal.Theme("").EnumValues()},
				{Name: "offset", Type: "integer", Description: "hits to skip"}, {Name: "limit", Type: "integer", Description: "default 20; above 200 is capped to 200", Max: 200}},
			Result: proposal.SearchPage{}, Handle: func(r *Request) (any, error) {
				v, err := ints(r, "session", "year", "offset", "limit")
				if err != nil {
					return nil, err
				}
				return s.Search(r.Context(), r.Actor, proposal.SearchQuery{Q: r.Query("q"), SessionID: v[0], Year: int(v[1]),
					Theme: proposal.Theme(r.Query("theme")), Offset: int(v[2]), Limit: int(v[3])})
			}},
		{Method: "POST", Path: "/proposals/similar", Tag: "proposals", Summary: "Proposals like a draft being written (title, matter, suggestions), best first",
			Body: SimilarBody{}, Result: SimilarList{}, Handle: func(r *Request) (any, error) {
				var b SimilarBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				list, err := s.SimilarDraft(r.Context(), r.Actor, b.Title, b.Matter+"\n"+b.Suggestions, b.ExcludeID, 5)
				return SimilarList{orEmpty(list)}, err
			}},
		{Method: "GET", Path: "/proposals/{id}/similar", Tag: "proposals", Summary: "Proposals like this one (for review: duplicates and merges), best first",
			Result: SimilarList{}, Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				list, err := s.SimilarToProposal(r.Context(), r.Actor, id, 5)
				return SimilarList{orEmpty(list)}, err
			}},
		{Method: "GET", Path: "/public/proposals", Tag: "public", Public: true,
			Summary: "Published proposals, for anyone (no token): newest first, best match first when searching; contact details redacted",
			Query: []Param{{Name: "committee", Type: "integer", Description: "committee id; default every committee"},
				{Name: "q", Type: "string", Description: "words"}, {Name: "theme", Type: "string", Description: "a theme", Enum: proposal.Theme("").EnumValues()},
				{Name: "unit", Type: "integer", Description: "answered by this handling unit"}, {Name: "year", Type: "integer", Description: ""},
				{Name: "offset", Type: "integer", Description: ""}, {Name: "limit", Type: "integer", Description: "default 20; above 100 is capped to 100", Max: 100}},
			Result: PublicList{}, Handle: func(r *Request) (any, error) {
				v, err := ints(r, "committee", "unit", "year", "offset", "limit")
				if err != nil {
					return nil, err
				}
				page, err := s.PublicList(r.Context(), proposal.PublicQuery{CommitteeID: v[0], Q: r.Query("q"), Theme: proposal.Theme(r.Query("theme")),
					UnitID: v[1], Year: int(v[2]), Offset: int(v[3]), Limit: int(v[4])})
				if err != nil {
					return nil, err
				}
				choices, err := s.PublicChoices(r.Context(), v[0])
				if err != nil {
					return nil, err
				}
				page.Items = orEmpty(page.Items)
				return PublicList{PublicPage: *page, Choices: *choices}, nil
			}},
		{Method: "GET", Path: "/public/proposals/{id}", Tag: "public", Public: true,
			Summary: "One published proposal with its published replies, for anyone (no token); contact details redacted",
			Result:  proposal.PublicProposal{}, Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				p, err := s.PublicGet(r.Context(), id)
				if err == nil && p == nil {
					return nil, apperr.ErrNotFound
				}
				return p, err
			}},
	}
}
