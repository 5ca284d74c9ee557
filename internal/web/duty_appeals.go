package web

import (
	"fmt"
	"net/http"
	"strconv"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/duty"
)

type dutyAppealsPage struct {
	Appeals []duty.Appeal
	State   string
	States  []duty.AppealState
	Staff   bool
	Done    string
	Error   string
	Fields  []apperr.FieldError
}

// dutyAppeals lists appeals: staff see every member's (open first by
// default), a member their own.
func (s *Server) dutyAppeals(w http.ResponseWriter, r *http.Request) error {
	a, err := requireDutyReader(r)
	if err != nil {
		return err
	}
	d, err := s.dutyAppealsData(r, a)
	if err != nil {
		return err
	}
	s.render(w, r, "duty/appeals.html", d)
	return nil
}

func (s *Server) dutyAppealsData(r *http.Request, a *auth.Actor) (*dutyAppealsPage, error) {
	st := duty.AppealState(r.URL.Query().Get("state"))
	if st != "" && !validAppealState(st) {
		return nil, apperr.Fields(apperr.Field("state", "err.form.bad_choice"))
	}
	as, err := s.Duty.Appeals(r.Context(), a, a.CommitteeID, st)
	if err != nil {
		return nil, err
	}
	return &dutyAppealsPage{Appeals: as, State: string(st), States: duty.AppealStates[1:], Staff: auth.Can(a, duty.Manage),
		Done: r.URL.Query().Get("done")}, nil
}

func validAppealState(st duty.AppealState) bool {
	for _, x := range duty.AppealStates[1:] {
		if x == st {
			return true
		}
	}
	return false
}

// dutyFileAppeal files a member's appeal of an entry of their own record.
func (s *Server) dutyFileAppeal(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, duty.Own)
	if err != nil {
		return err
	}
	v := formValues(r)
	var fe []apperr.FieldError
	entry := formID(v, "entry_id", &fe)
	mid, _ := strconv.ParseInt(v.Get("membership_id"), 10, 64)
	year := dutyYear(r)
	if len(fe) > 0 {
		return apperr.ErrNotFound
	}
	if _, err := s.Duty.FileAppeal(r.Context(), a, a.CommitteeID, entry, v.Get("reason")); err != nil {
		return s.dutyRecordError(w, r, a, mid, year, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/duty/members/%d?year=%d&done=appealed", mid, year), http.StatusSeeOther)
	return nil
}

// dutyDecideAppeal withdraws (the member) or decides (staff) an appeal.
func (s *Server) dutyDecideAppeal(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	v := formValues(r)
	var pts int64
	if p := v.Get("points"); p != "" && v.Get("action") == string(duty.ActUphold) {
		if pts, err = duty.ParsePoints("points", p); err != nil {
			return s.dutyAppealsError(w, r, a, err)
		}
	}
	version, _ := strconv.Atoi(v.Get("version"))
	_, err = s.Duty.DecideAppeal(r.Context(), a, a.CommitteeID, id, duty.Decision{Action: duty.AppealAction(v.Get("action")),
		Note: v.Get("note"), Points: pts, Version: version})
	if err != nil {
		return s.dutyAppealsError(w, r, a, err)
	}
	backTo(w, r, "/duty/appeals?done=decided")
	return nil
}

func (s *Server) dutyAppealsError(w http.ResponseWriter, r *http.Request, a *auth.Actor, err error) error {
	e := apperr.As(err)
	if e == nil || (e.Code != apperr.Invalid && e.Code != apperr.Conflict) {
		return err
	}
	d, derr := s.dutyAppealsData(r, a)
	if derr != nil {
		return derr
	}
	d.Error, d.Fields = Message(langOf(r), e)
	w.WriteHeader(StatusOf(e.Code))
	s.render(w, r, "duty/appeals.html", d)
	return nil
}
