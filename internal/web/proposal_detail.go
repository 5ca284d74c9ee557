package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/i18n"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
)

// propAsgView is one assignment as its page shows it: the unit's part, its
// contacts and replies, and what the reader may do with it now.
type propAsgView struct {
	proposal.Assignment
	Can      map[string]bool
	Mine     bool
	Overdue  bool
	Reply    *proposal.Reply // the current round's reply
	Replies  []proposal.Reply
	Contacts []proposal.Contact
	LastAsk  civil.Date // last day to ask for a return
}

// propDetailPage is the data of a proposal's page.
type propDetailPage struct {
	D           *proposal.Detail
	Can         map[string]bool // proposal-level actions the reader may take now
	Any         bool            // any action at all (shows the actions panel)
	Asgs        []propAsgView
	Me          *proposal.Signer
	Overdue     bool
	Classes     []proposal.ResultClass
	ClassLabel  map[string]string
	Reasons     []proposal.Reason
	Reason      string // the decline reason's label
	Units       []org.Unit
	Leaders     []proposal.UserRef
	IsLeader    map[int64]bool
	Leads       []proposal.Item
	Settings    proposal.Settings
	DefaultDue  civil.Date
	Today       civil.Date
	ThisYear    int
	EvalLast    civil.Date // the evaluation period's last day
	SeeDrafts   bool       // replies before delivery (the service leaves out those the reader may not see: reply_sight.go)
	Conflict    bool       // the refusal was a conflict (stale form, state changed)
	Typed       []string   // on a conflict: the texts the user typed, shown so nothing is lost
	Done        string
	Error       string
	ErrAction   string
	Fields      []apperr.FieldError
	Form        url.Values
	MaxMiB      int
	Themes      []proposal.Theme
	Methods     []proposal.ContactMethod
	SupKinds    []proposal.SupervisionKind
	Modes       []proposal.Mode
	Ratings     []proposal.Rating
	ContactMade []proposal.ContactMade
	Addressed   []proposal.Addressed
}

// proposalDetail shows a proposal to anyone who may see it; others get 404.
func (s *Server) proposalDetail(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	p, err := s.propDetail(r.Context(), a, id)
	if err != nil {
		return err
	}
	p.Done = propDone(r)
	s.render(w, r, "proposal/detail.html", p)
	return nil
}

// renderPropFailure shows the proposal's page again, fresh from the database,
// with the message of a refused action and the user's input kept in its form.
func (s *Server) renderPropFailure(w http.ResponseWriter, r *http.Request, a *auth.Actor, id int64, action string, cause error) error {
	status, msg, fields, err := formFailure(r, cause)
	if err != nil {
		return err
	}
	p, err := s.propDetail(r.Context(), a, id)
	if err != nil {
		return err
	}
	p.Error, p.Fields, p.ErrAction, p.Form = msg, fields, action, r.PostForm
	if p.Conflict = status == http.StatusConflict; p.Conflict {
		for _, k := range []string{"note", "reason", "body", "comment", "opinion", "people"} {
			if v := strings.TrimSpace(r.PostForm.Get(k)); v != "" {
				p.Typed = append(p.Typed, v)
			}
		}
	}
	w.WriteHeader(status)
	s.render(w, r, "proposal/detail.html", p)
	return nil
}

