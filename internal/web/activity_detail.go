package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"lvzhi/internal/activity"
	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/org"
)

// actDetailPage is the data of an activity's page.
type actDetailPage struct {
	D       *activity.Detail
	OffRoll []activity.Person
	Units   []org.Unit // to invite (staff)
	Opts    actOpts
	Fields  []apperr.FieldError
	Error   string
	Done    string
	Staff   bool
}

// activityDetail shows an activity, its roll as the reader may see it, and the
// forms of the actions the reader may take now (Detail.Can, MyCan, RowCan).
func (s *Server) activityDetail(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	return s.renderActivity(w, r, a, id, http.StatusOK, actDetailPage{Done: r.URL.Query().Get("done")})
}

func (s *Server) renderActivity(w http.ResponseWriter, r *http.Request, a *auth.Actor, id int64, status int, p actDetailPage) error {
	d, err := s.Activities.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	p.D, p.Opts = d, newActOpts()
	p.Staff = d.Editable && auth.Can(a, activity.PermManage)
	if p.Staff && d.CanDo(string(activity.ActGuests)) {
		if p.Units, err = s.Org.Units(r.Context(), a, a.CommitteeID, org.UnitFilter{Active: "yes"}); err != nil {
			return err
		}
	}
	if p.Staff && (d.CanDo(string(activity.ActInvite)) || d.CanDo(string(activity.ActMarkAttended))) {
		if p.OffRoll, err = s.Activities.OffRoll(r.Context(), a, id); err != nil {
			return err
		}
	}
	if p.Done != "" && !strings.HasPrefix(p.Done, "ok") {
		p.Done = ""
	}
	w.WriteHeader(status)
	s.render(w, r, "activity/detail.html", p)
	return nil
}

// actFormPage is the data of the activity form.
type actFormPage struct {
	In      activity.Input
	ID      int64
	Version int
	Past    bool
	Groups  []org.Group
	Plan    []activity.PlanItem // the plan items of the activity's year, to link
	Opts    actOpts
	Fields  []apperr.FieldError
	Error   string
}

func actInputFrom(r *http.Request, fe *[]apperr.FieldError) activity.Input {
	v := formValues(r)
	return activity.Input{Kind: activity.Kind(v.Get("kind")), Title: v.Get("title"), Place: v.Get("place"),
		StartsOn: formDate(v, "starts_on", fe), StartsAt: v.Get("starts_at"), EndsAt: v.Get("ends_at"),
		GroupID: formID(v, "group_id", fe), PlanItemID: formID(v, "plan_item_id", fe), Mandatory: v.Get("mandatory") == "1",
		Capacity: int(formRange(v, "capacity", 0, 100000, fe)), Notes: v.Get("notes")}
}

func (s *Server) renderActForm(w http.ResponseWriter, r *http.Request, a *auth.Actor, status int, p actFormPage) error {
	var err error
	if p.Groups, err = s.Org.Groups(r.Context(), a, a.CommitteeID); err != nil {
		return err
	}
	year := civil.Today().Year
	if !p.In.StartsOn.IsZero() {
		year = p.In.StartsOn.Year
	}
	if p.Plan, err = s.Activities.Plan(r.Context(), a, a.CommitteeID, year); err != nil {
		return err
	}
	if id := p.In.PlanItemID; id != 0 && !slices.ContainsFunc(p.Plan, func(it activity.PlanItem) bool { return it.ID == id }) {
		if it, err := s.Activities.PlanItemOf(r.Context(), a, id); err == nil { // an item of another year stays linked
			p.Plan = append(p.Plan, *it)
		}
	}
	p.Opts = newActOpts()
	w.WriteHeader(status)
	s.render(w, r, "activity/form.html", p)
	return nil
}

// activityNew is the empty form (?past=1: an activity that already took place).
func (s *Server) activityNew(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, activity.PermManage)
	if err != nil {
		return err
	}
	in := activity.Input{Kind: activity.KindResearch}
	// From the plan: the item's form, topic and lead group, in its month.
	if id := queryID(r.URL.Query(), "plan"); id != 0 {
		it, err := s.Activities.PlanItemOf(r.Context(), a, id)
		if err != nil {
			return err
		}
		in = activity.Input{Kind: it.Form, Title: it.Topic, GroupID: it.GroupID, PlanItemID: it.ID, StartsOn: it.DueOn,
			Mandatory: it.Form.MandatoryByDefault()}
	}
	return s.renderActForm(w, r, a, http.StatusOK, actFormPage{In: in, Past: r.URL.Query().Get("past") == "1"})
}

