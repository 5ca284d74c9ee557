package web

import (
	"fmt"
	"net/http"
	"strconv"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/duty"
)

type dutyRecordPage struct {
	Rec    *duty.MemberRecord
	Years  []int
	Done   string
	Error  string
	Fields []apperr.FieldError
	Form   map[string]string // what was typed, put back after an error
}

// dutyRecord is a member's record of a year (履职档案), printable on A4. Staff
// and leaders read anyone's; a member reads only their own (anyone else's is
// not found).
func (s *Server) dutyRecord(w http.ResponseWriter, r *http.Request) error {
	a, err := requireDutyReader(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.dutyRecordData(r, a, id, dutyYear(r))
	if err != nil {
		return err
	}
	s.render(w, r, "duty/record.html", d)
	return nil
}

func (s *Server) dutyRecordData(r *http.Request, a *auth.Actor, id int64, year int) (*dutyRecordPage, error) {
	rec, err := s.Duty.Record(r.Context(), a, a.CommitteeID, id, year)
	if err != nil {
		return nil, err
	}
	return &dutyRecordPage{Rec: rec, Years: yearRange(year, historyYears(rec)...), Done: r.URL.Query().Get("done"), Form: map[string]string{}}, nil
}

// dutyRecordError shows the record again with the message of an invalid or
// conflicting step and what was typed.
func (s *Server) dutyRecordError(w http.ResponseWriter, r *http.Request, a *auth.Actor, id int64, year int, err error) error {
	e := apperr.As(err)
	if e == nil || (e.Code != apperr.Invalid && e.Code != apperr.Conflict) {
		return err
	}
	d, derr := s.dutyRecordData(r, a, id, year)
	if derr != nil {
		return derr
	}
	d.Error, d.Fields = Message(langOf(r), e)
	for _, k := range []string{"date", "points", "reason", "entry_id", "body"} {
		d.Form[k] = r.FormValue(k)
	}
	w.WriteHeader(StatusOf(e.Code))
	s.render(w, r, "duty/record.html", d)
	return nil
}

// dutyAdjust adds a manual adjustment (staff).
func (s *Server) dutyAdjust(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, duty.Manage)
	if err != nil {
		return err
	}
	v := formValues(r)
	var fe []apperr.FieldError
	mid := formID(v, "membership_id", &fe)
	if len(fe) > 0 {
		return apperr.ErrNotFound
	}
	year := dutyYear(r)
	on := formDate(v, "date", &fe)
	pts, perr := duty.ParsePoints("points", v.Get("points"))
	if e := apperr.As(perr); e != nil {
		fe = append(fe, e.Fields...)
	}
	if len(fe) > 0 {
		return s.dutyRecordError(w, r, a, mid, year, apperr.Fields(fe...))
	}
	if _, err := s.Duty.Adjust(r.Context(), a, a.CommitteeID, duty.AdjustInput{MembershipID: mid, Date: on, Points: pts,
		Reason: v.Get("reason")}); err != nil {
		return s.dutyRecordError(w, r, a, mid, year, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/duty/members/%d?year=%d&done=adjusted", mid, year), http.StatusSeeOther)
	return nil
}

// dutyCancelAdjustment cancels an adjustment (staff).
func (s *Server) dutyCancelAdjustment(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, duty.Manage)
	if err != nil {
		return err
	}
	mid, _ := strconv.ParseInt(r.FormValue("membership_id"), 10, 64)
	v, _ := strconv.Atoi(r.FormValue("version"))
	year := dutyYear(r)
	if err := s.Duty.CancelAdjustment(r.Context(), a, a.CommitteeID, id, v); err != nil {
		return s.dutyRecordError(w, r, a, mid, year, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/duty/members/%d?year=%d&done=cancelled", mid, year), http.StatusSeeOther)
	return nil
}

// historyYears are the years of a member's score history, for the year selector.
func historyYears(rec *duty.MemberRecord) []int {
	var out []int
	for _, h := range rec.History {
		out = append(out, h.Year)
	}
	return out
}

// dutySaveReport saves the acting standing member's annual duty report.
func (s *Server) dutySaveReport(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, duty.Own)
	if err != nil {
		return err
	}
	year := dutyYear(r)
	v, _ := strconv.Atoi(r.FormValue("version"))
	if _, err := s.Duty.SaveReport(r.Context(), a, a.CommitteeID, id, year, r.FormValue("body"), v); err != nil {
		return s.dutyRecordError(w, r, a, id, year, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/duty/members/%d?year=%d&done=reported", id, year), http.StatusSeeOther)
	return nil
}
