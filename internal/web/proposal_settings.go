package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/proposal"
)

// The proposal settings page (admin, proposal office): the committee's
// deadlines, its 不予立案 reasons and 答复类别 lists, and its working-day
// calendar. Every change goes through the proposal service (checked, audited).

type propSettingsPage struct {
	Settings proposal.Settings
	Reasons  []proposal.Reason
	Classes  []proposal.ResultClass
	Days     []civil.SpecialDay
	Done     string
	Error    string
	Fields   []apperr.FieldError
}

// settingFields are the numeric settings in form order: name → pointer into s.
func settingFields(s *proposal.Settings) []struct {
	Name string
	V    *int
} {
	return []struct {
		Name string
		V    *int
	}{{"deadline_months", &s.DeadlineMonths}, {"max_months", &s.MaxMonths}, {"contact_workdays", &s.ContactWorkdays},
		{"evaluation_workdays", &s.EvaluationWorkdays}, {"return_workdays", &s.ReturnWorkdays},
		{"signing_workdays", &s.SigningWorkdays}, {"remind_workdays", &s.RemindWorkdays}, {"rehandle_months", &s.RehandleMonths}}
}

func (s *Server) propSettingsData(r *http.Request, a *auth.Actor) (*propSettingsPage, error) {
	ctx := r.Context()
	d := &propSettingsPage{Done: r.URL.Query().Get("done")}
	var err error
	if d.Settings, err = s.Proposals.Settings(ctx, a); err != nil {
		return nil, err
	}
	if d.Reasons, err = s.Proposals.DeclineReasons(ctx, a); err != nil {
		return nil, err
	}
	if d.Classes, err = s.Proposals.ResultClasses(ctx, a); err != nil {
		return nil, err
	}
	if d.Days, err = s.Proposals.Calendar(ctx, a); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Server) proposalSettings(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, proposal.PermSettings)
	if err != nil {
		return err
	}
	d, err := s.propSettingsData(r, a)
	if err != nil {
		return err
	}
	s.render(w, r, "proposal/settings.html", d)
	return nil
}

// settingsResult redirects after a change, or shows the page again with the
// message of an invalid or conflicting change (keep may put back what was typed).
func (s *Server) settingsResult(w http.ResponseWriter, r *http.Request, a *auth.Actor, err error, done string, keep func(*propSettingsPage)) error {
	if err == nil {
		http.Redirect(w, r, "/proposals/settings?done="+done, http.StatusSeeOther)
		return nil
	}
	e := apperr.As(err)
	if e == nil || (e.Code != apperr.Invalid && e.Code != apperr.Conflict) {
		return err
	}
	d, derr := s.propSettingsData(r, a)
	if derr != nil {
		return derr
	}
	if keep != nil {
		keep(d)
	}
	d.Done = ""
	d.Error, d.Fields = Message(langOf(r), e)
	w.WriteHeader(StatusOf(e.Code))
	s.render(w, r, "proposal/settings.html", d)
	return nil
}

func (s *Server) proposalSettingsSave(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, proposal.PermSettings)
	if err != nil {
		return err
	}
	var in proposal.Settings
	var fe []apperr.FieldError
	for _, f := range settingFields(&in) {
		*f.V = formInt(r.PostForm, f.Name, &fe)
	}
	in.Version = formInt(r.PostForm, "version", &fe)
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else {
		_, err = s.Proposals.UpdateSettings(r.Context(), a, in)
	}
	return s.settingsResult(w, r, a, err, "settings", func(d *propSettingsPage) {
		if apperr.CodeOf(err) == apperr.Invalid {
			d.Settings = in
		}
	})
}

// settingCode is the code of the reason or class a form saves: the row's own,
// or a new one for the add form, which asks for none (codes are internal).
func settingCode(r *http.Request, prefix string) string {
	if c := strings.TrimSpace(r.PostForm.Get("code")); c != "" {
		return c
	}
	return prefix + strconv.FormatInt(time.Now().UnixMicro(), 36)
}

func (s *Server) proposalReasonSave(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, proposal.PermSettings)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	in := proposal.Reason{Code: settingCode(r, "r"), LabelZh: r.PostForm.Get("label_zh"), LabelEn: r.PostForm.Get("label_en"),
		Sort: formInt(r.PostForm, "sort", &fe), Active: r.PostForm.Get("active") == "1"}
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else {
		err = s.Proposals.SaveDeclineReason(r.Context(), a, in)
	}
	return s.settingsResult(w, r, a, err, "reason", nil)
}

func (s *Server) proposalClassSave(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, proposal.PermSettings)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	in := proposal.ResultClass{Code: settingCode(r, "c"), LabelZh: r.PostForm.Get("label_zh"), LabelEn: r.PostForm.Get("label_en"),
		Solved: r.PostForm.Get("solved") == "1", FollowUp: r.PostForm.Get("follow_up") == "1",
		Sort: formInt(r.PostForm, "sort", &fe), Active: r.PostForm.Get("active") == "1"}
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else {
		err = s.Proposals.SaveResultClass(r.Context(), a, in)
	}
	return s.settingsResult(w, r, a, err, "class", nil)
}

// proposalCalendarSave sets or (kind "") removes one day of the calendar.
func (s *Server) proposalCalendarSave(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, proposal.PermSettings)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	day := formDate(r.PostForm, "day", &fe)
	if day.IsZero() && len(fe) == 0 {
		fe = append(fe, apperr.Field("day", "err.required"))
	}
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else {
		err = s.Proposals.SetCalendarDay(r.Context(), a, day, civil.DayKind(r.PostForm.Get("kind")), r.PostForm.Get("name"))
	}
	return s.settingsResult(w, r, a, err, "calendar", nil)
}

// proposalCalendarChina copies the shipped national holidays into the calendar.
func (s *Server) proposalCalendarChina(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, proposal.PermSettings)
	if err != nil {
		return err
	}
	_, err = s.Proposals.SeedChinaHolidays(r.Context(), a)
	return s.settingsResult(w, r, a, err, "calendar", nil)
}
