package bench

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"lvzhi/internal/account"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/gen"
)

// loadDuration is how long each wrk run lasts (LVZHI_BENCH_DURATION, default 15s).
func loadDuration() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("LVZHI_BENCH_DURATION")); err == nil && d > 0 {
		return d
	}
	return 15 * time.Second
}

// countyServer starts the real binary over a county committee: `lvzhi demo`
// on SQLite, `lvzhi serve` over a generated county on PostgreSQL. It returns
// the server and a logged-in staff cookie.
func countyServer(t *testing.T, engine db.Engine) (*server, *http.Cookie) {
	if engine == db.SQLite {
		s := startServer(t, nil, "demo", "--data", filepath.Join(t.TempDir(), "data"))
		return s, login(t, s.base, "staff", "lvzhi-staff")
	}
	s := genCountyServer(t)
	return s, login(t, s.base, "539901-staff", nationPassword)
}

// genCountyServer starts `lvzhi serve` over a county generated into a fresh
// PostgreSQL schema (dropped after the test); its logins are
// 539901-<admin|staff|proposal|leader|assist|u01…|m0001…> with nationPassword.
func genCountyServer(t *testing.T, args ...string) *server {
	d := dbtest.Postgres(t) // a fresh schema, dropped after the test
	ctx := context.Background()
	hash, err := account.HashPassword(nationPassword, account.DefaultPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gen.Run(ctx, d, gen.Options{Scale: gen.County, Seed: 2018, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	var schema string
	if err := d.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	return startServer(t, nil, append([]string{"serve", "--db", dbtest.WithSearchPath(os.Getenv(dbtest.EnvPG), schema)}, args...)...)
}

// TestCountyPageLoad asserts target (b): an authenticated page of a county
// committee (the home page: session lookup, actor, localized layout) renders
// with p95 < 20 ms at >= 2,000 requests/s on the machine's cores, shared with
// the load generator (wrk). The member list and proposal list pages are
// measured and reported too, without asserting the target.
func TestCountyPageLoad(t *testing.T) {
	requireBench(t)
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			s, ck := countyServer(t, engine)
			cookie := ck.Name + "=" + ck.Value
			for _, path := range []string{"/", "/org/members", "/proposals"} {
				if code := get(t, s.base, path, ck); code != http.StatusOK {
					t.Logf("%s: status %d, not measured", path, code)
					continue
				}
				runWrk(t, s.base, 1, 4, 2*time.Second, [][2]string{{cookie, path}}) // warm up
				cpu0, _ := cpuTime(s.cmd.Process.Pid)
				r := runWrk(t, s.base, 2, 16, loadDuration(), [][2]string{{cookie, path}})
				cpu1, _ := cpuTime(s.cmd.Process.Pid)
				perReq := float64((cpu1 - cpu0).Microseconds()) / 1000 / float64(max(r.Requests, 1))
				t.Logf("%s %s as staff: %.0f req/s, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms (%d requests, %d errors, %d non-2xx); "+
					"server CPU %.2f ms per request (at most %.0f req/s on 2 cores)",
					engine, path, r.RPS, ms(r.P50), ms(r.P95), ms(r.P99), r.Requests, r.Errors, r.Non2xx, perReq, 2000/perReq)
				if r.Errors > 0 || r.Non2xx > 0 {
					t.Errorf("%s: %d errors, %d non-2xx responses under load", path, r.Errors, r.Non2xx)
				}
				if path != "/" {
					continue // reported, not asserted: see docs/BENCHMARKS.md
				}
				if r.P95 >= 20*time.Millisecond {
					t.Errorf("%s: p95 %.2f ms, target < 20 ms", path, ms(r.P95))
				}
				if r.RPS < 2000 {
					t.Errorf("%s: %.0f requests/s, target >= 2,000", path, r.RPS)
				}
			}
		})
	}
}

