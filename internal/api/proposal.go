package api

import (
	"context"
	"errors"
	"slices"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/proposal"
)

// ProposalBody is a proposal's content: a draft (POST /proposals), a new
// version of a draft or returned proposal (PUT, with version).
type ProposalBody struct {
	Version        int     `json:"version,omitempty"`    // PUT: the version read (0 skips the check)
	SessionID      int64   `json:"session_id,omitempty"` // POST: 0 for the committee's current session
	Kind           string  `json:"kind"`                 // individual, joint, body
	BodyType       string  `json:"body_type,omitempty"`  // body proposals: party, people_org, special_committee, sector, member_group
	BodyName       string  `json:"body_name,omitempty"`
	Theme          string  `json:"theme"` // economy, politics, culture, society, ecology
	Title          string  `json:"title"`
	Matter         string  `json:"matter,omitempty"`
	Analysis       string  `json:"analysis,omitempty"`
	Suggestions    string  `json:"suggestions,omitempty"`
	CoSigners      []int64 `json:"co_signers,omitempty"` // memberships invited to co-sign (joint)
	PublishConsent bool    `json:"publish_consent,omitempty"`
}

func (b ProposalBody) content() proposal.Content {
	return proposal.Content{SessionID: b.SessionID, Kind: proposal.Kind(b.Kind), BodyType: proposal.BodyType(b.BodyType),
		BodyName: b.BodyName, Theme: proposal.Theme(b.Theme), Title: b.Title, Matter: b.Matter, Analysis: b.Analysis,
		Suggestions: b.Suggestions, CoSigners: b.CoSigners, PublishConsent: b.PublishConsent}
}

// PaperBody is a paper proposal entered by staff for a member.
type PaperBody struct {
	ProposalBody
	FirstProposerID int64  `json:"first_proposer_id"`      // membership
	SubmittedOn     string `json:"submitted_on,omitempty"` // YYYY-MM-DD, the date on the paper ("" today)
}

// ActionBody carries what the proposal actions take; each action reads the
// fields its summary names, and version (the version read; 0 skips the check).
type ActionBody struct {
	Version      int     `json:"version"`
	AssignmentID int64   `json:"assignment_id,omitempty"` // office steps on one unit's assignment; follow-ups
	Note         string  `json:"note,omitempty"`
	Reason       string  `json:"reason,omitempty"` // decline: a reason code; withdraw, ask_return, ask_extension: free text
	LeadID       int64   `json:"lead_id,omitempty"`
	Target       string  `json:"target,omitempty"` // convert: sqmy or opinion
	Mode         string  `json:"mode,omitempty"`   // single, joint, separate
	Units        []int64 `json:"units,omitempty"`  // assign: joint puts the lead unit first
	UnitID       int64   `json:"unit_id,omitempty"`
	DueOn        string  `json:"due_on,omitempty"`   // YYYY-MM-DD
	Deadline     string  `json:"deadline,omitempty"` // start_sign: YYYY-MM-DD, "" for the committee's default
	On           string  `json:"on,omitempty"`       // YYYY-MM-DD
	Method       string  `json:"method,omitempty"`   // face, meeting, phone, letter, other
	People       string  `json:"people,omitempty"`
	ResultClass  string  `json:"result_class,omitempty"`
	Body         string  `json:"body,omitempty"`
	Signer       string  `json:"signer,omitempty"`        // draft_reply: 签发领导
	ContactName  string  `json:"contact_name,omitempty"`  // draft_reply: 联系人
	ContactPhone string  `json:"contact_phone,omitempty"` // draft_reply: mobile or landline with area code
	LetterName   string  `json:"letter_name,omitempty"`   // draft_reply: the reply letter's file name
	Letter       []byte  `json:"letter,omitempty"`        // draft_reply: the sealed reply letter (答复函), base64; PDF, image or office document
	Opinion      string  `json:"opinion,omitempty"`
	Overall      string  `json:"overall,omitempty"`   // satisfied, basic, dissatisfied
	Contact      string  `json:"contact,omitempty"`   // visited, not_needed, not_visited
	Attitude     string  `json:"attitude,omitempty"`  // satisfied, basic, dissatisfied
	Addressed    string  `json:"addressed,omitempty"` // targeted, basic, not
	Comment      string  `json:"comment,omitempty"`
	Key          bool    `json:"key,omitempty"`
	Leaders      []int64 `json:"leaders,omitempty"` // user ids of supervising leaders
	Kind         string  `json:"kind,omitempty"`    // supervision: inspection, meeting, research, instruction, other
	Excellent    bool    `json:"excellent,omitempty"`
	Year         int     `json:"year,omitempty"`
	Consent      bool    `json:"consent,omitempty"` // publish_consent: the first proposer's consent to publication
}

