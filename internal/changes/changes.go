// Package changes is the platform's derived-data change queue. Derived rows
// (a proposal's figure facts and search row today; the duty ledger and report
// snapshots next) are computed from records, never entered, so they must follow
// every change of the records without a use case having to know who derives
// what from them.
//
// A use case marks what it changed (Mark, in its own transaction, so a rolled
// back change leaves no mark; the proposals table does it with a trigger so no
// write path can forget). Consumers — one per set of derived rows, registered
// by the area that owns them — are run over the marked records of one
// committee at a time:
//
//   - by a background job per committee (drain), started by a periodic scan of
//     the committees with pending changes, so derived rows catch up without a reader;
//   - on read, for the reader's committee (or subtree) only (CatchUp), so a
//     reader never sees stale derived rows and never pays for other committees;
//   - in bulk after a generator run or an import (Drain with Consumer.Bulk).
//
// A queue row is removed only when every consumer of its entity has run on it
// and the row was not marked again meanwhile (its seq is unchanged), so a
// change made during a refresh is refreshed again.
package changes

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"

	"lvzhi/internal/db"
)

// Consumer keeps one set of derived rows up to date with one entity's records.
type Consumer struct {
	// Name names the derived rows ("proposal_facts"), for logs and errors.
	Name string
	// Entity is the kind of record whose changes it consumes ("proposal").
	Entity string
	// Prepare, if set, runs before a drain's transaction (loading a dictionary,
	// say), so no write lock is held while it runs.
	Prepare func(ctx context.Context) error
	// Refresh recomputes the derived rows of the records ids of one committee,
	// inside tx. A record that no longer exists must lose its derived rows.
	Refresh func(ctx context.Context, tx *sql.Tx, committeeID int64, ids []int64) error
	// Bulk, if set, does what Refresh does for records of many committees at
	// once, for large queues (generator, imports); Drain falls back to Refresh.
	Bulk func(ctx context.Context, tx *sql.Tx, e db.Engine, ids []int64) error
}

var (
	mu        sync.RWMutex
	consumers []Consumer
)

// Register adds a consumer. Areas call it from an init function, like
// jobs.Register and auth.Grant, so every binary that links an area drains its
// derived rows.
func Register(c Consumer) {
	if c.Entity == "" || c.Refresh == nil {
		panic("changes: consumer " + c.Name + " needs an entity and a Refresh")
	}
	mu.Lock()
	defer mu.Unlock()
	consumers = append(consumers, c)
}

// consumersOf returns the consumers of an entity.
func consumersOf(entity string) []Consumer {
	mu.RLock()
	defer mu.RUnlock()
	var out []Consumer
	for _, c := range consumers {
		if c.Entity == entity {
			out = append(out, c)
		}
	}
	return out
}