// TestNationServerMemory asserts target (c): the real server's resident memory
// stays under 150 MB while it serves the nation-scale database. Two phases on
// one server process:
//
//  1. browsing: staff of the national committee, of every province and of 40
//     counties load their pages under wrk (their sessions are created directly
//     in the database, so no password is hashed in this phase);
//  2. logging in: the same 72 users log in through the form, 4 at a time, as
//     on a busy morning; each argon2id hash takes its memory cost (7 MiB, two
//     at a time; a hash stored with an older, costlier setting is upgraded at
//     its first login).
//
// The peak resident set (VmHWM) is asserted after each phase.
// LVZHI_BENCH_GOMEMLIMIT passes GOMEMLIMIT to the server.
func TestNationServerMemory(t *testing.T) {
	requireBench(t)
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			d, target := nationDB(t, engine)
			staff := nationStaff(t, d)
			d.Close() // the server owns the database now
			var env []string
			if lim := os.Getenv("LVZHI_BENCH_GOMEMLIMIT"); lim != "" {
				env = append(env, "GOMEMLIMIT="+lim)
			}
			s := startServer(t, env, "serve", "--db", target)
			pid := s.cmd.Process.Pid
			idle, _, err := rssKB(pid)
			if err != nil {
				t.Fatal(err)
			}
			var targets [][2]string
			for _, u := range staff {
				ck := &http.Cookie{Name: account.SessionCookie, Value: u.session}
				for _, path := range []string{"/", "/org/members", "/proposals", "/notifications"} {
					if get(t, s.base, path, ck) == http.StatusOK {
						targets = append(targets, [2]string{ck.Name + "=" + ck.Value, path})
					}
				}
			}
			sampler := sampleRSS(pid)
			r := runWrk(t, s.base, 2, 32, loadDuration(), targets)
			maxRSS := sampler()
			_, browsePeak, err := rssKB(pid)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s nation scale %v, browsing: RSS idle %.1f MB, max sampled %.1f MB, peak (VmHWM) %.1f MB; "+
				"%d targets, %.0f req/s, p50 %.2f ms, p95 %.2f ms, %d errors, %d non-2xx",
				engine, env, mb(idle), mb(maxRSS), mb(browsePeak), len(targets), r.RPS, ms(r.P50), ms(r.P95), r.Errors, r.Non2xx)
			if r.Errors > 0 || r.Non2xx > 0 {
				t.Errorf("%d errors, %d non-2xx responses under load", r.Errors, r.Non2xx)
			}
			if browsePeak >= 150*1024 {
				t.Errorf("browsing: peak RSS %.1f MB, target < 150 MB", mb(browsePeak))
			}

			start := time.Now()
			sem := make(chan struct{}, 4)
			var wg sync.WaitGroup
			for _, u := range staff {
				wg.Add(1)
				sem <- struct{}{}
				go func() {
					defer wg.Done()
					defer func() { <-sem }()
					login(t, s.base, u.username, nationPassword)
				}()
			}
			wg.Wait()
			after, loginPeak, err := rssKB(pid)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s nation scale %v, %d logins 4 at a time in %s: RSS after %.1f MB, peak (VmHWM) %.1f MB",
				engine, env, len(staff), time.Since(start).Round(time.Millisecond), mb(after), mb(loginPeak))
			if loginPeak >= 150*1024 {
				t.Errorf("logging in: peak RSS %.1f MB, target < 150 MB (argon2id: 7 MiB per hash, two at a time)", mb(loginPeak))
			}
		})
	}
}

func mb(kb int64) float64 { return float64(kb) / 1024 }

// sampleRSS samples the process's RSS every 200 ms until the returned func is
// called, which returns the largest sample in KiB.
func sampleRSS(pid int) func() int64 {
	var maxRSS int64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if rss, _, err := rssKB(pid); err == nil {
					maxRSS = max(maxRSS, rss)
				}
			}
		}
	}()
	return func() int64 {
		close(stop)
		<-done
		return maxRSS
	}
}

// staffUser is a generated staff login with a session made directly in the database.
type staffUser struct {
	username, session string
}

// nationStaff returns the staff logins of the national committee, every
// province and 40 counties, each with a fresh session.
func nationStaff(t *testing.T, d *db.DB) []staffUser {
	ctx := context.Background()
	rows, err := d.QueryContext(ctx, `SELECT u.id, u.username FROM committees c JOIN users u ON u.username = c.code || '-staff'
		WHERE c.level IN ('national', 'province') OR (c.level = 'county' AND c.id % 71 = 0) ORDER BY c.id LIMIT 72`)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id   int64
		name string
	}
	var users []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.name); err != nil {
			t.Fatal(err)
		}
		users = append(users, r)
	}
	rows.Close()
	if len(users) < 72 {
		t.Fatalf("only %d staff users found", len(users))
	}
	a := account.NewService(d)
	out := make([]staffUser, len(users))
	for i, u := range users {
		secret, err := a.CreateSession(ctx, u.id, "127.0.0.1", "lvzhi-bench")
		if err != nil {
			t.Fatal(err)
		}
		out[i] = staffUser{u.name, secret}
	}
	return out
}