// propDetail loads a proposal and decides which of the actions the workflow
// table allows the reader are worth offering: those whose guards (deadlines,
// windows, countersigns, who signed) would pass too.
func (s *Server) propDetail(ctx context.Context, a *auth.Actor, id int64) (*propDetailPage, error) {
	d, err := s.Proposals.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	today := s.propToday()
	p := &propDetailPage{D: d, Can: map[string]bool{}, Today: today, ThisYear: today.Year, Me: mySignerIn(d, a),
		Overdue: d.Overdue(today), MaxMiB: proposal.MaxAttachment >> 20, Themes: proposal.Themes,
		Methods: proposal.ContactMethods, Modes: []proposal.Mode{proposal.Single, proposal.JointMode, proposal.Separate},
		SupKinds:    []proposal.SupervisionKind{proposal.SupInspection, proposal.SupMeeting, proposal.SupResearch, proposal.SupInstruction, proposal.SupOther},
		Ratings:     []proposal.Rating{proposal.Satisfied, proposal.Basic, proposal.Dissatisfied},
		ContactMade: []proposal.ContactMade{proposal.Visited, proposal.NotNeeded, proposal.NotVisited},
		Addressed:   []proposal.Addressed{proposal.Targeted, proposal.BasicTargeted, proposal.NotTargeted}}
	for i := range d.Events { // show instants in the committee's zone, codes as words
		d.Events[i].At = d.Events[i].At.In(civil.Shanghai)
		d.Events[i].Note = eventNote(a.Lang, d.Events[i])
	}
	for i := range d.Assignments {
		if !d.Assignments[i].AcceptedAt.IsZero() {
			d.Assignments[i].AcceptedAt = d.Assignments[i].AcceptedAt.In(civil.Shanghai)
		}
	}
	p.SeeDrafts = d.MyAssignment != 0 || auth.Can(a, proposal.PermReview)
	if err := s.propLists(ctx, a, p); err != nil {
		return nil, err
	}
	d.Events = dedupeEvents(d.Events)
	for i, e := range d.Events {
		if l, ok := p.ClassLabel[e.Note]; ok && (e.Action == "draft_reply" || e.Action == "follow_up") {
			d.Events[i].Note = l
		}
	}
	cal, err := s.propCalendar(ctx, a)
	if err != nil {
		return nil, err
	}
	p.DefaultDue = cal.NextWorkday(today.AddMonths(p.Settings.DeadlineMonths))
	if !d.RepliedOn.IsZero() {
		p.EvalLast = cal.AddWorkdays(d.RepliedOn, p.Settings.EvaluationWorkdays)
	}
	for _, act := range d.Can {
		if s.propOffer(p, act) {
			p.Can[string(act)] = true
		}
	}
	s.propPublication(a, p)
	p.Asgs = s.propAssignments(p, cal)
	p.Any = len(p.Can) > 0
	for _, v := range p.Asgs {
		p.Any = p.Any || len(v.Can) > 0
	}
	return p, s.propPickers(ctx, a, p)
}

// dedupeEvents drops the proposal's own event when it repeats the unit's
// step just before it (a single unit's 签收 moves both the assignment and the
// proposal the same way): the timeline then reads once per step.
func dedupeEvents(es []proposal.Event) []proposal.Event {
	out := es[:0:0]
	for i, e := range es {
		if i > 0 {
			p := es[i-1]
			if e.AssignmentID == 0 && p.AssignmentID != 0 && e.Action == p.Action && e.ActorName == p.ActorName &&
				e.From == p.From && e.To == p.To {
				if e.Note != "" && out[len(out)-1].Note == "" {
					out[len(out)-1].Note = e.Note
				}
				continue
			}
		}
		out = append(out, e)
	}
	return out
}

// eventNote shows the codes some timeline notes hold (a contact method, a
// rating, a supervision kind …) in words; other notes are shown as written.
func eventNote(lang string, e proposal.Event) string {
	prefix := map[string]string{"contact": "pw.method.", "evaluate": "pw.rating.", "convert": "pw.convert.",
		"supervise": "pw.sup.", "publish_consent": "pw.consent."}[e.Action]
	if prefix != "" && i18n.Has(lang, prefix+e.Note) {
		return i18n.T(lang, prefix+e.Note)
	}
	return e.Note
}

func (s *Server) propToday() civil.Date {
	if s.Proposals.Today != nil {
		return s.Proposals.Today()
	}
	return civil.Today()
}

// propCalendar is the committee's working-day calendar.
func (s *Server) propCalendar(ctx context.Context, a *auth.Actor) (*civil.Calendar, error) {
	days, err := s.Proposals.Calendar(ctx, a)
	if err != nil {
		return nil, err
	}
	return civil.NewCalendar(days), nil
}

