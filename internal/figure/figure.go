// Package figure is the one contract every area's figures follow, so that a
// figure means the same on every screen, export, API answer and report.
//
// A figure (Def) has an id, a name and a definition in Chinese and English
// (i18n keys figures.<id> and figures.def.<id>), what one of its records is
// (Counts), whether its value is the number of its records or the sum of their
// amounts (Measure), and, for a rate, the figure whose value is its
// denominator (Den). Its value comes from a Source, which answers values and
// records for a Filter (a committee, optionally the subtree below, a period,
// and the area's own dimensions). The records a source lists for a figure are
// exactly the ones it counts, so len(records) == value (or the sum of their
// amounts == value): CheckRecords, in figuretest, holds every area to that.
//
// Areas register their sources in a Registry (wired in cmd and the web/api
// servers, not in init functions); web pages, the API, .xlsx exports and the
// report sentences work on any registered figure through it.
package figure

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/i18n"
)

// Measure says how a figure's value is made from its records.
type Measure string

// The measures.
const (
	Count Measure = "count" // the number of records
	Sum   Measure = "sum"   // the sum of the records' Amount (money in fen, or a quantity)
)

// Def is one figure's definition.
type Def struct {
	ID      string  `json:"id"`
	Area    string  `json:"area"`            // the area that computes it: "proposal", "activity", …
	Group   string  `json:"group"`           // how pages group it (i18n figures.group.<group>)
	Counts  string  `json:"counts"`          // what one record is: "proposal", "evaluation", "member", …
	Measure Measure `json:"measure"`         // count of records or sum of amounts
	Unit    string  `json:"unit"`            // the unit of the value (i18n figures.unit.<unit>): "item", "person", "fen", …
	Den     string  `json:"den,omitempty"`   // a rate: this figure's value over the value of Den
	Param   string  `json:"param,omitempty"` // the member of a family (a theme, a class code)
	// Family names the definition key of a family figure ("proposals.theme"
	// for proposals.theme.economy); empty for a plain figure.
	Family string `json:"-"`
	// Label names the figure when its name depends on the committee (a result
	// class's own label); nil uses the i18n key figures.<id>.
	Label func(lang string) string `json:"-"`
}

// Name is the figure's name in lang.
func (d Def) Name(lang string) string {
	if d.Label != nil {
		return d.Label(lang)
	}
	return i18n.T(lang, "figures."+d.ID)
}

// Definition says in words what the figure counts, in lang.
func (d Def) Definition(lang string) string {
	if d.Family != "" {
		return i18n.T(lang, "figures.def."+d.Family, map[string]any{"Param": d.Param, "Name": d.Name(lang)})
	}
	return i18n.T(lang, "figures.def."+d.ID)
}

// UnitName is the unit of the value in lang (件, 人, 元 …).
func (d Def) UnitName(lang string) string { return i18n.T(lang, "figures.unit."+d.Unit) }

// Value is a figure's value for one filter, with its denominator's.
type Value struct {
	Def
	Value    int64 `json:"value"`
	DenValue int64 `json:"den_value,omitempty"`
}

// HasRate reports whether the figure is a share of another.
func (v Value) HasRate() bool { return v.Den != "" }

// Rate returns the share (0..1) and false when there is no denominator or it is zero.
func (v Value) Rate() (float64, bool) {
	if v.Den == "" || v.DenValue == 0 {
		return 0, false
	}
	return float64(v.Value) / float64(v.DenValue), true
}

// Pct formats the share with one decimal ("94.9%"), or "—" without one.
func (v Value) Pct() string {
	r, ok := v.Rate()
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", r*100)
}

