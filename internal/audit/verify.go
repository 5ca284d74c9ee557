package audit

import (
	"context"
	"fmt"
	"strings"

	"lvzhi/internal/db"
)

// Problem is one break found in a chain.
type Problem struct {
	CommitteeID int64
	Seq         int64
	What        string
}

func (p Problem) String() string {
	return fmt.Sprintf("committee %d, entry %d: %s", p.CommitteeID, p.Seq, p.What)
}

// Verify walks every committee's chain and reports edited, inserted or deleted entries.
func Verify(ctx context.Context, q db.Querier) (checked int64, problems []Problem, err error) {
	heads, err := loadHeads(ctx, q)
	if err != nil {
		return 0, nil, err
	}
	for _, h := range heads {
		n, ps, err := verifyChain(ctx, q, h)
		if err != nil {
			return checked, problems, err
		}
		checked += n
		problems = append(problems, ps...)
	}
	return checked, problems, nil
}

type head struct {
	committeeID, seq int64
	hash             string
}

func loadHeads(ctx context.Context, q db.Querier) ([]head, error) {
	return db.Query(ctx, q, func(sc db.Scanner) (head, error) {
		var h head
		err := sc.Scan(&h.committeeID, &h.seq, &h.hash)
		return h, err
	}, `SELECT committee_id, seq, hash FROM audit_head
		UNION SELECT DISTINCT committee_id, 0, '' FROM audit_log
		WHERE committee_id NOT IN (SELECT committee_id FROM audit_head) ORDER BY 1`)
}

func verifyChain(ctx context.Context, q db.Querier, h head) (int64, []Problem, error) {
	rows, err := q.QueryContext(ctx, `SELECT committee_id, seq, at, COALESCE(actor_user_id, 0), actor_name, action, entity, entity_id,
		before_json, after_json, prev_hash, hash FROM audit_log WHERE committee_id = $1 ORDER BY seq`, h.committeeID)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	var (
		problems []Problem
		prevHash string
		expect   int64 = 1
		n        int64
	)
	bad := func(seq int64, format string, a ...any) {
		problems = append(problems, Problem{h.committeeID, seq, fmt.Sprintf(format, a...)})
	}
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return n, problems, err
		}
		n++
		if e.Seq != expect {
			bad(e.Seq, "entries %d to %d are missing", expect, e.Seq-1)
		}
		if e.PrevHash != prevHash {
			bad(e.Seq, "does not follow the previous entry (deleted or reordered)")
		}
		if what := checkHash(&e); what != "" {
			bad(e.Seq, "%s", what)
		}
		prevHash, expect = e.Hash, e.Seq+1
	}
	if err := rows.Err(); err != nil {
		return n, problems, err
	}
	if h.seq != expect-1 || h.hash != prevHash {
		bad(expect-1, "the chain should end at entry %d but ends at %d (entries deleted from the end, or the head was changed)", h.seq, expect-1)
	}
	return n, problems, nil
}

func scanEntry(rows db.Scanner) (Entry, error) {
	var e Entry
	var at db.Time
	err := rows.Scan(&e.CommitteeID, &e.Seq, &at, &e.ActorUserID, &e.ActorName, &e.Action, &e.Entity, &e.EntityID,
		&e.Before, &e.After, &e.PrevHash, &e.Hash)
	e.At = at.Time
	return e, err
}

// checkHash says what is wrong with an entry's hash, "" if nothing. With an
// audit key set every entry must carry a keyed hash: an unkeyed one was
// written, or rewritten, by someone without the key (chains from before the
// key are converted once by Rekey).
func checkHash(e *Entry) string {
	key := currentKey()
	keyed := strings.HasPrefix(e.Hash, keyedPrefix)
	switch {
	case key != nil && !keyed:
		return "its hash is not keyed with the audit key (written or rewritten without it)"
	case key == nil && keyed:
		return "its hash is keyed, but no audit key was given to check it (set " + EnvKey + " or LVZHI_KEY)"
	case e.hashWith(key) != e.Hash:
		return "content was changed after it was written"
	}
	return ""
}
