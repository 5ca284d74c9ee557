package bench

// Proposal figures and full-text search at scale, on a synthetic set inserted
// directly with SQL (not through the use cases: a million proposals through
// the workflow would take hours). Rows are deterministic functions of their id.
//
//	LVZHI_BENCH=1 LVZHI_TEST_PG=postgres://… go test ./bench -run TestProposalFiguresScale -v
//	LVZHI_BENCH_FIG_COUNTIES=3100   counties on PostgreSQL (320 proposals each: ~1M); SQLite uses a tenth
//	LVZHI_BENCH_FIG_REUSE=1         measure the PostgreSQL set left by the previous run (no rebuild)
//
// The PostgreSQL set lives in schema lvzhi_bench_fig and is rebuilt each run
// (about 12 minutes for 1M proposals on 2 cores).

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

const (
	figPerCounty = 320  // proposals per county and year (a county has 150-250; some more)
	figUnits     = 30   // handling units per county
	figMembers   = 20   // members per county who evaluate
	figVocab     = 4000 // distinct words
	figWords     = 40   // words per proposal
	figYear      = 2025
)

// figSet describes the synthetic set.
type figSet struct {
	counties int
}

func (fs figSet) countyID(c int) int64 { return int64(10000 + c) }
func (fs figSet) prefID(c int) int64   { return int64(1000 + c/10) }
func (fs figSet) provID(c int) int64   { return int64(100 + c/100) }

// nums returns the SQL of a one-column relation of integers 0..n-1.
func nums(d *db.DB, n int) string {
	if d.Engine == db.Postgres {
		return fmt.Sprintf(`(SELECT generate_series(0, %d) AS i)`, n-1)
	}
	return fmt.Sprintf(`(WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < %d) SELECT i FROM s)`, n-1)
}

func mustExec(t testing.TB, d *db.DB, q string, args ...any) {
	t.Helper()
	t0 := time.Now()
	if _, err := d.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	if el := time.Since(t0); el > 5*time.Second {
		t.Logf("  %.1fs: %s", el.Seconds(), strings.Join(strings.Fields(q)[:min(3, len(strings.Fields(q)))], " "))
	}
}

