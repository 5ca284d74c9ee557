package report

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
	"lvzhi/internal/i18n"
)

// Document is a report as it reads: its sections with the generated sentences
// and the staff's prose, the sections left out, and every figure it cites.
type Document struct {
	Report    *Report
	Lang      string
	Committee string // the committee's name
	Level     string // its level: county, prefecture, …
	Filter    figure.Filter
	// Frozen: the figures are the finalised ones of AsOf; otherwise live, as of AsOf.
	Frozen   bool
	AsOf     civil.Date
	Preamble string
	Sections []Section
	Missing  []Missing
	// Values are the figures cited and their bases, each once, in order.
	Values []figure.Value
}

// Section is one shown section.
type Section struct {
	ID, Number, Title string
	Before, After     string // the staff's prose
	Sentences         []Sentence
	// Cites are every figure of the section, stated or (zero) left out.
	Cites []string
}

// Sentence is one generated sentence and the figures it states (a zero
// figure is left out of the text, and of Figures).
type Sentence struct {
	Text    string
	Figures []figure.Value
}

// Missing is a section left out: the figures it would cite that are not
// registered (their area is not built), or, in a finalised report, that were
// not when it was finalised.
type Missing struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Figures []string `json:"figures"` // the figures not registered
}

// SectionIDs lists the shown sections' ids.
func (d *Document) SectionIDs() []string {
	out := make([]string, len(d.Sections))
	for i, s := range d.Sections {
		out[i] = s.ID
	}
	return out
}

// Value returns a cited figure's value.
func (d *Document) Value(id string) (figure.Value, bool) {
	for _, v := range d.Values {
		if v.ID == id {
			return v, true
		}
	}
	return figure.Value{}, false
}

// Document renders a report the actor may read in lang: live figures for a
// draft, the frozen ones for a finalised report.
func (s *Service) Document(ctx context.Context, actor *auth.Actor, id int64, lang string) (*Document, error) {
	r, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	return s.build(ctx, actor, r, lang)
}

// build renders r: frozen if final, else with the registry's live values.
func (s *Service) build(ctx context.Context, actor *auth.Actor, r *Report, lang string) (*Document, error) {
	return s.buildWith(ctx, actor, r, lang, Sections, r.Filter())
}

