package proposal

import (
	"context"
	"database/sql"
	"errors"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// auditTables maps the audit log's entity names for a proposal's child
// records to their tables (each has id and proposal_id).
var auditTables = map[string]string{
	"proposal_attachment": "proposal_attachments", "proposal_assignment": "proposal_assignments",
	"proposal_contact": "proposal_contacts", "proposal_evaluation": "proposal_evaluations",
	"proposal_follow_up": "proposal_follow_ups", "proposal_reply": "proposal_replies",
	"proposal_supervision": "proposal_supervision", "proposal_signer": "proposal_signers",
}

// AuditVisible reports whether actor may read the values an audit entry of
// entity and id recorded, under the rule in docs/DEPLOY.md ("What the audit
// page shows"): an entry about a proposal, or one of its records, shows its
// values only to those who may read that proposal now (so a member's draft
// stays the member's until submitted, as everywhere else). An entry whose
// proposal cannot be found any more (a detached file) is withheld: the log
// cannot tell whose it was. Entries about anything else are not proposal's
// to judge (true).
func (s *Service) AuditVisible(ctx context.Context, actor *auth.Actor, entity string, id int64) (bool, error) {
	pid := id
	if entity != "proposal" {
		table, ok := auditTables[entity]
		if !ok {
			return true, nil
		}
		err := s.DB.QueryRowContext(ctx, `SELECT proposal_id FROM `+table+` WHERE id = $1`, id).Scan(&pid)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
	_, err := s.visible(ctx, actor, pid)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, apperr.ErrNotFound):
		return false, nil
	}
	return false, err
}

// AuditRef names the record an audit entry is about.
type AuditRef struct {
	Entity string
	ID     int64
}

// AuditVisibleAll is AuditVisible for a page of entries at once: a query per
// kind of child record to find their proposals, and one visibility query over
// the proposals, instead of a transaction per entry.
func (s *Service) AuditVisibleAll(ctx context.Context, actor *auth.Actor, refs []AuditRef) (map[AuditRef]bool, error) {
	out := make(map[AuditRef]bool, len(refs))
	pidOf := map[AuditRef]int64{}
	byTable := map[string][]int64{}
	for _, r := range refs {
		switch table, ok := auditTables[r.Entity]; {
		case r.Entity == "proposal":
			pidOf[r] = r.ID
		case ok:
			byTable[table] = append(byTable[table], r.ID)
		default:
			out[r] = true
		}
	}
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		for entity, table := range auditTables {
			ids := byTable[table]
			if len(ids) == 0 {
				continue
			}
			var a db.Args
			rows, err := db.Query(ctx, tx, func(sc db.Scanner) ([2]int64, error) {
				var v [2]int64
				return v, sc.Scan(&v[0], &v[1])
			}, `SELECT id, proposal_id FROM `+table+` WHERE id IN `+db.In(&a, ids), a...)
			if err != nil {
				return err
			}
			for _, v := range rows {
				pidOf[AuditRef{entity, v[0]}] = v[1]
			}
		}
		var pids []int64
		for _, pid := range pidOf {
			pids = append(pids, pid)
		}
		if len(pids) == 0 {
			return nil
		}
		a := &db.Args{}
		cond := visibleSQL(a.Add, actor, Sight{})
		seen, err := db.Column[int64](ctx, tx, `SELECT p.id FROM proposals p WHERE p.id IN `+db.In(a, pids)+` AND `+cond, *a...)
		if err != nil {
			return err
		}
		ok := make(map[int64]bool, len(seen))
		for _, id := range seen {
			ok[id] = true
		}
		for r, pid := range pidOf {
			out[r] = ok[pid]
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, r := range refs { // child records gone: withheld, as AuditVisible does
		if _, found := out[r]; !found {
			out[r] = false
		}
	}
	return out, nil
}
