package proposal

import (
	"fmt"
	"lvzhi/internal/db"
	"strings"
	"testing"
)

// derivedRows dumps the derived tables (every column but the search row's
// updated_at) in key order.
func (f *fx) derivedRows() map[string][]string {
	f.t.Helper()
	out := map[string][]string{}
	for name, q := range map[string]string{
		"facts":      `SELECT * FROM proposal_facts ORDER BY proposal_id`,
		"unit_facts": `SELECT * FROM proposal_unit_facts ORDER BY assignment_id`,
		"search":     `SELECT proposal_id, committee_id, tokens, text_hash FROM proposal_search ORDER BY proposal_id`,
	} {
		rows, err := f.d.QueryContext(f.ctx, q)
		if err != nil {
			f.t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				f.t.Fatal(err)
			}
			var b strings.Builder
			for i, v := range vals {
				if s, ok := v.([]byte); ok {
					v = string(s)
				}
				fmt.Fprintf(&b, "%s=%v ", cols[i], v)
			}
			out[name] = append(out[name], b.String())
		}
		if err := rows.Close(); err != nil {
			f.t.Fatal(err)
		}
	}
	return out
}

func (f *fx) requeueAll() {
	f.exec(`INSERT INTO change_queue (committee_id, entity, entity_id, seq, queued_at) SELECT committee_id, 'proposal', id, 1, $1
		FROM proposals WHERE true ON CONFLICT (committee_id, entity, entity_id) DO UPDATE SET seq = change_queue.seq + 1`, db.Now())
}

func diffRows(t *testing.T, what string, got, want map[string][]string) {
	t.Helper()
	for _, table := range []string{"facts", "unit_facts", "search"} {
		g, w := got[table], want[table]
		if len(g) != len(w) {
			t.Errorf("%s: %s has %d rows, per-proposal refresh %d", what, table, len(g), len(w))
			continue
		}
		for i := range g {
			if g[i] != w[i] {
				t.Errorf("%s: %s row %d:\n bulk %s\n want %s", what, table, i, g[i], w[i])
			}
		}
	}
}

// TestBulkRefreshMatches: the bulk refresh (generator, imports) writes exactly
// the derived rows the per-proposal refresh writes, from empty tables and over
// wrong rows, on both engines.
func TestBulkRefreshMatches(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.seedSession()
		f.seed(Assigned, func(sp *SeedSpec) { sp.Mode, sp.Units = Separate, f.units[:2] })
		if _, err := f.svc.CatchUp(f.ctx, f.cid, ""); err != nil {
			t.Fatal(err)
		}
		want := f.derivedRows()
		proposals := f.count(`SELECT COUNT(*) FROM proposals`)
		if len(want["facts"]) != proposals || len(want["search"]) != proposals || len(want["unit_facts"]) < 5 {
			t.Fatalf("fixture too small: %d facts, %d search rows, %d unit facts for %d proposals",
				len(want["facts"]), len(want["search"]), len(want["unit_facts"]), proposals)
		}

		// From empty derived tables.
		f.exec(`DELETE FROM proposal_unit_facts`)
		f.exec(`DELETE FROM proposal_facts`)
		f.exec(`DELETE FROM proposal_search`)
		f.requeueAll()
		n, err := f.svc.CatchUpBulk(f.ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n != proposals || f.count(`SELECT COUNT(*) FROM change_queue`) != 0 {
			t.Fatalf("bulk refreshed %d of %d, %d still queued", n, proposals, f.count(`SELECT COUNT(*) FROM change_queue`))
		}
		diffRows(t, "from empty", f.derivedRows(), want)

		// Over wrong rows: every derived column is overwritten, stale rows go.
		f.exec(`UPDATE proposal_facts SET on_time = NOT on_time, face_to_face = NOT face_to_face, replied = NOT replied,
			result_class = 'Z', state = 'draft', version = 0`)
		f.exec(`UPDATE proposal_unit_facts SET on_time = NOT on_time, replied = NOT replied, result_class = 'Z', due_on = '2000-01-01'`)
		f.exec(`UPDATE proposal_search SET text_hash = 'stale', tokens = 'zzc0 旧词'`)
		f.requeueAll()
		if _, err := f.svc.CatchUpBulk(f.ctx, nil); err != nil {
			t.Fatal(err)
		}
		diffRows(t, "over wrong rows", f.derivedRows(), want)

		// A proposal deleted while queued leaves the queue.
		f.exec(`INSERT INTO change_queue (committee_id, entity, entity_id, seq, queued_at) VALUES ($1, 'proposal', 999999, 1, $2)`, f.cid, db.Now())
		if _, err := f.svc.CatchUpBulk(f.ctx, nil); err != nil {
			t.Fatal(err)
		}
		if q := f.count(`SELECT COUNT(*) FROM change_queue`); q != 0 {
			t.Fatalf("%d still queued", q)
		}
	})
}
