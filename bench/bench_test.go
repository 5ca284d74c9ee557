// Package bench holds the platform's speed benchmarks and load tests (see
// docs/BENCHMARKS.md). They are heavy, so they run only when asked:
//
//	LVZHI_BENCH=1             run the load and latency tests (they assert the targets)
//	LVZHI_BENCH_BUILD=1       build the nation-scale databases if the cache lacks them
//	LVZHI_BENCH_CACHE=DIR     where the nation-scale SQLite file lives (default: user cache dir)
//	LVZHI_BENCH_PG=URL        PostgreSQL server for the nation-scale schema (default: LVZHI_TEST_PG)
package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"lvzhi/internal/account"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/gen"
)

// Nation-scale cache.
const (
	nationSeed     = 1
	nationSchema   = "lvzhi_bench_nation"
	nationPassword = "bench-password-2018" // every generated user's password
	nationMembers  = 600000                // fewer means an incomplete build
)

func requireBench(t testing.TB) {
	t.Helper()
	if os.Getenv("LVZHI_BENCH") == "" {
		t.Skip("benchmarks and load tests run with LVZHI_BENCH=1 (see docs/BENCHMARKS.md)")
	}
}

func cacheDir(t testing.TB) string {
	if d := os.Getenv("LVZHI_BENCH_CACHE"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(d, "lvzhi-bench")
}

// nationTarget is where the nation-scale database of an engine lives.
func nationTarget(t testing.TB, engine db.Engine) string {
	if engine == db.SQLite {
		return filepath.Join(cacheDir(t), fmt.Sprintf("nation-seed%d.db", nationSeed))
	}
	base := os.Getenv("LVZHI_BENCH_PG")
	if base == "" {
		base = os.Getenv(dbtest.EnvPG)
	}
	if base == "" {
		t.Skip("no PostgreSQL: set LVZHI_BENCH_PG or " + dbtest.EnvPG)
	}
	return dbtest.WithSearchPath(base, nationSchema)
}

var buildMu sync.Mutex

// nationDB opens the cached nation-scale database of an engine, building it
// when LVZHI_BENCH_BUILD is set and skipping with instructions otherwise.
func nationDB(t testing.TB, engine db.Engine) (*db.DB, string) {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	ctx := context.Background()
	target := nationTarget(t, engine)
	if engine == db.SQLite {
		if _, err := os.Stat(target); err != nil && os.Getenv("LVZHI_BENCH_BUILD") == "" {
			t.Skipf("no nation-scale SQLite database at %s: run with LVZHI_BENCH_BUILD=1 to build it (~1 minute)", target)
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			t.Fatal(err)
		}
	} else if err := ensureSchema(ctx, target); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var members int
	if err := d.QueryRowContext(ctx, `SELECT count(*) FROM memberships`).Scan(&members); err != nil {
		t.Fatal(err)
	}
	if members >= nationMembers {
		return d, target
	}
	if os.Getenv("LVZHI_BENCH_BUILD") == "" {
		t.Skipf("no nation-scale %s database at %s: run with LVZHI_BENCH_BUILD=1 to build it (1-2 minutes)", engine, target)
	}
	if members > 0 {
		t.Fatalf("%s holds an incomplete nation-scale database (%d members): delete it and rebuild", target, members)
	}
	hash, err := account.HashPassword(nationPassword, account.DefaultPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("building the nation-scale %s database at %s", engine, target)
	// Without proposals (the generator's default at nation scale since the bulk
	// refresh): these benchmarks measure members and pages, and build in a minute;
	// the proposal benchmarks build their own set (proposal_bench_test.go).
	res, err := gen.Run(ctx, d, gen.Options{Scale: gen.Nation, Seed: nationSeed, PasswordHash: hash, Proposals: "no",
		Progress: testWriter{t}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("built in %s: %d members", res.Duration.Round(time.Second), res.Members)
	return d, target
}

// ensureSchema creates the benchmark schema on the PostgreSQL server of target.
func ensureSchema(ctx context.Context, target string) error {
	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	d, err := db.Open(ctx, u.String())
	if err != nil {
		return err
	}
	defer d.Close()
	_, err = d.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+nationSchema)
	return err
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// percentiles returns the p-th percentiles of ds (sorted in place).
func percentiles(ds []time.Duration, ps ...float64) []time.Duration {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	out := make([]time.Duration, len(ps))
	for i, p := range ps {
		k := int(float64(len(ds))*p/100+0.5) - 1
		out[i] = ds[max(0, min(k, len(ds)-1))]
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// buildBinary compiles the real lvzhi binary once per test run.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "lvzhi-bench-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "lvzhi")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/lvzhi").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("build: %v\n%s", err, out)
	}
	return bin, nil
})

// server is a running lvzhi process.
type server struct {
	cmd  *exec.Cmd
	base string
	out  *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var listenRE = regexp.MustCompile(`msg=listening addr=(\S+)`)

// startServer runs the binary with args (a free port is chosen) and waits until it listens.
func startServer(t *testing.T, env []string, args ...string) *server {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	args = append(args, "--addr", "127.0.0.1:0")
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	out := &syncBuffer{}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, out: out}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			if m := listenRE.FindStringSubmatch(line); m != nil && !sent {
				addr <- m[1]
				sent = true
			}
			// The request log of a load test is large: keep only what is not a request line.
			if !strings.Contains(line, "msg=http") {
				_, _ = out.Write([]byte(line + "\n"))
			}
		}
	}()
	select {
	case a := <-addr:
		s.base = "http://" + a
	case <-time.After(3 * time.Minute):
		t.Fatalf("server did not start:\n%s", out.String())
	}
	return s
}

// login posts the login form and returns the session cookie.
func login(t *testing.T, base, username, password string) *http.Cookie {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(base+"/login", url.Values{"username": {username}, "password": {password}, "next": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == account.SessionCookie && ck.Value != "" {
			return ck
		}
	}
	t.Fatalf("login as %s: status %d, no session cookie", username, resp.StatusCode)
	return nil
}

// get fetches path with the cookie and returns the status.
func get(t *testing.T, base, path string, ck *http.Cookie) int {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.AddCookie(ck)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// wrkResult is what the Lua reporter prints.
type wrkResult struct {
	P50, P95, P99 time.Duration
	RPS           float64
	Requests      int
	Errors        int
	Non2xx        int
}

// wrkReport makes wrk print one parseable line; requests rotate over the
// (cookie, path) pairs.
const wrkReport = `
local i = 0
request = function()
  i = i %% #targets + 1
  return wrk.format("GET", targets[i][2], {["Cookie"] = targets[i][1]})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK p50=%%d p95=%%d p99=%%d rps=%%.1f requests=%%d errors=%%d non2xx=%%d\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.requests / (summary.duration / 1e6), summary.requests,
    e.connect + e.read + e.write + e.timeout, e.status))
end
targets = {%s}
`

var wrkRE = regexp.MustCompile(`WRK p50=(\d+) p95=(\d+) p99=(\d+) rps=([\d.]+) requests=(\d+) errors=(\d+) non2xx=(\d+)`)

// runWrk loads the server with wrk (threads, connections, duration) over targets.
func runWrk(t *testing.T, base string, threads, conns int, dur time.Duration, targets [][2]string) wrkResult {
	t.Helper()
	if _, err := exec.LookPath("wrk"); err != nil {
		t.Skip("wrk is not installed (apt-get install -y wrk)")
	}
	var list []string
	for _, tg := range targets {
		list = append(list, fmt.Sprintf("{%q, %q}", tg[0], tg[1]))
	}
	script := filepath.Join(t.TempDir(), "report.lua")
	if err := os.WriteFile(script, []byte(fmt.Sprintf(wrkReport, strings.Join(list, ", "))), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("wrk", "-t", fmt.Sprint(threads), "-c", fmt.Sprint(conns), "-d", dur.String(),
		"-s", script, base).CombinedOutput()
	if err != nil {
		t.Fatalf("wrk: %v\n%s", err, out)
	}
	m := wrkRE.FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("wrk output not understood:\n%s", out)
	}
	var r wrkResult
	var p50, p95, p99 int64
	fmt.Sscan(m[1], &p50)
	fmt.Sscan(m[2], &p95)
	fmt.Sscan(m[3], &p99)
	r.P50, r.P95, r.P99 = time.Duration(p50)*time.Microsecond, time.Duration(p95)*time.Microsecond, time.Duration(p99)*time.Microsecond
	fmt.Sscan(m[4], &r.RPS)
	fmt.Sscan(m[5], &r.Requests)
	fmt.Sscan(m[6], &r.Errors)
	fmt.Sscan(m[7], &r.Non2xx)
	return r
}

// rssKB reads a process's resident set size (VmRSS) and its peak (VmHWM) in KiB.
func rssKB(pid int) (rss, peak int64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var v int64
		if n, _ := fmt.Sscanf(sc.Text(), "VmRSS: %d kB", &v); n == 1 {
			rss = v
		}
		if n, _ := fmt.Sscanf(sc.Text(), "VmHWM: %d kB", &v); n == 1 {
			peak = v
		}
	}
	if rss == 0 {
		return 0, 0, errors.New("no VmRSS in /proc status")
	}
	return rss, peak, sc.Err()
}

// cpuTime returns the user+system CPU time a process has used, from /proc/<pid>/stat.
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name (which is in parentheses and may hold spaces).
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(f) < 13 {
		return 0, errors.New("short /proc stat")
	}
	var utime, stime int64
	fmt.Sscan(f[11], &utime)
	fmt.Sscan(f[12], &stime)
	const ticks = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / ticks, nil
}
