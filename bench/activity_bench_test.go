package bench

// Issue 11's speed targets: a member's calendar and a committee's activity
// list for a year under 50 ms p95, and the attendance of a 300-member plenary
// recorded in one action under 1 s, measured through the activity service on
// a generated database with the year's records (activities with their rolls).
//
//	LVZHI_BENCH=1 go test -timeout 1h -run TestActivityScale -v ./bench     # province (147 committees), both engines
//	LVZHI_BENCH_ACTIVITY_DB=/tmp/nation/lvzhi.db                            # instead measure a database already
//	                                                                        # generated (lvzhi gen --scale nation)
//
// The province is built once (SQLite file in the cache dir, PostgreSQL schema
// lvzhi_bench_act_province; ~1 minute each). Each run adds five plenaries, in
// a later year than the measured one, to the committee whose roll is timed.

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"lvzhi/internal/account"
	"lvzhi/internal/activity"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/gen"
)

const actSchema = "lvzhi_bench_act_province"

func TestActivityScale(t *testing.T) {
	requireBench(t)
	if target := os.Getenv("LVZHI_BENCH_ACTIVITY_DB"); target != "" {
		d, err := db.Open(context.Background(), target)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		if err := d.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		measureActivities(t, d)
		return
	}
	t.Run("sqlite", func(t *testing.T) { measureActivities(t, provinceActivityDB(t, db.SQLite)) })
	t.Run("postgres", func(t *testing.T) { measureActivities(t, provinceActivityDB(t, db.Postgres)) })
}

