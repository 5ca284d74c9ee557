package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"lvzhi/internal/db"
)

// Rekey converts the entries written without the audit key (by versions
// before it, or before the operator set it) into keyed hashes, chain by
// chain, after checking each entry as it stands: a chain that does not verify
// is left alone and reported, since keying it would launder the break. It is
// run once, by `lvzhi audit rekey`, when the key is first configured, and
// returns the number of entries converted.
func Rekey(ctx context.Context, d *db.DB) (int64, error) {
	key := currentKey()
	if key == nil {
		return 0, errors.New("audit rekey: no audit key (set " + EnvKey + " or LVZHI_KEY)")
	}
	var n int64
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		heads, err := loadHeads(ctx, tx)
		if err != nil {
			return err
		}
		for _, h := range heads {
			m, err := rekeyChain(ctx, tx, h, key)
			if err != nil {
				return err
			}
			n += m
		}
		return nil
	})
	return n, err
}

func rekeyChain(ctx context.Context, tx *sql.Tx, h head, key []byte) (int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT committee_id, seq, at, COALESCE(actor_user_id, 0), actor_name, action, entity, entity_id,
		before_json, after_json, prev_hash, hash FROM audit_log WHERE committee_id = $1 ORDER BY seq`, h.committeeID)
	if err != nil {
		return 0, err
	}
	var entries []Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			rows.Close()
			return 0, err
		}
		entries = append(entries, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	var n int64
	oldPrev, newPrev := "", ""
	for i, e := range entries {
		keyed := strings.HasPrefix(e.Hash, keyedPrefix)
		if e.Seq != int64(i+1) || e.PrevHash != oldPrev || e.hashWith(map[bool][]byte{true: key}[keyed]) != e.Hash {
			return 0, fmt.Errorf("audit rekey: committee %d, entry %d does not verify; nothing was changed (run lvzhi audit verify)", h.committeeID, e.Seq)
		}
		oldPrev = e.Hash
		if keyed && e.PrevHash == newPrev {
			newPrev = e.Hash
			continue
		}
		e.PrevHash = newPrev
		e.Hash = e.hashWith(key)
		if _, err := tx.ExecContext(ctx, `UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE committee_id = $3 AND seq = $4`,
			e.PrevHash, e.Hash, e.CommitteeID, e.Seq); err != nil {
			return 0, err
		}
		newPrev = e.Hash
		n++
	}
	if h.seq != int64(len(entries)) || h.hash != oldPrev {
		return 0, fmt.Errorf("audit rekey: committee %d: the head does not match the chain; nothing was changed (run lvzhi audit verify)", h.committeeID)
	}
	_, err = tx.ExecContext(ctx, `UPDATE audit_head SET hash = $1 WHERE committee_id = $2`, newPrev, h.committeeID)
	return n, err
}
