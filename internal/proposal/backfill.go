package proposal

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// PermBackfill is entering a proposal's past (补录): the proposal office.
const PermBackfill auth.Action = "proposal.backfill"

func init() { auth.Grant(PermBackfill, auth.RoleProposalOffice) }

// History is a proposal's whole past as the proposal office enters it (补录),
// every step with its real date. Backfill replays it through the live use
// cases, so each step is checked as it would have been on its day; a step left
// empty (nil or a zero date) and everything after it did not happen (yet).
//
//	p, err := svc.Backfill(ctx, office, proposal.History{
//		Content: c, FirstProposer: mid, SubmittedOn: civil.MustParse("2018-01-20"),
//		Registered: &proposal.Registration{On: civil.MustParse("2018-02-02"), Seq: 15},
//		Assigned: &proposal.HistoryAssignment{On: civil.MustParse("2018-03-05"), Mode: proposal.Single, Units: []int64{uid}},
//		Replies: []proposal.HistoryReply{{Unit: uid, On: civil.MustParse("2018-05-28"), Class: "A",
//			Letter: "……", ApprovedOn: civil.MustParse("2018-05-30")}},
//	})
type History struct {
	// Content: kind, theme, title and texts; CoSigners are memberships. SessionID 0: the
	// session whose submission window the submission date falls in (CurrentSession).
	Content
	FirstProposer int64      // membership of the 第一提案人
	CoSignedOn    civil.Date // joint: the day the co-signers signed (zero: SubmittedOn)
	SubmittedOn   civil.Date // required

	// The review: one of the three, or none (still awaiting review).
	Registered *Registration // 立案, with the original number
	Declined   *Declination  // 不予立案
	Withdrawn  civil.Date    // 撤案 by the first proposer

	Assigned    *HistoryAssignment  // 交办, and the units' signing for it
	Contacts    []HistoryContact    // 办前面商
	Replies     []HistoryReply      // one per unit that writes a reply
	Evaluations []HistoryEvaluation // by the signers
	FollowUps   []HistoryFollowUp   // 回头看 (after closing, in a later year, as live)
	// ClosedOn: the office closes the proposal after the evaluation period
	// (zero: it closes by itself once every signer evaluated, or stays replied).
	ClosedOn civil.Date
}

// Registration is 立案: its date and the proposal's original number in its
// session (Seq 15 for 九届二次-015; 0 takes the session's next number).
type Registration struct {
	On  civil.Date
	Seq int
}

// Declination is 不予立案: its date, the reason code of the committee's list and a note.
type Declination struct {
	On     civil.Date
	Reason string
	Note   string
}

// HistoryAssignment is 交办: its date, mode and units (会办: lead first), the due
// date (zero: the committee's rule from that day) and the day the units signed
// for it (签收; zero: the day of assignment).
type HistoryAssignment struct {
	On         civil.Date
	Mode       Mode
	Units      []int64
	DueOn      civil.Date
	AcceptedOn civil.Date
}

// HistoryContact is one 办前面商 of a unit (ContactInput.On is its date).
type HistoryContact struct {
	Unit int64
	ContactInput
}

// HistoryReply is a unit's reply: the day it handed the reply in (On, which
// decides "on time"), its result class and letter, and the day the office
// approved and delivered it (zero: still under review). A 会办 reply is the
// lead unit's; the co-units countersign it on its day.
type HistoryReply struct {
	Unit       int64
	On         civil.Date
	Class      string
	Letter     string
	ApprovedOn civil.Date
}

// HistoryEvaluation is a signer's evaluation (Signer: membership) on its day.
type HistoryEvaluation struct {
	Signer int64
	On     civil.Date
	EvaluationInput
}

// HistoryFollowUp is a 回头看 of a unit's B/C reply, in the year of On.
type HistoryFollowUp struct {
	Unit        int64
	On          civil.Date
	ResultClass string
	Note        string
}

// step is one replayed use case.
type step struct {
	name  string     // the action, for errors: "register", "approve" …
	field string     // the History field that holds its date, e.g. "replies[0].on"
	on    civil.Date // its real date
	rank  int        // order among steps of one day
	// after: the step must not be dated before this one (its prerequisite).
	after      civil.Date
	afterField string
	seq        int // register: the original number
	do         func(ctx context.Context) error
}

