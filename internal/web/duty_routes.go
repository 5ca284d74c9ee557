package web

import (
	"net/http"
	"slices"
	"strconv"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/duty"
)

// The duty area's pages (履职档案与量化考核): the committee's score table with
// grades, ranks, the .xlsx export, recompute and the year's confirmation; a
// member's record (a member sees only their own); the rules editor; appeals.
// Everything goes through duty.Service (checked, audited).

func (s *Server) dutyRoutes() {
	if s.Duty == nil {
		s.Duty = duty.NewService(s.DB)
	}
	s.handle("GET /duty", s.dutyIndex)
	s.handle("GET /duty/scores.xlsx", s.dutyExport)
	s.handle("POST /duty/recompute", s.dutyRecompute)
	s.handle("POST /duty/confirm", s.dutyConfirm)
	s.handle("POST /duty/assessments/{id}/decide", s.dutyDecideAction)
	s.handle("GET /duty/members/{id}", s.dutyRecord)
	s.handle("POST /duty/members/{id}/report", s.dutySaveReport)
	s.handle("POST /duty/adjustments", s.dutyAdjust)
	s.handle("POST /duty/adjustments/{id}/cancel", s.dutyCancelAdjustment)
	s.handle("GET /duty/appeals", s.dutyAppeals)
	s.handle("POST /duty/appeals", s.dutyFileAppeal)
	s.handle("POST /duty/appeals/{id}/decide", s.dutyDecideAppeal)
	s.handle("GET /duty/rules", s.dutyRules)
	s.handle("POST /duty/rules/new", s.dutyRulesCreate)
	s.handle("POST /duty/rules", s.dutyRulesSave)
	s.handle("POST /duty/import", s.dutyImport)
}

// dutyYear reads the year query or form parameter (default this year).
func dutyYear(r *http.Request) int {
	y, err := strconv.Atoi(r.FormValue("year"))
	if err != nil || y < 2000 || y > 2100 {
		return civil.Today().Year
	}
	return y
}

// yearRange lists the years offered in the year selectors: around the year
// shown, and every year with rules, newest first.
func yearRange(around int, ruleYears ...int) []int {
	var out []int
	for y := around + 1; y >= around-4; y-- {
		out = append(out, y)
	}
	for _, y := range ruleYears {
		if !slices.Contains(out, y) {
			out = append(out, y)
		}
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

// defaultYear is the year a page shows without a year asked for: this year,
// or the latest year with rules when this year has none yet.
func defaultYear(r *http.Request, year int, ruleYears []int) int {
	if r.FormValue("year") != "" || len(ruleYears) == 0 || slices.Contains(ruleYears, year) {
		return year
	}
	return ruleYears[0]
}

// requireDutyReader lets in staff and leaders (View) and members (Own).
func requireDutyReader(r *http.Request) (*auth.Actor, error) {
	a, err := requireActor(r)
	if err != nil {
		return nil, err
	}
	if !auth.Can(a, duty.View) && !auth.Can(a, duty.Own) {
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return a, nil
}

// backTo redirects after a POST to a same-site path given in the form ("back"),
// or to fallback.
func backTo(w http.ResponseWriter, r *http.Request, fallback string) {
	to := r.FormValue("back")
	if len(to) < 2 || to[0] != '/' || to[1] == '/' || to[1] == '\\' {
		to = fallback
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}
