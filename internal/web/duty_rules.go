package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/duty"
)

// The rules editor: a year's rules are created from a preset or an earlier
// year, then edited as a whole (settings, categories with caps, item rows);
// blank rows add new ones, a row with its item cleared is removed. Points are
// typed as points ("12.5") and kept in hundredths.

type dutyRulesPage struct {
	Year       int
	Years      []int
	RuleYears  []int
	Rules      *duty.RuleSet
	Form       dutyRulesForm
	Presets    []string
	Items      []duty.ItemDef
	Variants   []string
	Categories []string
	Units      []string
	CanManage  bool
	Imports    []duty.Import
	Done       string
	Error      string
	Fields     []apperr.FieldError
}

// dutyRulesForm is the rule set as the form shows it (points as text).
type dutyRulesForm struct {
	Version                               int
	Base, Max, Excellent, Good, Competent string
	ExitAbsences, ExitIncompetent         int
	Categories                            []dutyCategoryRow
	Rules                                 []dutyRuleRow
}

type dutyCategoryRow struct{ Code, Cap string }

type dutyRuleRow struct {
	Category, Item, Variant, Points, Unit string
	Shared                                bool
}

// blankRows is how many empty rows the form offers for new categories and items.
const blankRows = 3

func formOf(rs *duty.RuleSet) dutyRulesForm {
	f := dutyRulesForm{Version: rs.Version, Base: duty.FormatPoints(rs.BaseScore), Max: duty.FormatPoints(rs.MaxScore),
		Excellent: duty.FormatPoints(rs.BandExcellent), Good: duty.FormatPoints(rs.BandGood),
		Competent: duty.FormatPoints(rs.BandCompetent), ExitAbsences: rs.ExitAbsences, ExitIncompetent: rs.ExitIncompetent}
	for _, c := range rs.Categories {
		f.Categories = append(f.Categories, dutyCategoryRow{c.Code, duty.FormatPoints(c.Cap)})
	}
	for _, r := range rs.Rules {
		f.Rules = append(f.Rules, dutyRuleRow{r.Category, r.Item, r.Variant, duty.FormatPoints(r.Points), r.Unit, r.Shared})
	}
	for range blankRows {
		f.Categories = append(f.Categories, dutyCategoryRow{})
		f.Rules = append(f.Rules, dutyRuleRow{Unit: duty.UnitTime})
	}
	return f
}

func (s *Server) dutyRules(w http.ResponseWriter, r *http.Request) error {
	a, err := requireDutyReader(r)
	if err != nil {
		return err
	}
	d, err := s.dutyRulesData(r, a, dutyYear(r))
	if err != nil {
		return err
	}
	if d.Rules != nil {
		d.Form = formOf(d.Rules)
	}
	s.render(w, r, "duty/rules.html", d)
	return nil
}

func (s *Server) dutyRulesData(r *http.Request, a *auth.Actor, year int) (*dutyRulesPage, error) {
	d := &dutyRulesPage{Presets: duty.PresetNames, Items: duty.Items, Variants: duty.Variants,
		Categories: duty.Categories, Units: duty.Units, CanManage: auth.Can(a, duty.Manage), Done: r.URL.Query().Get("done")}
	var err error
	if d.RuleYears, err = s.Duty.Years(r.Context(), a, a.CommitteeID); err != nil {
		return nil, err
	}
	year = defaultYear(r, year, d.RuleYears)
	d.Year, d.Years = year, yearRange(year, d.RuleYears...)
	if auth.Can(a, duty.View) {
		if d.Imports, err = s.Duty.Imports(r.Context(), a, a.CommitteeID); err != nil {
			return nil, err
		}
	}
	d.Rules, err = s.Duty.RuleSet(r.Context(), a, a.CommitteeID, year)
	if apperr.CodeOf(err) == apperr.NotFound {
		return d, nil
	}
	return d, err
}

