package api

import (
	"context"

	"lvzhi/internal/activity"
	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
)

// The activity area's routes (internal/activity): every action of the web
// pages — activities and their attendance, a member's calendar, the leave
// queue, 社情民意, outputs with instructions and follow-ups.

// ActivityBody is an activity as staff enter it (POST, PUT with version;
// POST /activities/past with the roll of an activity entered later).
type ActivityBody struct {
	Version   int                `json:"version,omitempty"`
	Kind      string             `json:"kind"`
	Title     string             `json:"title"`
	Place     string             `json:"place,omitempty"`
	StartsOn  string             `json:"starts_on"`           // YYYY-MM-DD
	StartsAt  string             `json:"starts_at,omitempty"` // HH:MM
	EndsAt    string             `json:"ends_at,omitempty"`
	GroupID   int64              `json:"group_id,omitempty"`
	PlanItem  int64              `json:"plan_item_id,omitempty"`
	Mandatory bool               `json:"mandatory,omitempty"`
	Capacity  int                `json:"capacity,omitempty"`
	Notes     string             `json:"notes,omitempty"`
	Roll      []activity.PastRow `json:"roll,omitempty"` // past records only
}

func (b ActivityBody) input(fe *[]apperr.FieldError) activity.Input {
	return activity.Input{Kind: activity.Kind(b.Kind), Title: b.Title, Place: b.Place, StartsOn: date("starts_on", b.StartsOn, fe),
		StartsAt: b.StartsAt, EndsAt: b.EndsAt, GroupID: b.GroupID, PlanItemID: b.PlanItem, Mandatory: b.Mandatory,
		Capacity: b.Capacity, Notes: b.Notes}
}

// ActivityActionBody carries what the activity actions take; each reads the
// fields its summary names.
type ActivityActionBody struct {
	Version   int             `json:"version,omitempty"`
	Reason    string          `json:"reason,omitempty"`
	Code      string          `json:"code,omitempty"`
	PersonIDs []int64         `json:"person_ids,omitempty"`
	Marks     []activity.Mark `json:"marks,omitempty"`
	Role      string          `json:"role,omitempty"`
}

// ActivityList is one page of activities.
type ActivityList struct {
	Items []activity.Item `json:"items"`
	Total int             `json:"total"`
}

// Done is the answer of an action on many rows.
type Done struct {
	Changed int `json:"changed"`
}

// FeedAnswer is a member's new calendar-feed address (relative to the site).
type FeedAnswer struct {
	Path string `json:"path"`
}

// SqmyBody is a 社情民意 item (members: title and content; staff: the rest too).
type SqmyBody struct {
	Title       string `json:"title"`
	Content     string `json:"content,omitempty"`
	PersonID    int64  `json:"person_id,omitempty"`
	GroupID     int64  `json:"group_id,omitempty"`
	SubmittedOn string `json:"submitted_on,omitempty"`
	Past        bool   `json:"past,omitempty"`
}

// SqmyActionBody is a staff step on an item or a leader's instruction.
type SqmyActionBody struct {
	Version       int     `json:"version,omitempty"`
	Title         string  `json:"title,omitempty"`
	Content       string  `json:"content,omitempty"`
	Level         string  `json:"level,omitempty"`
	AdoptedOn     string  `json:"adopted_on,omitempty"`
	BulletinIssue string  `json:"bulletin_issue,omitempty"`
	From          []int64 `json:"from,omitempty"` // sqmy_merge: the items merged into this one
	Leader        string  `json:"leader,omitempty"`
	GivenOn       string  `json:"given_on,omitempty"`
}

// SqmyList is one page of 社情民意 items.
type SqmyList struct {
	Items []activity.Sqmy `json:"items"`
	Total int             `json:"total"`
}

// OutputBody is an output as staff record it.
type OutputBody struct {
	ActivityID int64  `json:"activity_id,omitempty"`
	Kind       string `json:"kind"`
	Number     string `json:"number,omitempty"`
	Title      string `json:"title"`
	DatedOn    string `json:"dated_on"`
	SentTo     string `json:"sent_to,omitempty"`
	ToParty    bool   `json:"to_party,omitempty"`
	Past       bool   `json:"past,omitempty"`
}

