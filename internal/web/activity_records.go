package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"lvzhi/internal/activity"
	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/org"
)

// The 社情民意 and outputs pages: lists with their entry forms, an item's page
// with its staff steps and leaders' instructions (批示), and an output's page
// with its instructions and follow-up items (跟踪问效).

// sqmyPage is the data of the 社情民意 list and of one item's page.
type sqmyPage struct {
	Items     []activity.Sqmy
	State     activity.SqmyState // the list's filter ("" every state)
	Total     int
	Page      int
	Pager     pager
	Item      *activity.Sqmy
	Mergeable []activity.Sqmy // items staff may merge into Item
	In        activity.SqmyInput
	Groups    []org.Group
	Members   []activity.Person
	Staff     bool
	Opts      actOpts
	Fields    []apperr.FieldError
	Error     string
	Done      bool
}

func (s *Server) renderSqmyList(w http.ResponseWriter, r *http.Request, a *auth.Actor, status int, p sqmyPage) error {
	p.Page = max(queryInt(r.URL.Query(), "page"), 1)
	var err error
	p.State = activity.SqmyState(r.URL.Query().Get("state"))
	if !slices.Contains(activity.SqmyStates, p.State) {
		p.State = ""
	}
	p.Items, p.Total, err = s.Activities.SqmyList(r.Context(), a, activity.SqmyFilter{CommitteeID: a.CommitteeID, State: p.State, Page: p.Page})
	if err != nil {
		return err
	}
	p.Pager = newPager("/consult/sqmy", url.Values{"state": {string(p.State)}}, p.Page, p.Page*activity.ListPageSize < p.Total)
	p.Staff, p.Opts = auth.Can(a, activity.PermManage), newActOpts()
	if p.Staff {
		if p.Groups, err = s.Org.Groups(r.Context(), a, a.CommitteeID); err != nil {
			return err
		}
		if p.Members, err = s.Activities.Members(r.Context(), a, a.CommitteeID); err != nil {
			return err
		}
	}
	w.WriteHeader(status)
	s.render(w, r, "activity/sqmy_list.html", p)
	return nil
}

// sqmyList lists the 社情民意 the reader may see (a member: their own), with the submission form.
func (s *Server) sqmyList(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	if !auth.Can(a, activity.PermView) && !auth.Can(a, activity.PermSubmit) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return s.renderSqmyList(w, r, a, http.StatusOK, sqmyPage{In: activity.SqmyInput{SubmittedOn: civil.Today()}, Done: r.URL.Query().Get("done") != ""})
}

// sqmySubmit records an item: a member's own, or staff entering one (past=1: entered later).
func (s *Server) sqmySubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	v := formValues(r)
	var fe []apperr.FieldError
	in := activity.SqmyInput{Title: v.Get("title"), Content: v.Get("content"), PersonID: formID(v, "person_id", &fe),
		GroupID: formID(v, "group_id", &fe), SubmittedOn: formDate(v, "submitted_on", &fe), Past: v.Get("past") == "1"}
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else if _, err = s.Activities.SubmitSqmy(r.Context(), a, a.CommitteeID, in); err == nil {
		http.Redirect(w, r, "/consult/sqmy?done=1", http.StatusSeeOther)
		return nil
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderSqmyList(w, r, a, http.StatusUnprocessableEntity, sqmyPage{In: in, Fields: fields, Error: msg})
}

func (s *Server) renderSqmy(w http.ResponseWriter, r *http.Request, a *auth.Actor, id int64, status int, p sqmyPage) error {
	it, err := s.Activities.SqmyItem(r.Context(), a, id)
	if err != nil {
		return err
	}
	p.Item, p.Opts = it, newActOpts()
	p.Staff = auth.Can(a, activity.PermManage) && it.CommitteeID == a.CommitteeID
	if p.Staff && it.MergedInto == 0 && (it.State == activity.SqmySubmitted || it.State == activity.SqmyEdited) {
		if p.Mergeable, err = s.mergeable(r, a, it.ID); err != nil {
			return err
		}
	}
	w.WriteHeader(status)
	s.render(w, r, "activity/sqmy.html", p)
	return nil
}

