package proposal

import (
	"context"
	"slices"
	"strings"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// Who may read a proposal is defined once, here, as one SQL condition over a
// proposals row (alias p): Get and every use case ask it of the one row they
// load (op.canSee), and List, Search and the figures' records add it to their
// WHERE. So no list shows a proposal that Get would refuse, and nothing Get
// shows is missing from the lists that should hold it.
//
// The rule (the union of what the actor's roles allow):
//
//   - Committee readers (PermView: admin, staff, proposal office, leaders,
//     including supervising leaders) read every proposal that was ever
//     submitted (a submission date is set) in their committee and, read-only,
//     in the committees below it. Never a draft, a proposal still collecting
//     signatures, or one withdrawn before it was submitted: until submission a
//     proposal belongs to its signers.
//   - A member reads the proposals they sign: as first proposer in every state
//     (their drafts included), as an invited co-signer (whatever they answered)
//     from the moment the draft is put to signature; and any proposal one of
//     their proposals was merged into (they follow its reply).
//   - A unit reads the proposals it holds an assignment on.
//
// Members and units read in their own committee only.
//
// Intended differences are named options of Sight, never a second rule.

// Sight names the intended differences from the one rule.
type Sight struct {
	// Published also admits the proposals published on the public site, which
	// anyone may read there (PublicGet): search finds them for every actor, and
	// a hit the actor could not open through Get is marked SearchHit.PublicOnly.
	Published bool
}

// visibleSQL returns the condition on p (proposals) under which actor may
// read a proposal, with sight's options; arg allocates a placeholder for a
// value. Without any reading role it is false ("1 = 0").
func visibleSQL(arg func(any) string, actor *auth.Actor, sight Sight) string {
	var or []string
	if actor != nil {
		if auth.Can(actor, PermView) {
			// auth.CanIn for a read-only action: the own committee, or one below it.
			scope := `p.committee_id = ` + arg(actor.CommitteeID)
			if actor.CommitteePath != "" {
				scope = `(` + scope + ` OR p.committee_id IN (SELECT c.id FROM committees c WHERE ` +
					db.Under("c.path", arg, actor.CommitteePath) + `))`
			}
			or = append(or, `(`+wasSubmittedSQL("p")+` AND `+scope+`)`)
		}
		if actor.PersonID != 0 && auth.Can(actor, PermSubmit) {
			c := arg(actor.CommitteeID)
			mine := `SELECT m.id FROM memberships m WHERE m.committee_id = ` + c + ` AND m.person_id = ` + arg(actor.PersonID)
			// Signed by me as first proposer, or by me in any role once out of
			// draft, or one mine were merged into: uncorrelated subqueries (a
			// condition on p inside the subquery would run it again for every
			// proposal of the committee). Written as "one of the proposals I
			// sign or mine were merged into, and (first, or out of draft, or
			// merged into)" — the same set — so the first term, an AND term of
			// the whole condition for a member, lets the planner look the few
			// proposals up by id instead of testing every proposal of the committee.
			signed := `SELECT s.proposal_id FROM proposal_signers s WHERE s.committee_id = ` + c + ` AND s.membership_id IN (` + mine + `)`
			merged := `SELECT x.merged_into FROM proposals x JOIN proposal_signers s ON s.proposal_id = x.id WHERE x.committee_id = ` + c +
				` AND x.merged_into IS NOT NULL AND s.membership_id IN (` + mine + `)`
			or = append(or, `(p.committee_id = `+c+` AND p.id IN (`+signed+` UNION ALL `+merged+`)`+
				` AND (p.id IN (`+signed+` AND s.role = 'first') OR p.state <> 'DRAFT' OR p.id IN (`+merged+`)))`)
		}
		if actor.UnitID != 0 && auth.Can(actor, PermHandle) {
			c := arg(actor.CommitteeID)
			or = append(or, `(p.committee_id = `+c+` AND p.id IN (SELECT a.proposal_id FROM proposal_assignments a WHERE a.committee_id = `+c+
				` AND a.unit_id = `+arg(actor.UnitID)+`))`)
		}
	}
	if sight.Published {
		or = append(or, `p.is_published`)
	}
	if len(or) == 0 {
		return `1 = 0`
	}
	return `(` + strings.Join(or, ` OR `) + `)`
}

// wasSubmittedSQL is true for a proposal that was ever submitted (received):
// every state but DRAFT, SIGNING and WITHDRAWN before submission. Submit and
// EnterPaper set the submission date; nothing clears it.
func wasSubmittedSQL(alias string) string { return alias + `.submitted_on <> ''` }

// sees reports whether actor may read proposal id (with no options: what Get
// shows), asking visibleSQL of that one row.
func sees(ctx context.Context, q db.Querier, actor *auth.Actor, id int64) (bool, error) {
	if actor == nil {
		return false, nil
	}
	b := &db.Args{}
	cond := visibleSQL(b.Add, actor, Sight{})
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM proposals p WHERE p.id = `+b.Add(id)+` AND `+cond, *b...).Scan(&n)
	return n > 0, err
}

// markReadable sets Readable on the similar proposals actor may open through
// Get: the similar list shows titles, numbers and classes of the committee's
// submitted proposals to all its members, so only some of them link to the
// proposal's page.
func (s *Service) markReadable(ctx context.Context, actor *auth.Actor, list []Similar) error {
	if len(list) == 0 {
		return nil
	}
	b := &db.Args{}
	marks := make([]string, len(list))
	for i, sm := range list {
		marks[i] = b.Add(sm.ID)
	}
	cond := visibleSQL(b.Add, actor, Sight{})
	ids, err := db.Query(ctx, s.DB, func(sc interface{ Scan(...any) error }) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	}, `SELECT p.id FROM proposals p WHERE p.id IN (`+strings.Join(marks, ",")+`) AND `+cond, *b...)
	if err != nil {
		return err
	}
	for i := range list {
		list[i].Readable = slices.Contains(ids, list[i].ID)
	}
	return nil
}