// InstructionBody is a leader's instruction (批示).
type InstructionBody struct {
	Leader  string `json:"leader"`
	Content string `json:"content,omitempty"`
	GivenOn string `json:"given_on"`
}

// FollowupBody is a new follow-up item, or the feedback closing one (version, feedback).
type FollowupBody struct {
	Matter   string `json:"matter,omitempty"`
	UnitID   int64  `json:"unit_id,omitempty"`
	DueOn    string `json:"due_on,omitempty"`
	Version  int    `json:"version,omitempty"`
	Feedback string `json:"feedback,omitempty"`
}

// activityAction is one action on an activity.
type activityAction struct {
	name, summary string
	call          func(ctx context.Context, s *activity.Service, a *auth.Actor, ref activity.Ref, b ActivityActionBody) (any, error)
}

var activityActions = []activityAction{
	{"open", "Start the activity: check-in opens (staff)", func(ctx context.Context, s *activity.Service, a *auth.Actor, ref activity.Ref, b ActivityActionBody) (any, error) {
		return s.Open(ctx, a, ref)
	}},
	{"hold", "Record that it took place; the roll closes (staff)", func(ctx context.Context, s *activity.Service, a *auth.Actor, ref activity.Ref, b ActivityActionBody) (any, error) {
		return s.Hold(ctx, a, ref)
	}},
	{"cancel", "Cancel (reason; staff)", func(ctx context.Context, s *activity.Service, a *auth.Actor, ref activity.Ref, b ActivityActionBody) (any, error) {
		return s.Cancel(ctx, a, ref, b.Reason)
	}},
	{"invite_serving", "Invite every serving member (standing members for a 常委会议; staff)", func(ctx context.Context, s *activity.Service, a *auth.Actor, ref activity.Ref, b ActivityActionBody) (any, error) {
		n, err := s.InviteServing(ctx, a, ref)
		return Done{Changed: n}, err
	}},
	{"invite", "Invite members (person_ids; staff)", func(ctx context.Context, s *activity.Service, a *auth.Actor, ref activity.Ref, b ActivityActionBody) (any, error) {
		n, err := s.Invite(ctx, a, ref, b.PersonIDs)
		return Done{Changed: n}, err
	}},
	{"mark", "Record the attendance of many members in one action (marks; staff)", func(ctx context.Context, s *activity.Service, a *auth.Actor, ref activity.Ref, b ActivityActionBody) (any, error) {
		n, err := s.MarkAttendance(ctx, a, ref, b.Marks)
		return Done{Changed: n}, err
	}},
	{"sign_up", "Sign up (the member)", func(ctx context.Context, s *activity.Service, a *auth.Actor, ref activity.Ref, b ActivityActionBody) (any, error) {
		return s.SignUp(ctx, a, ref.ID)
	}},
	{"withdraw", "Withdraw a sign-up (the member)", func(ctx context.Context, s *activity.Service, a *auth.Actor, ref activity.Ref, b ActivityActionBody) (any, error) {
		return s.Withdraw(ctx, a, ref.ID)
	}},
	{"request_leave", "Ask for leave (reason; the member)", func(ctx context.Context, s *activity.Service, a *auth.Actor, ref activity.Ref, b ActivityActionBody) (any, error) {
		return s.RequestLeave(ctx, a, ref.ID, b.Reason)
	}},
	{"check_in", "Check in with the code shown at the venue (code; the member)", func(ctx context.Context, s *activity.Service, a *auth.Actor, ref activity.Ref, b ActivityActionBody) (any, error) {
		return s.CheckIn(ctx, a, ref.ID, b.Code)
	}},
}

