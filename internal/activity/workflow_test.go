package activity

import (
	"slices"
	"strings"
	"testing"
)

// expectedActivityTable is the activity workflow written out independently of
// Table: state, action, who, next ("=": unchanged; "NEW" is the state before creation).
const expectedActivityTable = `
NEW       create     staff PLANNED
NEW       enter_past staff HELD
PLANNED   edit       staff =
OPEN      edit       staff =
PLANNED   open       staff OPEN
PLANNED   hold       staff HELD
OPEN      hold       staff HELD
PLANNED   cancel     staff CANCELLED
OPEN      cancel     staff CANCELLED
PLANNED   guests     staff =
OPEN      guests     staff =
HELD      guests     staff =
`

// expectedAttendance is the attendance workflow written out independently of
// AttTable: one line per (activity phases, status, action): who and the next
// status ("-" is no row, "=" unchanged).
const expectedAttendance = `
PLANNED,OPEN      -               invite        staff          registered
PLANNED,OPEN      -               sign_up       self           registered
PLANNED           registered      withdraw      self           -
PLANNED,OPEN      registered      request_leave self           leave_requested
PLANNED,OPEN      leave_refused   request_leave self           leave_requested
PLANNED,OPEN      leave_requested approve_leave staff,leader   leave_approved
PLANNED,OPEN      leave_requested refuse_leave  staff,leader   leave_refused
OPEN              registered      check_in      self           checked_in
OPEN              leave_refused   check_in      self           checked_in
OPEN,HELD         -               mark_attended staff          attended
OPEN,HELD         registered      mark_attended staff          attended
OPEN,HELD         leave_requested mark_attended staff          attended
OPEN,HELD         leave_approved  mark_attended staff          attended
OPEN,HELD         leave_refused   mark_attended staff          attended
OPEN,HELD         checked_in      mark_attended staff          attended
OPEN,HELD         absent          mark_attended staff          attended
OPEN,HELD         registered      mark_absent   staff          absent
OPEN,HELD         leave_requested mark_absent   staff          absent
OPEN,HELD         leave_refused   mark_absent   staff          absent
OPEN,HELD         checked_in      mark_absent   staff          absent
OPEN,HELD         attended        mark_absent   staff          absent
HELD              -               mark_absent   staff          absent
HELD              -               record_leave  staff          leave_approved
HELD              absent          record_leave  staff          leave_approved
PLANNED,OPEN      checked_in      close         system         attended
PLANNED,OPEN      registered      close         system         absent
PLANNED,OPEN      leave_requested close         system         absent
PLANNED,OPEN      leave_refused   close         system         absent
PLANNED,OPEN,HELD registered      set_role      staff          =
PLANNED,OPEN,HELD leave_requested set_role      staff          =
PLANNED,OPEN,HELD leave_refused   set_role      staff          =
PLANNED,OPEN,HELD checked_in      set_role      staff          =
PLANNED,OPEN,HELD attended        set_role      staff          =
`

type want struct {
	who []Relation
	to  string
}

func rels(s string) []Relation {
	var out []Relation
	for _, r := range strings.Split(s, ",") {
		out = append(out, Relation(r))
	}
	return out
}

func TestActivityWorkflowExhaustive(t *testing.T) {
	exp := map[[2]string]want{}
	for _, line := range strings.Split(strings.TrimSpace(expectedActivityTable), "\n") {
		f := strings.Fields(line)
		from, to := f[0], f[3]
		if from == "NEW" {
			from = ""
		}
		if to == "=" {
			to = from
		}
		exp[[2]string{from, f[1]}] = want{rels(f[2]), to}
	}
	allowed := 0
	for _, s := range AllStates {
		for _, a := range ActivityActions {
			w, ok := exp[[2]string{string(s), string(a)}]
			for _, r := range AllRelations {
				got, gotOK := Next(s, a, []Relation{r})
				wantOK := ok && slices.Contains(w.who, r)
				if gotOK != wantOK {
					t.Errorf("activity %q × %s × %s: allowed=%v, want %v", s, a, r, gotOK, wantOK)
					continue
				}
				if wantOK {
					allowed++
					if string(got) != w.to {
						t.Errorf("activity %q × %s × %s → %s, want %s", s, a, r, got, w.to)
					}
				}
			}
		}
	}
	if len(Table) != len(exp) || allowed != len(exp) {
		t.Errorf("table has %d rules, %d allowed combinations, expectation %d", len(Table), allowed, len(exp))
	}
}

