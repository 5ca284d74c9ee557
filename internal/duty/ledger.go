package duty

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"lvzhi/internal/changes"
	"lvzhi/internal/db"
)

// Entry is one ledger row: a posting from a source record, or the reversal
// of one.
type Entry struct {
	ID           int64  `json:"id"`
	Year         int    `json:"year"`
	MembershipID int64  `json:"membership_id"`
	Date         string `json:"date"`
	Category     string `json:"category"`
	Item         string `json:"item"`
	Variant      string `json:"variant"`
	Quantity     int    `json:"quantity"`
	Shares       int    `json:"shares"` // how many members shared the points (1: not shared)
	Points       int64  `json:"points"`
	Entity       string `json:"source_entity"`
	SourceID     int64  `json:"source_id"`
	Kind         string `json:"kind"` // post or reversal
	ReversesID   int64  `json:"reverses_id,omitempty"`
	Reversed     bool   `json:"reversed"`
}

// posting is what makes two postings the same: everything but the row id.
type posting struct {
	Year         int
	MembershipID int64
	Date         string
	Category     string
	Item         string
	Variant      string
	Quantity     int
	Shares       int
	Points       int64
	Entity       string
	SourceID     int64
}

func (e Entry) posting() posting {
	return posting{e.Year, e.MembershipID, e.Date, e.Category, e.Item, e.Variant, e.Quantity, e.Shares, e.Points, e.Entity, e.SourceID}
}

// rulebook loads a committee's rule sets by year, once each.
type rulebook struct {
	ctx         context.Context
	q           db.Querier
	committeeID int64
	sets        map[int]*RuleSet
}

func newRulebook(ctx context.Context, q db.Querier, committeeID int64) *rulebook {
	return &rulebook{ctx: ctx, q: q, committeeID: committeeID, sets: map[int]*RuleSet{}}
}

// year returns the rules of a year, nil when the committee has none (its
// events of that year score nothing).
func (b *rulebook) year(y int) (*RuleSet, error) {
	if rs, ok := b.sets[y]; ok {
		return rs, nil
	}
	rs, err := loadRuleSet(b.ctx, b.q, b.committeeID, y)
	if err != nil {
		return nil, err
	}
	b.sets[y] = rs
	return rs, nil
}

// price turns events into the postings the rules give them (an event with
// its own points, an adjustment, keeps them). An event without
// a rule of its year, item and variant posts nothing; a shared rule's points
// are split among the event's holders of the variant, the hundredths left
// over going one each to the lowest membership ids, so the shares add up.
func price(b *rulebook, events []Event) ([]posting, error) {
	type group struct {
		entity        string
		source        int64
		item, variant string
		date          string
	}
	holders := map[group][]int64{}
	for _, e := range events {
		g := group{e.Entity, e.SourceID, e.Item, e.Variant, e.Date.String()}
		holders[g] = append(holders[g], e.MembershipID)
	}
	var out []posting
	for _, e := range events {
		p := posting{Year: e.Date.Year, MembershipID: e.MembershipID, Date: e.Date.String(), Item: e.Item,
			Variant: e.Variant, Quantity: e.Quantity, Shares: 1, Entity: e.Entity, SourceID: e.SourceID}
		if e.Points != nil {
			p.Category, p.Points = CatAdjustment, *e.Points
			out = append(out, p)
			continue
		}
		rs, err := b.year(e.Date.Year)
		if err != nil {
			return nil, err
		}
		if rs == nil {
			continue
		}
		r, ok := rs.rule(e.Item, e.Variant)
		if !ok {
			continue
		}
		p.Category, p.Points = r.Category, r.Points*int64(e.Quantity)
		if r.Shared {
			hs := slices.Clone(holders[group{e.Entity, e.SourceID, e.Item, e.Variant, p.Date}])
			slices.Sort(hs)
			p.Shares = len(hs)
			p.Points = share(p.Points, len(hs), slices.Index(hs, e.MembershipID))
		}
		out = append(out, p)
	}
	return out, nil
}

// share returns holder i's part (0-based) of pool split n ways: the quotient,
// plus (or minus, for a negative pool) one hundredth for the first |remainder|.
func share(pool int64, n, i int) int64 {
	q := pool / int64(n)
	rem := pool - q*int64(n)
	switch {
	case rem > 0 && int64(i) < rem:
		q++
	case rem < 0 && int64(i) < -rem:
		q--
	}
	return q
}

// Diff is what it takes to bring the ledger to what the records say.
type Diff struct {
	Reverse []Entry   // live postings no record supports any more
	Post    []posting // postings the records earn that the ledger lacks
	Wanted  int       // postings the records earn in all
}

// Empty reports whether the ledger already agrees.
func (d Diff) Empty() bool { return len(d.Reverse) == 0 && len(d.Post) == 0 }

