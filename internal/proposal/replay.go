package proposal

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Past records (补录) replay a proposal's history through the same use cases a
// user's click runs, one step at a time, each on its real date. What differs
// for a replayed step travels in the context, private to this package:
//
//   - every step of one history (and of a whole ledger) runs in ONE
//     transaction, so nothing is written unless all of it is valid;
//   - the step's civil date is the use case's today (o.today), so every date
//     rule (deadlines, windows, the working-day calendar) is checked as it was
//     then and every civil date it writes is the real one;
//   - the timeline event carries who entered the step and when, the audit
//     entry is made by the entering user and says what was replayed, and no
//     notification is sent for a step long past.
//
// Use cases reach these through s.tx, s.q, s.dayOf and stamp; outside a replay
// they are the service's own transaction, database, today and clock.

type replayKey struct{}

// replay is the state of a replayed step.
type replay struct {
	tx  *sql.Tx
	on  civil.Date  // the step's real date
	by  *auth.Actor // the user entering the history
	at  time.Time   // when it is entered
	seq int         // Register: the proposal's original number in its session (0: the next)
}

func replayOf(ctx context.Context) *replay {
	r, _ := ctx.Value(replayKey{}).(*replay)
	return r
}

// withReplay returns ctx carrying r.
func withReplay(ctx context.Context, r *replay) context.Context {
	return context.WithValue(ctx, replayKey{}, r)
}

// tx runs fn in the replay's transaction, or in a new one.
func (s *Service) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if r := replayOf(ctx); r != nil {
		return fn(r.tx)
	}
	return s.DB.Tx(ctx, fn)
}

// q is where a use case reads after its transaction: the replay's
// transaction (which has not committed yet), or the database.
func (s *Service) q(ctx context.Context) db.Querier {
	if r := replayOf(ctx); r != nil {
		return r.tx
	}
	return s.DB
}

// dayOf is the use case's today: the replayed step's date, or the service's today.
func (s *Service) dayOf(ctx context.Context) civil.Date {
	if r := replayOf(ctx); r != nil {
		return r.on
	}
	return s.today()
}

// stamp is the instant a step happened: now, or for a replayed step 09:00 in
// Shanghai on its date (the day is what counts; the hour keeps it inside the day).
func stamp(ctx context.Context) time.Time {
	if r := replayOf(ctx); r != nil {
		return time.Date(r.on.Year, r.on.Month, r.on.Day, 9, 0, 0, 0, civil.Shanghai).UTC()
	}
	return db.Now()
}

// backfillMark is what the audit log keeps about a replayed step besides its values.
func (r *replay) backfillMark(standIn *auth.Actor) map[string]any {
	m := map[string]any{"on": r.on.String(), "entered_at": r.at.Format(time.RFC3339)}
	if standIn != nil && standIn != r.by {
		m["for"] = standIn.Name
	}
	return m
}

// markAfter adds the backfill mark to an audit entry's after value: a JSON
// object gains the key "backfill"; anything else is kept under "value".
func markAfter(after any, mark map[string]any) any {
	b, err := json.Marshal(after)
	if err != nil {
		return map[string]any{"backfill": mark, "value": after}
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil || m == nil {
		return map[string]any{"backfill": mark, "value": after}
	}
	m["backfill"] = mark
	return m
}

// An import (a whole ledger in one transaction) reads the committee's
// settings, result classes, calendar and sessions once, not in every step of
// every row: it changes none of them. importCached memoizes load under key
// when ctx carries an import's cache, and just loads otherwise. The import's
// timeline events wait in the cache too, and a row's events are inserted
// many to a statement when the row is done (flushEvents): nothing a ledger
// row replays reads them before.
type importCacheKey struct{}

type importCache struct {
	vals   map[string]any
	events []eventRow
}

// eventRow is one proposal_events row's values, in insertEvent's column order.
type eventRow [13]any

func withImportCache(ctx context.Context) context.Context {
	return context.WithValue(ctx, importCacheKey{}, &importCache{vals: map[string]any{}})
}

func importCacheOf(ctx context.Context) *importCache {
	c, _ := ctx.Value(importCacheKey{}).(*importCache)
	return c
}

func importCached[T any](ctx context.Context, key string, load func() (T, error)) (T, error) {
	c := importCacheOf(ctx)
	if c != nil {
		if v, ok := c.vals[key]; ok {
			return v.(T), nil
		}
	}
	v, err := load()
	if err == nil && c != nil {
		c.vals[key] = v
	}
	return v, err
}

// flushEvents inserts the events an import has kept back (none outside one).
func flushEvents(ctx context.Context, tx *sql.Tx) error {
	c := importCacheOf(ctx)
	for c != nil && len(c.events) > 0 {
		n := min(len(c.events), 200) // 13 parameters each
		var a db.Args
		rows := make([]string, n)
		for i, ev := range c.events[:n] {
			ps := make([]string, len(ev))
			for k, v := range ev {
				ps[k] = a.Add(v)
			}
			rows[i] = "(" + strings.Join(ps, ",") + ")"
		}
		if _, err := tx.ExecContext(ctx, eventInsert+strings.Join(rows, ","), a...); err != nil {
			return err
		}
		c.events = c.events[n:]
	}
	return nil
}

// dropEvents forgets the kept-back events (their row was rolled back).
func dropEvents(ctx context.Context) {
	if c := importCacheOf(ctx); c != nil {
		c.events = nil
	}
}
