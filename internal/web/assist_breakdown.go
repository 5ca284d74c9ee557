package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"

	"lvzhi/internal/assist"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
	"lvzhi/internal/i18n"
	"lvzhi/internal/sheet"
)

// The breakdown of assistance by kind, campaign or member: 帮扶次数, 帮扶资金
// and households helped for each row, each the registered figure with the
// row's dimension set, so every cell opens the records it counts and the
// .xlsx holds exactly the screen's rows.

// breakdownPage is the page's data.
type breakdownPage struct {
	B      assist.Breakdown
	Rows   []breakdownLine
	Total  breakdownLine
	Heads  []string // the figures' names
	Defs   []string // and their definitions
	By     string
	ByOpts []string
	Year   int
	Town   string
	Export template.URL // the filter and by, for the export link
}

// breakdownLine is one row as shown: its label and cells.
type breakdownLine struct {
	Label string
	Cells []breakdownCell
}

type breakdownCell struct {
	Text string
	Link string
}

// breakdownRequest reads by and the figure filter; with no period given the
// breakdown is of this calendar year.
func (s *Server) breakdownRequest(r *http.Request) (*auth.Actor, assist.Breakdown, error) {
	a, err := requireCan(r, assist.PermView)
	if err != nil {
		return nil, assist.Breakdown{}, err
	}
	q := r.URL.Query()
	by := q.Get("by")
	if by == "" {
		by = "kind"
	}
	fq := url.Values{}
	for k, v := range q {
		if k != "by" {
			fq[k] = v
		}
	}
	if fq.Get("year") == "" && fq.Get("from") == "" && fq.Get("to") == "" {
		fq.Set("year", civil.Today().String()[:4])
	}
	f, err := s.parseFilter(r.Context(), a, fq)
	if err != nil {
		return nil, assist.Breakdown{}, err
	}
	b, err := s.Assist.Breakdown(r.Context(), a, f, by)
	return a, b, err
}

// breakdownLabel is a row's label: a kind's name, else the stored name.
func breakdownLabel(lang, by string, row assist.BreakdownRow) string {
	if by == "kind" {
		return i18n.T(lang, "assist.record."+row.Key)
	}
	return row.Label
}

func breakdownValue(def figure.Def, v int64) figure.Value { return figure.Value{Def: def, Value: v} }

func (s *Server) assistBreakdown(w http.ResponseWriter, r *http.Request) error {
	_, b, err := s.breakdownRequest(r)
	if err != nil {
		return err
	}
	lang := langOf(r)
	p := breakdownPage{B: b, By: b.By, ByOpts: assist.BreakdownBy, Year: b.Filter.Year(), Town: b.Filter.Dim("township")}
	q := b.Filter.Query()
	q.Set("by", b.By)
	p.Export = link("/assist/breakdown.xlsx", q)
	for _, d := range b.Figures {
		p.Heads = append(p.Heads, d.Name(lang)+i18n.T(lang, "p.lparen")+d.UnitName(lang)+i18n.T(lang, "p.rparen"))
		p.Defs = append(p.Defs, d.Definition(lang))
	}
	line := func(label string, f figure.Filter, vs []int64) breakdownLine {
		l := breakdownLine{Label: label}
		for i, d := range b.Figures {
			l.Cells = append(l.Cells, breakdownCell{Text: breakdownValue(d, vs[i]).Amount(), Link: recordsLink(f, d.ID)})
		}
		return l
	}
	for _, row := range b.Rows {
		p.Rows = append(p.Rows, line(breakdownLabel(lang, b.By, row), b.Filter.WithDim(b.By, row.Key), row.Values))
	}
	p.Total = line(i18n.T(lang, "assist.bd.total"), b.Filter, b.Total.Values)
	s.render(w, r, "assist/breakdown.html", p)
	return nil
}

// assistBreakdownExport writes the screen's rows: the label, then each
// figure's value (money in yuan), then the total row.
func (s *Server) assistBreakdownExport(w http.ResponseWriter, r *http.Request) error {
	a, b, err := s.breakdownRequest(r)
	if err != nil {
		return err
	}
	lang := langOf(r)
	cols := []sheet.Column{{Head: i18n.T(lang, "assist.bd.by."+b.By), Width: 24}}
	for _, d := range b.Figures {
		head := d.Name(lang)
		if d.Unit == "fen" {
			head += i18n.T(lang, "assist.bd.in_yuan")
		}
		cols = append(cols, sheet.Column{Head: head, Width: 16, Kind: sheet.Number})
	}
	title := i18n.T(lang, "assist.bd.title")
	return writeXLSX(w, s.exportName(r.Context(), a, b.Filter.CommitteeID, title), title, cols, func(row func(...any) error) error {
		rows := append(slices.Clone(b.Rows), assist.BreakdownRow{Label: i18n.T(lang, "assist.bd.total"), Values: b.Total.Values})
		for i, br := range rows {
			cells := []any{br.Label}
			if i < len(b.Rows) {
				cells[0] = breakdownLabel(lang, b.By, br)
			}
			for j, d := range b.Figures {
				cells = append(cells, amount(breakdownValue(d, br.Values[j])))
			}
			if err := row(cells...); err != nil {
				return err
			}
		}
		return nil
	})
}
