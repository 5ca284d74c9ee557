package proposal

import (
	"context"
	"fmt"
	"slices"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
)

// Seeder drives proposals through the real workflow, for the demo data and the
// generator: every step goes through the same use cases (table, guards, events,
// audit, notifications) as a user's click, acted by stand-in actors: the
// proposal office, each unit, each member (by membership). Dates are the
// service's Today; set Service.Today to spread proposals over time.
//
//	sd := proposal.NewSeeder(svc, committeeID)
//	p, err := sd.Drive(ctx, proposal.SeedSpec{Content: c, FirstProposer: mid, Target: proposal.Closed,
//		Mode: proposal.Single, Units: []int64{unitID}, ResultClass: "A"})
type Seeder struct {
	Svc         *Service
	CommitteeID int64
	// Office acts for the proposal office (default: a stand-in with the proposal_office role).
	Office *auth.Actor

	unitNames map[int64]string // the names of the units acted for, so timelines name them
}

// NewSeeder returns a seeder for a committee.
func NewSeeder(svc *Service, committeeID int64) *Seeder {
	return &Seeder{Svc: svc, CommitteeID: committeeID,
		Office: &auth.Actor{Name: "提案委", CommitteeID: committeeID, Roles: []auth.Role{auth.RoleProposalOffice}}}
}

// SeedSpec says what proposal to make and how far to drive it.
type SeedSpec struct {
	Content       Content // Kind joint needs Content.CoSigners (memberships); they all sign
	FirstProposer int64   // membership of the first proposer
	Target        State   // any proposal state

	MergeInto     int64         // Target MERGED: the registered lead proposal
	DeclineReason string        // Target NOT_REGISTERED: default "vague"
	ConvertTo     ConvertTarget // Target NOT_REGISTERED: optionally convert
	Mode          Mode          // default Single
	Units         []int64       // default: required from ASSIGNED on
	ResultClass   string        // default "A"
	Overall       Rating        // final evaluation at CLOSED: default Satisfied
	Key           []int64       // leader user ids: mark as key proposal once registered
}

// member returns a stand-in actor for a membership.
func (sd *Seeder) member(ctx context.Context, membershipID int64) (*auth.Actor, error) {
	var personID int64
	var name string
	err := sd.Svc.DB.QueryRowContext(ctx, `SELECT m.person_id, p.name FROM memberships m JOIN people p ON p.id = m.person_id
		WHERE m.id = $1 AND m.committee_id = $2`, membershipID, sd.CommitteeID).Scan(&personID, &name)
	if err != nil {
		return nil, fmt.Errorf("seed: membership %d: %w", membershipID, err)
	}
	return &auth.Actor{Name: name, CommitteeID: sd.CommitteeID, Roles: []auth.Role{auth.RoleMember}, PersonID: personID}, nil
}

// unit returns a stand-in actor for a unit, named as the unit (loadUnits has run).
func (sd *Seeder) unit(unitID int64) *auth.Actor {
	return &auth.Actor{Name: sd.unitNames[unitID], CommitteeID: sd.CommitteeID, Roles: []auth.Role{auth.RoleUnit}, UnitID: unitID}
}

// loadUnits reads the names of the committee's units ids.
func (sd *Seeder) loadUnits(ctx context.Context, ids []int64) error {
	if sd.unitNames == nil {
		sd.unitNames = map[int64]string{}
	}
	for _, id := range ids {
		if _, ok := sd.unitNames[id]; ok {
			continue
		}
		var name string
		if err := sd.Svc.DB.QueryRowContext(ctx, `SELECT name FROM units WHERE id = $1 AND committee_id = $2`, id, sd.CommitteeID).Scan(&name); err != nil {
			return fmt.Errorf("seed: unit %d: %w", id, err)
		}
		sd.unitNames[id] = name
	}
	return nil
}

// order is the path through the workflow the seeder follows.
var order = []State{Draft, Signing, Submitted, Registered, Assigned, Accepted, InHandling, ReplyDrafted, ReplyReview, Replied, Rehandling, Closed}

// reaches reports whether the path to target passes through step.
func reaches(target, step State) bool {
	switch target {
	case Returned, Withdrawn, NotRegistered:
		target = Submitted
	case Merged:
		target = Submitted
	case ReturnRequested:
		target = Assigned
	}
	ti, si := slices.Index(order, target), slices.Index(order, step)
	return ti >= 0 && si >= 0 && si <= ti
}

