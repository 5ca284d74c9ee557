package api

import (
	"lvzhi/internal/activity"
	"lvzhi/internal/figure"
	"lvzhi/internal/report"
)

// PublicReportList lists the finalised reports.
type PublicReportList struct {
	Items []report.PublicReport `json:"items"`
}

// PublicFigure is one frozen figure of a finalised report, as open data.
type PublicFigure struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Definition string  `json:"definition"`
	Value      int64   `json:"value"`
	Unit       string  `json:"unit"`
	Den        string  `json:"den,omitempty"`
	DenValue   int64   `json:"den_value,omitempty"`
	Share      float64 `json:"share,omitempty"`
}

// PublicReportFigures is a finalised report's figures as the public reads them.
type PublicReportFigures struct {
	ID        int64          `json:"id"`
	Committee string         `json:"committee"`
	Year      int            `json:"year"`
	Title     string         `json:"title"`
	FinalOn   string         `json:"final_on"`
	Figures   []PublicFigure `json:"figures"`
}

func publicFigures(lang string, vs []figure.Value) []PublicFigure {
	out := make([]PublicFigure, 0, len(vs))
	for _, v := range vs {
		p := PublicFigure{ID: v.ID, Name: v.Name(lang), Definition: v.Definition(lang), Value: v.Value, Unit: v.Unit, Den: v.Den, DenValue: v.DenValue}
		if r, ok := v.Rate(); ok {
			p.Share = r
		}
		out = append(out, p)
	}
	return out
}

// AppraisalList lists a committee's appraisals.
type AppraisalList struct {
	Items []activity.Appraisal `json:"items"`
}

// publicReportRoutes are the public site's reports (no token, like the web's
// /public/reports) and the appraisals' list the web shows at /consult/appraisals.
func (a *API) publicReportRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/public/reports", Tag: "public", Public: true,
			Summary: "Finalised annual work reports, for anyone (no token), newest year first",
			Query:   []Param{{Name: "committee", Type: "integer", Description: "committee id; default every committee"}},
			Result:  PublicReportList{}, Handle: func(r *Request) (any, error) {
				cid, err := r.QueryInt("committee")
				if err != nil {
					return nil, err
				}
				list, err := a.deps.Reports.PublicReports(r.Context(), cid)
				return PublicReportList{Items: orEmpty(list)}, err
			}},
		{Method: "GET", Path: "/public/reports/{id}", Tag: "public", Public: true,
			Summary: "A finalised report's frozen figures with their definitions, for anyone (no token); a draft is not found",
			Result:  PublicReportFigures{}, Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				d, err := a.deps.Reports.PublicDocument(r.Context(), id, r.Lang)
				if err != nil {
					return nil, err
				}
				return PublicReportFigures{ID: d.Report.ID, Committee: d.Committee, Year: d.Report.Year, Title: d.Report.Title,
					FinalOn: d.AsOf.String(), Figures: publicFigures(r.Lang, d.Values)}, nil
			}},
		{Method: "GET", Path: "/appraisals", Tag: "activities",
			Summary: "The committee's appraisals, newest year first (readers: every one; a member: the open ballots)",
			Result:  AppraisalList{}, Handle: func(r *Request) (any, error) {
				list, err := a.deps.Activities.Appraisals(r.Context(), r.Actor, r.Actor.CommitteeID)
				return AppraisalList{Items: orEmpty(list)}, err
			}},
	}
}