// Amount formats the value in its unit: fen as yuan with two decimals, others as integers.
func (v Value) Amount() string {
	if v.Unit == "fen" {
		return fmt.Sprintf("%d.%02d", v.Value/100, abs(v.Value%100))
	}
	return fmt.Sprint(v.Value)
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// Filter is the neutral filter every figure takes: a committee, optionally the
// committees below it, a period of civil dates (zero: unbounded), and the
// area's own dimensions (a session, a theme, a unit, a township …) by name.
// Zero values do not filter.
type Filter struct {
	CommitteeID int64             `json:"committee_id"`
	Subtree     bool              `json:"subtree"`
	From        civil.Date        `json:"from"`
	To          civil.Date        `json:"to"`
	Dims        map[string]string `json:"dims,omitempty"`
}

// Dim returns the area dimension name ("" when unset).
func (f Filter) Dim(name string) string { return f.Dims[name] }

// WithDim returns a copy of f with the dimension set (removed when v is "").
func (f Filter) WithDim(name, v string) Filter {
	dims := make(map[string]string, len(f.Dims)+1)
	for k, x := range f.Dims {
		dims[k] = x
	}
	if v == "" {
		delete(dims, name)
	} else {
		dims[name] = v
	}
	f.Dims = dims
	return f
}

// Year returns the calendar year the period covers exactly (1 January to 31
// December), or 0 when the period is unbounded or not one whole year.
func (f Filter) Year() int {
	if f.From.IsZero() || f.To.IsZero() {
		return 0
	}
	y := f.From.Year
	if f.From != (civil.Date{Year: y, Month: 1, Day: 1}) || f.To != (civil.Date{Year: y, Month: 12, Day: 31}) {
		return 0
	}
	return y
}

// YearFilter returns the filter of one calendar year.
func YearFilter(committeeID int64, year int) Filter {
	return Filter{CommitteeID: committeeID, From: civil.Date{Year: year, Month: 1, Day: 1},
		To: civil.Date{Year: year, Month: 12, Day: 31}}
}

// Record is one record behind a figure. Cells follow the page's Columns and
// hold typed values (string, int64, civil.Date, []string) so exports keep types.
type Record struct {
	ID     int64  `json:"id"`
	Link   string `json:"link,omitempty"`   // the record's own page
	Amount int64  `json:"amount,omitempty"` // what it adds to a Sum figure
	Cells  []any  `json:"cells"`
}

// Page is one page of the records behind a figure.
type Page struct {
	Figure  Def      `json:"figure"`
	Columns []string `json:"columns"` // column ids; headings are i18n figures.col.<id>
	Records []Record `json:"records"`
	Total   int      `json:"total"`
	Offset  int      `json:"offset"`
	Limit   int      `json:"limit"`
}

// Source is an area's figures: it resolves ids (families included), lists the
// figures for a filter, computes their values and lists their records, each
// call checking the actor may read them (another committee: apperr.ErrNotFound).
type Source interface {
	// Area names the source ("proposal").
	Area() string
	// Lookup returns the definition of id, or false if the source has no such figure.
	Lookup(id string) (Def, bool)
	// Figures lists and computes every figure of the source for the filter.
	Figures(ctx context.Context, actor *auth.Actor, f Filter) ([]Value, error)
	// Records lists one page of the records of figure id.
	Records(ctx context.Context, actor *auth.Actor, f Filter, id string, offset, limit int) (*Page, error)
	// Each calls fn for every record of figure id (at most MaxExportRows), for exports.
	Each(ctx context.Context, actor *auth.Actor, f Filter, id string, fn func(Record) error) (*Page, error)
}

// MaxExportRows bounds one export of records.
const MaxExportRows = 200000

// Registry holds every area's source.
type Registry struct {
	sources []Source
}

// NewRegistry returns a registry of the sources, in display order.
func NewRegistry(sources ...Source) *Registry { return &Registry{sources: sources} }

// Sources returns the registered sources.
func (r *Registry) Sources() []Source { return r.sources }

// Lookup finds the source and definition of a figure id.
func (r *Registry) Lookup(id string) (Source, Def, bool) {
	for _, s := range r.sources {
		if d, ok := s.Lookup(id); ok {
			return s, d, true
		}
	}
	return nil, Def{}, false
}

// Source returns the source of an area, or nil.
func (r *Registry) Source(area string) Source {
	for _, s := range r.sources {
		if s.Area() == area {
			return s
		}
	}
	return nil
}

// Set is the values of many figures for one filter.
type Set struct {
	Filter Filter  `json:"filter"`
	Values []Value `json:"values"`
}

// Get returns the value of figure id (a zero Value with that id if absent).
func (s *Set) Get(id string) Value {
	for _, v := range s.Values {
		if v.ID == id {
			return v
		}
	}
	return Value{Def: Def{ID: id}}
}

// Group returns the values of a group, in order.
func (s *Set) Group(g string) []Value {
	var out []Value
	for _, v := range s.Values {
		if v.Group == g {
			out = append(out, v)
		}
	}
	return out
}

// Figures computes the figures of the named areas (every area when none is
// named) for the filter.
func (r *Registry) Figures(ctx context.Context, actor *auth.Actor, f Filter, areas ...string) (*Set, error) {
	set := &Set{Filter: f}
	for _, s := range r.sources {
		if len(areas) > 0 && !slices.Contains(areas, s.Area()) {
			continue
		}
		vs, err := s.Figures(ctx, actor, f)
		if err != nil {
			return nil, err
		}
		set.Values = append(set.Values, vs...)
	}
	return set, nil
}

// Pair fills each value's DenValue from the values of the same set; it is an
// error for a rate's denominator to be missing (a definition mistake).
func Pair(vs []Value) error {
	got := make(map[string]int64, len(vs))
	for _, v := range vs {
		got[v.ID] = v.Value
	}
	for i, v := range vs {
		if v.Den == "" {
			continue
		}
		den, ok := got[v.Den]
		if !ok {
			return fmt.Errorf("figure %s divides by %s, which was not computed", v.ID, v.Den)
		}
		vs[i].DenValue = den
	}
	return nil
}

// Text renders values as aligned lines (id, name, value, share): what golden
// files hold and the plain-text export.
func Text(lang string, vs []Value) string {
	var b strings.Builder
	for _, v := range vs {
		line := fmt.Sprintf("%-30s %s = %d", v.ID, v.Name(lang), v.Value)
		if v.HasRate() {
			line += fmt.Sprintf(" / %d (%s of %s)", v.DenValue, v.Pct(), v.Den)
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// Key is a record cell holding an i18n key (a state, a theme), translated when shown.
type Key string

// CellText is a record cell as text in lang.
func CellText(lang string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case Key:
		if x == "" {
			return ""
		}
		return i18n.T(lang, string(x))
	case civil.Date:
		if x.IsZero() {
			return ""
		}
		return x.String()
	case []string:
		return strings.Join(x, "、")
	}
	return fmt.Sprint(v)
}

// Sentence renders the i18n message key with the values of a set, so a
// report's sentences can cite any registered figure by its id:
//
//	"提案所提事项已解决和正在解决的达{{index .V "proposals.solved"}}件，占立案总数的{{index .P "proposals.solved"}}"
//
// V holds each value in its unit (fen as yuan), N the plain value, P the
// share ("94.9%", or "—" without a base) and D the base's value; for prose, R
// is the share as reports write it ("94.9%", "100%": a whole percentage
// without ".0") and W the value in 万 of its unit (fen: 万元, "248.55").
func Sentence(lang, key string, vs []Value) string {
	return i18n.T(lang, key, SentenceData(vs))
}

// SentenceData is the data Sentence renders a message with (V, N, P, D, R,
// W by figure id), for callers that add their own fields.
func SentenceData(vs []Value) map[string]any {
	v, n, p, d := map[string]string{}, map[string]int64{}, map[string]string{}, map[string]int64{}
	r, w := map[string]string{}, map[string]string{}
	for _, x := range vs {
		v[x.ID], n[x.ID], p[x.ID], d[x.ID] = x.Amount(), x.Value, x.Pct(), x.DenValue
		r[x.ID], w[x.ID] = strings.Replace(x.Pct(), ".0%", "%", 1), x.Wan()
	}
	return map[string]any{"V": v, "N": n, "P": p, "D": d, "R": r, "W": w}
}

// Wan formats the value in 万 (ten thousands) of its unit, rounded to two
// decimals without trailing zeros: 248,550,000 fen is "248.55" (万元),
// 214,000,000 fen "214", 15,000 items "1.5".
func (v Value) Wan() string {
	per := int64(10000) // a hundredth of 万 of a plain quantity is 100
	if v.Unit == "fen" {
		per = 1000000 // 万元 in fen
	}
	hundredths := (abs(v.Value)*100 + per/2) / per
	s := fmt.Sprintf("%d.%02d", hundredths/100, hundredths%100)
	s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	if v.Value < 0 {
		s = "-" + s
	}
	return s
}