// Drive creates a proposal and takes it to spec.Target.
func (sd *Seeder) Drive(ctx context.Context, spec SeedSpec) (*Proposal, error) {
	if spec.Target == New || spec.Target == Countersigned || !slices.Contains(ProposalStates, spec.Target) {
		return nil, fmt.Errorf("seed: cannot drive to %q", spec.Target)
	}
	if spec.Target == Signing && spec.Content.Kind != Joint {
		return nil, fmt.Errorf("seed: only joint proposals reach %s", Signing)
	}
	first, err := sd.member(ctx, spec.FirstProposer)
	if err != nil {
		return nil, err
	}
	if err := sd.loadUnits(ctx, spec.Units); err != nil {
		return nil, err
	}
	p, err := sd.Svc.Create(ctx, first, spec.Content)
	if err != nil {
		return nil, err
	}
	ref := func() Ref { return Ref{ID: p.ID} }
	steps := []struct {
		at State
		do func() error
	}{
		{Signing, func() error {
			if p.Kind != Joint {
				return nil
			}
			p, err = sd.Svc.StartSigning(ctx, first, ref(), civil.Date{})
			return err
		}},
		{Submitted, func() error {
			if p.Kind == Joint {
				for _, m := range spec.Content.CoSigners {
					co, err := sd.member(ctx, m)
					if err != nil {
						return err
					}
					if _, err := sd.Svc.Sign(ctx, co, ref()); err != nil {
						return err
					}
				}
			}
			p, err = sd.Svc.Submit(ctx, first, ref())
			return err
		}},
		{Registered, func() error { return sd.review(ctx, &p, first, spec) }},
		{Assigned, func() error {
			if spec.Mode == "" {
				spec.Mode = Single
			}
			if len(spec.Units) == 0 {
				return fmt.Errorf("seed: units required to reach %s", spec.Target)
			}
			if len(spec.Key) > 0 {
				if p, err = sd.Svc.MarkKey(ctx, sd.Office, ref(), true, spec.Key, ""); err != nil {
					return err
				}
			}
			if p, err = sd.Svc.Assign(ctx, sd.Office, ref(), AssignInput{Mode: spec.Mode, Units: spec.Units}); err != nil {
				return err
			}
			if spec.Target == ReturnRequested {
				p, err = sd.Svc.AskReturn(ctx, sd.unit(spec.Units[0]), ref(), "不属于本单位职责范围")
			}
			return err
		}},
		{Accepted, func() error {
			return sd.eachUnit(spec, false, func(u *auth.Actor) error { p, err = sd.Svc.Accept(ctx, u, ref()); return err })
		}},
		{InHandling, func() error { return sd.contact(ctx, &p, spec) }},
		{ReplyDrafted, func() error { return sd.draft(ctx, &p, spec) }},
		{ReplyReview, func() error { return sd.submitReplies(ctx, &p, spec) }},
		{Replied, func() error { return sd.approveAll(ctx, &p) }},
		{Rehandling, func() error {
			p, err = sd.Svc.Evaluate(ctx, first, ref(), EvaluationInput{Overall: Dissatisfied, Contact: Visited, Attitude: Basic,
				Addressed: BasicTargeted, Comment: "问题尚未解决"})
			if err != nil || spec.Target == Rehandling {
				return err
			}
			// Round 2 up to the reply, so the proposal can close.
			for _, f := range []func() error{
				func() error { return sd.contact(ctx, &p, spec) },
				func() error { return sd.draft(ctx, &p, spec) },
				func() error { return sd.submitReplies(ctx, &p, spec) },
				func() error { return sd.approveAll(ctx, &p) },
			} {
				if err := f(); err != nil {
					return err
				}
			}
			return nil
		}},
		{Closed, func() error { return sd.evaluateAll(ctx, &p, spec) }},
	}
	for _, st := range steps {
		if st.at == Rehandling && (spec.Target != Rehandling && (spec.Target != Closed || spec.Overall != Dissatisfied)) {
			continue
		}
		reviewOutcome := st.at == Registered && slices.Contains([]State{Returned, Withdrawn, Merged, NotRegistered}, spec.Target)
		if !reaches(spec.Target, st.at) && !reviewOutcome {
			continue
		}
		if err := st.do(); err != nil {
			return nil, fmt.Errorf("seed: towards %s at %s: %w", spec.Target, st.at, err)
		}
	}
	if p.State != spec.Target {
		return nil, fmt.Errorf("seed: ended in %s, not %s", p.State, spec.Target)
	}
	return p, nil
}