// date parses a date field; a malformed or impossible one is a field error
// (the keys of the web form toolkit).
func date(field, v string, fe *[]apperr.FieldError) civil.Date {
	if strings.TrimSpace(v) == "" {
		return civil.Date{}
	}
	d, err := civil.Parse(strings.TrimSpace(v))
	switch {
	case errors.Is(err, civil.ErrNoSuchDate):
		*fe = append(*fe, apperr.Field(field, "err.form.no_such_date"))
	case err != nil:
		*fe = append(*fe, apperr.Field(field, "err.form.bad_date"))
	}
	return d
}

// proposalAction is one workflow step of the API: its path segment, summary
// and the service call.
type proposalAction struct {
	name, summary string
	call          func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error)
}

var proposalActions = []proposalAction{
	{"start_sign", "Invite the co-signers of a joint draft (deadline)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		d := date("deadline", b.Deadline, fe)
		return guard(fe, func() (*proposal.Proposal, error) { return s.StartSigning(ctx, a, ref, d) })
	}},
	{"cancel_sign", "Take a joint proposal back to draft", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.CancelSigning(ctx, a, ref)
	}},
	{"sign", "Co-sign (an invited co-signer)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.Sign(ctx, a, ref)
	}},
	{"decline_sign", "Decline to co-sign", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.DeclineSign(ctx, a, ref)
	}},
	{"submit", "Submit to the proposal office (first proposer)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.Submit(ctx, a, ref)
	}},
	{"withdraw", "Withdraw before registration (reason)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.Withdraw(ctx, a, ref, b.Reason)
	}},
	{"return", "Return for revision (note)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.Return(ctx, a, ref, b.Note)
	}},
	{"register", "Register and number", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.Register(ctx, a, ref)
	}},
	{"merge", "Merge into a registered lead proposal (lead_id, note)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.Merge(ctx, a, ref, b.LeadID, b.Note)
	}},
	{"decline", "Decline to register (reason code, note)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.Decline(ctx, a, ref, b.Reason, b.Note)
	}},
	{"convert", "Convert a not-registered proposal (target)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.Convert(ctx, a, ref, proposal.ConvertTarget(b.Target))
	}},
	{"assign", "Assign to units (mode, units, due_on, note)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		d := date("due_on", b.DueOn, fe)
		return guard(fe, func() (*proposal.Proposal, error) {
			return s.Assign(ctx, a, ref, proposal.AssignInput{Mode: proposal.Mode(b.Mode), Units: b.Units, DueOn: d, Note: b.Note})
		})
	}},
	{"accept", "Sign for the unit's assignment", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.Accept(ctx, a, ref)
	}},
	{"ask_return", "Ask the office to take the assignment back (reason)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.AskReturn(ctx, a, ref, b.Reason)
	}},
	{"confirm", "Keep an assignment whose unit asked to return it (assignment_id, note)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.Confirm(ctx, a, ref, b.AssignmentID, b.Note)
	}},
	{"reassign", "Give the assignment to another unit (assignment_id, unit_id, note)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.Reassign(ctx, a, ref, b.AssignmentID, b.UnitID, b.Note)
	}},
	{"ask_extension", "Ask for a later due date (due_on, reason)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		d := date("due_on", b.DueOn, fe)
		return guard(fe, func() (*proposal.Proposal, error) { return s.AskExtension(ctx, a, ref, d, b.Reason) })
	}},
	{"extend", "Approve a later due date (assignment_id, due_on, note)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		d := date("due_on", b.DueOn, fe)
		return guard(fe, func() (*proposal.Proposal, error) { return s.Extend(ctx, a, ref, b.AssignmentID, d, b.Note) })
	}},
	{"contact", "Log a contact with the proposer before replying (on, method, people, note)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		d := date("on", b.On, fe)
		return guard(fe, func() (*proposal.Proposal, error) {
			return s.LogContact(ctx, a, ref, proposal.ContactInput{On: d, Method: proposal.ContactMethod(b.Method), People: b.People, Note: b.Note})
		})
	}},
	{"draft_reply", "Write the unit's reply (result_class, body; signer, contact_name, contact_phone, letter and letter_name optional)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		in := proposal.ReplyInput{ResultClass: b.ResultClass, Body: b.Body, Signer: b.Signer, ContactName: b.ContactName, ContactPhone: b.ContactPhone}
		if len(b.Letter) > 0 {
			in.Letter = &proposal.LetterFile{Name: b.LetterName, Data: b.Letter}
		}
		return s.DraftReply(ctx, a, ref, in)
	}},
	{"countersign", "Countersign the lead unit's reply (opinion)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.Countersign(ctx, a, ref, b.Opinion)
	}},
	{"submit_reply", "Send the drafted reply to the office for review", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.SubmitReply(ctx, a, ref)
	}},
	{"send_back", "Send a reply back to its unit (assignment_id, note)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.SendBack(ctx, a, ref, b.AssignmentID, b.Note)
	}},
	{"approve", "Approve and deliver a reply (assignment_id, result_class to change it, note)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.Approve(ctx, a, ref, b.AssignmentID, b.ResultClass, b.Note)
	}},
	{"evaluate", "Evaluate the reply (overall, contact, attitude, addressed, comment); signers only", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.Evaluate(ctx, a, ref, proposal.EvaluationInput{Overall: proposal.Rating(b.Overall), Contact: proposal.ContactMade(b.Contact),
			Attitude: proposal.Rating(b.Attitude), Addressed: proposal.Addressed(b.Addressed), Comment: b.Comment})
	}},
	{"close", "Close a replied proposal (note)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.Close(ctx, a, ref, b.Note)
	}},
	{"mark_key", "Mark or unmark as a key proposal (key, leaders, note)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.MarkKey(ctx, a, ref, b.Key, b.Leaders, b.Note)
	}},
	{"supervise", "Log a supervision activity on a key proposal (on, kind, note)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		d := date("on", b.On, fe)
		return guard(fe, func() (*proposal.Proposal, error) {
			return s.AddSupervision(ctx, a, ref, proposal.SupervisionInput{On: d, Kind: proposal.SupervisionKind(b.Kind), Note: b.Note})
		})
	}},
	{"excellent", "Mark or unmark as an excellent proposal (excellent)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.MarkExcellent(ctx, a, ref, b.Excellent)
	}},
	{"publish_consent", "Give or withdraw consent to publication (consent); the first proposer", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.SetPublishConsent(ctx, a, ref, b.Consent)
	}},
	{"publish", "Publish on the public site (the proposal office; needs the proposer's consent)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.Publish(ctx, a, ref)
	}},
	{"unpublish", "Take off the public site (note)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.Unpublish(ctx, a, ref, b.Note)
	}},
	{"follow_up", "Record a follow-up of a B/C reply (assignment_id, year, result_class, note)", func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, b ActionBody, fe *[]apperr.FieldError) (*proposal.Proposal, error) {
		return s.FollowUp(ctx, a, ref, proposal.FollowUpInput{AssignmentID: b.AssignmentID, Year: b.Year, ResultClass: b.ResultClass, Note: b.Note})
	}},
}

