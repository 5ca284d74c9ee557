// Package proposal runs the life of a proposal (提案) from draft to closed:
// submission and co-signing, review (立案/并案/不予立案), assignment to units
// (单办/会办/分办), handling (面商, reply, countersign, office review),
// evaluation by the signers, supervision of key proposals, follow-ups and
// deadlines on a per-committee working-day calendar.
//
// # The workflow
//
// Table (workflow.go) is the one transition table state × action × relation →
// next state. Relations are the actor's auth roles plus what the records say
// (first proposer, co-signer, assigned/lead/co unit, supervising leader). Every
// use case below checks the table, then its guards (deadlines, windows …),
// writes, adds a timeline event (proposal_events), audits and notifies, all in
// one transaction.
//
// Assignment actions (accept, contact, reply …) move one assignment's sub-state;
// the proposal's state is then the aggregate of its assignments (Aggregate).
//
// # Calling the service
//
// Every method takes the actor first. A proposal the actor may not see, or one
// of another committee, is apperr.ErrNotFound. A step the actor may never take is
// apperr.Forbidden; a step not possible in the current state is apperr.Conflict
// with key "err.proposal.state.<STATE>" (e.g. "该提案已立案"); when the caller's
// Ref.Version is stale, or another user won a race, it is apperr.Conflict with key
// "err.proposal.changed.<STATE>" (e.g. "该提案已被他人立案"). Bad input is
// apperr.Invalid with field errors naming the field.
//
//	Submission (submit.go): Create, Update, AddAttachment, RemoveAttachment, AttachmentContent,
//	  StartSigning, CancelSigning, Sign, DeclineSign, Submit, Withdraw, EnterPaper
//	Review (review.go): Return, Register, Merge, Decline, Convert, SimilarTo (through the
//	  Service.Similar hook, a SimilarFinder), DisplayNumber
//	Assignment (assign.go): Assign, Accept, AskReturn, Confirm, Reassign, AskExtension, Extend
//	Handling (handle.go): LogContact, DraftReply, Countersign, SubmitReply, SendBack, Approve
//	Evaluation (evaluate.go): Evaluate, Close
//	Supervision (supervise.go): MarkKey, AddSupervision, MarkExcellent, FollowUp
//	Deadlines (deadlines.go): ScanDeadlines (daily job "proposal.deadline_scan")
//	Reading (read.go): Get (Detail, with Can/AssignmentCan: the actions the reader may
//	  take now, for buttons), List (Filter, Page, Item); CurrentSession (submit.go)
//	Visibility (visibility.go): visibleSQL, the one rule of who may read a proposal,
//	  used by Get, every use case, List, Search, similar proposals and the figures' records
//	Configuration (config.go): Settings, UpdateSettings, DeclineReasons, ResultClasses,
//	  SaveDeclineReason, SaveResultClass, Calendar, SetCalendarDay, SeedChinaHolidays
//	Seeding (seed.go): Seeder drives a proposal to any state for demos and tests.
//	Past records (backfill.go, replay.go): Backfill replays a whole History through these
//	  same use cases, each step on its real date, in one transaction, marked as entered later
//	Ledger (ledger*.go): LedgerTemplate, ImportLedger (every row through Backfill, all or
//	  nothing), ExportLedger (the same layout)
//	Assessment (assess.go, assess_prefill.go): score sheet, AssessmentPrefill from the league
//
// Any other writer of the proposals table (publication, figures) must bump
// proposals.version in its UPDATE, so the optimistic checks here stay sound.
package proposal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/notify"
)

// Permissions of the proposal area (role level; the table decides per state).
const (
	PermView      auth.Action = "proposal.view"      // read every proposal of the committee (not drafts)
	PermSubmit    auth.Action = "proposal.submit"    // draft, sign and submit own proposals
	PermEnter     auth.Action = "proposal.enter"     // enter a paper proposal on a member's behalf
	PermReview    auth.Action = "proposal.review"    // the proposal office's work
	PermHandle    auth.Action = "proposal.handle"    // a unit's work on its assignments
	PermEvaluate  auth.Action = "proposal.evaluate"  // evaluate replies (members only)
	PermSupervise auth.Action = "proposal.supervise" // supervise key proposals
	PermSettings  auth.Action = "proposal.settings"  // deadlines, reason and class lists, calendar
)

