package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/proposal"
)

// propInput is what one action reads from its form: the values, and field
// errors for values that did not parse.
type propInput struct {
	v      url.Values
	fe     []apperr.FieldError
	letter *proposal.LetterFile // draft_reply: the uploaded reply letter, if any
}

func (in *propInput) str(name string) string      { return strings.TrimSpace(in.v.Get(name)) }
func (in *propInput) id(name string) int64        { return formID(in.v, name, &in.fe) }
func (in *propInput) ids(name string) []int64     { return formIDs(in.v, name, &in.fe) }
func (in *propInput) flag(name string) bool       { return in.v.Get(name) == "1" }
func (in *propInput) date(name string) civil.Date { return formDate(in.v, name, &in.fe) }
func (in *propInput) asg() int64                  { return in.id("assignment") }
func (in *propInput) bad(field, key string) error {
	in.fe = append(in.fe, apperr.Field(field, key))
	return nil
}

// propStep performs one action on a proposal as actor.
type propStep func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error

// propSteps are the actions a proposal's page posts to /proposals/{id}/{action},
// named as in the workflow table.
var propSteps = map[string]propStep{
	"start_sign": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.StartSigning(ctx, a, ref, in.date("deadline")))
	},
	"cancel_sign": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.CancelSigning(ctx, a, ref))
	},
	"sign": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.Sign(ctx, a, ref))
	},
	"decline_sign": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.DeclineSign(ctx, a, ref))
	},
	"submit": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.Submit(ctx, a, ref))
	},
	"withdraw": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.Withdraw(ctx, a, ref, in.str("reason")))
	},
	"return": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.Return(ctx, a, ref, in.str("note")))
	},
	"register": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.Register(ctx, a, ref))
	},
	"merge": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		lead := in.id("lead_id")
		if lead == 0 {
			return in.bad("lead_id", "err.required")
		}
		return after(s.Merge(ctx, a, ref, lead, in.str("note")))
	},
	"decline": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.Decline(ctx, a, ref, in.str("reason"), in.str("note")))
	},
	"convert": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.Convert(ctx, a, ref, proposal.ConvertTarget(in.str("target"))))
	},
	"assign": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		units := in.ids("units")
		if lead := in.id("lead_unit"); lead != 0 { // 会办: the lead unit first
			units = append([]int64{lead}, without(units, lead)...)
		}
		return after(s.Assign(ctx, a, ref, proposal.AssignInput{Mode: proposal.Mode(in.str("mode")), Units: units,
			DueOn: in.date("due_on"), Note: in.str("note")}))
	},
	"accept": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.Accept(ctx, a, ref))
	},
	"ask_return": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.AskReturn(ctx, a, ref, in.str("reason")))
	},
	"confirm": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.Confirm(ctx, a, ref, in.asg(), in.str("note")))
	},
	"reassign": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		unit := in.id("unit_id")
		if unit == 0 {
			return in.bad("unit_id", "err.required")
		}
		return after(s.Reassign(ctx, a, ref, in.asg(), unit, in.str("note")))
	},
	"ask_extend": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.AskExtension(ctx, a, ref, in.date("due_on"), in.str("reason")))
	},
	"extend": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.Extend(ctx, a, ref, in.asg(), in.date("due_on"), in.str("note")))
	},
	"contact": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.LogContact(ctx, a, ref, proposal.ContactInput{On: in.date("on"),
			Method: proposal.ContactMethod(in.str("method")), People: in.str("people"), Note: in.str("note")}))
	},
	"draft_reply": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.DraftReply(ctx, a, ref, proposal.ReplyInput{ResultClass: in.str("result_class"), Body: in.str("body"),
			Signer: in.str("signer"), ContactName: in.str("contact_name"), ContactPhone: in.str("contact_phone"), Letter: in.letter}))
	},
	"countersign": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.Countersign(ctx, a, ref, in.str("opinion")))
	},
	"submit_reply": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.SubmitReply(ctx, a, ref))
	},
	"send_back": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.SendBack(ctx, a, ref, in.asg(), in.str("note")))
	},
	"approve": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.Approve(ctx, a, ref, in.asg(), in.str("result_class"), in.str("note")))
	},
	"evaluate": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.Evaluate(ctx, a, ref, proposal.EvaluationInput{Overall: proposal.Rating(in.str("overall")),
			Contact: proposal.ContactMade(in.str("contact")), Attitude: proposal.Rating(in.str("attitude")),
			Addressed: proposal.Addressed(in.str("addressed")), Comment: in.str("comment")}))
	},
	"close": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.Close(ctx, a, ref, in.str("note")))
	},
	"mark_key": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.MarkKey(ctx, a, ref, in.flag("key"), in.ids("leaders"), in.str("note")))
	},
	"supervise": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.AddSupervision(ctx, a, ref, proposal.SupervisionInput{On: in.date("on"),
			Kind: proposal.SupervisionKind(in.str("kind")), Note: in.str("note")}))
	},
	"excellent": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.MarkExcellent(ctx, a, ref, in.flag("excellent")))
	},
	"publish_consent": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.SetPublishConsent(ctx, a, ref, in.flag("consent")))
	},
	"publish": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.Publish(ctx, a, ref))
	},
	"unpublish": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.Unpublish(ctx, a, ref, in.str("note")))
	},
	"follow_up": func(ctx context.Context, s *proposal.Service, a *auth.Actor, ref proposal.Ref, in *propInput) error {
		return after(s.FollowUp(ctx, a, ref, proposal.FollowUpInput{AssignmentID: in.asg(), Year: int(in.id("year")),
			ResultClass: in.str("result_class"), Note: in.str("note")}))
	},
}

// after drops a use case's result, keeping its error.
func after(_ *proposal.Proposal, err error) error { return err }

func without(ids []int64, x int64) []int64 {
	var out []int64
	for _, id := range ids {
		if id != x {
			out = append(out, id)
		}
	}
	return out
}

// checkPropInput parses every date and id field a form may carry before any
// step runs, so that a malformed value is refused rather than read as empty.
func checkPropInput(in *propInput) {
	for _, name := range []string{"on", "deadline", "due_on"} {
		in.date(name)
	}
	for _, name := range []string{"lead_id", "unit_id", "assignment", "units", "leaders", "year", "lead_unit"} {
		in.ids(name)
	}
}

// proposalAct runs one action from a proposal's page and goes back to it.
// Bad input or a stale form shows the page again with the message and the
// input kept; refusals (not found, forbidden) show the error page.
func (s *Server) proposalAct(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	name := r.PathValue("action")
	step, ok := propSteps[name]
	if !ok {
		return apperr.ErrNotFound
	}
	in := &propInput{}
	if name == "draft_reply" && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		letter, err := readLetter(w, r)
		if err != nil {
			return s.renderPropFailure(w, r, a, id, name, err)
		}
		in.letter = letter
	} else if err := r.ParseForm(); err != nil {
		return err
	}
	in.v = r.PostForm
	ref := propRef(r, id, &in.fe)
	checkPropInput(in)
	if len(in.fe) > 0 {
		err = apperr.Fields(in.fe...)
	} else if err = step(r.Context(), s.Proposals, a, ref, in); err == nil && len(in.fe) > 0 {
		err = apperr.Fields(in.fe...)
	}
	if err != nil {
		return s.renderPropFailure(w, r, a, id, name, err)
	}
	http.Redirect(w, r, propURL(id)+"?done="+name, http.StatusSeeOther)
	return nil
}