func (a *API) activityRoutes() []Route {
	s := a.deps.Activities
	id := func(r *Request) (int64, error) { return r.PathID("id") }
	rs := []Route{
		{Method: "GET", Path: "/activities", Tag: "activities", Summary: "List the committee's activities, newest first",
			Query: []Param{{Name: "kind", Type: "string", Description: "an activity kind", Enum: kindStrings()},
				{Name: "year", Type: "integer", Description: "a calendar year"}, {Name: "group", Type: "integer", Description: "the organising group's id"},
				{Name: "plan", Type: "integer", Description: "the plan item carried out"}, {Name: "page", Type: "integer", Description: "1-based page of 50"}},
			Result: ActivityList{}, Handle: func(r *Request) (any, error) {
				year, err := r.QueryInt("year")
				if err != nil {
					return nil, err
				}
				group, err := r.QueryInt("group")
				if err != nil {
					return nil, err
				}
				plan, err := r.QueryInt("plan")
				if err != nil {
					return nil, err
				}
				page, err := r.QueryInt("page")
				if err != nil {
					return nil, err
				}
				k := activity.Kind(r.Query("kind"))
				if k != "" && !k.Valid() {
					return nil, apperr.Fields(apperr.Field("kind", "err.api.bad_query", map[string]any{"Type": "kind"}))
				}
				items, total, err := s.List(r.Context(), r.Actor, activity.Filter{CommitteeID: r.Actor.CommitteeID, Kind: k, Year: int(year),
					GroupID: group, PlanItemID: plan, Page: int(page)})
				return ActivityList{Items: items, Total: total}, err
			}},
		{Method: "POST", Path: "/activities", Tag: "activities", Summary: "Announce an activity (staff)",
			Body: ActivityBody{}, Result: activity.Activity{}, Status: 201, Handle: func(r *Request) (any, error) {
				var b ActivityBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				var fe []apperr.FieldError
				in := b.input(&fe)
				if len(fe) > 0 {
					return nil, apperr.Fields(fe...)
				}
				return s.Create(r.Context(), r.Actor, r.Actor.CommitteeID, in)
			}},
		{Method: "POST", Path: "/activities/past", Tag: "activities", Summary: "Enter an activity that already took place, with its roll (staff; marked entered later)",
			Body: ActivityBody{}, Result: activity.Activity{}, Status: 201, Handle: func(r *Request) (any, error) {
				var b ActivityBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				var fe []apperr.FieldError
				in := b.input(&fe)
				if len(fe) > 0 {
					return nil, apperr.Fields(fe...)
				}
				return s.EnterPast(r.Context(), r.Actor, r.Actor.CommitteeID, in, b.Roll)
			}},
		{Method: "GET", Path: "/activities/mine", Tag: "activities", Summary: "The member's calendar (from, to: YYYY-MM-DD; default this year)",
			Query:  []Param{{Name: "from", Type: "string", Description: "first day"}, {Name: "to", Type: "string", Description: "last day"}},
			Result: []activity.Entry{}, Handle: func(r *Request) (any, error) {
				var fe []apperr.FieldError
				from, to := date("from", r.Query("from"), &fe), date("to", r.Query("to"), &fe)
				if len(fe) > 0 {
					return nil, apperr.Fields(fe...)
				}
				today := civil.Today()
				if from.IsZero() {
					from = civil.Date{Year: today.Year, Month: 1, Day: 1}
				}
				if to.IsZero() {
					to = civil.Date{Year: today.Year, Month: 12, Day: 31}
				}
				return s.Calendar(r.Context(), r.Actor, from, to)
			}},
		{Method: "POST", Path: "/activities/mine/feed", Tag: "activities", Summary: "Make a new secret iCalendar feed address for the member (the old one stops working)",
			Result: FeedAnswer{}, Status: 201, Handle: func(r *Request) (any, error) {
				secret, err := s.FeedToken(r.Context(), r.Actor)
				return FeedAnswer{Path: "/consult/feed/" + secret + ".ics"}, err
			}},
		{Method: "GET", Path: "/activities/leaves", Tag: "activities", Summary: "Leave requests to decide (staff, leaders)",
			Result: []activity.Leave{}, Handle: func(r *Request) (any, error) { return s.PendingLeaves(r.Context(), r.Actor) }},
		{Method: "GET", Path: "/activities/{id}", Tag: "activities", Summary: "One activity with the roll the user may see and the actions the user may take",
			Result: activity.Detail{}, Handle: func(r *Request) (any, error) {
				i, err := id(r)
				if err != nil {
					return nil, err
				}
				return s.Get(r.Context(), r.Actor, i)
			}},
		{Method: "PUT", Path: "/activities/{id}", Tag: "activities", Summary: "Change an activity that has not taken place (staff; version)",
			Body: ActivityBody{}, Result: activity.Activity{}, Handle: func(r *Request) (any, error) {
				i, err := id(r)
				if err != nil {
					return nil, err
				}
				var b ActivityBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				var fe []apperr.FieldError
				in := b.input(&fe)
				if len(fe) > 0 {
					return nil, apperr.Fields(fe...)
				}
				return s.Edit(r.Context(), r.Actor, activity.Ref{ID: i, Version: b.Version}, in)
			}},
	}
	for _, act := range activityActions {
		act := act
		rs = append(rs, Route{Method: "POST", Path: "/activities/{id}/" + act.name, Tag: "activities", Summary: act.summary,
			Body: ActivityActionBody{}, Result: resultOf(act.name), Handle: func(r *Request) (any, error) {
				i, err := id(r)
				if err != nil {
					return nil, err
				}
				var b ActivityActionBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return act.call(r.Context(), s, r.Actor, activity.Ref{ID: i, Version: b.Version}, b)
			}})
	}
	for _, name := range []string{"approve_leave", "refuse_leave", "set_role"} {
		name := name
		rs = append(rs, Route{Method: "POST", Path: "/activities/attendance/{id}/" + name, Tag: "activities",
			Summary: map[string]string{"approve_leave": "Approve a leave request (staff, leaders)", "refuse_leave": "Refuse a leave request (staff, leaders)",
				"set_role": "Give a member a role: speaker, drafter or none (role; staff)"}[name],
			Body: ActivityActionBody{}, Result: activity.Attendance{}, Handle: func(r *Request) (any, error) {
				i, err := id(r)
				if err != nil {
					return nil, err
				}
				var b ActivityActionBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				ref := activity.Ref{ID: i, Version: b.Version}
				switch name {
				case "approve_leave":
					return s.ApproveLeave(r.Context(), r.Actor, ref)
				case "refuse_leave":
					return s.RefuseLeave(r.Context(), r.Actor, ref)
				}
				return s.SetRole(r.Context(), r.Actor, ref, activity.Role(b.Role))
			}})
	}
	rs = append(rs, a.activityRecordRoutes()...)
	rs = append(rs, a.appraisalRoutes()...)
	rs = append(rs, a.planRoutes()...)
	rs = append(rs, a.activityMoreRoutes()...)
	return append(rs, a.scheduleRoutes()...)
}

