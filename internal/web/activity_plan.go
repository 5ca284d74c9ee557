package web

import (
	"net/http"
	"slices"
	"strconv"

	"lvzhi/internal/activity"
	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/org"
)

// The consultation plan (年度协商计划) and the recurring mechanisms pages.
// The committee's readers see the plan of a year (what is done, due and late)
// and the schedules; staff draft and edit plan items, record the chair's
// meeting's review and the Party committee's approval, start the activity
// that carries an item out, and add or stop schedules.

// planPage is the data of the plan page and of a plan item's form.
type planPage struct {
	Year     int
	Years    []int
	Items    []activity.PlanItem
	Item     *activity.PlanItem // the item edited (the edit form)
	In       activity.PlanInput
	Groups   []org.Group
	Staff    bool
	Opts     actOpts
	Fields   []apperr.FieldError
	Error    string
	Done     bool
	LateOnly bool // ?late=1: the items running late only (the workbench's tile)
	DoneN    int  // items done
	LateN    int  // items late
	Months   []int
	Actions  []activity.Action
}

// planYears are the years the filters offer, newest first: next year back to
// five years ago, and the year shown when it lies outside them (a past record's).
func planYears(shown int) []int {
	var ys []int
	for y := civil.Today().Year + 1; y >= civil.Today().Year-5; y-- {
		ys = append(ys, y)
	}
	if shown != 0 && !slices.Contains(ys, shown) {
		ys = append(ys, shown)
		slices.SortFunc(ys, func(a, b int) int { return b - a })
	}
	return ys
}

func (s *Server) renderPlan(w http.ResponseWriter, r *http.Request, a *auth.Actor, status int, p planPage) error {
	p.Year = queryInt(r.URL.Query(), "year")
	if p.Year < 1900 || p.Year > 9999 {
		p.Year = civil.Today().Year
	}
	var err error
	if p.Items, err = s.Activities.Plan(r.Context(), a, a.CommitteeID, p.Year); err != nil {
		return err
	}
	if r.URL.Query().Get("late") == "1" {
		p.Items, p.LateOnly = lateOnly(p.Items), true
	}
	for _, it := range p.Items {
		if it.Held > 0 {
			p.DoneN++
		}
		if it.Late {
			p.LateN++
		}
	}
	if p.In.Year == 0 {
		p.In = activity.PlanInput{Year: p.Year, Month: int(civil.Today().Month), Form: activity.KindBimonthly}
	}
	return s.renderPlanTemplate(w, r, a, status, "activity/plan.html", p)
}

func (s *Server) renderPlanTemplate(w http.ResponseWriter, r *http.Request, a *auth.Actor, status int, name string, p planPage) error {
	p.Years, p.Opts, p.Staff = planYears(p.Year), newActOpts(), auth.Can(a, activity.PermManage)
	p.Months = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	p.Actions = []activity.Action{activity.PlanReview, activity.PlanApprove}
	if p.Staff {
		var err error
		if p.Groups, err = s.Org.Groups(r.Context(), a, a.CommitteeID); err != nil {
			return err
		}
	}
	w.WriteHeader(status)
	s.render(w, r, name, p)
	return nil
}

// planList shows the plan of a year (?year=), with the drafting form for staff.
func (s *Server) planList(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, activity.PermView)
	if err != nil {
		return err
	}
	return s.renderPlan(w, r, a, http.StatusOK, planPage{Done: r.URL.Query().Get("done") != ""})
}

func planInputFrom(r *http.Request, fe *[]apperr.FieldError) activity.PlanInput {
	v := formValues(r)
	return activity.PlanInput{Year: int(formRange(v, "year", 1900, 9999, fe)), Month: int(formRange(v, "month", 1, 12, fe)),
		Topic: v.Get("topic"), Form: activity.Kind(v.Get("form")), GroupID: formID(v, "group_id", fe)}
}

func planURL(year int) string { return "/consult/plan?year=" + strconv.Itoa(year) }

// planCreate drafts a plan item (staff).
func (s *Server) planCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, activity.PermManage)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	in := planInputFrom(r, &fe)
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else if _, err = s.Activities.AddPlanItem(r.Context(), a, a.CommitteeID, in); err == nil {
		http.Redirect(w, r, planURL(in.Year)+"&done=1", http.StatusSeeOther)
		return nil
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderPlan(w, r, a, http.StatusUnprocessableEntity, planPage{In: in, Fields: fields, Error: msg})
}

