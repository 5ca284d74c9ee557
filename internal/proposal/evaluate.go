package proposal

import (
	"context"
	"slices"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
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

// Evaluate records the acting signer's evaluation of the current round's reply.
// Only a member who signed may evaluate (never the unit, never staff). A
// 不满意 in round 1 sends the proposal back to its units for a second round
// (再办理); the evaluation stays on record. Once every signer has evaluated
// (and nobody is dissatisfied in round 1) the proposal is closed.
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
		if err := in.validate(); err != nil {
			return err
		}
		var n int
		if err := o.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM proposal_evaluations WHERE proposal_id = $1 AND membership_id = $2 AND round = $3`,
			o.p.ID, me.MembershipID, o.p.Round).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.New(apperr.Conflict, "err.proposal.already_evaluated")
		}
		var id int64
		err = o.tx.QueryRowContext(ctx, `INSERT INTO proposal_evaluations (committee_id, proposal_id, membership_id, round, overall,
			contact, attitude, addressed, comment, user_id, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`,
			o.p.CommitteeID, o.p.ID, me.MembershipID, o.p.Round, in.Overall, in.Contact, in.Attitude, in.Addressed, in.Comment,
			nullID(actor.UserID), db.Now()).Scan(&id)
		if err != nil {
			return err
		}
		if err := o.audit("proposal.evaluate", "proposal_evaluation", id, nil, in); err != nil {
			return err
		}
		switch {
		case in.Overall == Dissatisfied && o.p.Round == 1:
			if err := o.rehandle(); err != nil {
				return err
			}
		default:
			done, err := o.allEvaluated()
			if err != nil {
				return err
			}
			if done {
				if err := o.moveAs(ActClose, []Relation{RelSystem}, ""); err != nil {
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