// resultOf is the answer type of an activity action.
func resultOf(name string) any {
	switch name {
	case "invite_serving", "invite", "mark":
		return Done{}
	case "sign_up", "withdraw", "request_leave", "check_in":
		return activity.Attendance{}
	}
	return activity.Activity{}
}

func kindStrings() []string {
	out := make([]string, len(activity.AllKinds))
	for i, k := range activity.AllKinds {
		out[i] = string(k)
	}
	return out
}

func (a *API) activityRecordRoutes() []Route {
	s := a.deps.Activities
	return []Route{
		{Method: "GET", Path: "/sqmy", Tag: "activities", Summary: "社情民意 the user may see (members: their own), newest first",
			Query:  []Param{{Name: "year", Type: "integer", Description: "a calendar year"}, {Name: "page", Type: "integer", Description: "1-based page of 50"}},
			Result: SqmyList{}, Handle: func(r *Request) (any, error) {
				year, err := r.QueryInt("year")
				if err != nil {
					return nil, err
				}
				page, err := r.QueryInt("page")
				if err != nil {
					return nil, err
				}
				items, total, err := s.SqmyList(r.Context(), r.Actor, activity.SqmyFilter{CommitteeID: r.Actor.CommitteeID, Year: int(year), Page: int(page)})
				return SqmyList{Items: items, Total: total}, err
			}},
		{Method: "POST", Path: "/sqmy", Tag: "activities", Summary: "Submit a 社情民意 item (a member's own; staff for any member or group, past marks it entered later)",
			Body: SqmyBody{}, Result: activity.Sqmy{}, Status: 201, Handle: func(r *Request) (any, error) {
				var b SqmyBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				var fe []apperr.FieldError
				on := date("submitted_on", b.SubmittedOn, &fe)
				if len(fe) > 0 {
					return nil, apperr.Fields(fe...)
				}
				return s.SubmitSqmy(r.Context(), r.Actor, r.Actor.CommitteeID, activity.SqmyInput{Title: b.Title, Content: b.Content,
					PersonID: b.PersonID, GroupID: b.GroupID, SubmittedOn: on, Past: b.Past})
			}},
		{Method: "POST", Path: "/sqmy/from-proposal/{id}", Tag: "activities", Summary: "Create the 社情民意 item of a proposal declined and converted to 社情民意 (staff)",
			Result: activity.Sqmy{}, Status: 201, Handle: func(r *Request) (any, error) {
				i, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				return s.ConvertProposal(r.Context(), r.Actor, i)
			}},
		{Method: "GET", Path: "/sqmy/{id}", Tag: "activities", Summary: "One 社情民意 item with its instructions",
			Result: activity.Sqmy{}, Handle: func(r *Request) (any, error) {
				i, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				return s.SqmyItem(r.Context(), r.Actor, i)
			}},
		{Method: "POST", Path: "/sqmy/{id}/{action}", Tag: "activities", Summary: "A staff step: sqmy_edit (title, content), sqmy_adopt (level, adopted_on, bulletin_issue), sqmy_decline, sqmy_merge (from: the items merged into this one), or instruct (leader, given_on, content)",
			Body: SqmyActionBody{}, Result: activity.Sqmy{}, Handle: func(r *Request) (any, error) {
				i, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				var b SqmyActionBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				var fe []apperr.FieldError
				act := r.PathValue("action")
				switch act {
				case "instruct":
					on := date("given_on", b.GivenOn, &fe)
					if len(fe) > 0 {
						return nil, apperr.Fields(fe...)
					}
					if _, err := s.AddInstruction(r.Context(), r.Actor, activity.InstructionInput{SqmyID: i, Leader: b.Leader, Content: b.Content, GivenOn: on}); err != nil {
						return nil, err
					}
					return s.SqmyItem(r.Context(), r.Actor, i)
				case string(activity.SqmyMerge):
					return s.MergeSqmy(r.Context(), r.Actor, activity.Ref{ID: i, Version: b.Version}, b.From)
				case string(activity.SqmyEdit), string(activity.SqmyAdopt), string(activity.SqmyDecline):
					on := date("adopted_on", b.AdoptedOn, &fe)
					if len(fe) > 0 {
						return nil, apperr.Fields(fe...)
					}
					return s.ChangeSqmy(r.Context(), r.Actor, activity.Ref{ID: i, Version: b.Version}, activity.SqmyChange{Action: activity.Action(act),
						Title: b.Title, Content: b.Content, Level: b.Level, AdoptedOn: on, BulletinIssue: b.BulletinIssue})
				}
				return nil, apperr.ErrNotFound
			}},
		{Method: "GET", Path: "/outputs", Tag: "activities", Summary: "The committee's outputs (纪要, 建议案, 协商专报, 调研报告), newest first",
			Query: []Param{{Name: "year", Type: "integer", Description: "a calendar year"}, {Name: "activity", Type: "integer", Description: "of one activity"},
				{Name: "page", Type: "integer", Description: "1-based page of 50"}},
			Result: []activity.Output{}, Handle: func(r *Request) (any, error) {
				year, err := r.QueryInt("year")
				if err != nil {
					return nil, err
				}
				act, err := r.QueryInt("activity")
				if err != nil {
					return nil, err
				}
				page, err := r.QueryInt("page")
				if err != nil {
					return nil, err
				}
				return s.Outputs(r.Context(), r.Actor, activity.OutputFilter{CommitteeID: r.Actor.CommitteeID, Year: int(year), ActivityID: act, Page: int(page)})
			}},
		{Method: "POST", Path: "/outputs", Tag: "activities", Summary: "Record an output (staff; past marks it entered later)",
			Body: OutputBody{}, Result: activity.Output{}, Status: 201, Handle: func(r *Request) (any, error) {
				var b OutputBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				var fe []apperr.FieldError
				on := date("dated_on", b.DatedOn, &fe)
				if len(fe) > 0 {
					return nil, apperr.Fields(fe...)
				}
				return s.CreateOutput(r.Context(), r.Actor, r.Actor.CommitteeID, activity.OutputInput{ActivityID: b.ActivityID,
					Kind: activity.OutputKind(b.Kind), Number: b.Number, Title: b.Title, DatedOn: on, SentTo: b.SentTo, ToParty: b.ToParty, Past: b.Past})
			}},
		{Method: "GET", Path: "/outputs/{id}", Tag: "activities", Summary: "One output with its instructions and follow-up items",
			Result: activity.Output{}, Handle: func(r *Request) (any, error) {
				i, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				return s.Output(r.Context(), r.Actor, i)
			}},
		{Method: "POST", Path: "/outputs/{id}/instructions", Tag: "activities", Summary: "Record a leader's instruction on an output (staff)",
			Body: InstructionBody{}, Result: activity.Instruction{}, Status: 201, Handle: func(r *Request) (any, error) {
				i, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				var b InstructionBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				var fe []apperr.FieldError
				on := date("given_on", b.GivenOn, &fe)
				if len(fe) > 0 {
					return nil, apperr.Fields(fe...)
				}
				return s.AddInstruction(r.Context(), r.Actor, activity.InstructionInput{OutputID: i, Leader: b.Leader, Content: b.Content, GivenOn: on})
			}},
		{Method: "POST", Path: "/outputs/{id}/followups", Tag: "activities", Summary: "Add a follow-up item (matter, unit_id, due_on; staff)",
			Body: FollowupBody{}, Result: activity.Followup{}, Status: 201, Handle: func(r *Request) (any, error) {
				i, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				var b FollowupBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				var fe []apperr.FieldError
				due := date("due_on", b.DueOn, &fe)
				if len(fe) > 0 {
					return nil, apperr.Fields(fe...)
				}
				return s.AddFollowup(r.Context(), r.Actor, activity.FollowupInput{OutputID: i, Matter: b.Matter, UnitID: b.UnitID, DueOn: due})
			}},
		{Method: "POST", Path: "/followups/{id}/close", Tag: "activities", Summary: "Close a follow-up item with the unit's feedback (version, feedback; staff)",
			Body: FollowupBody{}, Result: activity.Followup{}, Handle: func(r *Request) (any, error) {
				i, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				var b FollowupBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return s.CloseFollowup(r.Context(), r.Actor, activity.Ref{ID: i, Version: b.Version}, b.Feedback)
			}},
	}
}

