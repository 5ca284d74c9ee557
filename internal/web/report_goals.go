package web

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
	"lvzhi/internal/report"
)

// The committee's goals of a year (年度目标): the form where staff set the
// targets, and the dashboard's table of each against its figure.

// goalLine is one goal as the dashboard shows it.
type goalLine struct {
	Name, Target, Value, Unit, Pct string
	Bar                            int // width of the completion bar, 0..100
	Met                            bool
	Link                           template.URL
}

func goalLines(lang string, gs []report.Goal) []goalLine {
	out := make([]goalLine, 0, len(gs))
	for _, g := range gs {
		share := g.Share()
		out = append(out, goalLine{Name: g.Figure.Name(lang), Target: figure.Value{Def: g.Figure.Def, Value: g.Target}.Amount(),
			Value: g.Figure.Amount(), Unit: g.Figure.UnitName(lang), Pct: fmt.Sprintf("%.1f%%", share*100),
			Bar: int(math.Min(share, 1)*100 + 0.5), Met: share >= 1, Link: template.URL(recordsLink(g.Filter, g.Figure.ID))})
	}
	return out
}

// goalField is one figure of the goals form.
type goalField struct {
	ID, Name, Definition, Unit, Value string
}

// reportGoalsPage is the goals form's state.
type reportGoalsPage struct {
	Year   string
	Groups []goalGroup
	Fields []apperr.FieldError
	Error  string
	Saved  bool
}

// goalGroup is the figures of one section of the report.
type goalGroup struct {
	Title  string
	Fields []goalField
}

func (s *Server) reportGoals(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	year := queryInt(r.URL.Query(), "year")
	if year == 0 {
		year = civil.Today().Year
	}
	targets, err := s.Reports.Targets(r.Context(), a, year)
	if err != nil {
		return err
	}
	in := map[string]string{}
	for _, d := range s.Reports.GoalFigures() {
		if t, ok := targets[d.ID]; ok {
			in[d.ID] = figure.Value{Def: d, Value: t}.Amount()
		}
	}
	p := s.goalsPage(langOf(r), strconv.Itoa(year), in)
	p.Saved = r.URL.Query().Get("saved") == "1"
	s.render(w, r, "report/goals.html", p)
	return nil
}

// goalsPage lays out the form: the report's sections, each with its figures.
func (s *Server) goalsPage(lang, year string, in map[string]string) reportGoalsPage {
	p := reportGoalsPage{Year: year}
	allowed := map[string]figure.Def{}
	for _, d := range s.Reports.GoalFigures() {
		allowed[d.ID] = d
	}
	for _, sd := range report.Sections {
		g := goalGroup{Title: sd.Title(lang)}
		for _, id := range sd.Cites() {
			d, ok := allowed[id]
			if !ok {
				continue
			}
			delete(allowed, id) // a figure cited in two sections is asked once
			g.Fields = append(g.Fields, goalField{ID: id, Name: d.Name(lang), Definition: d.Definition(lang), Unit: d.UnitName(lang), Value: in[id]})
		}
		if len(g.Fields) > 0 {
			p.Groups = append(p.Groups, g)
		}
	}
	return p
}

func (s *Server) reportGoalsSave(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	v := formValues(r)
	var fe []apperr.FieldError
	year := formInt(v, "year", &fe)
	var goals []report.GoalInput
	in := map[string]string{}
	for _, d := range s.Reports.GoalFigures() {
		raw := strings.TrimSpace(v.Get("goal." + d.ID))
		in[d.ID] = raw
		if raw == "" {
			continue
		}
		t, ok := parseTarget(raw, d.Unit == "fen")
		if !ok {
			fe = append(fe, apperr.Field("goal."+d.ID, "err.report.goal_range"))
			continue
		}
		goals = append(goals, report.GoalInput{Figure: d.ID, Target: t})
	}
	if len(fe) == 0 {
		if _, err = s.Reports.SetGoals(r.Context(), a, year, goals); err == nil {
			http.Redirect(w, r, "/reports/goals?saved=1&year="+strconv.Itoa(year), http.StatusSeeOther)
			return nil
		}
	} else {
		err = apperr.Fields(fe...)
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	for i, f := range fields { // the service names the figure; the form's field is goal.<figure>
		if f.Field != "year" && !strings.HasPrefix(f.Field, "goal.") {
			fields[i].Field = "goal." + f.Field
		}
	}
	p := s.goalsPage(langOf(r), v.Get("year"), in)
	p.Fields, p.Error = fields, msg
	w.WriteHeader(http.StatusUnprocessableEntity)
	s.render(w, r, "report/goals.html", p)
	return nil
}

// parseTarget reads a target as typed: a whole number, or yuan with at most
// two decimals for money (stored in fen).
func parseTarget(raw string, money bool) (int64, bool) {
	raw = strings.ReplaceAll(raw, ",", "")
	if !money {
		n, err := strconv.ParseInt(raw, 10, 64)
		return n, err == nil && n > 0
	}
	whole, frac, _ := strings.Cut(raw, ".")
	if len(frac) > 2 {
		return 0, false
	}
	frac += strings.Repeat("0", 2-len(frac))
	y, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil || y < 0 || f < 0 || y > math.MaxInt64/100-1 {
		return 0, false
	}
	n := y*100 + f
	return n, n > 0
}
