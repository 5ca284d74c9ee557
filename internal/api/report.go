package api

import (
	"lvzhi/internal/figure"
	"lvzhi/internal/report"
)

// The annual work reports: the same use cases as the web's /reports pages.

// ReportList is a committee's reports the token's user may read, newest year first.
type ReportList struct {
	Reports []*report.Report `json:"reports"`
}

// ReportBody creates a report.
type ReportBody struct {
	Year  int    `json:"year"`
	Title string `json:"title"` // "" for the year's default title
}

// ReportTexts is the staff's prose of a draft: texts by "<section>/<before|after>"
// ("preamble/before" opens the report); an empty text removes it, a key left out keeps it.
type ReportTexts struct {
	Version int               `json:"version"` // the version read (0 skips the check)
	Title   string            `json:"title"`   // "" keeps the title
	Texts   map[string]string `json:"texts"`
}

// ReportVersion is the version of the report read.
type ReportVersion struct {
	Version int `json:"version"`
}

// ReportDocument is a report as it reads: sections of generated sentences
// with the figures they cite, the staff's prose, the sections left out.
type ReportDocument struct {
	Report   *report.Report   `json:"report"`
	Frozen   bool             `json:"frozen"` // the figures are the finalised ones
	AsOf     string           `json:"as_of"`  // the date of the figures
	Preamble string           `json:"preamble"`
	Sections []ReportSection  `json:"sections"`
	Missing  []report.Missing `json:"missing"` // sections left out: their figures are not registered
	Notice   string           `json:"notice"`
	Values   []figure.Value   `json:"values"` // every figure cited, and their bases
}

// ReportSection is a section shown.
type ReportSection struct {
	ID        string           `json:"id"`
	Number    string           `json:"number"`
	Title     string           `json:"title"`
	Before    string           `json:"before"`
	After     string           `json:"after"`
	Sentences []ReportSentence `json:"sentences"`
}

// ReportSentence is a generated sentence and the ids of the figures it cites.
type ReportSentence struct {
	Text    string   `json:"text"`
	Figures []string `json:"figures"`
}

// FrozenRecords are the records a finalised report's figure counted.
type FrozenRecords struct {
	Figure  figure.Value          `json:"figure"`
	Columns []string              `json:"columns"`
	Records []report.FrozenRecord `json:"records"`
}

func documentOf(d *report.Document) ReportDocument {
	out := ReportDocument{Report: d.Report, Frozen: d.Frozen, AsOf: d.AsOf.String(), Preamble: d.Preamble,
		Missing: orEmpty(d.Missing), Notice: d.MissingNotice(), Values: orEmpty(d.Values), Sections: []ReportSection{}}
	for _, s := range d.Sections {
		rs := ReportSection{ID: s.ID, Number: s.Number, Title: s.Title, Before: s.Before, After: s.After}
		for _, st := range s.Sentences {
			ids := make([]string, len(st.Figures))
			for i, v := range st.Figures {
				ids[i] = v.ID
			}
			rs.Sentences = append(rs.Sentences, ReportSentence{Text: st.Text, Figures: ids})
		}
		out.Sections = append(out.Sections, rs)
	}
	return out
}

func (a *API) reportRoutes() []Route {
	svc := a.deps.Reports
	withID := func(h func(r *Request, id int64) (any, error)) func(r *Request) (any, error) {
		return func(r *Request) (any, error) {
			id, err := r.PathID("id")
			if err != nil {
				return nil, err
			}
			return h(r, id)
		}
	}
	return []Route{
		{Method: "GET", Path: "/reports", Tag: "reports", Summary: "The committee's annual work reports (drafts for staff and leaders only)",
			Result: ReportList{}, Handle: func(r *Request) (any, error) {
				rs, err := svc.List(r.Context(), r.Actor)
				return ReportList{orEmpty(rs)}, err
			}},
		{Method: "POST", Path: "/reports", Tag: "reports", Summary: "Start the annual work report of a year (staff, leaders)",
			Body: ReportBody{}, Result: report.Report{}, Status: 201, Handle: func(r *Request) (any, error) {
				var in ReportBody
				if err := r.Decode(&in); err != nil {
					return nil, err
				}
				return svc.Create(r.Context(), r.Actor, report.CreateInput{Year: in.Year, Title: in.Title})
			}},
		{Method: "GET", Path: "/reports/{id}", Tag: "reports", Summary: "A report as it reads: live figures for a draft, frozen ones once finalised",
			Result: ReportDocument{}, Handle: withID(func(r *Request, id int64) (any, error) {
				d, err := svc.Document(r.Context(), r.Actor, id, r.Lang)
				if err != nil {
					return nil, err
				}
				return documentOf(d), nil
			})},
		{Method: "PUT", Path: "/reports/{id}/texts", Tag: "reports", Summary: "Write a draft's prose (send its version; a stale one is 409, a finalised report 409)",
			Body: ReportTexts{}, Result: report.Report{}, Handle: withID(func(r *Request, id int64) (any, error) {
				var in ReportTexts
				if err := r.Decode(&in); err != nil {
					return nil, err
				}
				return svc.SaveTexts(r.Context(), r.Actor, id, report.TextsInput{Version: in.Version, Title: in.Title, Texts: in.Texts})
			})},
		{Method: "POST", Path: "/reports/{id}/finalise", Tag: "reports", Summary: "Finalise a draft: freeze its figures, the date and the records each counted",
			Body: ReportVersion{}, Result: report.Report{}, Handle: withID(func(r *Request, id int64) (any, error) {
				var in ReportVersion
				if err := r.Decode(&in); err != nil {
					return nil, err
				}
				return svc.Finalise(r.Context(), r.Actor, id, in.Version)
			})},
		{Method: "GET", Path: "/reports/{id}/records", Tag: "reports", Summary: "The records a finalised report's figure counted",
			Query:  []Param{{Name: "figure", Type: "string", Description: "the figure id", Required: true}},
			Result: FrozenRecords{}, Handle: withID(func(r *Request, id int64) (any, error) {
				v, cols, recs, err := svc.FrozenRecords(r.Context(), r.Actor, id, r.Query("figure"))
				return FrozenRecords{Figure: v, Columns: orEmpty(cols), Records: orEmpty(recs)}, err
			})},
	}
}