// AppraisalBody drafts an appraisal (staff) or carries a step's fields: a
// member's ratings (vote), the rectification list and re-inspection date.
type AppraisalBody struct {
	UnitID        int64             `json:"unit_id,omitempty"`
	Year          int               `json:"year,omitempty"`
	ActivityID    int64             `json:"activity_id,omitempty"`
	Dimensions    []string          `json:"dimensions,omitempty"`
	Version       int               `json:"version,omitempty"`
	Ratings       map[string]string `json:"ratings,omitempty"` // dimension → satisfied, basic, dissatisfied
	Rectification string            `json:"rectification,omitempty"`
	ReinspectedOn string            `json:"reinspected_on,omitempty"`
}

func (a *API) appraisalRoutes() []Route {
	s := a.deps.Activities
	return []Route{
		{Method: "POST", Path: "/appraisals", Tag: "activities", Summary: "Draft a democratic appraisal of a unit (unit_id, year, dimensions; staff)",
			Body: AppraisalBody{}, Result: activity.Appraisal{}, Status: 201, Handle: func(r *Request) (any, error) {
				var b AppraisalBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return s.AddAppraisal(r.Context(), r.Actor, r.Actor.CommitteeID, activity.AppraisalInput{UnitID: b.UnitID, Year: b.Year,
					ActivityID: b.ActivityID, Dimensions: b.Dimensions})
			}},
		{Method: "GET", Path: "/appraisals/{id}", Tag: "activities", Summary: "An appraisal: the results once closed (readers) and whether the member may vote",
			Result: activity.Appraisal{}, Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				return s.Appraisal(r.Context(), r.Actor, id)
			}},
		{Method: "POST", Path: "/appraisals/{id}/{action}", Tag: "activities",
			Summary: "open or close the ballot (staff), vote (ratings; a serving member, once, anonymously), rectify (rectification, reinspected_on; staff)",
			Body:    AppraisalBody{}, Result: activity.Appraisal{}, Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				var b AppraisalBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				ref := activity.Ref{ID: id, Version: b.Version}
				switch r.PathValue("action") {
				case "open":
					return s.OpenVoting(r.Context(), r.Actor, ref)
				case "close":
					return s.CloseVoting(r.Context(), r.Actor, ref)
				case "rectify":
					return s.Rectify(r.Context(), r.Actor, ref, b.Rectification, b.ReinspectedOn)
				case "vote":
					if err := s.Vote(r.Context(), r.Actor, id, b.Ratings); err != nil {
						return nil, err
					}
					return s.Appraisal(r.Context(), r.Actor, id)
				}
				return nil, apperr.ErrNotFound
			}},
	}
}

