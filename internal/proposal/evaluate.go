package proposal

import (
	"context"
	"slices"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
)

// EvaluationInput is a signer's judgement of the reply.
type EvaluationInput struct {
	Overall   Rating      // 满意 / 基本满意 / 不满意
	Contact   ContactMade // was there contact
	Attitude  Rating      // the unit's attitude
	Addressed Addressed   // does the reply address the proposal
	Comment   string
}

func (in EvaluationInput) validate() error {
	ratings := []Rating{Satisfied, Basic, Dissatisfied}
	var f []apperr.FieldError
	if !slices.Contains(ratings, in.Overall) {
		f = append(f, apperr.Field("overall", "err.proposal.bad_choice"))
	}
	if !slices.Contains([]ContactMade{Visited, NotNeeded, NotVisited}, in.Contact) {
		f = append(f, apperr.Field("contact", "err.proposal.bad_choice"))
	}
	if !slices.Contains(ratings, in.Attitude) {
		f = append(f, apperr.Field("attitude", "err.proposal.bad_choice"))
	}
	if !slices.Contains([]Addressed{Targeted, BasicTargeted, NotTargeted}, in.Addressed) {
		f = append(f, apperr.Field("addressed", "err.proposal.bad_choice"))
	}
	if in.Overall == Dissatisfied && strings.TrimSpace(in.Comment) == "" {
		f = append(f, apperr.Field("comment", "err.proposal.say_why"))
	}
	if len(f) > 0 {
		return apperr.Fields(f...)
	}
	return nil
}

// Evaluation rights. Each signer who signed evaluates the reply of each round
// at most once, while that round's evaluation window is open: from the
// delivery of the round's reply (the proposal's RepliedOn) until
// EvaluationWorkdays working days after it, or until the next round's reply is
// delivered, whichever comes first (from then on the newer reply is the one to
// judge).
//
// A 不满意 in round 1 starts round 2 (再办理) at once: the units re-handle
// without waiting for the other signers, as a dissatisfied proposer expects.
// The signers who have not evaluated round 1 keep the right to evaluate it
// while its window is open, though the proposal is then REHANDLING: such an
// evaluation is recorded for round 1 and counted like any other, and changes
// no state (a second 不满意 starts nothing more). docs/FIGURES.md repeats this.

// evaluationWindow returns the round whose reply is open for evaluation in the
// proposal's state (0: none) and the last day of its window; the next round's
// reply closing it early is the state moving on from REHANDLING.
func (o *op) evaluationWindow() (round int, last civil.Date, err error) {
	switch o.p.State {
	case Replied:
		round = o.p.Round
	case Rehandling: // round 2 under way; the reply under evaluation is round 1's
		round = o.p.Round - 1
	}
	if round < 1 || o.p.RepliedOn.IsZero() {
		return 0, civil.Date{}, nil
	}
	st, cal, err := o.deadlines()
	if err != nil {
		return 0, civil.Date{}, err
	}
	return round, cal.AddWorkdays(o.p.RepliedOn, st.EvaluationWorkdays), nil
}

