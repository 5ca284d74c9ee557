package web

import (
	"fmt"
	"net/http"
	"strconv"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/duty"
	"lvzhi/internal/i18n"
	"lvzhi/internal/sheet"
)

type dutyScoresPage struct {
	Year        int
	Years       []int
	RuleYears   []int
	Scores      *duty.Year
	Assessments map[int64]duty.Assessment
	Report      *duty.Report
	CanManage   bool
	Done        string
	Error       string
}

// dutyIndex is the committee's score table for staff and leaders; a member
// goes to their own record.
func (s *Server) dutyIndex(w http.ResponseWriter, r *http.Request) error {
	a, err := requireDutyReader(r)
	if err != nil {
		return err
	}
	year := dutyYear(r)
	if !auth.Can(a, duty.View) {
		if ys, err := s.Duty.Years(r.Context(), a, a.CommitteeID); err == nil {
			year = defaultYear(r, year, ys)
		}
		mid, err := s.Duty.OwnMembership(r.Context(), a, year)
		if err != nil {
			return err
		}
		http.Redirect(w, r, fmt.Sprintf("/duty/members/%d?year=%d", mid, year), http.StatusSeeOther)
		return nil
	}
	d, err := s.dutyScoresData(r, a, year)
	if err != nil {
		return err
	}
	s.render(w, r, "duty/scores.html", d)
	return nil
}

func (s *Server) dutyScoresData(r *http.Request, a *auth.Actor, year int) (*dutyScoresPage, error) {
	ctx := r.Context()
	d := &dutyScoresPage{CanManage: auth.Can(a, duty.Manage), Done: r.URL.Query().Get("done"), Assessments: map[int64]duty.Assessment{}}
	var err error
	if d.RuleYears, err = s.Duty.Years(ctx, a, a.CommitteeID); err != nil {
		return nil, err
	}
	year = defaultYear(r, year, d.RuleYears)
	d.Year, d.Years = year, yearRange(year, d.RuleYears...)
	if d.Scores, err = s.Duty.Scores(ctx, a, a.CommitteeID, year); err != nil {
		return nil, err
	}
	as, err := s.Duty.Assessments(ctx, a, a.CommitteeID, year)
	if err != nil {
		return nil, err
	}
	for _, x := range as {
		d.Assessments[x.MembershipID] = x
	}
	return d, nil
}

// dutyExport is the score table as .xlsx: rank, member, sector, each
// category's counted points, total, grade, proposed action.
func (s *Server) dutyExport(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, duty.View)
	if err != nil {
		return err
	}
	year := dutyYear(r)
	y, err := s.Duty.Scores(r.Context(), a, a.CommitteeID, year)
	if err != nil {
		return err
	}
	lang := a.Lang
	cols := []sheet.Column{{Head: i18n.T(lang, "dw.col.rank"), Width: 6, Kind: sheet.Number},
		{Head: i18n.T(lang, "dw.col.member"), Width: 12, Kind: sheet.Text}, {Head: i18n.T(lang, "dw.col.sector"), Width: 16, Kind: sheet.Text},
		{Head: i18n.T(lang, "dw.col.sector_rank"), Width: 8, Kind: sheet.Number}}
	for _, c := range y.Categories {
		cols = append(cols, sheet.Column{Head: i18n.T(lang, "duty.category."+c), Width: 10, Kind: sheet.Number})
	}
	cols = append(cols, sheet.Column{Head: i18n.T(lang, "dw.col.total"), Width: 8, Kind: sheet.Number},
		sheet.Column{Head: i18n.T(lang, "dw.col.grade"), Width: 8, Kind: sheet.Text},
		sheet.Column{Head: i18n.T(lang, "dw.col.action"), Width: 14, Kind: sheet.Text})
	title := i18n.T(lang, "dw.sheet", map[string]any{"Year": year})
	sh, err := sheet.New(title, cols)
	if err != nil {
		return err
	}
	defer sh.Close()
	for _, sc := range y.Scores {
		row := []any{int64(sc.Rank), sc.Name, sc.Sector, int64(sc.SectorRank)}
		for _, p := range sc.Parts {
			row = append(row, points(p.Counted))
		}
		row = append(row, points(sc.Total), i18n.T(lang, "duty.grade."+sc.Grade), i18n.T(lang, "duty.action."+sc.Action))
		if err := sh.Row(row...); err != nil {
			return err
		}
	}
	return sh.Send(w, s.exportName(r.Context(), a, 0, title))
}

// points is hundredths as a number cell (12.5).
func points(p int64) float64 { return float64(p) / 100 }

// dutyRecompute recomputes the year and shows the report on the score page.
func (s *Server) dutyRecompute(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, duty.Manage)
	if err != nil {
		return err
	}
	year := dutyYear(r)
	rep, err := s.Duty.Recompute(r.Context(), a, a.CommitteeID, year, r.FormValue("repair") == "1")
	if err != nil {
		return err
	}
	d, err := s.dutyScoresData(r, a, year)
	if err != nil {
		return err
	}
	d.Report = rep
	s.render(w, r, "duty/scores.html", d)
	return nil
}

// dutyConfirm confirms the year's assessment.
func (s *Server) dutyConfirm(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, duty.Manage)
	if err != nil {
		return err
	}
	year := dutyYear(r)
	if _, err := s.Duty.ConfirmYear(r.Context(), a, a.CommitteeID, year); err != nil {
		return s.dutyScoresError(w, r, a, year, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/duty?year=%d&done=confirmed", year), http.StatusSeeOther)
	return nil
}

// dutyDecideAction confirms or dismisses a proposed action.
func (s *Server) dutyDecideAction(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, duty.Manage)
	if err != nil {
		return err
	}
	year := dutyYear(r)
	v, _ := strconv.Atoi(r.FormValue("version"))
	if _, err := s.Duty.DecideAction(r.Context(), a, a.CommitteeID, year, id, r.FormValue("decision"), v); err != nil {
		return s.dutyScoresError(w, r, a, year, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/duty?year=%d&done=decided", year), http.StatusSeeOther)
	return nil
}

// dutyScoresError shows the score page with the message of an invalid or
// conflicting step; other errors go to the error page.
func (s *Server) dutyScoresError(w http.ResponseWriter, r *http.Request, a *auth.Actor, year int, err error) error {
	e := apperr.As(err)
	if e == nil || (e.Code != apperr.Invalid && e.Code != apperr.Conflict) {
		return err
	}
	d, derr := s.dutyScoresData(r, a, year)
	if derr != nil {
		return derr
	}
	d.Error, _ = Message(langOf(r), e)
	w.WriteHeader(StatusOf(e.Code))
	s.render(w, r, "duty/scores.html", d)
	return nil
}
