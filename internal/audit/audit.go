// Package audit keeps the tamper-evident log of every change: one hash chain
// per committee, written in the same transaction as the change it records.
package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// Entry is one change: who, when, what, and the values before and after.
type Entry struct {
	ID          int64
	CommitteeID int64
	Seq         int64
	At          time.Time
	ActorUserID int64
	ActorName   string
	Action      string // e.g. "create", "update", "proposal.register"
	Entity      string // e.g. "membership", "proposal"
	EntityID    int64
	Before      string // JSON, "" for creations
	After       string // JSON, "" for deletions
	PrevHash    string
	Hash        string
}

// Record appends a change to the committee's chain inside tx. before and after
// are marshalled to JSON (nil for none).
func Record(ctx context.Context, tx *sql.Tx, actor *auth.Actor, committeeID int64, action, entity string, entityID int64, before, after any) error {
	e := Entry{CommitteeID: committeeID, At: db.Now(), Action: action, Entity: entity, EntityID: entityID}
	if actor != nil {
		e.ActorUserID, e.ActorName = actor.UserID, actor.Name
	}
	var err error
	if e.Before, err = toJSON(before); err != nil {
		return err
	}
	if e.After, err = toJSON(after); err != nil {
		return err
	}
	b := batchOf(ctx)
	if h, ok := b.head(committeeID); ok { // this tx holds the head row's lock already
		e.Seq, e.PrevHash = h.seq+1, h.hash
		e.Hash = e.computeHash()
		b.add(e)
		return nil
	}
	// Claim the next link of the chain; the head row's lock serializes writers of one committee.
	err = tx.QueryRowContext(ctx, `UPDATE audit_head SET seq = seq + 1 WHERE committee_id = $1 RETURNING seq, hash`, committeeID).
		Scan(&e.Seq, &e.PrevHash)
	if errors.Is(err, sql.ErrNoRows) {
		e.Seq, e.PrevHash = 1, ""
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_head (committee_id, seq, hash) VALUES ($1, 1, '')`, committeeID)
	}
	if err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	e.Hash = e.computeHash()
	if b != nil { // the batch writes the entry and the head when it ends
		b.add(e)
		return nil
	}
	if err := insert(ctx, tx, e); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE audit_head SET hash = $1 WHERE committee_id = $2`, e.Hash, committeeID)
	return err
}

func insert(ctx context.Context, tx *sql.Tx, es ...Entry) error {
	var a db.Args
	var rows []string
	for _, e := range es {
		var actorID any
		if e.ActorUserID != 0 {
			actorID = e.ActorUserID
		}
		rows = append(rows, "("+strings.Join([]string{a.Add(e.CommitteeID), a.Add(e.Seq), a.Add(e.At), a.Add(actorID),
			a.Add(e.ActorName), a.Add(e.Action), a.Add(e.Entity), a.Add(e.EntityID), a.Add(e.Before), a.Add(e.After),
			a.Add(e.PrevHash), a.Add(e.Hash)}, ",")+")")
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (committee_id, seq, at, actor_user_id, actor_name, action, entity, entity_id,
		before_json, after_json, prev_hash, hash) VALUES `+strings.Join(rows, ","), a...)
	if err != nil {
		return fmt.Errorf("audit insert: %w", err)
	}
	return nil
}

func toJSON(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	if s, ok := v.(string); ok {
		return s, nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// computeHash covers every field of the entry and the previous hash, keyed
// with the audit key when one is set (see SetKey).
func (e *Entry) computeHash() string { return e.hashWith(currentKey()) }