func init() {
	auth.Grant(PermView, auth.RoleAdmin, auth.RoleStaff, auth.RoleProposalOffice, auth.RoleLeader)
	auth.MarkReadOnly(PermView)
	auth.Grant(PermSubmit, auth.RoleMember)
	auth.Grant(PermEnter, auth.RoleStaff, auth.RoleProposalOffice)
	auth.Grant(PermReview, auth.RoleProposalOffice)
	auth.Grant(PermHandle, auth.RoleUnit)
	auth.Grant(PermEvaluate, auth.RoleMember)
	auth.Grant(PermSupervise, auth.RoleLeader, auth.RoleProposalOffice)
	auth.Grant(PermSettings, auth.RoleAdmin, auth.RoleProposalOffice)
}

// SimilarFinder finds earlier proposals like a text (this and past sessions).
// The similarity engineer implements it; until then Similar returns nothing.
type SimilarFinder interface {
	Similar(ctx context.Context, committeeID int64, title, text string, excludeID int64, limit int) ([]Summary, error)
}

// Summary is a short reference to a proposal (similar proposals, merges).
type Summary struct {
	ID     int64   `json:"id"`
	Number string  `json:"number"`
	Title  string  `json:"title"`
	State  State   `json:"state"`
	Year   int     `json:"year"`
	Score  float64 `json:"score,omitempty"`
}

// Service is the proposal use cases.
type Service struct {
	DB *db.DB
	// Today returns the current civil date; tests fix it.
	Today func() civil.Date
	// Similar suggests similar proposals when reviewing and drafting; nil: none.
	Similar SimilarFinder
	// NoFigureCache computes the figures on every call (figcache.go), for
	// measuring and for tests that compare with the cache.
	NoFigureCache bool

	figOnce sync.Once
	figs    *figCache
}

// NewService returns the proposal service over d.
func NewService(d *db.DB) *Service { return &Service{DB: d, Today: civil.Today} }

func (s *Service) today() civil.Date {
	if s.Today == nil {
		return civil.Today()
	}
	return s.Today()
}

// errStale is returned inside a transaction when the optimistic version check fails.
var errStale = errors.New("proposal: stale version")

func stateErr(st State) error {
	return apperr.New(apperr.Conflict, "err.proposal.state."+string(st))
}

func changedErr(st State) error {
	return apperr.New(apperr.Conflict, "err.proposal.changed."+string(st))
}

func forbidden(a Action) error {
	switch a {
	case ActEvaluate:
		return apperr.New(apperr.Forbidden, "err.proposal.only_signers_evaluate")
	case ActReassign, ActConfirm, ActAssign:
		return apperr.New(apperr.Forbidden, "err.proposal.only_office_assigns")
	}
	return apperr.New(apperr.Forbidden, "err.forbidden")
}

func invalid(field, key string, args ...map[string]any) error {
	return apperr.Fields(apperr.Field(field, key, args...))
}

// op is one use case on one loaded proposal inside its transaction.
type op struct {
	s      *Service
	ctx    context.Context
	tx     *sql.Tx
	actor  *auth.Actor
	p      *Proposal
	before Proposal
	today  civil.Date

	signers     []Signer     // loaded on demand
	asgs        []Assignment // loaded on demand
	loadedS     bool
	loadedA     bool
	supervisors []int64
	loadedSup   bool
}