// activityCreate creates an activity, or records a past one (past=1) whose
// attendance staff then record on its page.
func (s *Server) activityCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, activity.PermManage)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	in := actInputFrom(r, &fe)
	past := r.PostFormValue("past") == "1"
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else {
		var act *activity.Activity
		if past {
			act, err = s.Activities.EnterPast(r.Context(), a, a.CommitteeID, in, nil)
		} else {
			act, err = s.Activities.Create(r.Context(), a, a.CommitteeID, in)
		}
		if err == nil {
			http.Redirect(w, r, actURL(act.ID)+"?done=ok_created", http.StatusSeeOther)
			return nil
		}
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderActForm(w, r, a, http.StatusUnprocessableEntity, actFormPage{In: in, Past: past, Fields: fields, Error: msg})
}

// activityEdit is the form filled from the activity.
func (s *Server) activityEdit(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, activity.PermManage)
	if err != nil {
		return err
	}
	d, err := s.Activities.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	if !d.CanDo(string(activity.ActEdit)) {
		return apperr.New(apperr.Conflict, "err.activity.state."+string(d.State))
	}
	in := activity.Input{Kind: d.Kind, Title: d.Title, Place: d.Place, StartsOn: d.StartsOn, StartsAt: d.StartsAt, EndsAt: d.EndsAt,
		GroupID: d.GroupID, PlanItemID: d.PlanItemID, Mandatory: d.Mandatory, Capacity: d.Capacity, Notes: d.Notes}
	return s.renderActForm(w, r, a, http.StatusOK, actFormPage{In: in, ID: id, Version: d.Version})
}

func (s *Server) activityUpdate(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, activity.PermManage)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	in := actInputFrom(r, &fe)
	version := formInt(r.PostForm, "version", &fe)
	if len(fe) == 0 {
		if _, err = s.Activities.Edit(r.Context(), a, activity.Ref{ID: id, Version: version}, in); err == nil {
			http.Redirect(w, r, actURL(id)+"?done=ok_saved", http.StatusSeeOther)
			return nil
		}
	} else {
		err = apperr.Fields(fe...)
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderActForm(w, r, a, http.StatusUnprocessableEntity, actFormPage{In: in, ID: id, Version: version, Fields: fields, Error: msg})
}