// review takes a submitted proposal to the target's review outcome.
func (sd *Seeder) review(ctx context.Context, p **Proposal, first *auth.Actor, spec SeedSpec) error {
	var err error
	ref := Ref{ID: (*p).ID}
	switch spec.Target {
	case Returned:
		*p, err = sd.Svc.Return(ctx, sd.Office, ref, "请补充具体建议")
	case Withdrawn:
		*p, err = sd.Svc.Withdraw(ctx, first, ref, "")
	case Merged:
		*p, err = sd.Svc.Merge(ctx, sd.Office, ref, spec.MergeInto, "内容相近，并案办理")
	case NotRegistered:
		reason := spec.DeclineReason
		if reason == "" {
			reason = "vague"
		}
		if *p, err = sd.Svc.Decline(ctx, sd.Office, ref, reason, ""); err == nil && spec.ConvertTo != "" {
			*p, err = sd.Svc.Convert(ctx, sd.Office, ref, spec.ConvertTo)
		}
	case Submitted:
	default:
		*p, err = sd.Svc.Register(ctx, sd.Office, ref)
	}
	return err
}

// eachUnit runs fn as each assigned unit (only the replying ones if replying).
func (sd *Seeder) eachUnit(spec SeedSpec, replying bool, fn func(u *auth.Actor) error) error {
	for i, u := range spec.Units {
		if replying && spec.Mode == JointMode && i > 0 {
			continue
		}
		if err := fn(sd.unit(u)); err != nil {
			return err
		}
	}
	return nil
}

func (sd *Seeder) contact(ctx context.Context, p **Proposal, spec SeedSpec) error {
	return sd.eachUnit(spec, true, func(u *auth.Actor) error {
		var err error
		*p, err = sd.Svc.LogContact(ctx, u, Ref{ID: (*p).ID}, ContactInput{On: sd.Svc.today(), Method: ByFace, People: "提案人、承办单位负责人"})
		return err
	})
}

func (sd *Seeder) draft(ctx context.Context, p **Proposal, spec SeedSpec) error {
	class := spec.ResultClass
	if class == "" {
		class = "A"
	}
	return sd.eachUnit(spec, true, func(u *auth.Actor) error {
		var err error
		*p, err = sd.Svc.DraftReply(ctx, u, Ref{ID: (*p).ID}, ReplyInput{ResultClass: class, Body: "经研究，答复如下：……"})
		return err
	})
}

func (sd *Seeder) submitReplies(ctx context.Context, p **Proposal, spec SeedSpec) error {
	if spec.Mode == JointMode {
		for _, u := range spec.Units[1:] {
			var err error
			if *p, err = sd.Svc.Countersign(ctx, sd.unit(u), Ref{ID: (*p).ID}, "同意"); err != nil {
				return err
			}
		}
	}
	return sd.eachUnit(spec, true, func(u *auth.Actor) error {
		var err error
		*p, err = sd.Svc.SubmitReply(ctx, u, Ref{ID: (*p).ID})
		return err
	})
}

func (sd *Seeder) approveAll(ctx context.Context, p **Proposal) error {
	as, err := listAssignments(ctx, sd.Svc.DB, (*p).ID)
	if err != nil {
		return err
	}
	for _, a := range as {
		if a.State == ReplyReview {
			if *p, err = sd.Svc.Approve(ctx, sd.Office, Ref{ID: (*p).ID}, a.ID, "", ""); err != nil {
				return err
			}
		}
	}
	return nil
}

func (sd *Seeder) evaluateAll(ctx context.Context, p **Proposal, spec SeedSpec) error {
	ss, err := listSigners(ctx, sd.Svc.DB, (*p).ID)
	if err != nil {
		return err
	}
	overall := spec.Overall
	if overall == "" {
		overall = Satisfied
	}
	for _, s := range ss {
		if s.Status != Signed {
			continue
		}
		m, err := sd.member(ctx, s.MembershipID)
		if err != nil {
			return err
		}
		in := EvaluationInput{Overall: overall, Contact: Visited, Attitude: Satisfied, Addressed: Targeted}
		if overall == Dissatisfied {
			in.Comment = "仍未解决"
		}
		if *p, err = sd.Svc.Evaluate(ctx, m, Ref{ID: (*p).ID}, in); err != nil {
			if e := apperr.As(err); e != nil && e.Key == "err.proposal.state.CLOSED" {
				return nil
			}
			return err
		}
	}
	return nil
}
