package assist

import (
	"context"
	"strings"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// Who may read a household is defined once, here, as one SQL condition over
// an assist_households row (alias h); a need, a pairing and a snapshot are
// read with their household, so their lists add the same condition on the
// household they join. Assistance records have their own rule (recordSQL),
// which adds the records the reader took part in.
//
// The rule (the union of what the actor's roles allow):
//
//   - Committee readers (PermView: admin, staff, leaders, assistance officers)
//     read every household of their committee and, read-only, of the
//     committees below it.
//   - A member reads the households they are paired with (a pairing ACTIVE
//     or SUSPENDED, not ENDED), in their own committee only.
func householdSQL(arg func(any) string, actor *auth.Actor) string {
	var or []string
	if actor != nil {
		if auth.Can(actor, PermView) {
			or = append(or, scopeSQL(arg, actor, "h.committee_id"))
		}
		if actor.PersonID != 0 && actor.Has(auth.RoleMember) {
			c := arg(actor.CommitteeID)
			or = append(or, `(h.committee_id = `+c+` AND h.id IN (SELECT pr.household_id FROM assist_pairings pr
				JOIN memberships m ON m.id = pr.membership_id WHERE pr.committee_id = `+c+
				` AND pr.state <> 'ENDED' AND m.person_id = `+arg(actor.PersonID)+`))`)
		}
	}
	if len(or) == 0 {
		return `1 = 0`
	}
	return `(` + strings.Join(or, ` OR `) + `)`
}

// recordSQL is the one rule of who may read an assistance record (alias r):
// committee readers as for households; a member the records of the
// households they may read and every record they are named on.
func recordSQL(arg func(any) string, actor *auth.Actor) string {
	var or []string
	if actor != nil {
		if auth.Can(actor, PermView) {
			or = append(or, scopeSQL(arg, actor, "r.committee_id"))
		}
		if actor.PersonID != 0 && actor.Has(auth.RoleMember) {
			c := arg(actor.CommitteeID)
			p := arg(actor.PersonID)
			or = append(or, `(r.committee_id = `+c+` AND (r.id IN (SELECT rm.record_id FROM assist_record_members rm
				JOIN memberships m ON m.id = rm.membership_id WHERE rm.committee_id = `+c+` AND m.person_id = `+p+`)
				OR r.household_id IN (SELECT pr.household_id FROM assist_pairings pr JOIN memberships m ON m.id = pr.membership_id
				WHERE pr.committee_id = `+c+` AND pr.state <> 'ENDED' AND m.person_id = `+p+`)))`)
		}
	}
	if len(or) == 0 {
		return `1 = 0`
	}
	return `(` + strings.Join(or, ` OR `) + `)`
}

// scopeSQL is auth.CanIn for a read-only action as SQL: the actor's own
// committee, or one below it.
func scopeSQL(arg func(any) string, actor *auth.Actor, col string) string {
	s := col + ` = ` + arg(actor.CommitteeID)
	if actor.CommitteePath != "" {
		s = `(` + s + ` OR ` + col + ` IN (SELECT c.id FROM committees c WHERE c.path LIKE ` +
			arg(db.EscapeLike(actor.CommitteePath)+"%") + ` ESCAPE '\'))`
	}
	return s
}

// seesHousehold asks the rule of one household.
func seesHousehold(ctx context.Context, q db.Querier, actor *auth.Actor, id int64) (bool, error) {
	var a db.Args
	cond := householdSQL(a.Add, actor)
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM assist_households h WHERE h.id = `+a.Add(id)+` AND `+cond, a...).Scan(&n)
	return n > 0, err
}

// seesRecord asks the rule of one record.
func seesRecord(ctx context.Context, q db.Querier, actor *auth.Actor, id int64) (bool, error) {
	var a db.Args
	cond := recordSQL(a.Add, actor)
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM assist_records r WHERE r.id = `+a.Add(id)+` AND `+cond, a...).Scan(&n)
	return n > 0, err
}

// pairedWith reports whether the actor (a member) holds an active pairing with the household.
func pairedWith(ctx context.Context, q db.Querier, actor *auth.Actor, householdID int64) (bool, error) {
	if actor == nil || actor.PersonID == 0 || !actor.Has(auth.RoleMember) {
		return false, nil
	}
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM assist_pairings pr JOIN memberships m ON m.id = pr.membership_id
		WHERE pr.committee_id = $1 AND pr.household_id = $2 AND pr.state = 'ACTIVE' AND m.person_id = $3`,
		actor.CommitteeID, householdID, actor.PersonID).Scan(&n)
	return n > 0, err
}