// PlanBody is a consultation plan item (year, month, topic, form, group_id).
type PlanBody struct {
	Year    int    `json:"year"`
	Month   int    `json:"month"`
	Topic   string `json:"topic"`
	Form    string `json:"form"` // an activity kind
	GroupID int64  `json:"group_id,omitempty"`
	Version int    `json:"version,omitempty"` // steps: the version read
}

// LedgerBody is one record of the simple ledgers: a speech (person_id,
// speaker, title, mode, adopted, on), a study article (person_id, author,
// title, on, published, journal_issue), a publicity item (kind, title,
// outlet, on) or a culture volume (title, volume_no, articles, on).
type LedgerBody struct {
	PersonID     int64  `json:"person_id,omitempty"`
	Speaker      string `json:"speaker,omitempty"`
	Author       string `json:"author,omitempty"`
	Title        string `json:"title"`
	Mode         string `json:"mode,omitempty"`
	Adopted      bool   `json:"adopted,omitempty"`
	Published    bool   `json:"published,omitempty"`
	JournalIssue string `json:"journal_issue,omitempty"`
	Kind         string `json:"kind,omitempty"`
	Outlet       string `json:"outlet,omitempty"`
	VolumeNo     int    `json:"volume_no,omitempty"`
	Articles     int    `json:"articles,omitempty"`
	On           string `json:"on"` // YYYY-MM-DD: given, collected, published or compiled
}

