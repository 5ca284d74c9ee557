package activity

import (
	"context"
	"strings"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// Who may read an activity is defined once, here, as one SQL condition over an
// activities row (alias a): Get and every use case ask it of the one row they
// load, and List, Calendar and the figures' records add it to their WHERE.
//
// The rule (the union of what the actor's roles allow):
//
//   - Committee readers (PermView: admin, staff, proposal office, leaders) read every activity
//     of their committee and, read-only, of the committees below it.
//   - A member reads every activity of their own committee (to sign up and to
//     see what is planned); within an activity they see only their own
//     attendance row (Detail.Attendance), never other members' leave reasons.
//   - Unit accounts read no activity.
//
// The area's other records (outputs, 社情民意 …) follow recordScopeSQL: committee
// readers as above; members see the 社情民意 they submitted.

// visibleSQL returns the condition on a (activities) under which actor may
// read the activity; arg allocates a placeholder. Without a reading role it is
// false ("1 = 0").
func visibleSQL(arg func(any) string, actor *auth.Actor) string {
	var or []string
	if actor != nil {
		if auth.Can(actor, PermView) {
			or = append(or, scopeSQL(arg, actor, "a"))
		}
		if actor.PersonID != 0 && auth.Can(actor, PermJoin) {
			or = append(or, `a.committee_id = `+arg(actor.CommitteeID))
		}
	}
	if len(or) == 0 {
		return `1 = 0`
	}
	return `(` + strings.Join(or, ` OR `) + `)`
}

// scopeSQL is the committee readers' scope over alias: the actor's committee
// and, read-only, the committees below it.
func scopeSQL(arg func(any) string, actor *auth.Actor, alias string) string {
	scope := alias + `.committee_id = ` + arg(actor.CommitteeID)
	if actor.CommitteePath != "" {
		scope = `(` + scope + ` OR ` + alias + `.committee_id IN (SELECT c.id FROM committees c WHERE c.path LIKE ` +
			arg(db.EscapeLike(actor.CommitteePath)+"%") + ` ESCAPE '\'))`
	}
	return scope
}

// sees reports whether actor may read activity id, asking visibleSQL of that one row.
func sees(ctx context.Context, q db.Querier, actor *auth.Actor, id int64) (bool, error) {
	if actor == nil {
		return false, nil
	}
	var b db.Args
	cond := visibleSQL(b.Add, actor)
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM activities a WHERE a.id = `+b.Add(id)+` AND `+cond, b...).Scan(&n)
	return n > 0, err
}
