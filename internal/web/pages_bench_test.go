package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"lvzhi/internal/account"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/demo"
)

// benchPages are the pages of issue 10 (bench/pages_test.go measures them
// under wrk; these benchmarks measure the handlers' work in process, which
// does not depend on how busy the machine is).
var benchPages = []struct{ name, user, path string }{
	{"Home", "staff", "/"},
	{"Members", "staff", "/org/members"},
	{"Units", "staff", "/org/units"},
	{"Proposals", "proposal", "/proposals"},
	{"ProposalsReview", "proposal", "/proposals?tab=review"},
	{"ProposalsReplied", "proposal", "/proposals?tab=replied"},
	{"ProposalsOverdue", "proposal", "/proposals?tab=overdue"},
	{"ProposalsKey", "proposal", "/proposals?tab=key"},
	{"ProposalsAll", "proposal", "/proposals?tab=all"},
	{"Supervised", "leader", "/proposals?tab=supervised"},
	{"UnitProposals", "unit", "/proposals"},
	{"UnitPortal", "unit", "/units/portal"},
	{"MemberTasks", "member", "/proposals"},
	{"Notifications", "staff", "/notifications"},
	{"Audit", "admin", "/admin/audit"},
	{"Figures", "proposal", "/figures"},
	{"FigureRecords", "proposal", "/figures/records?fig=proposals.received&subtree=0"},
	{"League", "proposal", "/units/league"},
}

var benchDemo struct {
	once    sync.Once
	h       http.Handler
	cookies map[string]*http.Cookie // demo username → session cookie
	err     error
}

// demoHandler seeds the county demo once per test binary (SQLite, ~1 minute)
// and returns the web handler over it and a session cookie per demo login.
func demoHandler(b *testing.B) (http.Handler, map[string]*http.Cookie) {
	benchDemo.once.Do(func() {
		ctx := context.Background()
		var d *db.DB
		d = dbtest.SQLite(&testing.T{}) // a copy of the migrated template; removed with the process' temp dir
		res, err := demo.Seed(ctx, d, nil)
		if err != nil {
			benchDemo.err = err
			return
		}
		srv := New(d, slog.New(slog.NewTextHandler(io.Discard, nil)))
		// LVZHI_BENCH_NO_FIGURE_CACHE=1 measures the figures computed on every view.
		srv.Proposals.NoFigureCache = os.Getenv("LVZHI_BENCH_NO_FIGURE_CACHE") != ""
		benchDemo.h = srv.Handler()
		benchDemo.cookies = map[string]*http.Cookie{}
		for _, l := range res.Logins {
			var id int64
			if err := d.QueryRowContext(ctx, `SELECT id FROM users WHERE username = $1`, l.Username).Scan(&id); err != nil {
				benchDemo.err = err
				return
			}
			secret, err := srv.Auth.CreateSession(ctx, id, "127.0.0.1", "bench")
			if err != nil {
				benchDemo.err = err
				return
			}
			benchDemo.cookies[l.Username] = &http.Cookie{Name: account.SessionCookie, Value: secret}
		}
	})
	if benchDemo.err != nil {
		b.Fatal(benchDemo.err)
	}
	return benchDemo.h, benchDemo.cookies
}

// cpuTime is the process' CPU time so far (user and system): on a shared
// machine it is a steadier measure of the work per request than ns/op, which
// counts the time spent waiting for a CPU.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkListPages renders each page of issue 10 on the county demo
// (SQLite), in process: ns/op is the server's time for one request and
// allocs/op its allocations; cpu-µs/op is the process' CPU time per request
// (garbage collection included), steadier than ns/op on a busy machine. LVZHI_BENCH_PAGES=substring restricts the pages;
// LVZHI_BENCH_NO_FIGURE_CACHE=1 turns the proposal figures' cache off (a before/after of it).
//
//	go test -run '^$' -bench ListPages -benchmem ./internal/web
func BenchmarkListPages(b *testing.B) {
	h, cookies := demoHandler(b)
	for _, p := range benchPages {
		if f := os.Getenv("LVZHI_BENCH_PAGES"); f != "" && !strings.Contains(p.name, f) {
			continue
		}
		b.Run(p.name, func(b *testing.B) {
			ck := cookies[p.user]
			if ck == nil {
				b.Fatalf("no demo login %q", p.user)
			}
			serve := func() *httptest.ResponseRecorder {
				r := httptest.NewRequest("GET", p.path, nil)
				r.AddCookie(ck)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				return w
			}
			if w := serve(); w.Code != http.StatusOK {
				b.Fatalf("%s as %s: %d", p.path, p.user, w.Code)
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for range b.N {
				serve()
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}