// mergeable lists the committee's items still open to merging into item id
// (submitted or edited, not merged; the newest 100 of each state).
func (s *Server) mergeable(r *http.Request, a *auth.Actor, id int64) ([]activity.Sqmy, error) {
	var out []activity.Sqmy
	for _, st := range []activity.SqmyState{activity.SqmySubmitted, activity.SqmyEdited} {
		items, _, err := s.Activities.SqmyList(r.Context(), a, activity.SqmyFilter{CommitteeID: a.CommitteeID, State: st, PageSize: 100})
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if it.ID != id && it.MergedInto == 0 {
				out = append(out, it)
			}
		}
	}
	return out, nil
}

func (s *Server) sqmyDetail(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	return s.renderSqmy(w, r, a, id, http.StatusOK, sqmyPage{Done: r.URL.Query().Get("done") != ""})
}

// sqmyAct is a staff step on an item: edit, adopt, decline, or a leader's instruction.
func (s *Server) sqmyAct(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, activity.PermManage)
	if err != nil {
		return err
	}
	ctx, v := r.Context(), formValues(r)
	var fe []apperr.FieldError
	ref := activity.Ref{ID: id, Version: formInt(v, "version", &fe)}
	switch act := r.PathValue("action"); act {
	case "instruct":
		given := formDate(v, "given_on", &fe)
		if len(fe) == 0 {
			_, err = s.Activities.AddInstruction(ctx, a, activity.InstructionInput{SqmyID: id, Leader: v.Get("leader"), Content: v.Get("content"), GivenOn: given})
		}
	case string(activity.SqmyMerge):
		from := formIDs(v, "from", &fe)
		if len(fe) == 0 {
			_, err = s.Activities.MergeSqmy(ctx, a, ref, from)
		}
	case string(activity.SqmyEdit), string(activity.SqmyAdopt), string(activity.SqmyDecline):
		ch := activity.SqmyChange{Action: activity.Action(act), Title: v.Get("title"), Content: v.Get("content"), Level: v.Get("level"),
			AdoptedOn: formDate(v, "adopted_on", &fe), BulletinIssue: v.Get("bulletin_issue")}
		if len(fe) == 0 {
			_, err = s.Activities.ChangeSqmy(ctx, a, ref, ch)
		}
	default:
		return apperr.ErrNotFound
	}
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	}
	if err == nil {
		http.Redirect(w, r, "/consult/sqmy/"+strconv.FormatInt(id, 10)+"?done=1", http.StatusSeeOther)
		return nil
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderSqmy(w, r, a, id, http.StatusUnprocessableEntity, sqmyPage{Fields: fields, Error: msg})
}

// outputsPage is the data of the outputs list and of one output's page.
type outputsPage struct {
	Outputs    []activity.Output
	Output     *activity.Output
	Activities []activity.Item
	Units      []org.Unit
	In         activity.OutputInput
	Staff      bool
	Opts       actOpts
	Fields     []apperr.FieldError
	Error      string
	Done       bool
	Page       int
	Pager      pager
}

func (s *Server) renderOutputs(w http.ResponseWriter, r *http.Request, a *auth.Actor, status int, p outputsPage) error {
	p.Page = max(queryInt(r.URL.Query(), "page"), 1)
	var err error
	hasNext := false
	if p.Outputs, err = s.Activities.Outputs(r.Context(), a, activity.OutputFilter{CommitteeID: a.CommitteeID, Page: p.Page, PageSize: activity.ListPageSize + 1}); err != nil {
		return err
	}
	if len(p.Outputs) > activity.ListPageSize {
		p.Outputs, hasNext = p.Outputs[:activity.ListPageSize], true
	}
	p.Pager = newPager("/consult/outputs", nil, p.Page, hasNext)
	p.Staff, p.Opts = auth.Can(a, activity.PermManage), newActOpts()
	if p.Staff {
		if p.Activities, _, err = s.Activities.List(r.Context(), a, activity.Filter{CommitteeID: a.CommitteeID, State: activity.Held, PageSize: 200}); err != nil {
			return err
		}
	}
	w.WriteHeader(status)
	s.render(w, r, "activity/outputs.html", p)
	return nil
}

// outputList lists the committee's outputs, with the entry form for staff.
func (s *Server) outputList(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, activity.PermView)
	if err != nil {
		return err
	}
	in := activity.OutputInput{Kind: activity.OutResearchReport, DatedOn: civil.Today(), ActivityID: queryID(r.URL.Query(), "activity")}
	return s.renderOutputs(w, r, a, http.StatusOK, outputsPage{In: in, Done: r.URL.Query().Get("done") != ""})
}