// propLists loads the committee's settings, result classes and decline reasons.
func (s *Server) propLists(ctx context.Context, a *auth.Actor, p *propDetailPage) error {
	var err error
	if p.Settings, err = s.Proposals.Settings(ctx, a); err != nil {
		return err
	}
	if p.Classes, err = s.Proposals.ResultClasses(ctx, a); err != nil {
		return err
	}
	if p.Reasons, err = s.Proposals.DeclineReasons(ctx, a); err != nil {
		return err
	}
	p.ClassLabel = map[string]string{}
	for _, c := range p.Classes {
		p.ClassLabel[c.Code] = c.Code + " " + c.Label(a.Lang)
	}
	for _, rs := range p.Reasons {
		if rs.Code == p.D.DeclineReason {
			p.Reason = rs.Label(a.Lang)
		}
	}
	return nil
}

// propOffer applies the guards the service checks after the table, so that no
// button is shown that the service would refuse.
func (s *Server) propOffer(p *propDetailPage, act proposal.Action) bool {
	d := p.D
	switch act {
	case proposal.ActSubmit:
		if d.State == proposal.Signing {
			return signingReady(d, p.Today)
		}
		return d.State != proposal.Draft || d.Kind != proposal.Joint
	case proposal.ActStartSign:
		return d.Kind == proposal.Joint
	case proposal.ActSign, proposal.ActDeclineSign:
		return p.Me != nil && p.Me.Status == proposal.Invited && !p.Today.After(d.SigningDeadline)
	case proposal.ActEvaluate:
		return d.EvalRound > 0 // the service decided: a signer, once per round, within its window
	case proposal.ActConvert:
		return d.ConvertedTo == ""
	case proposal.ActSupervise:
		return d.Key
	case proposal.ActAttach:
		return len(d.Attachments) < proposal.MaxAttachments
	case proposal.ActClose:
		return allSignersEvaluated(d) || p.Today.After(p.EvalLast)
	case proposal.ActRehandle:
		return false
	}
	return true
}

// propPublication offers the publication steps, which are not in the
// workflow table: the first proposer's consent (after the draft stage; the
// draft form carries it before), and publishing by the office.
func (s *Server) propPublication(a *auth.Actor, p *propDetailPage) {
	d := p.D
	switch d.State {
	case proposal.Draft, proposal.Returned, proposal.Withdrawn, proposal.Merged, proposal.NotRegistered:
	default:
		if p.Me != nil && p.Me.Role == "first" {
			p.Can["publish_consent"] = true
		}
	}
	if !auth.Can(a, proposal.PermPublish) || a.CommitteeID != d.CommitteeID {
		return
	}
	replied := d.State == proposal.Replied || d.State == proposal.Rehandling || d.State == proposal.Closed
	if replied && d.PublishConsent && !d.Published {
		p.Can["publish"] = true
	}
	if d.Published {
		p.Can["unpublish"] = true
	}
}

// signingReady reports whether a joint proposal in signing may be submitted.
func signingReady(d *proposal.Detail, today civil.Date) bool {
	signed, pending := 0, 0
	for _, sg := range d.Signers {
		switch {
		case sg.Role == "co" && sg.Status == proposal.Signed:
			signed++
		case sg.Role == "co" && sg.Status == proposal.Invited:
			pending++
		}
	}
	return signed > 0 && (pending == 0 || today.After(d.SigningDeadline))
}

func allSignersEvaluated(d *proposal.Detail) bool {
	for _, sg := range d.Signers {
		if sg.Status == proposal.Signed && !evaluated(d, sg.MembershipID) {
			return false
		}
	}
	return true
}

