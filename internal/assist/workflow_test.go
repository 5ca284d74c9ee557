package assist

import (
	"slices"
	"strings"
	"testing"
)

// expectedNeed is the need workflow written out independently of NeedTable:
// state, action, the relations allowed, the next state ("=" unchanged).
const expectedNeed = `
NEW         create  staff assistance                          OPEN
OPEN        edit    staff assistance                          =
MATCHED     edit    staff assistance                          =
IN_PROGRESS edit    staff assistance                          =
OPEN        match   staff assistance                          MATCHED
MATCHED     unmatch staff assistance                          OPEN
MATCHED     start   staff assistance paired_member system     IN_PROGRESS
IN_PROGRESS meet    staff assistance                          MET
OPEN        close   staff assistance                          CLOSED
MATCHED     close   staff assistance                          CLOSED
IN_PROGRESS close   staff assistance                          CLOSED
MET         reopen  staff assistance                          OPEN
CLOSED      reopen  staff assistance                          OPEN
`

const expectedPairing = `
NEW       confirm staff assistance ACTIVE
ACTIVE    suspend staff assistance SUSPENDED
SUSPENDED resume  staff assistance ACTIVE
ACTIVE    end     staff assistance ENDED
SUSPENDED end     staff assistance ENDED
`

type want struct {
	who []string
	to  string
}

func parse(t *testing.T, s string) map[[2]string]want {
	m := map[[2]string]want{}
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		f := strings.Fields(line)
		to := f[len(f)-1]
		if to == "=" {
			to = f[0]
		}
		m[[2]string{f[0], f[1]}] = want{f[2 : len(f)-1], to}
	}
	return m
}

// TestNeedWorkflowExhaustive tries every need state × action × relation.
func TestNeedWorkflowExhaustive(t *testing.T) {
	exp := parse(t, expectedNeed)
	n := 0
	for _, s := range AllNeedStates {
		for _, a := range AllNeedActions {
			w, ok := exp[[2]string{string(s), string(a)}]
			for _, r := range AllRelations {
				got, gotOK := NextNeed(s, a, []Relation{r})
				wantOK := ok && slices.Contains(w.who, string(r))
				if gotOK != wantOK {
					t.Errorf("%s × %s × %s: allowed=%v, want %v", s, a, r, gotOK, wantOK)
				} else if wantOK && string(got) != w.to {
					t.Errorf("%s × %s × %s → %s, want %s", s, a, r, got, w.to)
				}
				n++
			}
		}
	}
	if len(NeedTable) != len(exp) {
		t.Errorf("table has %d rules, expectation %d", len(NeedTable), len(exp))
	}
	if n != len(AllNeedStates)*len(AllNeedActions)*len(AllRelations) {
		t.Fatal("not exhaustive")
	}
}

// TestPairingWorkflowExhaustive tries every pairing state × action × relation.
func TestPairingWorkflowExhaustive(t *testing.T) {
	exp := parse(t, expectedPairing)
	for _, s := range AllPairingStates {
		for _, a := range AllPairingActions {
			w, ok := exp[[2]string{string(s), string(a)}]
			for _, r := range AllRelations {
				got, gotOK := NextPairing(s, a, []Relation{r})
				wantOK := ok && slices.Contains(w.who, string(r))
				if gotOK != wantOK {
					t.Errorf("%s × %s × %s: allowed=%v, want %v", s, a, r, gotOK, wantOK)
				} else if wantOK && string(got) != w.to {
					t.Errorf("%s × %s × %s → %s, want %s", s, a, r, got, w.to)
				}
			}
		}
	}
	if len(PairingTable) != len(exp) {
		t.Errorf("table has %d rules, expectation %d", len(PairingTable), len(exp))
	}
}

// TestWorkflowInvariants: terminal states take only reopen; no member, unit,
// leader or office ever moves a need except a paired member starting it.
func TestWorkflowInvariants(t *testing.T) {
	for _, r := range NeedTable {
		for _, who := range r.Who {
			if who == RelMember || who == RelUnit || who == RelLeader || who == RelOffice || who == RelAdmin {
				t.Errorf("%s %s allowed to %s", r.From, r.Action, who)
			}
			if who == RelPaired && r.Action != NeedStart {
				t.Errorf("paired member may %s", r.Action)
			}
		}
		if (r.From == NeedMet || r.From == NeedClosed) && r.Action != NeedReopen {
			t.Errorf("terminal %s takes %s", r.From, r.Action)
		}
	}
}