// planEdit is the form of a drafted plan item (staff).
func (s *Server) planEdit(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, activity.PermManage)
	if err != nil {
		return err
	}
	it, err := s.Activities.PlanItemOf(r.Context(), a, id)
	if err != nil {
		return err
	}
	in := activity.PlanInput{Year: it.Year, Month: it.Month, Topic: it.Topic, Form: it.Form, GroupID: it.GroupID}
	return s.renderPlanTemplate(w, r, a, http.StatusOK, "activity/plan_form.html", planPage{Item: it, In: in})
}

// planUpdate saves a drafted plan item (staff).
func (s *Server) planUpdate(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, activity.PermManage)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	in := planInputFrom(r, &fe)
	ref := activity.Ref{ID: id, Version: formInt(formValues(r), "version", &fe)}
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else if _, err = s.Activities.EditPlanItem(r.Context(), a, ref, in); err == nil {
		http.Redirect(w, r, planURL(in.Year)+"&done=1", http.StatusSeeOther)
		return nil
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	it, err := s.Activities.PlanItemOf(r.Context(), a, id)
	if err != nil {
		return err
	}
	it.Version = ref.Version
	return s.renderPlanTemplate(w, r, a, http.StatusUnprocessableEntity, "activity/plan_form.html", planPage{Item: it, In: in, Fields: fields, Error: msg})
}

// planStep records the chair's meeting's review or the Party committee's approval (staff).
func (s *Server) planStep(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, activity.PermManage)
	if err != nil {
		return err
	}
	act := activity.Action(r.PathValue("action"))
	if act != activity.PlanReview && act != activity.PlanApprove {
		return apperr.ErrNotFound
	}
	var fe []apperr.FieldError
	ref := activity.Ref{ID: id, Version: formInt(formValues(r), "version", &fe)}
	if len(fe) > 0 {
		return apperr.Fields(fe...)
	}
	it, err := s.Activities.StepPlanItem(r.Context(), a, ref, act)
	if err != nil {
		return err
	}
	http.Redirect(w, r, planURL(it.Year)+"&done=1", http.StatusSeeOther)
	return nil
}

// schedulesPage is the data of the recurring mechanisms page.
type schedulesPage struct {
	Items  []activity.Schedule
	In     activity.ScheduleInput
	Staff  bool
	Opts   actOpts
	Fields []apperr.FieldError
	Error  string
	Done   bool
}

func (s *Server) renderSchedules(w http.ResponseWriter, r *http.Request, a *auth.Actor, status int, p schedulesPage) error {
	var err error
	if p.Items, err = s.Activities.Schedules(r.Context(), a, a.CommitteeID); err != nil {
		return err
	}
	p.Staff, p.Opts = auth.Can(a, activity.PermManage), newActOpts()
	w.WriteHeader(status)
	s.render(w, r, "activity/schedules.html", p)
	return nil
}

// scheduleList lists the recurring mechanisms, with the form for staff.
func (s *Server) scheduleList(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, activity.PermView)
	if err != nil {
		return err
	}
	in := activity.ScheduleInput{Kind: activity.KindStudy, EveryN: 2, Unit: "week", FirstOn: civil.Today().AddDays(14), LeadDays: 7}
	return s.renderSchedules(w, r, a, http.StatusOK, schedulesPage{In: in, Done: r.URL.Query().Get("done") != ""})
}

// scheduleCreate adds a recurring mechanism (staff).
func (s *Server) scheduleCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, activity.PermManage)
	if err != nil {
		return err
	}
	v := formValues(r)
	var fe []apperr.FieldError
	in := activity.ScheduleInput{Kind: activity.Kind(v.Get("kind")), Title: v.Get("title"), Place: v.Get("place"), StartsAt: v.Get("starts_at"),
		Mandatory: v.Get("mandatory") == "1", EveryN: int(formRange(v, "every_n", 1, 52, &fe)), Unit: v.Get("unit"),
		FirstOn: formDate(v, "first_on", &fe), UntilOn: formDate(v, "until_on", &fe), LeadDays: int(formRange(v, "lead_days", 0, 90, &fe))}
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else if _, err = s.Activities.AddSchedule(r.Context(), a, a.CommitteeID, in); err == nil {
		http.Redirect(w, r, "/consult/schedules?done=1", http.StatusSeeOther)
		return nil
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderSchedules(w, r, a, http.StatusUnprocessableEntity, schedulesPage{In: in, Fields: fields, Error: msg})
}

// scheduleStop stops a recurring mechanism (staff).
func (s *Server) scheduleStop(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, activity.PermManage)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	ref := activity.Ref{ID: id, Version: formInt(formValues(r), "version", &fe)}
	if len(fe) > 0 {
		return apperr.Fields(fe...)
	}
	if err := s.Activities.StopSchedule(r.Context(), a, ref); err != nil {
		return err
	}
	http.Redirect(w, r, "/consult/schedules?done=1", http.StatusSeeOther)
	return nil
}