// diff matches live postings with wanted ones (as multisets).
func diff(live []Entry, want []posting) Diff {
	left := map[posting][]Entry{}
	for _, e := range live {
		left[e.posting()] = append(left[e.posting()], e)
	}
	var d Diff
	for _, p := range want {
		if es := left[p]; len(es) > 0 {
			left[p] = es[1:]
			continue
		}
		d.Post = append(d.Post, p)
	}
	for _, es := range left {
		d.Reverse = append(d.Reverse, es...)
	}
	slices.SortFunc(d.Reverse, func(a, b Entry) int { return cmp.Compare(a.ID, b.ID) })
	return d
}

const entryCols = `id, year, membership_id, on_date, category, item, variant, quantity, shares, points,
	source_entity, source_id, kind, COALESCE(reverses_id, 0), reversed`

func scanEntry(sc db.Scanner) (Entry, error) {
	var e Entry
	err := sc.Scan(&e.ID, &e.Year, &e.MembershipID, &e.Date, &e.Category, &e.Item, &e.Variant, &e.Quantity,
		&e.Shares, &e.Points, &e.Entity, &e.SourceID, &e.Kind, &e.ReversesID, &e.Reversed)
	return e, err
}

// liveEntries loads the postings in scope that stand (posted, not reversed).
func liveEntries(ctx context.Context, q db.Querier, committeeID int64, sc scope) ([]Entry, error) {
	var a db.Args
	w := []string{"committee_id = " + a.Add(committeeID), "kind = 'post'", "NOT reversed"}
	if sc.entity != "" {
		w = append(w, "source_entity = "+a.Add(sc.entity), "source_id IN "+db.In(&a, sc.ids))
	} else {
		w = append(w, "year = "+a.Add(sc.year))
	}
	return db.Query(ctx, q, scanEntry, `SELECT `+entryCols+` FROM duty_entries WHERE `+strings.Join(w, " AND ")+` ORDER BY id`, a...)
}

// compare loads what the records say and what the ledger holds in scope.
func compare(ctx context.Context, q db.Querier, committeeID int64, sc scope) (Diff, error) {
	events, err := loadEvents(ctx, q, committeeID, sc)
	if err != nil {
		return Diff{}, err
	}
	want, err := price(newRulebook(ctx, q, committeeID), events)
	if err != nil {
		return Diff{}, err
	}
	live, err := liveEntries(ctx, q, committeeID, sc)
	if err != nil {
		return Diff{}, err
	}
	d := diff(live, want)
	d.Wanted = len(want)
	return d, nil
}

// sync brings the ledger in scope to what the records say, inside tx.
func sync(ctx context.Context, tx *sql.Tx, committeeID int64, sc scope) (Diff, error) {
	d, err := compare(ctx, tx, committeeID, sc)
	if err != nil || d.Empty() {
		return d, err
	}
	return d, apply(ctx, tx, committeeID, d)
}

// apply reverses and posts: a reversal is a negative copy pointing at the
// posting it cancels, which is flagged reversed so it no longer stands.
func apply(ctx context.Context, tx *sql.Tx, committeeID int64, d Diff) error {
	now := db.Now()
	var rows [][]any
	for _, e := range d.Reverse {
		if _, err := tx.ExecContext(ctx, `UPDATE duty_entries SET reversed = TRUE WHERE id = $1 AND committee_id = $2`,
			e.ID, committeeID); err != nil {
			return err
		}
		p := e.posting()
		rows = append(rows, []any{committeeID, p.Year, p.MembershipID, p.Date, p.Category, p.Item, p.Variant, p.Quantity,
			p.Shares, -p.Points, p.Entity, p.SourceID, "reversal", e.ID, false, now})
	}
	for _, p := range d.Post {
		rows = append(rows, []any{committeeID, p.Year, p.MembershipID, p.Date, p.Category, p.Item, p.Variant, p.Quantity,
			p.Shares, p.Points, p.Entity, p.SourceID, "post", nil, false, now})
	}
	return insertEntries(ctx, tx, rows)
}

// insertEntries writes rows of 16 values, many per statement.
func insertEntries(ctx context.Context, tx *sql.Tx, rows [][]any) error {
	const chunk = 25 // 16 arguments each; SQLite looks placeholders up one by one, so long lists cost quadratic time
	for start := 0; start < len(rows); start += chunk {
		var a db.Args
		vals := make([]string, 0, chunk)
		for _, r := range rows[start:min(start+chunk, len(rows))] {
			vals = append(vals, db.In(&a, r))
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO duty_entries (committee_id, year, membership_id, on_date, category, item,
			variant, quantity, shares, points, source_entity, source_id, kind, reverses_id, reversed, posted_at) VALUES `+
			strings.Join(vals, ", "), a...)
		if err != nil {
			return fmt.Errorf("duty: post entries: %w", err)
		}
	}
	return nil
}

// consumer keeps the ledger's postings of one entity's records in step with them.
func consumer(entity string) changes.Consumer {
	return changes.Consumer{
		Name:   "duty_entries (" + entity + ")",
		Entity: entity,
		Refresh: func(ctx context.Context, tx *sql.Tx, committeeID int64, ids []int64) error {
			_, err := sync(ctx, tx, committeeID, scope{entity: entity, ids: ids})
			return err
		},
	}
}

func init() {
	for _, e := range entities() {
		changes.Register(consumer(e))
	}
}
