package audit

import (
	"context"

	"lvzhi/internal/db"
)

// Filter narrows the audit page.
type Filter struct {
	Entity    string
	EntityID  int64
	Limit     int
	BeforeSeq int64 // keyset paging: entries older than this seq; 0 for the newest
}

// List returns a committee's entries, newest first.
func List(ctx context.Context, q db.Querier, committeeID int64, f Filter) ([]Entry, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	before := f.BeforeSeq
	if before <= 0 {
		before = 1 << 62
	}
	return db.Query(ctx, q, scanEntry, `SELECT committee_id, seq, at, COALESCE(actor_user_id, 0), actor_name, action, entity, entity_id,
		before_json, after_json, prev_hash, hash FROM audit_log
		WHERE committee_id = $1 AND seq < $2 AND ($3 = '' OR entity = $3) AND (CAST($4 AS BIGINT) = 0 OR entity_id = $4)
		ORDER BY seq DESC LIMIT $5`, committeeID, before, f.Entity, f.EntityID, f.Limit)
}
