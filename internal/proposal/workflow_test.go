package proposal

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// expected is the workflow written out independently of buildTable, one line per
// (state, action): the relations allowed and the next state ("=" for unchanged).
// TestWorkflowExhaustive checks EVERY state × action × relation against it, so
// any change to the table must be made here too, deliberately.
const expected = `
NEW              create       member                          DRAFT
NEW              enter_paper  staff proposal_office           SUBMITTED
DRAFT            edit         first_proposer                  =
RETURNED         edit         first_proposer                  =
DRAFT            attach       first_proposer                  =
RETURNED         attach       first_proposer                  =
DRAFT            start_sign   first_proposer                  SIGNING
SIGNING          cancel_sign  first_proposer                  DRAFT
SIGNING          sign         co_signer                       =
SIGNING          decline_sign co_signer                       =
DRAFT            submit       first_proposer                  SUBMITTED
SIGNING          submit       first_proposer                  SUBMITTED
RETURNED         submit       first_proposer                  SUBMITTED
DRAFT            withdraw     first_proposer                  WITHDRAWN
SIGNING          withdraw     first_proposer                  WITHDRAWN
SUBMITTED        withdraw     first_proposer                  WITHDRAWN
RETURNED         withdraw     first_proposer                  WITHDRAWN
SUBMITTED        return       proposal_office                 RETURNED
SUBMITTED        register     proposal_office                 REGISTERED
SUBMITTED        merge        proposal_office                 MERGED
REGISTERED       merge        proposal_office                 MERGED
SUBMITTED        decline      proposal_office                 NOT_REGISTERED
NOT_REGISTERED   convert      proposal_office                 =
REGISTERED       assign       proposal_office                 ASSIGNED
ASSIGNED         accept       assigned_unit lead_unit co_unit ACCEPTED
ASSIGNED         ask_return   assigned_unit lead_unit co_unit RETURN_REQUESTED
RETURN_REQUESTED confirm      proposal_office                 ASSIGNED
RETURN_REQUESTED reassign     proposal_office                 ASSIGNED
ACCEPTED         ask_extend   assigned_unit lead_unit         =
IN_HANDLING      ask_extend   assigned_unit lead_unit         =
REPLY_DRAFTED    ask_extend   assigned_unit lead_unit         =
REHANDLING       ask_extend   assigned_unit lead_unit         =
ASSIGNED         extend       proposal_office                 =
RETURN_REQUESTED extend       proposal_office                 =
ACCEPTED         extend       proposal_office                 =
IN_HANDLING      extend       proposal_office                 =
REPLY_DRAFTED    extend       proposal_office                 =
REPLY_REVIEW     extend       proposal_office                 =
REHANDLING       extend       proposal_office                 =
ACCEPTED         contact      assigned_unit lead_unit         IN_HANDLING
IN_HANDLING      contact      assigned_unit lead_unit         IN_HANDLING
REHANDLING       contact      assigned_unit lead_unit         IN_HANDLING
REPLY_DRAFTED    contact      assigned_unit lead_unit         =
IN_HANDLING      draft_reply  assigned_unit lead_unit         REPLY_DRAFTED
REPLY_DRAFTED    draft_reply  assigned_unit lead_unit         REPLY_DRAFTED
ACCEPTED         countersign  co_unit                         COUNTERSIGNED
REHANDLING       countersign  co_unit                         COUNTERSIGNED
REPLY_DRAFTED    submit_reply assigned_unit lead_unit         REPLY_REVIEW
REPLY_REVIEW     send_back    proposal_office                 REPLY_DRAFTED
REPLY_REVIEW     approve      proposal_office                 REPLIED
REPLIED          evaluate     first_proposer co_signer        =
REHANDLING       evaluate     first_proposer co_signer        =
REPLIED          rehandle     system                          REHANDLING
COUNTERSIGNED    rehandle     system                          REHANDLING
REPLIED          close        proposal_office system          CLOSED
REPLIED          excellent    proposal_office                 =
CLOSED           excellent    proposal_office                 =
REPLIED          follow_up    proposal_office assigned_unit lead_unit =
`

// registered states take mark_key (office) and supervise (office, supervisor) unchanged.
var flagStates = []State{Registered, Assigned, ReturnRequested, Accepted, InHandling, ReplyDrafted, ReplyReview, Replied, Rehandling, Closed}

type want struct {
	who []Relation
	to  State
}

func parseExpected(t *testing.T) map[[2]string]want {
	t.Helper()
	m := map[[2]string]want{}
	for _, line := range strings.Split(strings.TrimSpace(expected), "\n") {
		f := strings.Fields(line)
		if len(f) < 4 {
			t.Fatalf("bad line %q", line)
		}
		from, action, to := State(f[0]), f[1], State(f[len(f)-1])
		if to == "=" {
			to = from
		}
		var who []Relation
		for _, r := range f[2 : len(f)-1] {
			who = append(who, Relation(r))
		}
		m[[2]string{string(from), action}] = want{who, to}
	}
	for _, s := range flagStates {
		m[[2]string{string(s), string(ActMarkKey)}] = want{[]Relation{RelOffice}, s}
		m[[2]string{string(s), string(ActSupervise)}] = want{[]Relation{RelOffice, RelSupervisor}, s}
	}
	return m
}