// guard runs call only when the body's values parsed.
func guard(fe *[]apperr.FieldError, call func() (*proposal.Proposal, error)) (*proposal.Proposal, error) {
	if len(*fe) > 0 {
		return nil, apperr.Fields(*fe...)
	}
	return call()
}

var proposalListParams = []Param{
	{Name: "session", Type: "integer", Description: "plenary session id"},
	{Name: "state", Type: "string", Description: "proposal states (repeat for several: ?state=SUBMITTED&state=REGISTERED)", Array: true, Enum: enumStrings(proposal.ProposalStates)},
	{Name: "theme", Type: "string", Description: "a theme", Enum: proposal.Theme("").EnumValues()},
	{Name: "unit", Type: "integer", Description: "assigned to this handling unit"},
	{Name: "kind", Type: "string", Description: "a kind", Enum: proposal.Kind("").EnumValues()},
	{Name: "category", Type: "string", Description: "a category", Enum: proposal.Category("").EnumValues()},
	{Name: "key", Type: "boolean", Description: "key proposals only"},
	{Name: "overdue", Type: "boolean", Description: "still handled after the due date"},
	{Name: "q", Type: "string", Description: "title contains"},
	{Name: "order", Type: "string", Description: "number: by registration number (default newest first)"},
	{Name: "offset", Type: "integer", Description: "rows to skip"},
	{Name: "limit", Type: "integer", Description: "rows per page (default 50); above 500 is capped to 500", Max: 500},
}