// outputCreate records an output (staff).
func (s *Server) outputCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, activity.PermManage)
	if err != nil {
		return err
	}
	v := formValues(r)
	var fe []apperr.FieldError
	in := activity.OutputInput{ActivityID: formID(v, "activity_id", &fe), Kind: activity.OutputKind(v.Get("kind")), Number: v.Get("number"),
		Title: v.Get("title"), DatedOn: formDate(v, "dated_on", &fe), SentTo: v.Get("sent_to"), ToParty: v.Get("to_party") == "1",
		Past: v.Get("past") == "1"}
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else {
		var o *activity.Output
		if o, err = s.Activities.CreateOutput(r.Context(), a, a.CommitteeID, in); err == nil {
			http.Redirect(w, r, "/consult/outputs/"+strconv.FormatInt(o.ID, 10)+"?done=1", http.StatusSeeOther)
			return nil
		}
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderOutputs(w, r, a, http.StatusUnprocessableEntity, outputsPage{In: in, Fields: fields, Error: msg})
}

func (s *Server) renderOutput(w http.ResponseWriter, r *http.Request, a *auth.Actor, id int64, status int, p outputsPage) error {
	o, err := s.Activities.Output(r.Context(), a, id)
	if err != nil {
		return err
	}
	p.Output, p.Opts = o, newActOpts()
	p.Staff = auth.Can(a, activity.PermManage) && o.CommitteeID == a.CommitteeID
	if p.Staff {
		if p.Units, err = s.Org.Units(r.Context(), a, a.CommitteeID, org.UnitFilter{}); err != nil {
			return err
		}
	}
	w.WriteHeader(status)
	s.render(w, r, "activity/output.html", p)
	return nil
}

func (s *Server) outputDetail(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, activity.PermView)
	if err != nil {
		return err
	}
	return s.renderOutput(w, r, a, id, http.StatusOK, outputsPage{Done: r.URL.Query().Get("done") != ""})
}

// outputAct adds a leader's instruction or a follow-up item to an output (staff).
func (s *Server) outputAct(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, activity.PermManage)
	if err != nil {
		return err
	}
	ctx, v := r.Context(), formValues(r)
	var fe []apperr.FieldError
	switch r.PathValue("action") {
	case "instruct":
		given := formDate(v, "given_on", &fe)
		if len(fe) == 0 {
			_, err = s.Activities.AddInstruction(ctx, a, activity.InstructionInput{OutputID: id, Leader: v.Get("leader"), Content: v.Get("content"), GivenOn: given})
		}
	case "followup":
		in := activity.FollowupInput{OutputID: id, Matter: v.Get("matter"), UnitID: formID(v, "unit_id", &fe), DueOn: formDate(v, "due_on", &fe)}
		if len(fe) == 0 {
			_, err = s.Activities.AddFollowup(ctx, a, in)
		}
	default:
		return apperr.ErrNotFound
	}
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	}
	if err == nil {
		http.Redirect(w, r, "/consult/outputs/"+strconv.FormatInt(id, 10)+"?done=1", http.StatusSeeOther)
		return nil
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderOutput(w, r, a, id, http.StatusUnprocessableEntity, outputsPage{Fields: fields, Error: msg})
}

// followupClose closes a follow-up item with the unit's feedback (staff).
func (s *Server) followupClose(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, activity.PermManage)
	if err != nil {
		return err
	}
	v := formValues(r)
	var fe []apperr.FieldError
	ref := activity.Ref{ID: id, Version: formInt(v, "version", &fe)}
	output := formID(v, "output", &fe)
	if len(fe) > 0 {
		return apperr.Fields(fe...)
	}
	f, err := s.Activities.CloseFollowup(r.Context(), a, ref, v.Get("feedback"))
	if err == nil {
		http.Redirect(w, r, "/consult/outputs/"+strconv.FormatInt(f.OutputID, 10)+"?done=1", http.StatusSeeOther)
		return nil
	}
	fields, msg, ferr := formError(r, err)
	if ferr != nil || output == 0 {
		if ferr == nil {
			ferr = err
		}
		return ferr
	}
	return s.renderOutput(w, r, a, output, http.StatusUnprocessableEntity, outputsPage{Fields: fields, Error: msg})
}
