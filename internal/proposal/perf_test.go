package proposal

import (
	"context"
	"database/sql"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestListScale measures List on PostgreSQL with a nation-scale table:
// LVZHI_SCALE_ROWS proposals (e.g. 5000000 = 5 years × 1 million) spread over
// 3,200 committees and 5 yearly sessions each, every other one assigned to a
// unit. It asserts p95 < 100 ms for a county committee's filtered lists.
// LVZHI_SCALE_COMMITTEES overrides the 3,200 committees, so that e.g. 1,000,000
// rows over 640 committees give each committee the rows it has in 5,000,000 over
// 3,200. Skipped unless LVZHI_SCALE_ROWS is set (it takes minutes to load).
func TestListScale(t *testing.T) {
	rows, _ := strconv.Atoi(os.Getenv("LVZHI_SCALE_ROWS"))
	if rows == 0 {
		t.Skip("LVZHI_SCALE_ROWS not set")
	}
	d := dbtest.Postgres(t)
	ctx := context.Background()
	committees := 3200
	if c, _ := strconv.Atoi(os.Getenv("LVZHI_SCALE_COMMITTEES")); c > 0 {
		committees = c // fewer committees: the per-committee density of a larger table
	}
	// Bulk loads skip the foreign-key triggers (session_replication_role, superuser
	// only): the generated rows are consistent by construction.
	exec := func(q string, args ...any) {
		t.Helper()
		t0 := time.Now()
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, q, args...)
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		t.Logf("%.1fs %.60s", time.Since(t0).Seconds(), q)
	}
	now := db.Now()
	exec(`INSERT INTO committees (id, level, name, code, path, created_at)
		SELECT g, 'county', 'C' || g, 'c' || g, '/' || g || '/', $1 FROM generate_series(1, $2) g`, now, committees)
	exec(`INSERT INTO terms (id, committee_id, number, name, starts_on) SELECT g, g, 9, '九届', '2021-12-01' FROM generate_series(1, $1) g`, committees)
	exec(`INSERT INTO plenary_sessions (id, committee_id, term_id, number, name, year, opens_on, closes_on, submit_from, submit_to)
		SELECT (c - 1) * 5 + y, c, c, y, 'S', 2021 + y, '2022-01-01', '2022-01-05', '2022-01-01', '2022-01-05'
		FROM generate_series(1, $1) c, generate_series(1, 5) y`, committees)
	exec(`INSERT INTO units (id, committee_id, name, kind, created_at) SELECT g, g, 'U' || g, 'government', $1 FROM generate_series(1, $2) g`, now, committees)
	states := []string{"SUBMITTED", "REGISTERED", "ASSIGNED", "ACCEPTED", "IN_HANDLING", "REPLIED", "CLOSED", "NOT_REGISTERED"}
	// Every state here is from submission on, so each row has a submission date
	// (committee readers see submitted proposals only: visibleSQL).
	exec(`INSERT INTO proposals (id, committee_id, session_id, year, seq, number, kind, category, theme, title, state, due_on,
		submitted_on, created_at, updated_at)
		SELECT g, c, (c - 1) * 5 + y, 2021 + y, g, 'N' || g, 'individual', 'plenary',
		(ARRAY['economy','politics','culture','society','ecology'])[1 + g % 5], '关于第' || g || '号事项的提案',
		($3::text[])[1 + g % 8], CASE WHEN g % 2 = 0 THEN '2026-0' || (1 + g % 9) || '-15' ELSE '' END, (2021 + y) || '-01-10', $1, $1
		FROM (SELECT g, 1 + (g % $2) AS c, 1 + (g / $2) % 5 AS y FROM generate_series(1, $4) g) s`,
		now, committees, states, rows)
	exec(`INSERT INTO proposal_assignments (committee_id, proposal_id, unit_id, role, state, assigned_on, due_on, original_due_on, created_at, updated_at)
		SELECT committee_id, id, committee_id, 'sole', state, '2026-01-01', due_on, due_on, $1, $1 FROM proposals WHERE id % 2 = 0`, now)
	exec(`ANALYZE`)
	s := NewService(d)
	s.Today = func() civil.Date { return civil.MustParse("2026-05-01") }
	office := &auth.Actor{Name: "office", CommitteeID: 77, CommitteePath: "/77/", Roles: []auth.Role{auth.RoleProposalOffice}}
	filters := []Filter{
		{}, {SessionID: (77-1)*5 + 3}, {Year: 2024, States: []State{Assigned, Accepted}}, {Theme: Ecology},
		{UnitID: 77}, {Overdue: true}, {Kind: Individual, Category: Plenary, ByNumber: true}, {Title: "123"},
		{Offset: 200},
	}
	explain := func(q string) {
		plan, err := d.QueryContext(ctx, "EXPLAIN ANALYZE "+q)
		if err != nil {
			t.Fatal(err)
		}
		for plan.Next() {
			var line string
			plan.Scan(&line)
			t.Log(line)
		}
		plan.Close()
	}
	explain(`SELECT p.id FROM proposals p WHERE p.committee_id = 77 AND p.submitted_on <> '' ORDER BY p.id DESC LIMIT 50`)
	explain(`SELECT COUNT(*) FROM proposals p WHERE p.committee_id = 77 AND p.submitted_on <> '' AND p.id IN
		(SELECT a.proposal_id FROM proposal_assignments a WHERE a.committee_id = 77 AND a.unit_id = 77)`)
	if pg, err := s.List(ctx, office, 77, Filter{}); err != nil || pg.Total == 0 {
		t.Fatalf("the office lists nothing (%v): the timings would mean nothing", err)
	}
	for _, f := range filters {
		var times []time.Duration
		for range 40 {
			t0 := time.Now()
			if _, err := s.List(ctx, office, 77, f); err != nil {
				t.Fatal(err)
			}
			times = append(times, time.Since(t0))
		}
		slices.Sort(times)
		p95 := times[len(times)*95/100]
		t.Logf("filter %+v: p50 %v p95 %v", f, times[len(times)/2], p95)
		if p95 > 100*time.Millisecond {
			t.Errorf("filter %+v: p95 %v over 100 ms", f, p95)
		}
	}
}