// Backfill enters a proposal's past (补录) in one transaction: every step of h
// runs through the live use case on its real date, acted by whom it was
// (the member, the unit, the office), recorded on the timeline and in the
// audit log as entered later by actor, and counted in the figures by its
// real date. An impossible order or date refuses the whole history with an
// Invalid error whose field names the step's History field (e.g.
// "replies[0].on"). It returns the proposal as the history leaves it.
func (s *Service) Backfill(ctx context.Context, actor *auth.Actor, h History) (*Proposal, error) {
	if err := canBackfill(actor); err != nil {
		return nil, err
	}
	var out *Proposal
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.backfill(ctx, tx, actor, h)
		return err
	})
	return out, err
}

func canBackfill(actor *auth.Actor) error {
	if actor == nil {
		return apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	if !auth.Can(actor, PermBackfill) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return nil
}

// backfill replays h inside tx (a ledger import holds one tx for all rows).
func (s *Service) backfill(ctx context.Context, tx *sql.Tx, actor *auth.Actor, h History) (*Proposal, error) {
	b := &backfiller{s: s, tx: tx, office: actor, h: h, units: map[int64]*auth.Actor{}}
	r := &replay{tx: tx, by: actor, at: db.Now()}
	rctx := withReplay(ctx, r)
	steps, err := b.plan(rctx)
	if err != nil {
		return nil, err
	}
	today := s.today()
	for _, st := range steps {
		if st.on.IsZero() {
			return nil, invalid(st.field, "err.required")
		}
		if st.on.After(today) {
			return nil, invalid(st.field, "err.proposal.backfill.future", map[string]any{"Today": today.String()})
		}
		if !st.after.IsZero() && st.on.Before(st.after) {
			return nil, invalid(st.field, "err.proposal.backfill.before",
				map[string]any{"On": st.on.String(), "After": st.after.String(), "Step": st.afterField})
		}
	}
	slices.SortStableFunc(steps, func(a, c step) int {
		if n := a.on.DaysUntil(c.on); n != 0 {
			return -n
		}
		return cmp.Compare(a.rank, c.rank)
	})
	for _, st := range steps {
		r.on, r.seq = st.on, st.seq
		if err := st.do(rctx); err != nil {
			var ne namedErr
			if errors.As(err, &ne) { // the backfiller named the field itself
				return nil, ne.err
			}
			return nil, stepError(st, err)
		}
	}
	if b.p == nil {
		return nil, invalid("submitted_on", "err.required")
	}
	return loadProposal(ctx, tx, b.p.ID)
}

// stepError names the failed step: every field of the use case's error (or
// its message) is reported on the step's History field.
func stepError(st step, err error) error {
	e := apperr.As(err)
	if e == nil || e.Code == apperr.Internal {
		return fmt.Errorf("backfill %s on %s: %w", st.name, st.on, err)
	}
	args := func(a map[string]any) map[string]any {
		m := map[string]any{"Step": st.name, "On": st.on.String()}
		for k, v := range a {
			m[k] = v
		}
		return m
	}
	out := &apperr.Error{Code: apperr.Invalid, Key: "err.proposal.backfill.failed", Args: args(nil),
		Err: fmt.Errorf("backfill %s on %s: %w", st.name, st.on, err)}
	if len(e.Fields) == 0 {
		out.Fields = []apperr.FieldError{apperr.Field(st.field, e.Key, args(e.Args))}
	}
	for _, fe := range e.Fields {
		field := st.field
		if fe.Field == "number" { // the original number, not the day, is at fault
			field = "registered.seq"
		}
		out.Fields = append(out.Fields, apperr.Field(field, fe.Key, args(fe.Args)))
	}
	return out
}

// namedErr is an error the backfiller raised about a History field it names.
type namedErr struct{ err error }

func (e namedErr) Error() string { return e.err.Error() }
func (e namedErr) Unwrap() error { return e.err }

// named is invalid(field, key, args) raised by the backfiller inside a step.
func named(field, key string, args ...map[string]any) error {
	return namedErr{invalid(field, key, args...)}
}

// backfiller plans and acts one history.
type backfiller struct {
	s      *Service
	tx     *sql.Tx
	office *auth.Actor
	h      History
	p      *Proposal
	units  map[int64]*auth.Actor
}

// plan lists the history's steps with their dates and prerequisites.
func (b *backfiller) plan(ctx context.Context) ([]step, error) {
	h := b.h
	var steps []step
	add := func(st step) { steps = append(steps, st) }
	first, err := b.member(ctx, h.FirstProposer)
	if err != nil {
		return nil, invalid("first_proposer", "err.proposal.backfill.unknown_member")
	}
	signOn := h.SubmittedOn
	if h.Kind == Joint && !h.CoSignedOn.IsZero() {
		signOn = h.CoSignedOn
	}
	add(step{name: "create", field: "submitted_on", on: signOn, rank: 0, do: func(ctx context.Context) error {
		var err error
		b.p, err = b.s.Create(ctx, first, h.Content)
		return err
	}})
	if h.Kind == Joint {
		add(step{name: "start_sign", field: "co_signed_on", on: signOn, rank: 1, do: func(ctx context.Context) error {
			_, err := b.s.StartSigning(ctx, first, b.ref(), civil.Date{})
			return err
		}})
		for i, m := range h.CoSigners {
			add(step{name: "sign", field: "co_signed_on", on: signOn, rank: 2, do: func(ctx context.Context) error {
				co, err := b.member(ctx, m)
				if err != nil {
					return named(fmt.Sprintf("co_signers[%d]", i), "err.proposal.backfill.unknown_member")
				}
				_, err = b.s.Sign(ctx, co, b.ref())
				return err
			}})
		}
	}
	add(step{name: "submit", field: "submitted_on", on: h.SubmittedOn, rank: 3, after: signOn, afterField: "co_signed_on",
		do: func(ctx context.Context) error { _, err := b.s.Submit(ctx, first, b.ref()); return err }})
	reviewed := h.SubmittedOn
	switch {
	case h.Registered != nil:
		reviewed = h.Registered.On
		add(step{name: "register", field: "registered.on", on: h.Registered.On, rank: 4, seq: h.Registered.Seq,
			after: h.SubmittedOn, afterField: "submitted_on",
			do: func(ctx context.Context) error { _, err := b.s.Register(ctx, b.office, b.ref()); return err }})
	case h.Declined != nil:
		add(step{name: "decline", field: "declined.on", on: h.Declined.On, rank: 4, after: h.SubmittedOn, afterField: "submitted_on",
			do: func(ctx context.Context) error {
				_, err := b.s.Decline(ctx, b.office, b.ref(), h.Declined.Reason, h.Declined.Note)
				return err
			}})
	case !h.Withdrawn.IsZero():
		add(step{name: "withdraw", field: "withdrawn", on: h.Withdrawn, rank: 4, after: h.SubmittedOn, afterField: "submitted_on",
			do: func(ctx context.Context) error { _, err := b.s.Withdraw(ctx, first, b.ref(), ""); return err }})
	}
	return b.planHandling(steps, reviewed)
}

// planHandling adds the steps from assignment on.
func (b *backfiller) planHandling(steps []step, reviewed civil.Date) ([]step, error) {
	h := b.h
	add := func(st step) { steps = append(steps, st) }
	accepted := civil.Date{}
	if a := h.Assigned; a != nil {
		add(step{name: "assign", field: "assigned.on", on: a.On, rank: 5, after: reviewed, afterField: "registered.on",
			do: func(ctx context.Context) error {
				_, err := b.s.Assign(ctx, b.office, b.ref(), AssignInput{Mode: a.Mode, Units: a.Units, DueOn: a.DueOn})
				return err
			}})
		accepted = a.AcceptedOn
		if accepted.IsZero() {
			accepted = a.On
		}
		for _, u := range a.Units {
			add(step{name: "accept", field: "assigned.accepted_on", on: accepted, rank: 6, after: a.On, afterField: "assigned.on",
				do: func(ctx context.Context) error { return b.asUnit(ctx, u, "assigned.units", b.s.Accept) }})
		}
	} else if len(h.Contacts)+len(h.Replies) > 0 {
		return nil, invalid("assigned.on", "err.proposal.backfill.not_assigned")
	}
	for i, c := range h.Contacts {
		add(step{name: "contact", field: fmt.Sprintf("contacts[%d].on", i), on: c.On, rank: 7, after: accepted, afterField: "assigned.accepted_on",
			do: func(ctx context.Context) error {
				return b.asUnit(ctx, c.Unit, fmt.Sprintf("contacts[%d].unit", i), func(ctx context.Context, u *auth.Actor, ref Ref) (*Proposal, error) {
					return b.s.LogContact(ctx, u, ref, c.ContactInput)
				})
			}})
	}
	var lastApproved civil.Date
	for i, r := range h.Replies {
		steps = append(steps, b.replySteps(i, r, accepted)...)
		if r.ApprovedOn.After(lastApproved) {
			lastApproved = r.ApprovedOn
		}
	}
	if len(h.Evaluations)+len(h.FollowUps) > 0 && len(h.Replies) == 0 {
		return nil, invalid("replies", "err.proposal.backfill.no_reply")
	}
	for i, fu := range h.FollowUps {
		add(step{name: "follow_up", field: fmt.Sprintf("follow_ups[%d].on", i), on: fu.On, rank: 15, after: lastApproved, afterField: "replies",
			do: func(ctx context.Context) error {
				asg, err := b.assignmentOf(ctx, fu.Unit, fmt.Sprintf("follow_ups[%d].unit", i))
				if err != nil {
					return err
				}
				_, err = b.s.FollowUp(ctx, b.office, b.ref(), FollowUpInput{AssignmentID: asg, Year: fu.On.Year, ResultClass: fu.ResultClass, Note: fu.Note})
				return err
			}})
	}
	for i, e := range h.Evaluations {
		add(step{name: "evaluate", field: fmt.Sprintf("evaluations[%d].on", i), on: e.On, rank: 13, after: lastApproved, afterField: "replies",
			do: func(ctx context.Context) error {
				m, err := b.member(ctx, e.Signer)
				if err != nil {
					return named(fmt.Sprintf("evaluations[%d].signer", i), "err.proposal.backfill.unknown_member")
				}
				_, err = b.s.Evaluate(ctx, m, b.ref(), e.EvaluationInput)
				if apperr.CodeOf(err) == apperr.NotFound { // a member who did not sign cannot even see it
					return named(fmt.Sprintf("evaluations[%d].signer", i), "err.proposal.only_signers_evaluate")
				}
				return err
			}})
	}
	if !h.ClosedOn.IsZero() {
		add(step{name: "close", field: "closed_on", on: h.ClosedOn, rank: 14, after: lastApproved, afterField: "replies",
			do: func(ctx context.Context) error { return b.close(ctx) }})
	}
	return steps, nil
}

// replySteps are a unit's reply: drafted and handed in on its day (会办: the
// co-units countersign in between), approved by the office on its approval day.
func (b *backfiller) replySteps(i int, r HistoryReply, accepted civil.Date) []step {
	field := fmt.Sprintf("replies[%d]", i)
	unitField := field + ".unit"
	steps := []step{
		{name: "draft_reply", field: field + ".on", on: r.On, rank: 8, after: accepted, afterField: "assigned.accepted_on",
			do: func(ctx context.Context) error {
				return b.asUnit(ctx, r.Unit, unitField, func(ctx context.Context, u *auth.Actor, ref Ref) (*Proposal, error) {
					return b.s.DraftReply(ctx, u, ref, ReplyInput{ResultClass: r.Class, Body: r.Letter})
				})
			}},
	}
	if b.h.Assigned != nil && b.h.Assigned.Mode == JointMode && len(b.h.Assigned.Units) > 1 && r.Unit == b.h.Assigned.Units[0] {
		for _, co := range b.h.Assigned.Units[1:] {
			steps = append(steps, step{name: "countersign", field: field + ".on", on: r.On, rank: 9,
				do: func(ctx context.Context) error {
					return b.asUnit(ctx, co, "assigned.units", func(ctx context.Context, u *auth.Actor, ref Ref) (*Proposal, error) {
						return b.s.Countersign(ctx, u, ref, "")
					})
				}})
		}
	}
	steps = append(steps, step{name: "submit_reply", field: field + ".on", on: r.On, rank: 10,
		do: func(ctx context.Context) error { return b.asUnit(ctx, r.Unit, unitField, b.s.SubmitReply) }})
	if !r.ApprovedOn.IsZero() {
		steps = append(steps, step{name: "approve", field: field + ".approved_on", on: r.ApprovedOn, rank: 11, after: r.On, afterField: field + ".on",
			do: func(ctx context.Context) error {
				asg, err := b.assignmentOf(ctx, r.Unit, unitField)
				if err != nil {
					return err
				}
				_, err = b.s.Approve(ctx, b.office, b.ref(), asg, "", "")
				return err
			}})
	}
	return steps
}

func (b *backfiller) ref() Ref { return Ref{ID: b.p.ID} }

// member is a stand-in actor for a membership of the office's committee: the
// member as the use cases know them (the person, the member role).
func (b *backfiller) member(ctx context.Context, membershipID int64) (*auth.Actor, error) {
	var personID int64
	var name string
	err := b.tx.QueryRowContext(ctx, `SELECT m.person_id, p.name FROM memberships m JOIN people p ON p.id = m.person_id
		WHERE m.id = $1 AND m.committee_id = $2`, membershipID, b.office.CommitteeID).Scan(&personID, &name)
	if err != nil {
		return nil, err
	}
	return &auth.Actor{Name: name, CommitteeID: b.office.CommitteeID, Roles: []auth.Role{auth.RoleMember}, PersonID: personID}, nil
}

// asUnit runs a unit's use case as a stand-in actor for the unit.
func (b *backfiller) asUnit(ctx context.Context, unitID int64, field string, fn func(context.Context, *auth.Actor, Ref) (*Proposal, error)) error {
	u, ok := b.units[unitID]
	if !ok {
		var name string
		err := b.tx.QueryRowContext(ctx, `SELECT name FROM units WHERE id = $1 AND committee_id = $2`, unitID, b.office.CommitteeID).Scan(&name)
		if err != nil {
			return named(field, "err.proposal.unit_unknown")
		}
		u = &auth.Actor{Name: name, CommitteeID: b.office.CommitteeID, Roles: []auth.Role{auth.RoleUnit}, UnitID: unitID}
		b.units[unitID] = u
	}
	_, err := fn(ctx, u, b.ref())
	if apperr.CodeOf(err) == apperr.NotFound { // the unit holds no assignment on this proposal
		return named(field, "err.proposal.backfill.unit_not_assigned", map[string]any{"Unit": u.Name})
	}
	return err
}

// assignmentOf returns the unit's assignment on the proposal.
func (b *backfiller) assignmentOf(ctx context.Context, unitID int64, field string) (int64, error) {
	var id int64
	err := b.tx.QueryRowContext(ctx, `SELECT id FROM proposal_assignments WHERE proposal_id = $1 AND unit_id = $2`, b.p.ID, unitID).Scan(&id)
	if err != nil {
		return 0, named(field, "err.proposal.backfill.unit_not_assigned", map[string]any{"Unit": unitID})
	}
	return id, nil
}

// close closes the proposal on ClosedOn, unless the last evaluation closed it
// by itself already: on that very day that is the same history (a ledger
// states the closing day either way); on another day it is a contradiction.
func (b *backfiller) close(ctx context.Context) error {
	p, err := loadProposal(ctx, b.tx, b.p.ID)
	if err != nil {
		return err
	}
	if p.State == Closed {
		if p.ClosedOn == b.h.ClosedOn {
			return nil
		}
		return named("closed_on", "err.proposal.backfill.closed_on_differs", map[string]any{"On": p.ClosedOn.String()})
	}
	_, err = b.s.Close(ctx, b.office, b.ref(), "")
	return err
}