func (a *API) proposalList(r *Request) (any, error) {
	f := proposal.Filter{Theme: proposal.Theme(r.Query("theme")), Kind: proposal.Kind(r.Query("kind")),
		Category: proposal.Category(r.Query("category")), Title: r.Query("q"), ByNumber: r.Query("order") == "number"}
	var err error
	ints := []struct {
		name string
		dst  *int64
	}{{"session", &f.SessionID}, {"unit", &f.UnitID}}
	for _, x := range ints {
		if *x.dst, err = r.QueryInt(x.name); err != nil {
			return nil, err
		}
	}
	for _, x := range []struct {
		name string
		dst  *int
	}{{"offset", &f.Offset}, {"limit", &f.Limit}} {
		n, err := r.QueryInt(x.name)
		if err != nil {
			return nil, err
		}
		*x.dst = int(n)
	}
	if f.KeyOnly, err = r.QueryBool("key"); err != nil {
		return nil, err
	}
	if f.Overdue, err = r.QueryBool("overdue"); err != nil {
		return nil, err
	}
	for _, st := range r.URL.Query()["state"] {
		if !slices.Contains(proposal.ProposalStates, proposal.State(st)) {
			return nil, apperr.Fields(apperr.Field("state", "err.api.bad_query", map[string]any{"Type": "state"}))
		}
		f.States = append(f.States, proposal.State(st))
	}
	return a.deps.Proposals.List(r.Context(), r.Actor, r.Actor.CommitteeID, f)
}

func (a *API) proposalRoutes() []Route {
	s := a.deps.Proposals
	rs := []Route{
		{Method: "GET", Path: "/proposals", Tag: "proposals", Summary: "List the committee's proposals the token's user may see",
			Query: proposalListParams, Result: proposal.Page{}, Handle: a.proposalList},
		{Method: "POST", Path: "/proposals", Tag: "proposals", Summary: "Start a draft (a member; the first proposer)",
			Body: ProposalBody{}, Result: proposal.Proposal{}, Status: 201, Handle: func(r *Request) (any, error) {
				var b ProposalBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return s.Create(r.Context(), r.Actor, b.content())
			}},
		{Method: "POST", Path: "/proposals/paper", Tag: "proposals", Summary: "Enter a paper proposal on a member's behalf (staff, proposal office)",
			Body: PaperBody{}, Result: proposal.Proposal{}, Status: 201, Handle: func(r *Request) (any, error) {
				var b PaperBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				var fe []apperr.FieldError
				on := date("submitted_on", b.SubmittedOn, &fe)
				if len(fe) > 0 {
					return nil, apperr.Fields(fe...)
				}
				return s.EnterPaper(r.Context(), r.Actor, proposal.Paper{Content: b.content(), FirstProposerID: b.FirstProposerID, SubmittedOn: on})
			}},
		{Method: "GET", Path: "/proposals/{id}", Tag: "proposals", Summary: "One proposal with its signers, assignments, replies, evaluations, timeline and the actions the user may take",
			Result: proposal.Detail{}, Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				return s.Get(r.Context(), r.Actor, id)
			}},
		{Method: "PUT", Path: "/proposals/{id}", Tag: "proposals", Summary: "Change a draft or returned proposal (first proposer)",
			Body: ProposalBody{}, Result: proposal.Proposal{}, Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				var b ProposalBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return s.Update(r.Context(), r.Actor, proposal.Ref{ID: id, Version: b.Version}, b.content())
			}},
	}
	for _, act := range proposalActions {
		act := act
		rs = append(rs, Route{Method: "POST", Path: "/proposals/{id}/" + act.name, Tag: "proposals", Summary: act.summary,
			Body: ActionBody{}, Result: proposal.Proposal{}, Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				var b ActionBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				var fe []apperr.FieldError
				return act.call(r.Context(), s, r.Actor, proposal.Ref{ID: id, Version: b.Version}, b, &fe)
			}})
	}
	return rs
}

func enumStrings[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