// propAssignments builds the assignment views with their offered actions.
func (s *Server) propAssignments(p *propDetailPage, cal *civil.Calendar) []propAsgView {
	d := p.D
	var lead *proposal.Assignment
	coDone := true
	for i := range d.Assignments {
		switch d.Assignments[i].Role {
		case proposal.RoleLead:
			lead = &d.Assignments[i]
		case proposal.RoleCo:
			coDone = coDone && d.Assignments[i].State == proposal.Countersigned
		}
	}
	var out []propAsgView
	for _, asg := range d.Assignments {
		v := propAsgView{Assignment: asg, Can: map[string]bool{}, Mine: asg.ID == d.MyAssignment,
			LastAsk: cal.AddWorkdays(asg.AssignedOn, p.Settings.ReturnWorkdays)}
		v.Overdue = !asg.DueOn.IsZero() && asg.DueOn.Before(p.Today) && asg.Role.Replies() &&
			asg.State != proposal.Replied && asg.State != proposal.Countersigned
		for _, c := range d.Contacts {
			if c.AssignmentID == asg.ID {
				v.Contacts = append(v.Contacts, c)
			}
		}
		for i, r := range d.Replies {
			if r.AssignmentID == asg.ID {
				v.Replies = append(v.Replies, r)
				if r.Round == d.Round {
					v.Reply = &d.Replies[i]
				}
			}
		}
		for _, act := range d.AssignmentCan[asg.ID] {
			ok := true
			switch act {
			case proposal.ActAskReturn:
				ok = asg.ReturnRequests == 0 && !p.Today.After(v.LastAsk)
			case proposal.ActCountersign:
				ok = lead != nil && lead.State == proposal.ReplyDrafted
			case proposal.ActSubmitReply:
				ok = asg.Role != proposal.RoleLead || coDone
			case proposal.ActFollowUp:
				ok = v.Reply != nil && classFollowUp(p.Classes, v.Reply.ResultClass)
			}
			if ok {
				v.Can[string(act)] = true
			}
		}
		out = append(out, v)
	}
	return out
}

func classFollowUp(cs []proposal.ResultClass, code string) bool {
	for _, c := range cs {
		if c.Code == code {
			return c.FollowUp
		}
	}
	return false
}

// propPickers loads the choices the offered forms need: units to assign or
// reassign to, leaders to supervise, registered proposals to merge into.
func (s *Server) propPickers(ctx context.Context, a *auth.Actor, p *propDetailPage) error {
	needUnits := p.Can[string(proposal.ActAssign)]
	for _, v := range p.Asgs {
		needUnits = needUnits || v.Can[string(proposal.ActReassign)]
	}
	var err error
	if needUnits {
		if p.Units, err = s.Org.Units(ctx, a, a.CommitteeID, org.UnitFilter{Active: "yes"}); err != nil {
			return err
		}
	}
	if p.Can[string(proposal.ActMarkKey)] {
		if p.Leaders, err = s.Proposals.Leaders(ctx, a); err != nil {
			return err
		}
		p.IsLeader = map[int64]bool{}
		for _, sup := range p.D.Supervisors {
			p.IsLeader[sup.UserID] = true
		}
	}
	if p.Can[string(proposal.ActMerge)] {
		f := proposal.Filter{SessionID: p.D.SessionID, ByNumber: true, Limit: 500}
		page, err := s.Proposals.List(ctx, a, a.CommitteeID, f)
		if err != nil {
			return err
		}
		for _, it := range page.Items {
			if it.ID != p.D.ID && it.Number != "" && it.State != proposal.Merged && it.State != proposal.Withdrawn {
				p.Leads = append(p.Leads, it)
			}
		}
		if len(p.Leads) == 0 {
			delete(p.Can, string(proposal.ActMerge))
		}
	}
	return nil
}

// Val is the value the user typed into field of action's form, kept when that
// action was refused so nothing typed is lost.
func (p *propDetailPage) Val(action, field string) string {
	if p.ErrAction != action || p.Form == nil {
		return ""
	}
	return p.Form.Get(field)
}

// Errs are the field errors of action's form.
func (p *propDetailPage) Errs(action string) []apperr.FieldError {
	if p.ErrAction != action {
		return nil
	}
	return p.Fields
}

// Failed reports whether action's form was the one refused (its form opens).
func (p *propDetailPage) Failed(action string) bool { return p.ErrAction == action }

// Chosen reports whether the refused form of action had id among field's values.
func (p *propDetailPage) Chosen(action, field string, id int64) bool {
	if p.ErrAction != action || p.Form == nil {
		return false
	}
	for _, v := range p.Form[field] {
		if v == itoa(id) {
			return true
		}
	}
	return false
}
