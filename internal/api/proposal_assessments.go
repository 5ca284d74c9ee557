package api

import (
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/civil"
	"lvzhi/internal/proposal"
)

// The handling units' yearly assessment (测评, the web's /proposals/assessments):
// the committee's score sheet and each unit's scores. The proposal office keeps
// both; readers of the figures read them; a unit reads the sheet and its own
// scores only.

// AssessItemList is the score sheet; saved is false while the committee has
// none and the national default (items with id 0) is offered.
type AssessItemList struct {
	Items []proposal.AssessItem `json:"items"`
	Saved bool                  `json:"saved"`
}

// AssessItemBody adds an item to the score sheet or changes one (send its version).
type AssessItemBody struct {
	Name      string `json:"name"`
	MaxPoints int    `json:"max_points"`
	Sort      int    `json:"sort,omitempty"`
	Active    bool   `json:"active,omitempty"`
	Version   int    `json:"version,omitempty"`
}

// UnitAssessmentList is every assessment of a year (a unit: its own).
type UnitAssessmentList struct {
	Year  int                   `json:"year"`
	Items []proposal.Assessment `json:"items"`
}

// AssessmentBody scores one unit for a year: points for every active item of
// the sheet, by item id ({"12": 18, "13": 20}); version is the one read (0 for
// a new assessment).
type AssessmentBody struct {
	Year    int           `json:"year"`
	UnitID  int64         `json:"unit_id"`
	Points  map[int64]int `json:"points"`
	Note    string        `json:"note,omitempty"`
	Version int           `json:"version,omitempty"`
}

func (a *API) proposalAssessmentRoutes() []Route {
	s := a.deps.Proposals
	item := func(r *Request, id int64) (any, error) {
		var b AssessItemBody
		if err := r.Decode(&b); err != nil {
			return nil, err
		}
		return s.SaveAssessItem(r.Context(), r.Actor, proposal.AssessItem{ID: id, Name: b.Name, MaxPoints: b.MaxPoints,
			Sort: b.Sort, Active: b.Active, Version: b.Version})
	}
	return []Route{
		{Method: "GET", Path: "/proposals/assessments", Tag: "assessments", Summary: "The units' assessments of a year (a unit sees its own)",
			Query:  []Param{{Name: "year", Type: "integer", Description: "default this year"}},
			Result: UnitAssessmentList{}, Handle: func(r *Request) (any, error) {
				year, err := r.QueryInt("year")
				if err != nil {
					return nil, err
				}
				if year == 0 {
					year = int64(civil.Today().Year)
				}
				as, err := s.Assessments(r.Context(), r.Actor, int(year))
				return UnitAssessmentList{Year: int(year), Items: orEmpty(as)}, err
			}},
		{Method: "POST", Path: "/proposals/assessments", Tag: "assessments", Summary: "Score one unit for a year, or correct its scores (proposal office)",
			Body: AssessmentBody{}, Result: proposal.Assessment{}, Handle: func(r *Request) (any, error) {
				var b AssessmentBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				as, err := s.SaveAssessment(r.Context(), r.Actor, proposal.AssessmentInput{Year: b.Year, UnitID: b.UnitID,
					Points: b.Points, Note: b.Note, Version: b.Version})
				return as, bodyFieldNames(err)
			}},
		{Method: "GET", Path: "/proposals/assessments/items", Tag: "assessments", Summary: "The committee's score sheet (the national default until it keeps its own)",
			Result: AssessItemList{}, Handle: func(r *Request) (any, error) {
				items, saved, err := s.AssessItems(r.Context(), r.Actor)
				return AssessItemList{Items: orEmpty(items), Saved: saved}, err
			}},
		{Method: "POST", Path: "/proposals/assessments/items", Tag: "assessments", Summary: "Add an item to the score sheet (proposal office)",
			Body: AssessItemBody{}, Result: proposal.AssessItem{}, Status: 201, Handle: func(r *Request) (any, error) { return item(r, 0) }},
		{Method: "PUT", Path: "/proposals/assessments/items/{id}", Tag: "assessments", Summary: "Change an item of the score sheet (proposal office; send its version)",
			Body: AssessItemBody{}, Result: proposal.AssessItem{}, Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				return item(r, id)
			}},
		{Method: "POST", Path: "/proposals/assessments/default", Tag: "assessments", Summary: "Adopt the national default score sheet, if the committee has none (proposal office)",
			Handle: func(r *Request) (any, error) { return nil, s.UseDefaultSheet(r.Context(), r.Actor) }},
	}
}

// bodyFieldNames renames the web form's field names in the service's field
// errors to the body's: unit → unit_id, points_12 → points.12.
func bodyFieldNames(err error) error {
	e := apperr.As(err)
	if e == nil {
		return err
	}
	for i, f := range e.Fields {
		if f.Field == "unit" {
			e.Fields[i].Field = "unit_id"
		} else if id, ok := strings.CutPrefix(f.Field, "points_"); ok {
			e.Fields[i].Field = "points." + id
		}
	}
	return err
}