// provinceActivityDB opens the generated province with its records, building it if missing.
func provinceActivityDB(t *testing.T, engine db.Engine) *db.DB {
	ctx := context.Background()
	var target string
	if engine == db.SQLite {
		target = filepath.Join(cacheDir(t), "activity-province-seed1.db")
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			t.Fatal(err)
		}
	} else {
		base := os.Getenv("LVZHI_BENCH_PG")
		if base == "" {
			base = os.Getenv(dbtest.EnvPG)
		}
		if base == "" {
			t.Skip("no PostgreSQL: set LVZHI_BENCH_PG or " + dbtest.EnvPG)
		}
		target = dbtest.WithSearchPath(base, actSchema)
		if err := ensureNamedSchema(ctx, target, actSchema); err != nil {
			t.Fatal(err)
		}
	}
	d, err := db.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var members, acts int
	if err := d.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM memberships), (SELECT COUNT(*) FROM activities)`).Scan(&members, &acts); err != nil {
		t.Fatal(err)
	}
	if acts > 0 {
		return d
	}
	if members > 0 {
		t.Fatalf("%s holds a database without activities: delete it (or drop the schema) and rerun", target)
	}
	hash, err := account.HashPassword(nationPassword, account.DefaultPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gen.Run(ctx, d, gen.Options{Scale: gen.Province, Seed: 1, PasswordHash: hash, Proposals: "yes"})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("built the province (%s) in %s: %d members", engine, res.Duration.Round(time.Second), res.Members)
	return d
}

// ensureNamedSchema creates schema on the PostgreSQL server of target.
func ensureNamedSchema(ctx context.Context, target, schema string) error {
	d, err := db.Open(ctx, dbtest.WithSearchPath(target, "public"))
	if err != nil {
		return err
	}
	defer d.Close()
	_, err = d.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema)
	return err
}

// measureActivities times the list of the 20 committees with the most
// activities (10 times each) and the calendars of 200 members spread over the
// rolls, for the generated year, then the roll of five 300-member plenaries.
func measureActivities(t *testing.T, d *db.DB) {
	ctx := context.Background()
	svc := activity.NewService(d)
	var year, acts, rolls int
	if err := d.QueryRowContext(ctx, `SELECT COALESCE(MAX(substr(starts_on, 1, 4)), '0'), COUNT(*), (SELECT COUNT(*) FROM activity_attendance)
		FROM activities WHERE entered_by IS NULL AND title <> '性能测试全体会议'`).Scan(&year, &acts, &rolls); err != nil || year == 0 {
		t.Fatalf("no generated activities: %v", err)
	}
	t.Logf("%s: %d activities, %d roll rows, year %d (load %s)", d.Engine, acts, rolls, year, loadAvg())
	type cpath struct {
		id   int64
		path string
	}
	tops, err := db.Query(ctx, d, func(sc db.Scanner) (cpath, error) {
		var c cpath
		return c, sc.Scan(&c.id, &c.path)
	}, `SELECT c.id, c.path FROM committees c JOIN (SELECT committee_id, COUNT(*) AS n FROM activities GROUP BY committee_id) x
		ON x.committee_id = c.id ORDER BY x.n DESC, c.id LIMIT 20`)
	if err != nil {
		t.Fatal(err)
	}
	var lists []time.Duration
	rows := 0
	for _, c := range tops {
		staff := &auth.Actor{Name: "bench", CommitteeID: c.id, CommitteePath: c.path, Roles: []auth.Role{auth.RoleStaff}}
		for i := 0; i < 10; i++ {
			t0 := time.Now()
			items, total, err := svc.List(ctx, staff, activity.Filter{CommitteeID: c.id, Year: year})
			lists = append(lists, time.Since(t0))
			if err != nil || len(items) == 0 {
				t.Fatalf("list of committee %d: %d items: %v", c.id, len(items), err)
			}
			rows = max(rows, total)
		}
	}
	type member struct{ committee, person int64 }
	people, err := db.Query(ctx, d, func(sc db.Scanner) (member, error) {
		var m member
		return m, sc.Scan(&m.committee, &m.person)
	}, `SELECT committee_id, person_id FROM activity_attendance WHERE id % 97 = 0 ORDER BY id LIMIT 200`)
	if err != nil || len(people) == 0 {
		t.Fatalf("no members on the rolls: %v", err)
	}
	var cals []time.Duration
	most := 0
	from, to := civil.Date{Year: year, Month: 1, Day: 1}, civil.Date{Year: year, Month: 12, Day: 31}
	for _, m := range people {
		member := &auth.Actor{Name: "bench", CommitteeID: m.committee, PersonID: m.person, Roles: []auth.Role{auth.RoleMember}}
		t0 := time.Now()
		es, err := svc.Calendar(ctx, member, from, to)
		cals = append(cals, time.Since(t0))
		if err != nil || len(es) == 0 {
			t.Fatalf("calendar of person %d: %d entries: %v", m.person, len(es), err)
		}
		most = max(most, len(es))
	}
	l := percentiles(lists, 50, 95, 100)
	c := percentiles(cals, 50, 95, 100)
	t.Logf("%s: committee list for a year, %d committees × 10 (up to %d activities, first page): p50 %.1f ms, p95 %.1f ms, max %.1f ms",
		d.Engine, len(tops), rows, ms(l[0]), ms(l[1]), ms(l[2]))
	t.Logf("%s: member calendar for a year, %d members (up to %d entries): p50 %.1f ms, p95 %.1f ms, max %.1f ms",
		d.Engine, len(people), most, ms(c[0]), ms(c[1]), ms(c[2]))
	if l[1] > 50*time.Millisecond || c[1] > 50*time.Millisecond {
		t.Errorf("p95 over 50 ms: list %.1f ms, calendar %.1f ms", ms(l[1]), ms(c[1]))
	}
	plenaryRolls(t, d, svc)
}

// plenaryRolls records the attendance of five plenaries of a committee with
// at least 300 serving members, 300 marks each in one MarkAttendance.
func plenaryRolls(t *testing.T, d *db.DB, svc *activity.Service) {
	ctx := context.Background()
	var cid int64
	var path string
	err := d.QueryRowContext(ctx, `SELECT c.id, c.path FROM committees c JOIN (SELECT committee_id, COUNT(*) AS n FROM memberships
		WHERE status = 'active' GROUP BY committee_id) m ON m.committee_id = c.id WHERE m.n >= 300 ORDER BY m.n, c.id LIMIT 1`).Scan(&cid, &path)
	if err != nil {
		t.Fatalf("no committee of 300 serving members: %v", err)
	}
	// The committee's staff account (generated at every scale).
	staff := &auth.Actor{Name: "bench", CommitteeID: cid, CommitteePath: path, Roles: []auth.Role{auth.RoleStaff}}
	if err := d.QueryRowContext(ctx, `SELECT MIN(user_id) FROM user_roles WHERE committee_id = $1 AND role = 'staff'`, cid).
		Scan(&staff.UserID); err != nil {
		t.Fatalf("no staff account of committee %d: %v", cid, err)
	}
	var took []time.Duration
	for i := 0; i < 5; i++ {
		a, err := svc.Create(ctx, staff, cid, activity.Input{Kind: activity.KindPlenary, Title: "性能测试全体会议",
			StartsOn: civil.Today().AddDays(30 + i), StartsAt: "09:00", EndsAt: "11:30", Mandatory: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.InviteServing(ctx, staff, activity.Ref{ID: a.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Open(ctx, staff, activity.Ref{ID: a.ID}); err != nil {
			t.Fatal(err)
		}
		ids, err := db.Column[int64](ctx, d, `SELECT person_id FROM activity_attendance WHERE committee_id = $1 AND activity_id = $2
			ORDER BY person_id LIMIT 300`, cid, a.ID)
		if err != nil || len(ids) != 300 {
			t.Fatalf("%d invited: %v", len(ids), err)
		}
		marks := make([]activity.Mark, len(ids))
		for j, id := range ids {
			marks[j] = activity.Mark{PersonID: id, Status: activity.Attended}
			if j%20 == 0 {
				marks[j].Status = activity.Absent
			}
		}
		t0 := time.Now()
		n, err := svc.MarkAttendance(ctx, staff, activity.Ref{ID: a.ID}, marks)
		took = append(took, time.Since(t0))
		if err != nil || n != 300 {
			t.Fatalf("marked %d: %v", n, err)
		}
	}
	p := percentiles(took, 50, 100)
	t.Logf("%s: 300-member plenary roll in one action (committee %d), 5 plenaries: median %.0f ms, max %.0f ms",
		d.Engine, cid, ms(p[0]), ms(p[1]))
	if p[1] > time.Second {
		t.Errorf("a 300-member roll took %.0f ms (target < 1 s)", ms(p[1]))
	}
}