func (a *API) planRoutes() []Route {
	s := a.deps.Activities
	ledger := func(path, summary string, result any, call func(r *Request, b LedgerBody, on civil.Date) (any, error)) Route {
		return Route{Method: "POST", Path: path, Tag: "activities", Summary: summary, Body: LedgerBody{}, Result: result, Status: 201,
			Handle: func(r *Request) (any, error) {
				var b LedgerBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				var fe []apperr.FieldError
				on := date("on", b.On, &fe)
				if len(fe) > 0 {
					return nil, apperr.Fields(fe...)
				}
				return call(r, b, on)
			}}
	}
	return []Route{
		{Method: "GET", Path: "/plan", Tag: "activities", Summary: "The consultation plan of a year, with what is done and late",
			Query: []Param{{Name: "year", Type: "integer", Description: "a calendar year (default this year)"}}, Result: []activity.PlanItem{},
			Handle: func(r *Request) (any, error) {
				year, err := r.QueryInt("year")
				if err != nil {
					return nil, err
				}
				if year == 0 {
					year = int64(civil.Today().Year)
				}
				return s.Plan(r.Context(), r.Actor, r.Actor.CommitteeID, int(year))
			}},
		{Method: "POST", Path: "/plan", Tag: "activities", Summary: "Draft a plan item (staff)", Body: PlanBody{}, Result: activity.PlanItem{}, Status: 201,
			Handle: func(r *Request) (any, error) {
				var b PlanBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return s.AddPlanItem(r.Context(), r.Actor, r.Actor.CommitteeID, activity.PlanInput{Year: b.Year, Month: b.Month, Topic: b.Topic,
					Form: activity.Kind(b.Form), GroupID: b.GroupID})
			}},
		{Method: "POST", Path: "/plan/{id}/{action}", Tag: "activities", Summary: "plan_review (the chair's meeting reviewed it) or plan_approve (the Party committee approved it); staff",
			Body: PlanBody{}, Result: activity.PlanItem{}, Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				var b PlanBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				act := activity.Action(r.PathValue("action"))
				if act != activity.PlanReview && act != activity.PlanApprove {
					return nil, apperr.ErrNotFound
				}
				return s.StepPlanItem(r.Context(), r.Actor, activity.Ref{ID: id, Version: b.Version}, act)
			}},
		ledger("/speeches", "Record a plenary speech (staff)", activity.Speech{}, func(r *Request, b LedgerBody, on civil.Date) (any, error) {
			return s.AddSpeech(r.Context(), r.Actor, r.Actor.CommitteeID, activity.Speech{PersonID: b.PersonID, Speaker: b.Speaker, Title: b.Title,
				Mode: b.Mode, Adopted: b.Adopted, GivenOn: on})
		}),
		ledger("/articles", "Record a theory article collected, and whether published (staff)", activity.Article{}, func(r *Request, b LedgerBody, on civil.Date) (any, error) {
			return s.AddArticle(r.Context(), r.Actor, r.Actor.CommitteeID, activity.Article{PersonID: b.PersonID, Author: b.Author, Title: b.Title,
				CollectedOn: on, Published: b.Published, JournalIssue: b.JournalIssue})
		}),
		ledger("/publicity", "Record a TV episode or a news article (staff)", activity.Publicity{}, func(r *Request, b LedgerBody, on civil.Date) (any, error) {
			return s.AddPublicity(r.Context(), r.Actor, r.Actor.CommitteeID, activity.Publicity{Kind: b.Kind, Title: b.Title, Outlet: b.Outlet, PublishedOn: on})
		}),
		ledger("/culture-volumes", "Record a compiled cultural-history volume (staff)", activity.Volume{}, func(r *Request, b LedgerBody, on civil.Date) (any, error) {
			return s.AddVolume(r.Context(), r.Actor, r.Actor.CommitteeID, activity.Volume{Title: b.Title, VolumeNo: b.VolumeNo, Articles: b.Articles, CompiledOn: on})
		}),
	}
}