// dutyRulesCreate makes a year's rules from a preset or an earlier year.
func (s *Server) dutyRulesCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, duty.Manage)
	if err != nil {
		return err
	}
	year := dutyYear(r)
	if from, _ := strconv.Atoi(r.FormValue("from_year")); from != 0 {
		_, err = s.Duty.CopyYear(r.Context(), a, a.CommitteeID, from, year)
	} else {
		_, err = s.Duty.CopyPreset(r.Context(), a, a.CommitteeID, year, r.FormValue("preset"))
	}
	if err != nil {
		return s.dutyRulesError(w, r, a, year, nil, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/duty/rules?year=%d&done=created", year), http.StatusSeeOther)
	return nil
}

// dutyRulesSave replaces a year's rules with the form's.
func (s *Server) dutyRulesSave(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, duty.Manage)
	if err != nil {
		return err
	}
	year := dutyYear(r)
	v := formValues(r)
	form, rs, err := parseRules(v, year)
	if err == nil {
		_, err = s.Duty.UpdateRuleSet(r.Context(), a, a.CommitteeID, rs)
	}
	if err != nil {
		return s.dutyRulesError(w, r, a, year, &form, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/duty/rules?year=%d&done=saved", year), http.StatusSeeOther)
	return nil
}

// parseRules reads the form into a rule set, dropping blank rows (the form
// shown again keeps the rows in the same order, so rules[i] names the same
// row in the service's errors and in the form); bad numbers are field errors.
func parseRules(v url.Values, year int) (dutyRulesForm, duty.RuleSet, error) {
	var fe []apperr.FieldError
	pts := func(field, s string) int64 {
		p, err := duty.ParsePoints(field, s)
		if e := apperr.As(err); e != nil {
			fe = append(fe, e.Fields...)
		}
		return p
	}
	f := dutyRulesForm{Base: v.Get("base_score"), Max: v.Get("max_score"), Excellent: v.Get("band_excellent"),
		Good: v.Get("band_good"), Competent: v.Get("band_competent")}
	f.Version = formInt(v, "version", &fe)
	f.ExitAbsences = formInt(v, "exit_absences", &fe)
	f.ExitIncompetent = formInt(v, "exit_incompetent", &fe)
	rs := duty.RuleSet{Year: year, Version: f.Version, BaseScore: pts("base_score", f.Base), MaxScore: pts("max_score", f.Max),
		BandExcellent: pts("band_excellent", f.Excellent), BandGood: pts("band_good", f.Good),
		BandCompetent: pts("band_competent", f.Competent), ExitAbsences: f.ExitAbsences, ExitIncompetent: f.ExitIncompetent}
	for i := 0; i < 100; i++ {
		k := fmt.Sprintf("categories[%d].", i)
		if _, ok := v[k+"code"]; !ok {
			break
		}
		row := dutyCategoryRow{v.Get(k + "code"), v.Get(k + "cap")}
		if row.Code == "" {
			continue
		}
		f.Categories = append(f.Categories, row)
		if row.Cap == "" {
			row.Cap = "0"
		}
		rs.Categories = append(rs.Categories, duty.Category{Code: row.Code, Cap: pts(fmt.Sprintf("categories[%d].cap", len(rs.Categories)), row.Cap)})
	}
	for i := 0; i < 200; i++ {
		k := fmt.Sprintf("rules[%d].", i)
		if _, ok := v[k+"item"]; !ok {
			break
		}
		row := dutyRuleRow{v.Get(k + "category"), v.Get(k + "item"), v.Get(k + "variant"), v.Get(k + "points"), v.Get(k + "unit"),
			v.Get(k+"shared") == "1"}
		if row.Item == "" {
			continue
		}
		f.Rules = append(f.Rules, row)
		n := len(rs.Rules)
		rs.Rules = append(rs.Rules, duty.Rule{Category: row.Category, Item: row.Item, Variant: row.Variant,
			Points: pts(fmt.Sprintf("rules[%d].points", n), row.Points), Unit: row.Unit, Shared: row.Shared})
	}
	for range blankRows {
		f.Categories = append(f.Categories, dutyCategoryRow{})
		f.Rules = append(f.Rules, dutyRuleRow{Unit: duty.UnitTime})
	}
	if len(fe) > 0 {
		return f, rs, apperr.Fields(fe...)
	}
	return f, rs, nil
}

func (s *Server) dutyRulesError(w http.ResponseWriter, r *http.Request, a *auth.Actor, year int, form *dutyRulesForm, err error) error {
	e := apperr.As(err)
	if e == nil || (e.Code != apperr.Invalid && e.Code != apperr.Conflict) {
		return err
	}
	d, derr := s.dutyRulesData(r, a, year)
	if derr != nil {
		return derr
	}
	switch {
	case form != nil:
		d.Form = *form
	case d.Rules != nil:
		d.Form = formOf(d.Rules)
	}
	d.Error, d.Fields = Message(langOf(r), e)
	w.WriteHeader(StatusOf(e.Code))
	s.render(w, r, "duty/rules.html", d)
	return nil
}

// dutyImport takes a past year's scores from an uploaded workbook (whole or
// not at all, every bad row listed).
func (s *Server) dutyImport(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, duty.Manage)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxUpload)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return s.dutyRulesError(w, r, a, dutyYear(r), nil, apperr.Fields(apperr.Field("file", "err.duty.import_unreadable")))
	}
	defer r.MultipartForm.RemoveAll()
	year := dutyYear(r)
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return s.dutyRulesError(w, r, a, year, nil, apperr.Fields(apperr.Field("file", "err.duty.import_unreadable")))
	}
	defer file.Close()
	if _, err := s.Duty.ImportYear(r.Context(), a, a.CommitteeID, year, hdr.Filename, file); err != nil {
		return s.dutyRulesError(w, r, a, year, nil, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/duty/rules?year=%d&done=imported", year), http.StatusSeeOther)
	return nil
}