// Mark queues a changed record for its consumers, inside the use case's
// transaction q. Marking a queued record again bumps its seq.
func Mark(ctx context.Context, q db.Querier, committeeID int64, entity string, id int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO change_queue (committee_id, entity, entity_id, seq, queued_at) VALUES ($1, $2, $3, 1, $4)
		ON CONFLICT (committee_id, entity, entity_id) DO UPDATE SET seq = change_queue.seq + 1`, committeeID, entity, id, db.Now())
	return err
}

// item is one queued record.
type item struct {
	committee int64
	entity    string
	id        int64
	seq       int64
}

// batchSize is how many queued records one transaction refreshes on read.
const batchSize = 200

// CatchUp refreshes the queued records of the committees given, so that their
// derived rows are current; readers call it for the committee they read.
func CatchUp(ctx context.Context, d *db.DB, committeeIDs ...int64) (int, error) {
	done := 0
	for _, c := range committeeIDs {
		n, err := drainWhere(ctx, d, `committee_id = $1`, []any{c}, batchSize, false, nil)
		done += n
		if err != nil {
			return done, err
		}
	}
	return done, nil
}

// CatchUpSubtree refreshes the queued records of a committee and every
// committee below it (path is the committee's materialised path), for a
// higher committee's roll-up.
func CatchUpSubtree(ctx context.Context, d *db.DB, path string) (int, error) {
	var a db.Args
	return drainWhere(ctx, d, `committee_id IN (SELECT id FROM committees WHERE `+db.Under("path", a.Add, path)+`)`, a, batchSize, false, nil)
}

// Drain refreshes every queued record of every committee in batches of
// size, with the consumers' Bulk functions where they have one (after a
// generator run or an import), calling progress (if set) after each batch.
func Drain(ctx context.Context, d *db.DB, size int, progress func(done int)) (int, error) {
	return drainWhere(ctx, d, `1 = 1`, nil, size, true, progress)
}

// Pending returns the number of queued records of a committee (0: all committees).
func Pending(ctx context.Context, d db.Querier, committeeID int64) (int, error) {
	q, args := `SELECT COUNT(*) FROM change_queue`, []any{}
	if committeeID != 0 {
		q, args = q+` WHERE committee_id = $1`, []any{committeeID}
	}
	var n int
	err := d.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, err
}

// Committees lists the committees with queued records.
func Committees(ctx context.Context, d db.Querier) ([]int64, error) {
	return db.Column[int64](ctx, d, `SELECT DISTINCT committee_id FROM change_queue ORDER BY committee_id`)
}

// drainWhere refreshes the queued records matching where, a batch per
// transaction, until none are left (or a batch came back short: records
// marked again while refreshed wait for the next reader or job).
func drainWhere(ctx context.Context, d *db.DB, where string, args []any, size int, bulk bool, progress func(int)) (int, error) {
	done := 0
	for round := 0; round < 1_000_000; round++ {
		items, err := queued(ctx, d, where, args, size)
		if err != nil || len(items) == 0 {
			return done, err
		}
		if err := prepare(ctx, items); err != nil {
			return done, err
		}
		if err := d.Tx(ctx, func(tx *sql.Tx) error { return refresh(ctx, tx, d.Engine, items, bulk) }); err != nil {
			return done, err
		}
		done += len(items)
		if progress != nil {
			progress(done)
		}
		if len(items) < size {
			return done, nil
		}
	}
	return done, nil
}

func queued(ctx context.Context, d *db.DB, where string, args []any, size int) ([]item, error) {
	return db.Query(ctx, d, func(sc db.Scanner) (item, error) {
		var it item
		err := sc.Scan(&it.committee, &it.entity, &it.id, &it.seq)
		return it, err
	}, `SELECT committee_id, entity, entity_id, seq FROM change_queue WHERE `+where+
		fmt.Sprintf(` ORDER BY committee_id, entity, entity_id LIMIT %d`, size), args...)
}

// prepare runs the Prepare step of every consumer of the items' entities.
func prepare(ctx context.Context, items []item) error {
	var seen []string
	for _, it := range items {
		if slices.Contains(seen, it.entity) {
			continue
		}
		seen = append(seen, it.entity)
		for _, c := range consumersOf(it.entity) {
			if c.Prepare != nil {
				if err := c.Prepare(ctx); err != nil {
					return fmt.Errorf("changes: prepare %s: %w", c.Name, err)
				}
			}
		}
	}
	return nil
}

// refresh runs every consumer over the items (grouped by committee and
// entity, or by entity in bulk) and takes them off the queue.
func refresh(ctx context.Context, tx *sql.Tx, e db.Engine, items []item, bulk bool) error {
	type key struct {
		committee int64
		entity    string
	}
	groups := map[key][]int64{}
	var order []key
	for _, it := range items {
		k := key{it.committee, it.entity}
		if bulk {
			k.committee = 0
		}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], it.id)
	}
	for _, k := range order {
		for _, c := range consumersOf(k.entity) {
			if err := run(ctx, tx, e, c, k.committee, groups[k], items, bulk); err != nil {
				return fmt.Errorf("changes: %s: %w", c.Name, err)
			}
		}
	}
	return unqueue(ctx, tx, items)
}

// run calls one consumer: Bulk over all ids, or Refresh per committee.
func run(ctx context.Context, tx *sql.Tx, e db.Engine, c Consumer, committee int64, ids []int64, items []item, bulk bool) error {
	if !bulk {
		return c.Refresh(ctx, tx, committee, ids)
	}
	if c.Bulk != nil {
		return c.Bulk(ctx, tx, e, ids)
	}
	byCommittee := map[int64][]int64{}
	var cs []int64
	for _, it := range items {
		if it.entity == c.Entity {
			if _, ok := byCommittee[it.committee]; !ok {
				cs = append(cs, it.committee)
			}
			byCommittee[it.committee] = append(byCommittee[it.committee], it.id)
		}
	}
	for _, cid := range cs {
		if err := c.Refresh(ctx, tx, cid, byCommittee[cid]); err != nil {
			return err
		}
	}
	return nil
}

// unqueue removes the items whose seq is still the one refreshed.
func unqueue(ctx context.Context, tx *sql.Tx, items []item) error {
	const chunk = 400 // 4 arguments each, well under both engines' limits
	for start := 0; start < len(items); start += chunk {
		part := items[start:min(start+chunk, len(items))]
		var a db.Args
		conds := make([]string, len(part))
		for i, it := range part {
			conds[i] = fmt.Sprintf("(committee_id = %s AND entity = %s AND entity_id = %s AND seq = %s)",
				a.Add(it.committee), a.Add(it.entity), a.Add(it.id), a.Add(it.seq))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM change_queue WHERE `+strings.Join(conds, " OR "), a...); err != nil {
			return err
		}
	}
	return nil
}

// Consumers lists the registered consumers' names by entity, for docs and tests.
func Consumers() map[string][]string {
	mu.RLock()
	defer mu.RUnlock()
	out := map[string][]string{}
	for _, c := range consumers {
		out[c.Entity] = append(out[c.Entity], c.Name)
	}
	return out
}