// buildFigSet inserts the committees, sessions, units, members, proposals,
// assignments, evaluations, publications and their derived rows.
func buildFigSet(t testing.TB, d *db.DB, fs figSet) {
	ctx := context.Background()
	now := db.Now()
	C := fs.counties
	agg := "group_concat(w.word, ' ')"
	if d.Engine == db.Postgres {
		agg = "string_agg(w.word, ' ' ORDER BY x.i)"
	}
	// Committees: nation 1, provinces 100+, prefectures 1000+, counties 10000+.
	mustExec(t, d, `INSERT INTO committees (id, parent_id, level, name, code, path, created_at) VALUES (1, NULL, 'national', '全国政协', 'N', '/1/', $1)`, now)
	mustExec(t, d, `INSERT INTO committees (id, parent_id, level, name, code, path, created_at)
		SELECT 100 + i, 1, 'province', '省' || i, 'P' || i, '/1/' || (100 + i) || '/', $1 FROM `+nums(d, (C+99)/100)+` n`, now)
	mustExec(t, d, `INSERT INTO committees (id, parent_id, level, name, code, path, created_at)
		SELECT 1000 + i, 100 + i / 10, 'prefecture', '市' || i, 'M' || i, '/1/' || (100 + i / 10) || '/' || (1000 + i) || '/', $1 FROM `+nums(d, (C+9)/10)+` n`, now)
	mustExec(t, d, `INSERT INTO committees (id, parent_id, level, name, code, path, created_at)
		SELECT 10000 + i, 1000 + i / 10, 'county', '县' || i, 'C' || i,
		'/1/' || (100 + i / 100) || '/' || (1000 + i / 10) || '/' || (10000 + i) || '/', $1 FROM `+nums(d, C)+` n`, now)
	mustExec(t, d, `INSERT INTO terms (id, committee_id, number, name, starts_on) SELECT id, id, 9, '第九届', '2022-01-01' FROM committees WHERE level = 'county'`)
	mustExec(t, d, `INSERT INTO plenary_sessions (id, committee_id, term_id, number, name, year, opens_on, closes_on, submit_from, submit_to)
		SELECT id, id, id, 4, '九届四次', `+strconv.Itoa(figYear)+`, '2025-01-10', '2025-01-13', '2025-01-01', '2025-01-13' FROM committees WHERE level = 'county'`)
	mustExec(t, d, `INSERT INTO units (id, committee_id, name, kind, created_at)
		SELECT (c.id - 10000) * `+strconv.Itoa(figUnits)+` + u.i + 1, c.id, '单位' || u.i, 'government', $1
		FROM committees c, `+nums(d, figUnits)+` u WHERE c.level = 'county'`, now)
	mustExec(t, d, `INSERT INTO people (id, committee_id, name, created_at, updated_at)
		SELECT (c.id - 10000) * `+strconv.Itoa(figMembers)+` + m.i + 1, c.id, '委员' || m.i, $1, $1
		FROM committees c, `+nums(d, figMembers)+` m WHERE c.level = 'county'`, now)
	mustExec(t, d, `INSERT INTO memberships (id, committee_id, person_id, term_id, created_at, updated_at)
		SELECT id, committee_id, id, committee_id, $1, $1 FROM people`, now)
	// Proposals: h = a hash of the id decides state, theme and the rest.
	if d.Engine == db.Postgres {
		mustExec(t, d, `ALTER TABLE proposals DISABLE TRIGGER proposals_dirty`)
	}
	const h = `((p.id * 2654435761) % 1000)`
	mustExec(t, d, `CREATE TABLE bench_p AS SELECT (c.id - 10000) * `+strconv.Itoa(figPerCounty)+` + k.i + 1 AS id, c.id AS cid, k.i AS k
		FROM committees c, `+nums(d, figPerCounty)+` k WHERE c.level = 'county'`)
	mustExec(t, d, `INSERT INTO proposals (id, committee_id, session_id, year, seq, number, kind, theme, title, matter, state,
		first_proposer_id, is_published, publish_consent, submitted_on, created_at, updated_at)
		SELECT p.id, p.cid, p.cid, `+strconv.Itoa(figYear)+`, p.k + 1, '九届四次-' || (p.k + 1),
		CASE WHEN `+h+` % 9 = 0 THEN 'body' ELSE 'individual' END,
		CASE `+h+` % 5 WHEN 0 THEN 'economy' WHEN 1 THEN 'politics' WHEN 2 THEN 'culture' WHEN 3 THEN 'society' ELSE 'ecology' END,
		'关于第' || p.id || '号事项的建议', '案由', 
		CASE WHEN `+h+` < 30 THEN 'SUBMITTED' WHEN `+h+` < 50 THEN 'NOT_REGISTERED' WHEN `+h+` < 60 THEN 'MERGED'
		     WHEN `+h+` < 70 THEN 'WITHDRAWN' WHEN `+h+` < 150 THEN 'IN_HANDLING' WHEN `+h+` < 250 THEN 'REPLIED' ELSE 'CLOSED' END,
		(p.cid - 10000) * `+strconv.Itoa(figMembers)+` + (`+h+` % `+strconv.Itoa(figMembers)+`) + 1,
		`+h+` >= 250 AND `+h+` % 10 = 3, TRUE, '2025-01-12', $1, $1 FROM bench_p p`, now)
	if d.Engine == db.Postgres {
		mustExec(t, d, `ALTER TABLE proposals ENABLE TRIGGER proposals_dirty`)
	}
	mustExec(t, d, `INSERT INTO proposal_signers (committee_id, proposal_id, membership_id, role, status, invited_at)
		SELECT committee_id, id, first_proposer_id, 'first', 'signed', created_at FROM proposals`)
	mustExec(t, d, `INSERT INTO proposal_assignments (id, committee_id, proposal_id, unit_id, role, state, assigned_on, due_on, original_due_on,
		replied_on, created_at, updated_at)
		SELECT p.id, p.committee_id, p.id, (p.committee_id - 10000) * `+strconv.Itoa(figUnits)+` + (`+h+` % `+strconv.Itoa(figUnits)+`) + 1, 'sole',
		CASE WHEN p.state = 'IN_HANDLING' THEN 'IN_HANDLING' ELSE 'REPLIED' END, '2025-02-01', '2025-05-06', '2025-05-06',
		CASE WHEN p.state = 'IN_HANDLING' THEN '' WHEN `+h+` % 10 = 0 THEN '2025-05-20' ELSE '2025-04-20' END, $1, $1
		FROM proposals p WHERE p.state IN ('IN_HANDLING','REPLIED','CLOSED')`, now)
	mustExec(t, d, `INSERT INTO proposal_evaluations (committee_id, proposal_id, membership_id, round, overall, contact, attitude, addressed, created_at)
		SELECT p.committee_id, p.id, p.first_proposer_id, 1, CASE WHEN `+h+` % 25 = 0 THEN 'dissatisfied' WHEN `+h+` % 4 = 0 THEN 'basic' ELSE 'satisfied' END,
		'visited', 'satisfied', 'targeted', $1 FROM proposals p WHERE p.state = 'CLOSED'`, now)
	mustExec(t, d, `INSERT INTO proposal_publications (proposal_id, committee_id, published_on, created_at)
		SELECT id, committee_id, '2025-06-01', $1 FROM proposals WHERE is_published`, now)
	// Derived rows, as figures_facts.go would compute them for these records.
	mustExec(t, d, `INSERT INTO proposal_facts (proposal_id, committee_id, session_id, year, theme, kind, category, state, converted_to,
		received, registered, replied, on_time, face_to_face, result_class, is_key, is_excellent, is_published, due_on, version)
		SELECT p.id, p.committee_id, p.session_id, p.year, p.theme, p.kind, 'plenary', p.state, '', TRUE,
		p.state IN ('IN_HANDLING','REPLIED','CLOSED'), p.state IN ('REPLIED','CLOSED'),
		p.state IN ('REPLIED','CLOSED') AND `+h+` % 10 <> 0, p.state IN ('REPLIED','CLOSED') AND `+h+` % 20 <> 1,
		CASE WHEN p.state NOT IN ('REPLIED','CLOSED') THEN '' WHEN `+h+` % 3 = 0 THEN 'B' WHEN `+h+` % 7 = 0 THEN 'C' ELSE 'A' END,
		`+h+` % 50 = 0, `+h+` % 97 = 0, p.is_published, CASE WHEN p.state = 'IN_HANDLING' THEN '2025-05-06' ELSE '' END, p.version
		FROM proposals p`)
	mustExec(t, d, `INSERT INTO proposal_unit_facts (assignment_id, committee_id, proposal_id, unit_id, role, state, session_id, year, theme,
		replying, replied, on_time, face_to_face, result_class, due_on)
		SELECT a.id, a.committee_id, a.proposal_id, a.unit_id, 'sole', a.state, f.session_id, f.year, f.theme, TRUE, f.replied,
		f.on_time, f.face_to_face, f.result_class, a.due_on FROM proposal_assignments a JOIN proposal_facts f ON f.proposal_id = a.proposal_id`)
	// Words: a vocabulary of two-character words, drawn with a skew (frequent words are much more frequent).
	mustExec(t, d, `CREATE TABLE bench_vocab (id INTEGER PRIMARY KEY, word TEXT NOT NULL)`)
	tx, err := d.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range vocabulary(t) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO bench_vocab (id, word) VALUES ($1, $2)`, i, w); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	// Word k of proposal id: vocab[(r^3 * n)] with r in [0,1) from a hash.
	pick := `CAST(((((p.id * 7919 + x.i * 104729) % 1000) / 1000.0) * (((p.id * 7919 + x.i * 104729) % 1000) / 1000.0) * (((p.id * 7919 + x.i * 104729) % 1000) / 1000.0)) * ` +
		strconv.Itoa(figVocab) + ` AS INTEGER)`
	mustExec(t, d, `INSERT INTO proposal_search (proposal_id, committee_id, tokens, text_hash, updated_at)
		SELECT p.id, p.committee_id,
		'zzc1 zzc' || (100 + (p.committee_id - 10000) / 100) || ' zzc' || (1000 + (p.committee_id - 10000) / 10) || ' zzc' || p.committee_id ||
		' zzy' || p.year || CASE WHEN p.is_published THEN ' zzpub' ELSE '' END || ' ' ||
		(SELECT `+agg+` FROM `+nums(d, figWords)+` x JOIN bench_vocab w ON w.id = `+pick+`), '', $1
		FROM proposals p`, now)
	mustExec(t, d, `DELETE FROM proposal_dirty`)
	if d.Engine == db.Postgres {
		mustExec(t, d, `ANALYZE`)
	}
}

var (
	vocabOnce sync.Once
	vocab     []string
)

// vocabulary is figVocab real two-character words of gse's dictionary that a
// query segments back to themselves, most common (lowest idf) first.
func vocabulary(t testing.TB) []string {
	vocabOnce.Do(func() {
		type wv struct {
			w   string
			idf float64
		}
		var all []wv
		for _, line := range strings.Split(gse.ZhIdf, "\n") {
			f := strings.Fields(line)
			if len(f) != 2 || utf8.RuneCountInString(f[0]) != 2 {
				continue
			}
			idf, err := strconv.ParseFloat(f[1], 64)
			if err == nil {
				all = append(all, wv{f[0], idf})
			}
		}
		sort.SliceStable(all, func(i, j int) bool { return all[i].idf < all[j].idf })
		for _, x := range all {
			ws, err := proposal.QueryWords(x.w, 3)
			if err != nil {
				t.Fatal(err)
			}
			if len(ws) == 1 && ws[0] == x.w {
				vocab = append(vocab, x.w)
				if len(vocab) == figVocab {
					break
				}
			}
		}
	})
	if len(vocab) < figVocab {
		t.Fatalf("only %d words", len(vocab))
	}
	return vocab
}

// vocabWord is the i-th word of the vocabulary.
func vocabWord(i int) string { return vocab[i%len(vocab)] }

// timing runs fn n times and returns the p50 and p95 durations.
func timing(t testing.TB, n int, fn func(i int) error) (time.Duration, time.Duration) {
	t.Helper()
	ds := make([]time.Duration, n)
	for i := range ds {
		t0 := time.Now()
		if err := fn(i); err != nil {
			t.Fatal(err)
		}
		ds[i] = time.Since(t0)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[n/2], ds[(n*95+99)/100-1]
}

// TestProposalFiguresScale measures figures, records, search and similarity
// on both engines; the PostgreSQL numbers are checked against the targets.
func TestProposalFiguresScale(t *testing.T) {
	requireBench(t)
	counties := 3100
	if v, err := strconv.Atoi(os.Getenv("LVZHI_BENCH_FIG_COUNTIES")); err == nil && v > 0 {
		counties = v
	}
	for _, engine := range []db.Engine{db.Postgres, db.SQLite} {
		t.Run(string(engine), func(t *testing.T) {
			fs := figSet{counties: counties}
			var d *db.DB
			if engine == db.SQLite {
				fs.counties = max(counties/10, 10)
				d = dbtest.SQLite(t)
			} else {
				d = figPostgres(t)
			}
			t0 := time.Now()
			if engine == db.Postgres && os.Getenv("LVZHI_BENCH_FIG_REUSE") != "" {
				vocabulary(t)
			} else {
				buildFigSet(t, d, fs)
			}
			var n int
			if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM proposals`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d committees' proposals: %d, built in %.0fs", engine, fs.counties, n, time.Since(t0).Seconds())
			measureFigures(t, d, fs, n)
		})
	}
}