// run loads the proposal of ref in a transaction, checks visibility and the
// caller's version, and runs fn. A lost race becomes a "changed" conflict.
func (s *Service) run(ctx context.Context, actor *auth.Actor, ref Ref, fn func(o *op) error) (*Proposal, error) {
	var out *Proposal
	err := s.tx(ctx, func(tx *sql.Tx) error {
		p, err := loadProposalLock(ctx, tx, ref.ID, s.DB.ForUpdate("p"))
		if err != nil {
			return err
		}
		o := &op{s: s, ctx: ctx, tx: tx, actor: actor, p: p, before: *p, today: s.dayOf(ctx)}
		ok, err := o.canSee()
		if err != nil {
			return err
		}
		if !ok {
			if away, err := o.reassignedAway(); err != nil {
				return err
			} else if away {
				return apperr.New(apperr.Conflict, "err.proposal.reassigned_away")
			}
			return apperr.ErrNotFound
		}
		if actor.CommitteeID != p.CommitteeID {
			return apperr.New(apperr.Forbidden, "err.forbidden") // a higher committee reads, never edits
		}
		if ref.Version != 0 && ref.Version != p.Version {
			return changedErr(p.State)
		}
		if err := fn(o); err != nil {
			return err
		}
		out = o.p
		return nil
	})
	if errors.Is(err, errStale) {
		if cur, e := loadProposal(ctx, s.q(ctx), ref.ID); e == nil {
			return nil, changedErr(cur.State)
		}
		return nil, apperr.ErrConflict
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// loadSigners fills o.signers once.
func (o *op) loadSigners() ([]Signer, error) {
	if !o.loadedS {
		ss, err := listSigners(o.ctx, o.tx, o.p.ID)
		if err != nil {
			return nil, err
		}
		o.signers, o.loadedS = ss, true
	}
	return o.signers, nil
}

// loadAssignments fills o.asgs once.
func (o *op) loadAssignments() ([]Assignment, error) {
	if !o.loadedA {
		as, err := listAssignments(o.ctx, o.tx, o.p.ID)
		if err != nil {
			return nil, err
		}
		o.asgs, o.loadedA = as, true
	}
	return o.asgs, nil
}

func (o *op) loadSupervisors() ([]int64, error) {
	if !o.loadedSup {
		ids, err := supervisorIDs(o.ctx, o.tx, o.p.ID)
		if err != nil {
			return nil, err
		}
		o.supervisors, o.loadedSup = ids, true
	}
	return o.supervisors, nil
}

// mySigner returns the actor's signer row, if the actor is a member who signs this proposal.
func (o *op) mySigner() (*Signer, error) {
	if o.actor == nil || o.actor.PersonID == 0 || !auth.Can(o.actor, PermSubmit) {
		return nil, nil
	}
	ss, err := o.loadSigners()
	if err != nil {
		return nil, err
	}
	for i := range ss {
		if ss[i].PersonID == o.actor.PersonID {
			return &ss[i], nil
		}
	}
	return nil, nil
}

// myAssignment returns the actor's unit's assignment on this proposal, if any.
func (o *op) myAssignment() (*Assignment, error) {
	if o.actor == nil || o.actor.UnitID == 0 || !auth.Can(o.actor, PermHandle) {
		return nil, nil
	}
	as, err := o.loadAssignments()
	if err != nil {
		return nil, err
	}
	for i := range as {
		if as[i].UnitID == o.actor.UnitID {
			return &as[i], nil
		}
	}
	return nil, nil
}

// assignment returns the assignment with id on this proposal, or not found.
func (o *op) assignment(id int64) (*Assignment, error) {
	as, err := o.loadAssignments()
	if err != nil {
		return nil, err
	}
	for i := range as {
		if as[i].ID == id {
			return &as[i], nil
		}
	}
	return nil, invalid("assignment", "err.proposal.no_such_assignment")
}

// canSee decides read access with the one rule of visibility.go (visibleSQL),
// asked of this proposal's row inside the use case's transaction.
func (o *op) canSee() (bool, error) { return sees(o.ctx, o.tx, o.actor, o.p.ID) }

// reassignedAway reports whether the acting unit held this proposal until the
// office reassigned it to another unit: the unit's stale page then learns why
// its step failed instead of seeing "not found". The unit knew the proposal,
// so saying so leaks nothing.
func (o *op) reassignedAway() (bool, error) {
	a := o.actor
	if a == nil || a.UnitID == 0 || a.CommitteeID != o.p.CommitteeID || !auth.Can(a, PermHandle) {
		return false, nil
	}
	var name string
	err := o.tx.QueryRowContext(o.ctx, `SELECT name FROM units WHERE id = $1 AND committee_id = $2`, a.UnitID, a.CommitteeID).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := flushEvents(o.ctx, o.tx); err != nil { // an import's kept-back events are read here
		return false, err
	}
	notes, err := db.Column[string](o.ctx, o.tx, `SELECT note FROM proposal_events WHERE proposal_id = $1 AND action = 'reassigned'`, o.p.ID)
	if err != nil {
		return false, err
	}
	// Reassign records "old unit → new unit".
	return slices.ContainsFunc(notes, func(n string) bool { return strings.HasPrefix(n, name+" → ") }), nil
}

// relations returns how the actor stands to the proposal and, for assignment
// actions, to asg. Derived relations need the matching permission.
func (o *op) relations(asg *Assignment) ([]Relation, error) {
	a := o.actor
	if a == nil || a.CommitteeID != o.p.CommitteeID {
		return nil, nil
	}
	var rels []Relation
	for _, r := range a.Roles {
		rels = append(rels, Relation(r))
	}
	sg, err := o.mySigner()
	if err != nil {
		return nil, err
	}
	if sg != nil {
		if sg.Role == "first" {
			rels = append(rels, RelFirstProposer)
		} else {
			rels = append(rels, RelCoSigner)
		}
	}
	if asg != nil && a.UnitID != 0 && asg.UnitID == a.UnitID && auth.Can(a, PermHandle) {
		switch asg.Role {
		case RoleLead:
			rels = append(rels, RelLeadUnit)
		case RoleCo:
			rels = append(rels, RelCoUnit)
		default:
			rels = append(rels, RelAssignedUnit)
		}
	}
	if a.UserID != 0 && auth.Can(a, PermSupervise) && a.Has(auth.RoleLeader) {
		sup, err := o.loadSupervisors()
		if err != nil {
			return nil, err
		}
		if slices.Contains(sup, a.UserID) {
			rels = append(rels, RelSupervisor)
		}
	}
	return rels, nil
}

// check asks the table whether the actor may take action a on a subject in
// state from, returning the next state or the error to show.
func check(from State, a Action, rels []Relation) (State, error) {
	if next, ok := Next(from, a, rels); ok {
		return next, nil
	}
	if Ever(a, rels) {
		return "", stateErr(from)
	}
	return "", forbidden(a)
}

// move applies a proposal-level action: table check, new state, timeline event.
func (o *op) move(a Action, note string) error {
	rels, err := o.relations(nil)
	if err != nil {
		return err
	}
	return o.moveAs(a, rels, note)
}

func (o *op) moveAs(a Action, rels []Relation, note string) error {
	next, err := check(o.p.State, a, rels)
	if err != nil {
		return err
	}
	from := o.p.State
	o.p.State = next
	return o.event(0, a, from, next, note)
}

// moveBySystem applies the platform's own action a (the system relation),
// recorded in the timeline as the system's act, not the actor's.
func (o *op) moveBySystem(a Action) error {
	next, err := check(o.p.State, a, []Relation{RelSystem})
	if err != nil {
		return err
	}
	from := o.p.State
	o.p.State = next
	return insertEvent(o.ctx, o.tx, auth.System(o.p.CommitteeID), o.p, 0, string(a), from, next, "")
}

// moveAssignment applies an assignment-level action to asg.
func (o *op) moveAssignment(asg *Assignment, a Action, note string) error {
	rels, err := o.relations(asg)
	if err != nil {
		return err
	}
	return o.moveAssignmentAs(asg, a, rels, note)
}

func (o *op) moveAssignmentAs(asg *Assignment, a Action, rels []Relation, note string) error {
	next, err := check(asg.State, a, rels)
	if err != nil {
		return err
	}
	from := asg.State
	asg.State = next
	if err := saveAssignment(o.ctx, o.tx, asg); err != nil {
		return err
	}
	if err := o.audit("proposal."+string(a), "proposal_assignment", asg.ID, map[string]any{"state": from}, asg); err != nil {
		return err
	}
	return o.event(asg.ID, a, from, next, note)
}

// settle recomputes the proposal's state and due date from its assignments,
// recording a timeline event when the state changes.
func (o *op) settle(a Action) error {
	as, err := o.loadAssignments()
	if err != nil {
		return err
	}
	if o.p.State == Closed { // follow-ups after closing change nothing here
		return nil
	}
	o.p.DueOn = earliestDue(as)
	next := Aggregate(as, o.p.Round)
	if next == "" || next == o.p.State {
		return nil
	}
	from := o.p.State
	o.p.State = next
	if next == Replied {
		o.p.RepliedOn = o.today
	}
	return o.event(0, a, from, next, "")
}

// Aggregate returns the proposal state implied by its assignments in round:
// the state of the slowest unit that writes a reply, with any pending return
// request or unsigned assignment (co-units included) holding it back.
func Aggregate(as []Assignment, round int) State {
	if len(as) == 0 {
		return ""
	}
	rank := map[State]int{Accepted: 1, Rehandling: 1, InHandling: 2, ReplyDrafted: 3, ReplyReview: 4, Replied: 5}
	has := func(s State) bool {
		return slices.ContainsFunc(as, func(a Assignment) bool { return a.State == s })
	}
	if has(ReturnRequested) {
		return ReturnRequested
	}
	if has(Assigned) {
		return Assigned
	}
	low := State("")
	for _, a := range as {
		if !a.Role.Replies() {
			continue
		}
		if low == "" || rank[a.State] < rank[low] {
			low = a.State
		}
	}
	switch {
	case low == Replied:
		return Replied
	case round > 1:
		return Rehandling
	case low == Rehandling:
		return Accepted
	}
	return low
}

func earliestDue(as []Assignment) civil.Date {
	var d civil.Date
	for _, a := range as {
		if !a.Role.Replies() || a.State == Replied {
			continue
		}
		if d.IsZero() || a.DueOn.Before(d) {
			d = a.DueOn
		}
	}
	return d
}

// event writes one timeline row.
func (o *op) event(asgID int64, a Action, from, to State, note string) error {
	return insertEvent(o.ctx, o.tx, o.actor, o.p, asgID, string(a), from, to, note)
}

// audit records a change of a record of this proposal.
func (o *op) audit(action, entity string, id int64, before, after any) error {
	if r := replayOf(o.ctx); r != nil { // a past step: entered by r.by, marked as such
		return audit.Record(o.ctx, o.tx, r.by, o.p.CommitteeID, action, entity, id, before, markAfter(after, r.backfillMark(o.actor)))
	}
	return audit.Record(o.ctx, o.tx, o.actor, o.p.CommitteeID, action, entity, id, before, after)
}

// finish saves the proposal (always bumping its version, which serializes
// concurrent use cases on one proposal) and audits it.
func (o *op) finish(a Action) error {
	o.p.UpdatedAt = db.Now()
	if err := saveProposal(o.ctx, o.tx, o.p); err != nil {
		return err
	}
	return o.audit("proposal."+string(a), "proposal", o.p.ID, auditView(&o.before), auditView(o.p))
}

// auditView is the part of a proposal the audit log keeps (not the long texts' history
// for every step: the texts are included, they are what changed when they change).
func auditView(p *Proposal) map[string]any {
	return map[string]any{
		"state": p.State, "version": p.Version, "round": p.Round, "number": p.Number, "kind": p.Kind,
		"theme": p.Theme, "title": p.Title, "matter": p.Matter, "analysis": p.Analysis, "suggestions": p.Suggestions,
		"merged_into": p.MergedInto, "decline_reason": p.DeclineReason, "converted_to": p.ConvertedTo,
		"mode": p.Mode, "key": p.Key, "excellent": p.Excellent, "due_on": p.DueOn.String(),
		"review_note": p.ReviewNote,
	}
}

// link is the site path of a proposal, for notifications.
func link(id int64) string { return fmt.Sprintf("/proposals/%d", id) }

// notify sends an in-app notification inside the transaction.
func (o *op) notify(userIDs []int64, kind string) error {
	if len(userIDs) == 0 || replayOf(o.ctx) != nil { // nobody is told of a step long past
		return nil
	}
	args := map[string]any{"Title": o.p.Title, "Number": o.p.Number}
	return notify.Send(o.ctx, o.tx, o.p.CommitteeID, userIDs, "proposal."+kind, "notify.proposal."+kind, args, link(o.p.ID))
}

// Recipients. A replayed step tells nobody (see notify), so it looks nobody
// up either: a ledger import saves several queries a row.

func (o *op) officeUsers() ([]int64, error) {
	if replayOf(o.ctx) != nil {
		return nil, nil
	}
	return notify.UsersWithRole(o.ctx, o.tx, o.p.CommitteeID, auth.RoleProposalOffice)
}

func (o *op) unitUsers(unitID int64) ([]int64, error) {
	if replayOf(o.ctx) != nil {
		return nil, nil
	}
	return notify.UsersOfUnit(o.ctx, o.tx, o.p.CommitteeID, unitID)
}

// signerUsers returns the accounts of signers with one of the statuses.
func (o *op) signerUsers(statuses ...SignerStatus) ([]int64, error) {
	if replayOf(o.ctx) != nil {
		return nil, nil
	}
	ss, err := o.loadSigners()
	if err != nil {
		return nil, err
	}
	var people []int64
	for _, s := range ss {
		if slices.Contains(statuses, s.Status) {
			people = append(people, s.PersonID)
		}
	}
	return notify.UsersOfPeople(o.ctx, o.tx, o.p.CommitteeID, people...)
}

func (o *op) firstProposerUsers() ([]int64, error) {
	if replayOf(o.ctx) != nil {
		return nil, nil
	}
	ss, err := o.loadSigners()
	if err != nil {
		return nil, err
	}
	for _, s := range ss {
		if s.Role == "first" {
			return notify.UsersOfPeople(o.ctx, o.tx, o.p.CommitteeID, s.PersonID)
		}
	}
	return nil, nil
}