func TestAttendanceWorkflowExhaustive(t *testing.T) {
	exp := map[[3]string]want{}
	for _, line := range strings.Split(strings.TrimSpace(expectedAttendance), "\n") {
		f := strings.Fields(line)
		from, to := f[1], f[4]
		if from == "-" {
			from = ""
		}
		switch to {
		case "-":
			to = ""
		case "=":
			to = from
		}
		for _, ph := range strings.Split(f[0], ",") {
			k := [3]string{ph, from, f[2]}
			if _, dup := exp[k]; dup {
				t.Fatalf("expectation lists %v twice", k)
			}
			exp[k] = want{rels(f[3]), to}
		}
	}
	allowed, refused := 0, 0
	for _, ph := range AllStates {
		for _, st := range AllStatuses {
			for _, a := range AttendanceActions {
				w, ok := exp[[3]string{string(ph), string(st), string(a)}]
				for _, r := range AllRelations {
					got, gotOK := NextStatus(ph, st, a, []Relation{r})
					wantOK := ok && slices.Contains(w.who, r)
					if gotOK != wantOK {
						t.Errorf("phase %q × %q × %s × %s: allowed=%v, want %v", ph, st, a, r, gotOK, wantOK)
						continue
					}
					if wantOK {
						allowed++
						if string(got) != w.to {
							t.Errorf("phase %q × %q × %s × %s → %q, want %q", ph, st, a, r, got, w.to)
						}
					} else {
						refused++
					}
				}
			}
		}
	}
	want := 0
	for _, w := range exp {
		want += len(w.who)
	}
	if allowed != want {
		t.Errorf("%d allowed combinations, expectation %d", allowed, want)
	}
	t.Logf("%d allowed, %d refused combinations", allowed, refused)
}

// TestWorkflowInvariants states the rules directly over both tables.
func TestWorkflowInvariants(t *testing.T) {
	for _, r := range Table {
		for _, who := range r.Who {
			if who != RelStaff {
				t.Errorf("%s may %s an activity", who, r.Action)
			}
		}
	}
	for _, r := range AttTable {
		for _, who := range r.Who {
			switch who {
			case RelOutsider, RelUnit, RelMember, RelAdmin:
				t.Errorf("%s may %s in %v", who, r.Action, r.Phases)
			case RelSelf:
				// A member acts on their own row only before or during the activity.
				if slices.Contains(r.Phases, Held) || slices.Contains(r.Phases, Cancelled) {
					t.Errorf("a member may %s after the activity", r.Action)
				}
			}
		}
		// Self check-in only while the activity is open, and only on an invited row.
		if r.Action == ActCheckIn && (!slices.Equal(r.Phases, []State{Open}) || r.From == None) {
			t.Errorf("check-in rule %+v", r)
		}
		// Nothing happens to a cancelled activity's attendance.
		if slices.Contains(r.Phases, Cancelled) || slices.Contains(r.Phases, New) {
			t.Errorf("rule %+v applies to a cancelled or unsaved activity", r)
		}
	}
	// Closing the roll leaves every row of a held activity attended, on leave or absent.
	for _, st := range AllStatuses {
		if st == None {
			continue
		}
		to, ok := NextStatus(Open, st, ActClose, []Relation{RelSystem})
		if !ok {
			to = st
		}
		if to != Attended && to != LeaveApproved && to != Absent {
			t.Errorf("after holding, %s stays %s", st, to)
		}
	}
}

func TestEver(t *testing.T) {
	if !EverAttendance(ActApproveLeave, []Relation{RelLeader}) || EverAttendance(ActApproveLeave, []Relation{RelSelf, RelMember, RelUnit}) {
		t.Fatal("EverAttendance(approve_leave)")
	}
	if !EverActivity(ActHold, []Relation{RelStaff}) || EverActivity(ActHold, []Relation{RelLeader, RelAdmin}) {
		t.Fatal("EverActivity(hold)")
	}
	if _, ok := NextStatus(Open, Registered, ActCheckIn, nil); ok {
		t.Fatal("no relations must be refused")
	}
}
