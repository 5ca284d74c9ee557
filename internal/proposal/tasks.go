package proposal

import (
	"context"

	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Task is a proposal waiting for a member, as a list item with the day its
// co-signing closes.
type Task struct {
	Item
	SigningDeadline civil.Date
}

// MemberTasks lists what waits for a member in their committee: the
// proposals in SIGNING they were invited to co-sign and have not answered,
// and those whose reply they may evaluate now (what Get's Detail.EvalRound
// says). Each list is the first 200 candidates of List (the states), kept by
// the rules Get applies, decided for all candidates in one query instead of
// a Get per proposal.
func (s *Service) MemberTasks(ctx context.Context, actor *auth.Actor) (toSign, toEvaluate []Task, err error) {
	if toSign, err = s.memberTasks(ctx, actor, []State{Signing}); err != nil {
		return nil, nil, err
	}
	toEvaluate, err = s.memberTasks(ctx, actor, []State{Replied, Rehandling})
	return toSign, toEvaluate, err
}

// taskFacts is what decides whether a candidate waits for the member: their
// signer row (the first, in the order Get lists signers) and the proposal's
// evaluation facts.
type taskFacts struct {
	role                    string
	status                  SignerStatus
	round                   int
	repliedOn, signDeadline civil.Date
	evaluated               bool // the member evaluated the round open for evaluation
}

func (s *Service) memberTasks(ctx context.Context, actor *auth.Actor, sts []State) ([]Task, error) {
	p, err := s.List(ctx, actor, actor.CommitteeID, Filter{States: sts, Limit: 200})
	if err != nil || len(p.Items) == 0 || actor.PersonID == 0 || !auth.Can(actor, PermSubmit) {
		return nil, err
	}
	facts, err := s.taskFacts(ctx, actor, p.Items)
	if err != nil {
		return nil, err
	}
	var st Settings
	var cal *civil.Calendar
	if sts[0] != Signing {
		if st, err = loadSettings(ctx, s.DB, actor.CommitteeID); err != nil {
			return nil, err
		}
		if cal, err = loadCalendar(ctx, s.DB, actor.CommitteeID); err != nil {
			return nil, err
		}
	}
	today := s.today()
	var out []Task
	for _, it := range p.Items {
		f, ok := facts[it.ID]
		if !ok { // not a signer
			continue
		}
		keep := false
		switch it.State {
		case Signing:
			keep = f.role == "co" && f.status == Invited
		case Replied, Rehandling: // fillEvaluation's rule
			round := f.round
			if it.State == Rehandling {
				round--
			}
			keep = round >= 1 && !f.repliedOn.IsZero() && f.status == Signed && auth.Can(actor, PermEvaluate) &&
				!today.After(cal.AddWorkdays(f.repliedOn, st.EvaluationWorkdays)) && !f.evaluated
		}
		if keep {
			out = append(out, Task{Item: it, SigningDeadline: f.signDeadline})
		}
	}
	return out, nil
}

// taskFacts reads the actor's signer row and the evaluation facts of each
// listed proposal the actor signs, in one query.
func (s *Service) taskFacts(ctx context.Context, actor *auth.Actor, items []Item) (map[int64]taskFacts, error) {
	var a db.Args
	ids := make([]any, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	q := `SELECT p.id, s.role, s.status, p.round, p.replied_on, p.signing_deadline,
		EXISTS (SELECT 1 FROM proposal_evaluations e WHERE e.proposal_id = p.id AND e.membership_id = s.membership_id
			AND e.round = CASE WHEN p.state = ` + a.Add(string(Rehandling)) + ` THEN p.round - 1 ELSE p.round END)
		FROM proposals p JOIN proposal_signers s ON s.proposal_id = p.id JOIN memberships m ON m.id = s.membership_id
		WHERE m.person_id = ` + a.Add(actor.PersonID) + ` AND p.id IN ` + db.In(&a, ids) + `
		ORDER BY p.id, s.role DESC, s.sort, s.id`
	rows, err := s.DB.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]taskFacts, len(items))
	for rows.Next() {
		var id int64
		var f taskFacts
		if err := rows.Scan(&id, &f.role, &f.status, &f.round, &f.repliedOn, &f.signDeadline, &f.evaluated); err != nil {
			return nil, err
		}
		if _, seen := out[id]; !seen { // the first row, as mySigner takes
			out[id] = f
		}
	}
	return out, rows.Err()
}