// ScheduleBody is a recurring mechanism (kind, title, every_n, unit week|month, first_on, until_on, lead_days).
type ScheduleBody struct {
	Kind      string `json:"kind"`
	Title     string `json:"title"`
	Place     string `json:"place,omitempty"`
	StartsAt  string `json:"starts_at,omitempty"`
	Mandatory bool   `json:"mandatory,omitempty"`
	EveryN    int    `json:"every_n"`
	Unit      string `json:"unit"`
	FirstOn   string `json:"first_on"`
	UntilOn   string `json:"until_on,omitempty"`
	LeadDays  int    `json:"lead_days,omitempty"`
	Version   int    `json:"version,omitempty"`
}

func (a *API) scheduleRoutes() []Route {
	s := a.deps.Activities
	return []Route{
		{Method: "GET", Path: "/schedules", Tag: "activities", Summary: "The committee's recurring mechanisms", Result: []activity.Schedule{},
			Handle: func(r *Request) (any, error) { return s.Schedules(r.Context(), r.Actor, r.Actor.CommitteeID) }},
		{Method: "POST", Path: "/schedules", Tag: "activities", Summary: "Add a recurring mechanism: its occurrences are created lead_days ahead and staff reminded (staff)",
			Body: ScheduleBody{}, Result: activity.Schedule{}, Status: 201, Handle: func(r *Request) (any, error) {
				var b ScheduleBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				var fe []apperr.FieldError
				first, until := date("first_on", b.FirstOn, &fe), date("until_on", b.UntilOn, &fe)
				if len(fe) > 0 {
					return nil, apperr.Fields(fe...)
				}
				return s.AddSchedule(r.Context(), r.Actor, r.Actor.CommitteeID, activity.ScheduleInput{Kind: activity.Kind(b.Kind), Title: b.Title,
					Place: b.Place, StartsAt: b.StartsAt, Mandatory: b.Mandatory, EveryN: b.EveryN, Unit: b.Unit, FirstOn: first, UntilOn: until, LeadDays: b.LeadDays})
			}},
		{Method: "POST", Path: "/schedules/{id}/stop", Tag: "activities", Summary: "Stop a recurring mechanism (staff)", Body: ScheduleBody{},
			Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				var b ScheduleBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return nil, s.StopSchedule(r.Context(), r.Actor, activity.Ref{ID: id, Version: b.Version})
			}},
	}
}