// TestWorkflowExhaustive tries every state × action × relation, asserting the
// allowed ones lead where expected and everything else is refused.
func TestWorkflowExhaustive(t *testing.T) {
	exp := parseExpected(t)
	allowed, refused := 0, 0
	for _, s := range AllStates {
		for _, a := range AllActions {
			w, ok := exp[[2]string{string(s), string(a)}]
			for _, r := range AllRelations {
				got, gotOK := Next(s, a, []Relation{r})
				wantOK := ok && slices.Contains(w.who, r)
				if gotOK != wantOK {
					t.Errorf("%s × %s × %s: allowed=%v, want %v", s, a, r, gotOK, wantOK)
					continue
				}
				if wantOK {
					allowed++
					if got != w.to {
						t.Errorf("%s × %s × %s → %s, want %s", s, a, r, got, w.to)
					}
				} else {
					refused++
				}
			}
		}
	}
	if len(Table) != len(exp) {
		t.Errorf("table has %d rules, expectation %d", len(Table), len(exp))
	}
	t.Logf("%d allowed, %d refused combinations", allowed, refused)
}

// TestWorkflowInvariants states the rules of the issue directly.
func TestWorkflowInvariants(t *testing.T) {
	for _, r := range Table {
		for _, who := range r.Who {
			// Units never pass a proposal on themselves, never register, never evaluate.
			if who == RelAssignedUnit || who == RelLeadUnit || who == RelCoUnit || who == RelUnit {
				if slices.Contains([]Action{ActReassign, ActConfirm, ActAssign, ActEvaluate, ActApprove, ActRegister, ActExtend}, r.Action) {
					t.Errorf("unit relation %s may %s", who, r.Action)
				}
			}
			// Nobody without a tie to the proposal acts on it, except by office/staff role.
			if who == RelAdmin || who == RelLeader || who == RelAssistance || who == RelUnit {
				t.Errorf("%s may %s in %s", who, r.Action, r.From)
			}
			if who == RelMember && r.Action != ActCreate {
				t.Errorf("an unrelated member may %s", r.Action)
			}
		}
		// Only signers evaluate.
		if r.Action == ActEvaluate {
			for _, who := range r.Who {
				if who != RelFirstProposer && who != RelCoSigner {
					t.Errorf("%s may evaluate", who)
				}
			}
		}
		// Terminal states allow nothing but the flags.
		if slices.Contains([]State{Withdrawn, Merged}, r.From) {
			t.Errorf("%s allows %s", r.From, r.Action)
		}
		if r.From == Closed && !slices.Contains([]Action{ActMarkKey, ActSupervise, ActExcellent}, r.Action) {
			t.Errorf("CLOSED allows %s", r.Action)
		}
		if r.From == NotRegistered && r.Action != ActConvert {
			t.Errorf("NOT_REGISTERED allows %s", r.Action)
		}
		// Every state named in the table is known.
		if !slices.Contains(AllStates, r.From) || !slices.Contains(AllStates, r.To) {
			t.Errorf("unknown state in %v", r)
		}
		if (SubjectOf(r.Action) == OnAssignment) && !slices.Contains(AssignmentStates, r.From) {
			t.Errorf("assignment action %s from non-assignment state %s", r.Action, r.From)
		}
	}
}

func TestEverAndInState(t *testing.T) {
	if !Ever(ActRegister, []Relation{RelOffice}) || Ever(ActRegister, []Relation{RelStaff, RelMember, RelAssignedUnit}) {
		t.Fatal("Ever(register)")
	}
	if !InState(Submitted, ActRegister) || InState(Registered, ActRegister) {
		t.Fatal("InState(register)")
	}
	if _, ok := Next(Submitted, ActRegister, nil); ok {
		t.Fatal("no relations must be refused")
	}
	// A state-machine smoke run: the happy path of a 单办 proposal.
	path := []struct {
		a   Action
		rel Relation
	}{
		{ActCreate, RelMember}, {ActSubmit, RelFirstProposer}, {ActRegister, RelOffice}, {ActAssign, RelOffice},
		{ActAccept, RelAssignedUnit}, {ActContact, RelAssignedUnit}, {ActDraftReply, RelAssignedUnit},
		{ActSubmitReply, RelAssignedUnit}, {ActApprove, RelOffice}, {ActEvaluate, RelFirstProposer}, {ActClose, RelSystem},
	}
	s := New
	var trail []string
	for _, p := range path {
		next, ok := Next(s, p.a, []Relation{p.rel})
		if !ok {
			t.Fatalf("happy path stuck at %s × %s × %s (trail %v)", s, p.a, p.rel, trail)
		}
		trail = append(trail, fmt.Sprintf("%s-%s->%s", s, p.a, next))
		s = next
	}
	if s != Closed {
		t.Fatalf("ended in %s", s)
	}
}
