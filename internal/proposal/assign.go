package proposal

import (
	"context"
	"slices"
	"strings"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// AssignInput is how the office assigns a registered proposal (交办).
type AssignInput struct {
	Mode Mode
	// Units: 单办 one unit; 会办 the lead unit first, then the co-units; 分办 every unit.
	Units []int64
	// DueOn overrides the committee's rule (zero: DeadlineMonths from today, moved to a
	// working day); it may not be past MaxMonths from today.
	DueOn civil.Date
	Note  string
}

// deadlines loads what the date rules need.
func (o *op) deadlines() (Settings, *civil.Calendar, error) {
	st, err := loadSettings(o.ctx, o.tx, o.p.CommitteeID)
	if err != nil {
		return st, nil, err
	}
	cal, err := loadCalendar(o.ctx, o.tx, o.p.CommitteeID)
	return st, cal, err
}

// checkUnit verifies a unit is an active unit of the committee.
func checkUnit(ctx context.Context, q db.Querier, committeeID, unitID int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE id = $1 AND committee_id = $2 AND active`, unitID, committeeID).Scan(&n)
	return n > 0, err
}

// Assign assigns a registered proposal to units (proposal office).
func (s *Service) Assign(ctx context.Context, actor *auth.Actor, ref Ref, in AssignInput) (*Proposal, error) {
	return s.run(ctx, actor, ref, func(o *op) error {
		if err := o.move(ActAssign, strings.TrimSpace(in.Note)); err != nil {
			return err
		}
		var fields []apperr.FieldError
		switch {
		case !slices.Contains([]Mode{Single, JointMode, Separate}, in.Mode):
			fields = append(fields, apperr.Field("mode", "err.proposal.bad_choice"))
		case in.Mode == Single && len(in.Units) != 1:
			fields = append(fields, apperr.Field("units", "err.proposal.units_single"))
		case in.Mode != Single && len(in.Units) < 2:
			fields = append(fields, apperr.Field("units", "err.proposal.units_several"))
		}
		seen := map[int64]bool{}
		for _, u := range in.Units {
			ok, err := checkUnit(ctx, o.tx, o.p.CommitteeID, u)
			if err != nil {
				return err
			}
			if !ok || seen[u] {
				fields = append(fields, apperr.Field("units", "err.proposal.unit_unknown"))
				break
			}
			seen[u] = true
		}
		st, cal, err := o.deadlines()
		if err != nil {
			return err
		}
		due := in.DueOn
		if due.IsZero() {
			due = cal.NextWorkday(o.today.AddMonths(st.DeadlineMonths))
		} else if !due.After(o.today) || due.After(o.today.AddMonths(st.MaxMonths)) {
			fields = append(fields, apperr.Field("due_on", "err.proposal.due_out_of_range", map[string]any{"Months": st.MaxMonths}))
		}
		if len(fields) > 0 {
			return apperr.Fields(fields...)
		}
		for i, u := range in.Units {
			role := RoleSole
			switch {
			case in.Mode == JointMode && i == 0:
				role = RoleLead
			case in.Mode == JointMode:
				role = RoleCo
			case in.Mode == Separate:
				role = RoleSeparate
			}
			a := Assignment{UnitID: u, Role: role, State: Assigned, AssignedOn: o.today, DueOn: due, OriginalDueOn: due}
			if err := insertAssignment(ctx, o.tx, o.p, &a); err != nil {
				return err
			}
			if err := o.audit("proposal.assign", "proposal_assignment", a.ID, nil, a); err != nil {
				return err
			}
		}
		o.loadedA = false
		o.p.Mode, o.p.AssignedOn, o.p.DueOn = in.Mode, o.today, due
		if err := o.finish(ActAssign); err != nil {
			return err
		}
		for _, u := range in.Units {
			users, err := o.unitUsers(u)
			if err != nil {
				return err
			}
			if err := o.notify(users, "assigned"); err != nil {
				return err
			}
		}
		return nil
	})
}

// mine returns the acting unit's assignment, or not found (a unit without an
// assignment cannot even see the proposal; a non-unit gets the table's answer).
func (o *op) mine(a Action) (*Assignment, error) {
	asg, err := o.myAssignment()
	if err != nil {
		return nil, err
	}
	if asg == nil {
		return nil, forbidden(a)
	}
	return asg, nil
}

// unitStep runs an assignment action of the acting unit and settles the proposal.
func (s *Service) unitStep(ctx context.Context, actor *auth.Actor, ref Ref, a Action, note string,
	guard func(o *op, asg *Assignment) error, after func(o *op, asg *Assignment) error) (*Proposal, error) {
	return s.run(ctx, actor, ref, func(o *op) error {
		asg, err := o.mine(a)
		if err != nil {
			return err
		}
		rels, err := o.relations(asg)
		if err != nil {
			return err
		}
		if _, err := check(asg.State, a, rels); err != nil {
			return err
		}
		if guard != nil {
			if err := guard(o, asg); err != nil {
				return err
			}
		}
		if err := o.moveAssignmentAs(asg, a, rels, note); err != nil {
			return err
		}
		if after != nil {
			if err := after(o, asg); err != nil {
				return err
			}
		}
		if err := o.settle(a); err != nil {
			return err
		}
		return o.finish(a)
	})
}

// officeStep runs an assignment action of the proposal office on assignment asgID.
func (s *Service) officeStep(ctx context.Context, actor *auth.Actor, ref Ref, asgID int64, a Action, note string,
	guard func(o *op, asg *Assignment) error, after func(o *op, asg *Assignment) error) (*Proposal, error) {
	return s.run(ctx, actor, ref, func(o *op) error {
		rels, err := o.relations(nil)
		if err != nil {
			return err
		}
		if !Ever(a, rels) {
			return forbidden(a)
		}
		asg, err := o.assignment(asgID)
		if err != nil {
			return err
		}
		if _, err := check(asg.State, a, rels); err != nil {
			return err
		}
		if guard != nil {
			if err := guard(o, asg); err != nil {
				return err
			}
		}
		if err := o.moveAssignmentAs(asg, a, rels, note); err != nil {
			return err
		}
		if after != nil {
			if err := after(o, asg); err != nil {
				return err
			}
		}
		if err := o.settle(a); err != nil {
			return err
		}
		return o.finish(a)
	})
}

// Accept signs for the acting unit's assignment (签收).
func (s *Service) Accept(ctx context.Context, actor *auth.Actor, ref Ref) (*Proposal, error) {
	return s.unitStep(ctx, actor, ref, ActAccept, "", func(o *op, asg *Assignment) error {
		asg.AcceptedAt = stamp(o.ctx)
		return nil
	}, nil)
}

// AskReturn asks the office to take the assignment back (申退), within the
// committee's window (default 7 working days after assignment), once, with a reason.
func (s *Service) AskReturn(ctx context.Context, actor *auth.Actor, ref Ref, reason string) (*Proposal, error) {
	reason = strings.TrimSpace(reason)
	return s.unitStep(ctx, actor, ref, ActAskReturn, reason, func(o *op, asg *Assignment) error {
		if reason == "" {
			return invalid("reason", "err.required")
		}
		st, cal, err := o.deadlines()
		if err != nil {
			return err
		}
		if last := cal.AddWorkdays(asg.AssignedOn, st.ReturnWorkdays); o.today.After(last) {
			return apperr.New(apperr.Conflict, "err.proposal.return_window_passed", map[string]any{"Last": last.String()})
		}
		if asg.ReturnRequests > 0 {
			return apperr.New(apperr.Conflict, "err.proposal.return_asked_before")
		}
		asg.ReturnReason, asg.ReturnRequestedOn, asg.ReturnRequests = reason, o.today, asg.ReturnRequests+1
		return nil
	}, func(o *op, asg *Assignment) error {
		users, err := o.officeUsers()
		if err != nil {
			return err
		}
		return o.notify(users, "return_asked")
	})
}

// Confirm keeps an assignment whose unit asked to return it (the unit must handle it).
func (s *Service) Confirm(ctx context.Context, actor *auth.Actor, ref Ref, assignmentID int64, note string) (*Proposal, error) {
	note = strings.TrimSpace(note)
	return s.officeStep(ctx, actor, ref, assignmentID, ActConfirm, note, func(o *op, asg *Assignment) error {
		if note == "" {
			return invalid("note", "err.required")
		}
		return nil
	}, func(o *op, asg *Assignment) error {
		users, err := o.unitUsers(asg.UnitID)
		if err != nil {
			return err
		}
		return o.notify(users, "return_refused")
	})
}

// Reassign gives an assignment whose unit asked to return it to another unit
// (改交). The new unit gets the normal deadline, capped by MaxMonths from the
// proposal's first assignment.
func (s *Service) Reassign(ctx context.Context, actor *auth.Actor, ref Ref, assignmentID, unitID int64, note string) (*Proposal, error) {
	var oldUnit, newUnit string
	return s.officeStep(ctx, actor, ref, assignmentID, ActReassign, strings.TrimSpace(note), func(o *op, asg *Assignment) error {
		ok, err := checkUnit(o.ctx, o.tx, o.p.CommitteeID, unitID)
		if err != nil {
			return err
		}
		as, _ := o.loadAssignments()
		taken := slices.ContainsFunc(as, func(a Assignment) bool { return a.UnitID == unitID })
		if !ok || taken {
			return invalid("unit_id", "err.proposal.unit_unknown")
		}
		st, cal, err := o.deadlines()
		if err != nil {
			return err
		}
		due := cal.NextWorkday(o.today.AddMonths(st.DeadlineMonths))
		if limit := o.p.AssignedOn.AddMonths(st.MaxMonths); due.After(limit) {
			due = limit
		}
		oldUnit = asg.UnitName
		if err := o.tx.QueryRowContext(o.ctx, `SELECT name FROM units WHERE id = $1`, unitID).Scan(&newUnit); err != nil {
			return err
		}
		asg.UnitName = newUnit
		asg.UnitID, asg.AssignedOn, asg.DueOn, asg.OriginalDueOn = unitID, o.today, due, due
		asg.ReturnRequests, asg.ReturnReason, asg.AcceptedAt = 0, "", time.Time{}
		return nil
	}, func(o *op, asg *Assignment) error {
		if err := o.event(asg.ID, "reassigned", asg.State, asg.State, oldUnit+" → "+newUnit); err != nil {
			return err
		}
		users, err := o.unitUsers(unitID)
		if err != nil {
			return err
		}
		return o.notify(users, "assigned")
	})
}

// AskExtension asks the office for a later due date (申请延期), with a reason.
func (s *Service) AskExtension(ctx context.Context, actor *auth.Actor, ref Ref, due civil.Date, reason string) (*Proposal, error) {
	reason = strings.TrimSpace(reason)
	return s.unitStep(ctx, actor, ref, ActAskExtend, reason, func(o *op, asg *Assignment) error {
		if err := o.checkExtension(asg, due); err != nil {
			return err
		}
		if reason == "" {
			return invalid("reason", "err.required")
		}
		asg.ExtensionAskedOn, asg.ExtensionAskedDue, asg.ExtensionReason = o.today, due, reason
		return nil
	}, func(o *op, asg *Assignment) error {
		users, err := o.officeUsers()
		if err != nil {
			return err
		}
		return o.notify(users, "extension_asked")
	})
}

// checkExtension: later than the current due date, never past MaxMonths from the
// proposal's first assignment.
func (o *op) checkExtension(asg *Assignment, due civil.Date) error {
	st, _, err := o.deadlines()
	if err != nil {
		return err
	}
	if due.IsZero() || !due.After(asg.DueOn) {
		return invalid("due_on", "err.proposal.extension_not_later")
	}
	if limit := o.p.AssignedOn.AddMonths(st.MaxMonths); due.After(limit) {
		return invalid("due_on", "err.proposal.extension_too_long", map[string]any{"Months": st.MaxMonths, "Last": limit.String()})
	}
	return nil
}

// Extend approves a later due date for an assignment (proposal office).
func (s *Service) Extend(ctx context.Context, actor *auth.Actor, ref Ref, assignmentID int64, due civil.Date, note string) (*Proposal, error) {
	return s.officeStep(ctx, actor, ref, assignmentID, ActExtend, due.String(), func(o *op, asg *Assignment) error {
		if err := o.checkExtension(asg, due); err != nil {
			return err
		}
		asg.DueOn, asg.Extensions = due, asg.Extensions+1
		asg.ExtensionAskedOn, asg.ExtensionAskedDue, asg.ExtensionReason = civil.Date{}, civil.Date{}, ""
		return nil
	}, func(o *op, asg *Assignment) error {
		users, err := o.unitUsers(asg.UnitID)
		if err != nil {
			return err
		}
		return o.notify(users, "extended")
	})
}
