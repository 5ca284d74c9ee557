package audit

import (
	"context"
	"database/sql"
	"maps"
)

// A batch keeps a committee's chain head in memory for the rest of one
// transaction, after its first entry has claimed (and locked) the head row,
// and writes the head once when the batch ends. Without it every entry
// updates the head row twice, and PostgreSQL keeps every version a
// transaction wrote to one row until it commits: each update walks all the
// earlier ones, so an import writing thousands of entries in one transaction
// went quadratic (20,000 updates of one row in one transaction: 9 s). The
// entries themselves wait in the batch too and are inserted many to a
// statement when it ends: an import's thousands of entries cost a few round
// trips instead of one each. Nothing reads the log inside an import.
type batch struct {
	heads   map[int64]chainHead
	pending []Entry
}

// batchInsert is how many entries one INSERT carries (12 parameters each,
// well under SQLite's and PostgreSQL's limits).
const batchInsert = 200

type chainHead struct {
	seq  int64
	hash string
}

type batchKey struct{}

func batchOf(ctx context.Context) *batch {
	b, _ := ctx.Value(batchKey{}).(*batch)
	return b
}

func (b *batch) head(committeeID int64) (chainHead, bool) {
	if b == nil {
		return chainHead{}, false
	}
	h, ok := b.heads[committeeID]
	return h, ok
}

func (b *batch) add(e Entry) {
	b.heads[e.CommitteeID] = chainHead{seq: e.Seq, hash: e.Hash}
	b.pending = append(b.pending, e)
}

// Batched runs fn, whose entries (written with the context it is given,
// inside tx) are appended as usual, and then writes each chain's head once.
// fn must not return nil after rolling tx back to a savepoint taken inside
// it: use Savepoint, which also rolls the batch back.
func Batched(ctx context.Context, tx *sql.Tx, fn func(ctx context.Context) error) error {
	if batchOf(ctx) != nil { // already inside a batch: its end writes the heads
		return fn(ctx)
	}
	b := &batch{heads: map[int64]chainHead{}}
	if err := fn(context.WithValue(ctx, batchKey{}, b)); err != nil {
		return err
	}
	for len(b.pending) > 0 {
		n := min(len(b.pending), batchInsert)
		if err := insert(ctx, tx, b.pending[:n]...); err != nil {
			return err
		}
		b.pending = b.pending[n:]
	}
	for committeeID, h := range b.heads {
		if _, err := tx.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE committee_id = $3`,
			h.seq, h.hash, committeeID); err != nil {
			return err
		}
	}
	return nil
}

// Savepoint runs fn inside the SQL savepoint name: when fn fails, the
// savepoint is rolled back, and so is the batch's view of the chain heads
// (an entry rolled back must not stay the head), and fn's error returned.
func Savepoint(ctx context.Context, tx *sql.Tx, name string, fn func() error) error {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT `+name); err != nil {
		return err
	}
	var saved map[int64]chainHead
	var pending int
	b := batchOf(ctx)
	if b != nil {
		saved, pending = maps.Clone(b.heads), len(b.pending)
	}
	if err := fn(); err != nil {
		if _, rb := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT `+name); rb != nil {
			return rb
		}
		if b != nil {
			b.heads, b.pending = saved, b.pending[:pending]
		}
		return err
	}
	_, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT `+name)
	return err
}