// activityAct runs one action on an activity from its page's forms.
func (s *Server) activityAct(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	ctx, v := r.Context(), formValues(r)
	var fe []apperr.FieldError
	ref := activity.Ref{ID: id, Version: formInt(v, "version", &fe)}
	if len(fe) > 0 {
		return apperr.Fields(fe...)
	}
	switch activity.Action(r.PathValue("action")) {
	case activity.ActOpen:
		_, err = s.Activities.Open(ctx, a, ref)
	case activity.ActHold:
		_, err = s.Activities.Hold(ctx, a, ref)
	case activity.ActCancel:
		_, err = s.Activities.Cancel(ctx, a, ref, v.Get("reason"))
	case "invite_serving":
		_, err = s.Activities.InviteServing(ctx, a, ref)
	case activity.ActInvite:
		ids := formIDs(v, "person_ids", &fe)
		if len(fe) > 0 {
			err = apperr.Fields(fe...)
		} else {
			_, err = s.Activities.Invite(ctx, a, ref, ids)
		}
	case activity.ActSignUp:
		_, err = s.Activities.SignUp(ctx, a, id)
	case activity.ActWithdraw:
		_, err = s.Activities.Withdraw(ctx, a, id)
	case activity.ActRequestLeave:
		_, err = s.Activities.RequestLeave(ctx, a, id, v.Get("reason"))
	case activity.ActCheckIn:
		_, err = s.Activities.CheckIn(ctx, a, id, v.Get("code"))
	case activity.ActGuests:
		in := activity.GuestInput{Kind: activity.GuestKind(v.Get("kind")), Name: v.Get("name"), Post: v.Get("post"), UnitID: formID(v, "unit_id", &fe)}
		if len(fe) > 0 {
			err = apperr.Fields(fe...)
		} else {
			_, err = s.Activities.AddGuest(ctx, a, ref, in)
		}
	case "guest_remove":
		gid := formID(v, "guest", &fe)
		if len(fe) > 0 {
			err = apperr.Fields(fe...)
		} else {
			err = s.Activities.RemoveGuest(ctx, a, ref, gid)
		}
	case "mark":
		var marks []activity.Mark
		if marks, err = marksFrom(v); err == nil {
			_, err = s.Activities.MarkAttendance(ctx, a, activity.Ref{ID: id}, marks)
		}
	default:
		return apperr.ErrNotFound
	}
	if err == nil {
		http.Redirect(w, r, actURL(id)+"?done=ok_"+r.PathValue("action"), http.StatusSeeOther)
		return nil
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderActivity(w, r, a, id, http.StatusUnprocessableEntity, actDetailPage{Fields: fields, Error: msg})
}

// marksFrom reads the bulk attendance form: st_<person> (attended, absent,
// leave_approved; empty: leave as is), role_<person>, and walkin (ids
// recorded as attended).
func marksFrom(v map[string][]string) ([]activity.Mark, error) {
	var marks []activity.Mark
	var fe []apperr.FieldError
	seen := map[int64]bool{}
	for k, vals := range v {
		if !strings.HasPrefix(k, "st_") || len(vals) == 0 || vals[0] == "" {
			continue
		}
		id, ok := parseID(strings.TrimPrefix(k, "st_"))
		if !ok {
			fe = append(fe, apperr.Field(k, "err.form.bad_choice"))
			continue
		}
		role := ""
		if rs := v["role_"+strconv.FormatInt(id, 10)]; len(rs) > 0 {
			role = rs[0]
		}
		seen[id] = true
		marks = append(marks, activity.Mark{PersonID: id, Status: activity.Status(vals[0]), Role: activity.Role(role)})
	}
	for _, s := range v["walkin"] {
		id, ok := parseID(strings.TrimSpace(s))
		if !ok {
			fe = append(fe, apperr.Field("walkin", "err.form.bad_choice"))
			continue
		}
		if !seen[id] {
			marks = append(marks, activity.Mark{PersonID: id, Status: activity.Attended})
		}
	}
	if len(fe) > 0 {
		return nil, apperr.Fields(fe...)
	}
	if len(marks) == 0 {
		return nil, apperr.Fields(apperr.Field("mark", "err.activity.required"))
	}
	return marks, nil
}

// activityRowAct decides a leave request or sets a role on one attendance row.
func (s *Server) activityRowAct(w http.ResponseWriter, r *http.Request) error {
	a, rowID, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	ctx, v := r.Context(), formValues(r)
	var fe []apperr.FieldError
	ref := activity.Ref{ID: rowID, Version: formInt(v, "version", &fe)}
	back := formID(v, "activity", &fe)
	if len(fe) > 0 {
		return apperr.Fields(fe...)
	}
	var row *activity.Attendance
	switch activity.Action(r.PathValue("action")) {
	case activity.ActApproveLeave:
		row, err = s.Activities.ApproveLeave(ctx, a, ref)
	case activity.ActRefuseLeave:
		row, err = s.Activities.RefuseLeave(ctx, a, ref)
	case activity.ActSetRole:
		row, err = s.Activities.SetRole(ctx, a, ref, activity.Role(v.Get("role")))
	default:
		return apperr.ErrNotFound
	}
	if err != nil {
		fields, msg, ferr := formError(r, err)
		if ferr != nil || back == 0 {
			if ferr == nil {
				ferr = err
			}
			return ferr
		}
		return s.renderActivity(w, r, a, back, http.StatusUnprocessableEntity, actDetailPage{Fields: fields, Error: msg})
	}
	to := actURL(row.ActivityID) + "?done=ok_" + r.PathValue("action")
	if v.Get("from") == "leaves" {
		to = "/activities/leaves?done=1"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