// figPostgres opens a fresh schema for the set.
func figPostgres(t *testing.T) *db.DB {
	base := os.Getenv("LVZHI_BENCH_PG")
	if base == "" {
		base = os.Getenv(dbtest.EnvPG)
	}
	if base == "" {
		t.Skip("no PostgreSQL")
	}
	ctx := context.Background()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if os.Getenv("LVZHI_BENCH_FIG_REUSE") == "" {
		for _, q := range []string{`DROP SCHEMA IF EXISTS lvzhi_bench_fig CASCADE`, `CREATE SCHEMA lvzhi_bench_fig`} {
			if _, err := admin.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
	}
	d, err := db.Open(ctx, dbtest.WithSearchPath(base, "lvzhi_bench_fig"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return d
}

func measureFigures(t *testing.T, d *db.DB, fs figSet, total int) {
	ctx := context.Background()
	svc := proposal.NewService(d)
	county := func(i int) int64 { return fs.countyID((i * 7919) % fs.counties) }
	office := func(cid int64) *auth.Actor {
		return &auth.Actor{Name: "bench", CommitteeID: cid, CommitteePath: "", Roles: []auth.Role{auth.RoleProposalOffice}}
	}
	nation := &auth.Actor{Name: "bench", CommitteeID: 1, CommitteePath: "/1/", Roles: []auth.Role{auth.RoleStaff}}
	report := func(name string, n int, target time.Duration, fn func(i int) error) {
		p50, p95 := timing(t, n, fn)
		verdict := ""
		if target > 0 {
			verdict = "ok"
			if p95 > target {
				verdict = "OVER TARGET " + target.String()
			}
		}
		t.Logf("%-44s p50 %8.1f ms  p95 %8.1f ms  %s", name, ms(p50), ms(p95), verdict)
		if target > 0 && p95 > target && d.Engine == db.Postgres {
			t.Errorf("%s: p95 %v over %v", name, p95, target)
		}
	}
	report("county session figures", 40, 200*time.Millisecond, func(i int) error {
		cid := county(i)
		_, err := svc.Figures(ctx, office(cid), proposal.FigureFilter{CommitteeID: cid, SessionID: cid})
		return err
	})
	report("county records page (replied on time)", 40, 100*time.Millisecond, func(i int) error {
		cid := county(i)
		_, err := svc.Records(ctx, office(cid), "proposals.on_time", proposal.FigureFilter{CommitteeID: cid, SessionID: cid}, 0, 50)
		return err
	})
	report("county league table", 40, 200*time.Millisecond, func(i int) error {
		cid := county(i)
		_, err := svc.League(ctx, office(cid), proposal.FigureFilter{CommitteeID: cid, SessionID: cid})
		return err
	})
	report("county filtered list (core List, theme+state)", 40, 100*time.Millisecond, func(i int) error {
		cid := county(i)
		_, err := svc.List(ctx, office(cid), cid, proposal.Filter{SessionID: cid, Theme: proposal.Economy, States: []proposal.State{proposal.Closed}})
		return err
	})
	hits := 0
	for i := range 10 {
		cid := county(i)
		pg, err := svc.Search(ctx, office(cid), proposal.SearchQuery{CommitteeID: cid, Q: vocabWord(i%50) + " " + vocabWord(3+i%40)})
		if err != nil {
			t.Fatal(err)
		}
		hits += pg.Total
	}
	t.Logf("two-word county searches find %.1f proposals on average", float64(hits)/10)
	report("county full-text search (2 words)", 40, 100*time.Millisecond, func(i int) error {
		cid := county(i)
		_, err := svc.Search(ctx, office(cid), proposal.SearchQuery{CommitteeID: cid, Q: vocabWord(i%50) + " " + vocabWord(3+i%40)})
		return err
	})
	report("county full-text search (1 rare word)", 40, 100*time.Millisecond, func(i int) error {
		cid := county(i)
		_, err := svc.Search(ctx, office(cid), proposal.SearchQuery{CommitteeID: cid, Q: vocabWord(2000 + i)})
		return err
	})
	report("public search, all committees (1 word)", 20, 0, func(i int) error {
		_, err := svc.PublicList(ctx, proposal.PublicQuery{Q: vocabWord(10 + i)})
		return err
	})
	report("similar proposals while drafting", 20, 0, func(i int) error {
		cid := county(i)
		_, err := svc.SimilarText(ctx, cid, "关于"+vocabWord(i)+vocabWord(i+1)+"的建议", vocabWord(i+2)+vocabWord(i+3)+vocabWord(i+4), 0, 5)
		return err
	})
	report(fmt.Sprintf("national roll-up of a year (%d proposals)", total), 3, 5*time.Second, func(i int) error {
		_, err := svc.Figures(ctx, nation, proposal.FigureFilter{CommitteeID: 1, Subtree: true, Year: figYear})
		return err
	})
	report("province roll-up of a year", 5, time.Second, func(i int) error {
		_, err := svc.Figures(ctx, nation, proposal.FigureFilter{CommitteeID: 100 + int64(i%max(fs.counties/100, 1)), Subtree: true, Year: figYear})
		return err
	})
}