// Evaluate records the acting signer's evaluation of the reply open for
// evaluation (see evaluationWindow). Only a member who signed may evaluate
// (never the unit, never staff), once per round, while the window is open. A
// 不满意 in round 1 sends the proposal back to its units for a second round
// (再办理) at once; the evaluation stays on record, and the other signers may
// still evaluate round 1 until its window closes. Once every signer has
// evaluated the current round (and nobody is dissatisfied in round 1) the
// proposal is closed.
func (s *Service) Evaluate(ctx context.Context, actor *auth.Actor, ref Ref, in EvaluationInput) (*Proposal, error) {
	in.Comment = strings.TrimSpace(in.Comment)
	return s.run(ctx, actor, ref, func(o *op) error {
		if !auth.Can(actor, PermEvaluate) {
			return forbidden(ActEvaluate)
		}
		if err := o.move(ActEvaluate, string(in.Overall)); err != nil {
			return err
		}
		me, err := o.mySigner()
		if err != nil {
			return err
		}
		if me.Status != Signed {
			return forbidden(ActEvaluate)
		}
		round, last, err := o.evaluationWindow()
		if err != nil {
			return err
		}
		if round == 0 || o.today.After(last) {
			return apperr.New(apperr.Conflict, "err.proposal.evaluation_closed", map[string]any{"Last": last.String()})
		}
		if err := in.validate(); err != nil {
			return err
		}
		var n int
		if err := o.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM proposal_evaluations WHERE proposal_id = $1 AND membership_id = $2 AND round = $3`,
			o.p.ID, me.MembershipID, round).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.New(apperr.Conflict, "err.proposal.already_evaluated")
		}
		var id int64
		err = o.tx.QueryRowContext(ctx, `INSERT INTO proposal_evaluations (committee_id, proposal_id, membership_id, round, overall,
			contact, attitude, addressed, comment, user_id, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`,
			o.p.CommitteeID, o.p.ID, me.MembershipID, round, in.Overall, in.Contact, in.Attitude, in.Addressed, in.Comment,
			nullID(actor.UserID), stamp(ctx)).Scan(&id)
		if err != nil {
			return err
		}
		if err := o.audit("proposal.evaluate", "proposal_evaluation", id, nil, map[string]any{"round": round, "evaluation": in}); err != nil {
			return err
		}
		switch {
		case round < o.p.Round:
			// A late evaluation of round 1 while round 2 is handled: recorded only.
		case in.Overall == Dissatisfied && round == 1:
			if err := o.rehandle(); err != nil {
				return err
			}
		default:
			done, err := o.allEvaluated()
			if err != nil {
				return err
			}
			if done {
				// The platform closes it, not the last evaluator: the timeline says so.
				if err := o.moveBySystem(ActClose); err != nil {
					return err
				}
				o.p.ClosedOn = o.today
			}
		}
		return o.finish(ActEvaluate)
	})
}

// allEvaluated reports whether every signer who signed evaluated this round.
func (o *op) allEvaluated() (bool, error) {
	var pending int
	err := o.tx.QueryRowContext(o.ctx, `SELECT COUNT(*) FROM proposal_signers s WHERE s.proposal_id = $1 AND s.status = 'signed'
		AND NOT EXISTS (SELECT 1 FROM proposal_evaluations e WHERE e.proposal_id = s.proposal_id
		AND e.membership_id = s.membership_id AND e.round = $2)`, o.p.ID, o.p.Round).Scan(&pending)
	return pending == 0, err
}

// rehandle starts round 2: the proposal and its assignments go to REHANDLING
// with a new due date (the committee's RehandleMonths), and the units are told.
func (o *op) rehandle() error {
	if err := o.moveAs(ActRehandle, []Relation{RelSystem}, ""); err != nil {
		return err
	}
	o.p.Round++
	st, cal, err := o.deadlines()
	if err != nil {
		return err
	}
	due := cal.NextWorkday(o.today.AddMonths(st.RehandleMonths))
	as, err := o.loadAssignments()
	if err != nil {
		return err
	}
	for i := range as {
		a := &as[i]
		if a.State != Replied && a.State != Countersigned {
			continue
		}
		a.DueOn = due
		if err := o.moveAssignmentAs(a, ActRehandle, []Relation{RelSystem}, ""); err != nil {
			return err
		}
		users, err := o.unitUsers(a.UnitID)
		if err != nil {
			return err
		}
		if err := o.notify(users, "rehandle"); err != nil {
			return err
		}
	}
	o.p.DueOn = earliestDue(as)
	users, err := o.officeUsers()
	if err != nil {
		return err
	}
	return o.notify(users, "dissatisfied")
}

// Close closes a replied proposal (proposal office) once every signer evaluated
// or the evaluation period (EvaluationWorkdays after the reply) has passed.
func (s *Service) Close(ctx context.Context, actor *auth.Actor, ref Ref, note string) (*Proposal, error) {
	return s.run(ctx, actor, ref, func(o *op) error {
		if err := o.move(ActClose, strings.TrimSpace(note)); err != nil {
			return err
		}
		done, err := o.allEvaluated()
		if err != nil {
			return err
		}
		if !done {
			st, cal, err := o.deadlines()
			if err != nil {
				return err
			}
			if last := cal.AddWorkdays(o.p.RepliedOn, st.EvaluationWorkdays); !o.today.After(last) {
				return apperr.New(apperr.Conflict, "err.proposal.evaluation_open", map[string]any{"Last": last.String()})
			}
		}
		o.p.ClosedOn = o.today
		return o.finish(ActClose)
	})
}

// fillEvaluation tells the reader of d which reply is open for evaluation
// (EvalLast: its window's last day) and whether they may evaluate it now
// (EvalRound), offering ActEvaluate in d.Can only then: a signer who signed,
// has not evaluated that round, with the window open.
func (o *op) fillEvaluation(d *Detail) error {
	round, last, err := o.evaluationWindow()
	if err != nil || round == 0 {
		d.Can = slices.DeleteFunc(d.Can, func(a Action) bool { return a == ActEvaluate })
		return err
	}
	d.EvalLast = last
	me, err := o.mySigner()
	if err != nil {
		return err
	}
	if me != nil && me.Status == Signed && auth.Can(o.actor, PermEvaluate) && !o.today.After(last) &&
		!slices.ContainsFunc(d.Evaluations, func(e Evaluation) bool { return e.MembershipID == me.MembershipID && e.Round == round }) {
		d.EvalRound = round
	}
	if d.EvalRound == 0 {
		d.Can = slices.DeleteFunc(d.Can, func(a Action) bool { return a == ActEvaluate })
	}
	return nil
}