// buildWith renders r's sections defs (live: under the filter f).
func (s *Service) buildWith(ctx context.Context, actor *auth.Actor, r *Report, lang string, defs []SectionDef, f figure.Filter) (*Document, error) {
	d := &Document{Report: r, Lang: lang, Filter: f, Preamble: r.Texts[TextKey(Preamble, Before)]}
	if err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT name, level FROM committees WHERE id = $1`, r.CommitteeID).Scan(&d.Committee, &d.Level)
	}); err != nil {
		return nil, err
	}
	var shown []SectionDef
	if r.IsFinal() {
		d.Frozen, d.AsOf = true, r.FinalOn
		frozen, err := s.frozenValues(ctx, r)
		if err != nil {
			return nil, err
		}
		d.Values = frozen
		for _, sd := range defs {
			if slices.Contains(r.Sections, sd.ID) {
				shown = append(shown, sd)
			} else {
				d.Missing = append(d.Missing, Missing{ID: sd.ID, Title: sd.Title(lang), Figures: absent(sd, frozen)})
			}
		}
	} else {
		d.AsOf = s.Today()
		for _, sd := range defs {
			if miss := sd.Unregistered(s.Figures); len(miss) > 0 {
				d.Missing = append(d.Missing, Missing{ID: sd.ID, Title: sd.Title(lang), Figures: miss})
			} else {
				shown = append(shown, sd)
			}
		}
		vs, err := s.liveValues(ctx, actor, d.Filter, shown)
		if err != nil {
			return nil, err
		}
		d.Values = vs
	}
	byID := map[string]figure.Value{}
	for _, v := range d.Values {
		byID[v.ID] = v
	}
	for i, sd := range shown {
		sec := Section{ID: sd.ID, Number: numeral(lang, i+1), Title: sd.Title(lang), Cites: sd.Cites(),
			Before: r.Texts[TextKey(sd.ID, Before)], After: r.Texts[TextKey(sd.ID, After)]}
		for _, st := range sd.Sentences {
			for _, id := range st.Cites {
				if _, ok := byID[id]; !ok {
					return nil, fmt.Errorf("report: figure %s of section %s has no value", id, sd.ID)
				}
			}
			text, stated, ok := st.render(lang, d.Level, d.Values)
			if !ok {
				continue // every figure it would state is zero
			}
			cited := make([]figure.Value, 0, len(stated))
			for _, id := range stated {
				cited = append(cited, byID[id])
			}
			sec.Sentences = append(sec.Sentences, Sentence{Text: text, Figures: cited})
		}
		d.Sections = append(d.Sections, sec)
	}
	return d, nil
}

// absent lists the figures of a section a finalised report has no value of.
func absent(sd SectionDef, vs []figure.Value) []string {
	var out []string
	for _, id := range sd.Cites() {
		if !slices.ContainsFunc(vs, func(v figure.Value) bool { return v.ID == id }) {
			out = append(out, id)
		}
	}
	return out
}

// liveValues computes, through the registry, the figures the shown sections
// cite and their bases, in citation order.
func (s *Service) liveValues(ctx context.Context, actor *auth.Actor, f figure.Filter, shown []SectionDef) ([]figure.Value, error) {
	var ids, areas []string
	for _, sd := range shown {
		for _, id := range sd.Cites() {
			src, _, _ := s.Figures.Lookup(id)
			if !slices.Contains(areas, src.Area()) {
				areas = append(areas, src.Area())
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	set, err := s.Figures.Figures(ctx, actor, f, areas...)
	if err != nil {
		return nil, err
	}
	computed := map[string]figure.Value{}
	for _, v := range set.Values {
		computed[v.ID] = v
	}
	var out []figure.Value
	add := func(id string) error {
		if slices.ContainsFunc(out, func(v figure.Value) bool { return v.ID == id }) {
			return nil
		}
		v, ok := computed[id]
		if !ok {
			return fmt.Errorf("report: figure %s is registered but its source did not compute it", id)
		}
		out = append(out, v)
		return nil
	}
	for _, id := range ids {
		if err := add(id); err != nil {
			return nil, err
		}
	}
	for _, id := range ids { // the bases of the rates, after the figures cited
		if d := computed[id].Den; d != "" {
			if err := add(d); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// frozenValues reads a finalised report's figures.
func (s *Service) frozenValues(ctx context.Context, r *Report) ([]figure.Value, error) {
	var out []figure.Value
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		fs, err := loadFrozen(ctx, tx, r)
		for _, f := range fs {
			out = append(out, f.Value)
		}
		return err
	})
	return out, err
}

// collect lists, for each figure of the document, the records it counts, and
// checks they are exactly its value (the figure contract): records that
// changed between the value and the list are a conflict to retry.
func (s *Service) collect(ctx context.Context, actor *auth.Actor, r *Report, d *Document) (*snapshot, error) {
	snap := &snapshot{Records: map[string][]FrozenRecord{}}
	for _, v := range d.Values {
		src, _, ok := s.Figures.Lookup(v.ID)
		if !ok {
			return nil, fmt.Errorf("report: figure %s is not registered", v.ID)
		}
		var recs []FrozenRecord
		var measure int64
		pg, err := src.Each(ctx, actor, d.Filter, v.ID, func(rec figure.Record) error {
			cells := make([]string, len(rec.Cells))
			for i, c := range rec.Cells {
				cells[i] = figure.CellText("zh", c)
			}
			recs = append(recs, FrozenRecord{ID: rec.ID, Amount: rec.Amount, Link: rec.Link, Cells: cells})
			if v.Measure == figure.Sum {
				measure += rec.Amount
			} else {
				measure++
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if measure != v.Value {
			return nil, apperr.New(apperr.Conflict, "err.report.figures_changed")
		}
		snap.Figures = append(snap.Figures, frozenFigure{Value: v, Columns: pg.Columns})
		snap.Records[v.ID] = recs
	}
	return snap, nil
}

// FrozenRecords lists the records a finalised report's figure counted, with
// the records page's columns.
func (s *Service) FrozenRecords(ctx context.Context, actor *auth.Actor, id int64, figureID string) (figure.Value, []string, []FrozenRecord, error) {
	r, err := s.Get(ctx, actor, id)
	if err != nil {
		return figure.Value{}, nil, nil, err
	}
	if !r.IsFinal() {
		return figure.Value{}, nil, nil, apperr.ErrNotFound
	}
	var v figure.Value
	var cols []string
	var recs []FrozenRecord
	err = s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		fs, err := loadFrozen(ctx, tx, r)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(fs, func(f frozenFigure) bool { return f.ID == figureID })
		if i < 0 {
			return apperr.ErrNotFound
		}
		v, cols = fs[i].Value, fs[i].Columns
		recs, err = loadFrozenRecords(ctx, tx, r, figureID)
		return err
	})
	return v, cols, recs, err
}

// Text is the document as plain text: what golden files hold.
func (d *Document) Text() string {
	var b strings.Builder
	b.WriteString(d.Report.Title + "\n")
	b.WriteString(d.StateLine() + "\n\n")
	if d.Preamble != "" {
		b.WriteString(d.Preamble + "\n\n")
	}
	for _, s := range d.Sections {
		b.WriteString(s.Number + s.Title + "\n")
		if s.Before != "" {
			b.WriteString(s.Before + "\n")
		}
		b.WriteString(d.Paragraph(s) + "\n")
		if s.After != "" {
			b.WriteString(s.After + "\n")
		}
		b.WriteString("\n")
	}
	if len(d.Missing) > 0 {
		b.WriteString(d.MissingNotice() + "\n")
	}
	return b.String()
}

// Paragraph is a section's generated sentences as one paragraph.
func (d *Document) Paragraph(s Section) string {
	sep := ""
	if i18n.Norm(d.Lang) == "en" {
		sep = " "
	}
	texts := make([]string, len(s.Sentences))
	for i, st := range s.Sentences {
		texts[i] = st.Text
	}
	return strings.Join(texts, sep)
}

// MissingNotice names the sections left out, or "" when none is.
func (d *Document) MissingNotice() string {
	if len(d.Missing) == 0 {
		return ""
	}
	titles := make([]string, len(d.Missing))
	for i, m := range d.Missing {
		titles[i] = i18n.T(d.Lang, "report.quoted", map[string]any{"Title": m.Title})
	}
	sep := "；" // the titles hold commas
	if i18n.Norm(d.Lang) == "en" {
		sep = ", "
	}
	key := "report.missing"
	if d.Frozen {
		key = "report.missing_frozen"
	}
	return i18n.T(d.Lang, key, map[string]any{"Sections": strings.Join(titles, sep)})
}

// tr is a message with one date.
func tr(lang, key, date string) string { return i18n.T(lang, key, map[string]any{"Date": date}) }
