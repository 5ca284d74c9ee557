package duty

// AppealState is where an appeal stands (i18n duty.appeal.state.<code>).
type AppealState string

// The appeal states; AppealNone is the pseudo-state before filing.
const (
	AppealNone      AppealState = ""
	AppealOpen      AppealState = "open"
	AppealUpheld    AppealState = "upheld"
	AppealRejected  AppealState = "rejected"
	AppealWithdrawn AppealState = "withdrawn"
)

// AppealStates lists the states, the pseudo-state first.
var AppealStates = []AppealState{AppealNone, AppealOpen, AppealUpheld, AppealRejected, AppealWithdrawn}

// AppealAction is what someone does to an appeal.
type AppealAction string

// The appeal actions.
const (
	ActFile     AppealAction = "file"     // a member appeals an entry of their own
	ActWithdraw AppealAction = "withdraw" // the member withdraws it
	ActUphold   AppealAction = "uphold"   // staff uphold it (optionally adjusting the score)
	ActReject   AppealAction = "reject"   // staff reject it
)

// AppealActions lists the actions.
var AppealActions = []AppealAction{ActFile, ActWithdraw, ActUphold, ActReject}

// Relation is how the actor stands to an appeal.
type Relation string

// The relations.
const (
	RelOwner Relation = "owner" // the member whose entry it is
	RelStaff Relation = "staff" // holds Manage in the committee
	RelOther Relation = "other" // anyone else
)

// Relations lists the relations.
var Relations = []Relation{RelOwner, RelStaff, RelOther}

type appealKey struct {
	From   AppealState
	Action AppealAction
	Rel    Relation
}

// appealTable is THE appeal workflow: anything not listed is refused.
var appealTable = map[appealKey]AppealState{
	{AppealNone, ActFile, RelOwner}:     AppealOpen,
	{AppealOpen, ActWithdraw, RelOwner}: AppealWithdrawn,
	{AppealOpen, ActUphold, RelStaff}:   AppealUpheld,
	{AppealOpen, ActReject, RelStaff}:   AppealRejected,
}

// nextAppeal returns the state after action, or false when refused.
func nextAppeal(from AppealState, action AppealAction, rel Relation) (AppealState, bool) {
	to, ok := appealTable[appealKey{from, action, rel}]
	return to, ok
}

// appealCan lists the actions rel may take on an appeal in state from.
func appealCan(from AppealState, rel Relation) []AppealAction {
	var out []AppealAction
	for _, a := range AppealActions {
		if _, ok := nextAppeal(from, a, rel); ok {
			out = append(out, a)
		}
	}
	return out
}

// EnumValues lists the states, for the API document.
func (AppealState) EnumValues() []string {
	return []string{string(AppealOpen), string(AppealUpheld), string(AppealRejected), string(AppealWithdrawn)}
}

// EnumValues lists the actions, for the API document.
func (AppealAction) EnumValues() []string {
	out := make([]string, len(AppealActions))
	for i, a := range AppealActions {
		out[i] = string(a)
	}
	return out
}
