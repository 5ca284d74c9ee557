package proposal

import (
	"context"
	"slices"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// MarkKey marks (or unmarks) a registered proposal as a key proposal (重点提案,
// chosen by the chair's meeting) with its supervising leaders (督办领导): user
// accounts of the committee holding the leader role. Proposal office only.
func (s *Service) MarkKey(ctx context.Context, actor *auth.Actor, ref Ref, key bool, leaders []int64, note string) (*Proposal, error) {
	return s.run(ctx, actor, ref, func(o *op) error {
		if err := o.move(ActMarkKey, strings.TrimSpace(note)); err != nil {
			return err
		}
		if !key {
			leaders = nil
		} else if len(leaders) == 0 {
			return invalid("leaders", "err.proposal.leaders_required")
		}
		seen := map[int64]bool{}
		for _, uid := range leaders {
			var n int
			err := o.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users u JOIN user_roles r ON r.user_id = u.id AND r.committee_id = u.committee_id
				WHERE u.id = $1 AND u.committee_id = $2 AND r.role = 'leader' AND NOT u.disabled`, uid, o.p.CommitteeID).Scan(&n)
			if err != nil {
				return err
			}
			if n == 0 || seen[uid] {
				return invalid("leaders", "err.proposal.leader_unknown")
			}
			seen[uid] = true
		}
		before, err := o.loadSupervisors()
		if err != nil {
			return err
		}
		if _, err := o.tx.ExecContext(ctx, `DELETE FROM proposal_supervisors WHERE proposal_id = $1`, o.p.ID); err != nil {
			return err
		}
		for _, uid := range leaders {
			if _, err := o.tx.ExecContext(ctx, `INSERT INTO proposal_supervisors (committee_id, proposal_id, user_id) VALUES ($1,$2,$3)`,
				o.p.CommitteeID, o.p.ID, uid); err != nil {
				return err
			}
		}
		if err := o.audit("proposal.supervisors", "proposal", o.p.ID, map[string]any{"leaders": before}, map[string]any{"leaders": leaders}); err != nil {
			return err
		}
		o.p.Key = key
		if err := o.finish(ActMarkKey); err != nil {
			return err
		}
		var added []int64
		for _, uid := range leaders {
			if !slices.Contains(before, uid) {
				added = append(added, uid)
			}
		}
		return o.notify(added, "key")
	})
}

// SupervisionInput is one supervision activity.
type SupervisionInput struct {
	On   civil.Date
	Kind SupervisionKind
	Note string
}

// AddSupervision records a supervision activity on a key proposal (督办): by the
// proposal office or one of the proposal's supervising leaders.
func (s *Service) AddSupervision(ctx context.Context, actor *auth.Actor, ref Ref, in SupervisionInput) (*Proposal, error) {
	in.Note = strings.TrimSpace(in.Note)
	return s.run(ctx, actor, ref, func(o *op) error {
		if err := o.move(ActSupervise, string(in.Kind)); err != nil {
			return err
		}
		if !o.p.Key {
			return apperr.New(apperr.Conflict, "err.proposal.not_key")
		}
		var f []apperr.FieldError
		if in.On.IsZero() {
			f = append(f, apperr.Field("on", "err.required"))
		} else if in.On.After(o.today) {
			f = append(f, apperr.Field("on", "err.proposal.future_date"))
		}
		if !slices.Contains([]SupervisionKind{SupInspection, SupMeeting, SupResearch, SupInstruction, SupOther}, in.Kind) {
			f = append(f, apperr.Field("kind", "err.proposal.bad_choice"))
		}
		if in.Note == "" {
			f = append(f, apperr.Field("note", "err.required"))
		}
		if len(f) > 0 {
			return apperr.Fields(f...)
		}
		var id int64
		err := o.tx.QueryRowContext(ctx, `INSERT INTO proposal_supervision (committee_id, proposal_id, activity_on, kind, note, created_by, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`, o.p.CommitteeID, o.p.ID, in.On, in.Kind, in.Note, nullID(actor.UserID), db.Now()).Scan(&id)
		if err != nil {
			return err
		}
		if err := o.audit("proposal.supervise", "proposal_supervision", id, nil, in); err != nil {
			return err
		}
		return o.finish(ActSupervise)
	})
}

// MarkExcellent marks (or unmarks) a replied or closed proposal as excellent (优秀提案).
func (s *Service) MarkExcellent(ctx context.Context, actor *auth.Actor, ref Ref, excellent bool) (*Proposal, error) {
	return s.run(ctx, actor, ref, func(o *op) error {
		if err := o.move(ActExcellent, ""); err != nil {
			return err
		}
		o.p.Excellent = excellent
		return o.finish(ActExcellent)
	})
}

// FollowUpInput is a 回头看 record.
type FollowUpInput struct {
	AssignmentID int64 // 0: the acting unit's own assignment
	Year         int   // the year of the follow-up, after the proposal's year
	ResultClass  string
	Note         string
}

// FollowUp records the second result of a closed proposal whose delivered reply
// was in a follow-up class (B, C): by the office or the replying unit, once a year.
func (s *Service) FollowUp(ctx context.Context, actor *auth.Actor, ref Ref, in FollowUpInput) (*Proposal, error) {
	in.Note = strings.TrimSpace(in.Note)
	return s.run(ctx, actor, ref, func(o *op) error {
		var asg *Assignment
		var err error
		if in.AssignmentID == 0 {
			asg, err = o.mine(ActFollowUp)
		} else {
			asg, err = o.assignment(in.AssignmentID)
		}
		if err != nil {
			return err
		}
		rels, err := o.relations(asg)
		if err != nil {
			return err
		}
		if _, err := check(asg.State, ActFollowUp, rels); err != nil {
			return err
		}
		if o.p.State != Closed {
			return stateErr(o.p.State)
		}
		classes, err := listClasses(ctx, o.tx, o.p.CommitteeID)
		if err != nil {
			return err
		}
		r, err := replyFor(ctx, o.tx, asg.ID, o.p.Round)
		if err != nil {
			return err
		}
		if r == nil {
			return apperr.New(apperr.Conflict, "err.proposal.no_reply")
		}
		if c, ok := findClass(classes, r.ResultClass); !ok || !c.FollowUp {
			return apperr.New(apperr.Conflict, "err.proposal.no_follow_up")
		}
		var f []apperr.FieldError
		if in.Year <= o.p.Year || in.Year > o.today.Year {
			f = append(f, apperr.Field("year", "err.proposal.bad_year"))
		}
		if _, ok := findClass(classes, in.ResultClass); !ok {
			f = append(f, apperr.Field("result_class", "err.proposal.bad_choice"))
		}
		if in.Note == "" {
			f = append(f, apperr.Field("note", "err.required"))
		}
		if len(f) > 0 {
			return apperr.Fields(f...)
		}
		var n int
		if err := o.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM proposal_follow_ups WHERE assignment_id = $1 AND year = $2`, asg.ID, in.Year).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.New(apperr.Conflict, "err.proposal.follow_up_exists")
		}
		var id int64
		err = o.tx.QueryRowContext(ctx, `INSERT INTO proposal_follow_ups (committee_id, proposal_id, assignment_id, year, result_class, note,
			created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
			o.p.CommitteeID, o.p.ID, asg.ID, in.Year, in.ResultClass, in.Note, nullID(actor.UserID), stamp(ctx)).Scan(&id)
		if err != nil {
			return err
		}
		if err := o.audit("proposal.follow_up", "proposal_follow_up", id, nil, in); err != nil {
			return err
		}
		if err := o.event(asg.ID, ActFollowUp, asg.State, asg.State, in.ResultClass); err != nil {
			return err
		}
		return o.finish(ActFollowUp)
	})
}
