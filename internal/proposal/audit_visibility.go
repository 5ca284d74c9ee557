package proposal

import (
	"context"
	"database/sql"
	"errors"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
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
