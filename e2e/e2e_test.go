// Package e2e drives the real lvzhi binary with a real browser: it builds the
// binary, starts `lvzhi demo` on a free port in a temporary data directory,
// logs in through the login form as every demo role, and saves a screenshot of
// each role's home page (into $LVZHI_SCREENSHOTS, or a temporary directory).
//
// It needs Chromium (Debian: apt-get install -y chromium fonts-noto-cjk): without
// it the tests fail and say so, unless LVZHI_SKIP_BROWSER=1 asks to skip them.
package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// login is one account as the demo prints it.
type login struct {
	username, password, name string
}

// noBrowser is what a browser test says without Chromium.
const noBrowser = "Chromium is not installed (apt-get install -y chromium fonts-noto-cjk, or set LVZHI_CHROMIUM to the browser)"

// skipped counts the browser tests skipped for want of Chromium.
var skipped atomic.Int32

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	if n := skipped.Load(); n > 0 {
		fmt.Fprintf(os.Stderr, "lvzhi/e2e: %d browser tests SKIPPED: %s\n", n, noBrowser)
	}
	os.Exit(code)
}

// chromium finds the browser: $LVZHI_CHROMIUM, else /usr/bin/chromium (a
// fixed path, so Go's test cache notices when it is installed), else chromium
// on the PATH. Without one the test fails, saying why (`go test ./...` shows
// nothing of a passing package, skips included); LVZHI_SKIP_BROWSER=1 skips
// it instead, and TestMain says so on stderr.
func chromium(t *testing.T) string {
	if p := os.Getenv("LVZHI_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "" // the browser named is not there: no fallback
		}
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("LVZHI_SKIP_BROWSER") != "" {
		skipped.Add(1)
		t.Skip("e2e: " + noBrowser + ": browser test skipped (LVZHI_SKIP_BROWSER is set)")
	}
	t.Fatal("e2e: " + noBrowser + "; set LVZHI_SKIP_BROWSER=1 to skip the browser tests")
	return ""
}

// startBrowser starts headless Chromium (exe, as chromium found it) for the
// test, with a fresh profile, and returns the browser's first tab; it stops
// when the test ends. A test opens tabs or separate browser contexts (no
// shared cookies) from it with chromedp.NewContext.
func startBrowser(t *testing.T, exe string) context.Context {
	t.Helper()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	t.Cleanup(cancel) // runs first: the browser closes, then its process is reaped
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// demoServer is the running `lvzhi demo` process.
type demoServer struct {
	base   string
	logins []login
	mu     sync.Mutex
	out    strings.Builder
}

func (s *demoServer) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

var addrRE = regexp.MustCompile(`Address: (http://\S+?)/?$`)

// startDemo builds the binary and starts `lvzhi demo`, waiting until it prints its address and logins.
// shared is what every test's demo starts from: the binary, built once, and a
// demo data directory, seeded once; each test serves its own copy, so tests
// stay apart while the package builds and seeds one time only.
var shared struct {
	once      sync.Once
	dir       string // removed by TestMain
	bin, data string
	err       error
}

// prepare builds the binary and seeds the demo data once for the package.
func prepare(t *testing.T) (bin, data string) {
	t.Helper()
	shared.once.Do(func() {
		if shared.dir, shared.err = os.MkdirTemp("", "lvzhi-e2e-"); shared.err != nil {
			return
		}
		shared.bin = filepath.Join(shared.dir, "lvzhi")
		if out, err := exec.Command("go", "build", "-o", shared.bin, "../cmd/lvzhi").CombinedOutput(); err != nil {
			shared.err = fmt.Errorf("build lvzhi: %v\n%s", err, out)
			return
		}
		shared.data = filepath.Join(shared.dir, "data")
		seed := exec.Command(shared.bin, "demo", "--addr", "127.0.0.1:0", "--data", shared.data)
		seed.Env = append(os.Environ(), "LVZHI_KEY=")
		out, err := seed.StdoutPipe()
		if err == nil {
			err = seed.Start()
		}
		if err != nil {
			shared.err = err
			return
		}
		sc := bufio.NewScanner(out)
		for sc.Scan() && !addrRE.MatchString(sc.Text()) { // serving: the seed is written
		}
		_ = seed.Process.Signal(os.Interrupt)
		go func() { _, _ = io.Copy(io.Discard, out) }()
		if err := seed.Wait(); err != nil {
			shared.err = fmt.Errorf("seed the demo: %v", err)
		}
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.bin, shared.data
}

// copyDir copies the seeded data directory (the database, its key) to dst.
func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o600)
	})
}

func startDemo(t *testing.T) *demoServer {
	t.Helper()
	bin, seeded := prepare(t)
	dir := t.TempDir()
	if err := copyDir(seeded, filepath.Join(dir, "data")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "demo", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"))
	cmd.Env = append(os.Environ(), "LVZHI_KEY=") // the demo keeps its own key in the data directory
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &demoServer{}
	cmd.Stderr = &lockedWriter{s}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			t.Error("lvzhi demo did not stop within 20 s of an interrupt")
		}
	})
	ready := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		inTable := false
		for sc.Scan() {
			line := sc.Text()
			s.mu.Lock()
			s.out.WriteString(line + "\n")
			s.mu.Unlock()
			switch {
			case addrRE.MatchString(line):
				s.base = addrRE.FindStringSubmatch(line)[1]
			case strings.Contains(line, "用户名 User"):
				inTable = true
			case inTable && strings.TrimSpace(line) == "":
				inTable = false
				ready <- nil
			case inTable:
				f := strings.Fields(line)
				if len(f) >= 4 {
					s.logins = append(s.logins, login{f[len(f)-3], f[len(f)-2], f[len(f)-1]})
				}
			}
		}
		ready <- fmt.Errorf("lvzhi demo ended its output: %v", sc.Err())
	}()
	select {
	case err := <-ready:
		if err != nil || s.base == "" || len(s.logins) == 0 {
			t.Fatalf("lvzhi demo did not start (%v):\n%s", err, s.output())
		}
	case <-time.After(3 * time.Minute):
		t.Fatalf("lvzhi demo did not print its address within 3 minutes:\n%s", s.output())
	}
	return s
}

type lockedWriter struct{ s *demoServer }

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	return w.s.out.Write(p)
}

func screenshotDir(t *testing.T) string {
	if d := os.Getenv("LVZHI_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

func TestLoginEveryRole(t *testing.T) {
	exe := chromium(t)
	srv := startDemo(t)
	shots := screenshotDir(t)
	t.Logf("demo at %s, %d logins, screenshots in %s", srv.base, len(srv.logins), shots)
	if len(srv.logins) != 9 { // every role, two members and two units
		t.Fatalf("demo printed %d logins, want 9:\n%s", len(srv.logins), srv.output())
	}

	browserCtx := startBrowser(t, exe)

	for _, l := range srv.logins {
		t.Run(l.username, func(t *testing.T) {
			// A fresh browser context per role: no cookies from the previous login.
			ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
			defer cancel()
			ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
			defer cancelT()
			defer func() {
				if t.Failed() {
					saveShot(t, ctx, filepath.Join(shots, l.username+"-failed.png"))
				}
			}()
			err := chromedp.Do(ctx,
				chromedp.EmulateViewport(1280, 900),
				chromedp.Navigate(srv.base+"/login"),
				chromedp.WaitVisible(chromedp.CSS("#username")),
				chromedp.SendKeys(chromedp.CSS("#username"), l.username),
				chromedp.SendKeys(chromedp.CSS("#password"), l.password),
				chromedp.Submit(chromedp.CSS("#password")),
				chromedp.WaitVisible(chromedp.CSS("header .me")),
			)
			if err != nil {
				t.Fatalf("log in as %s: %v\nserver output:\n%s", l.username, err, tail(srv.output(), 30))
			}
			me, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("header .me")))
			if err != nil || strings.TrimSpace(me) != l.name {
				t.Errorf("header shows %q (%v), want the user's name %q", me, err, l.name)
			}
			loc, err := chromedp.Run(ctx, chromedp.Location())
			if err != nil || loc != srv.base+"/" {
				t.Errorf("after login at %q (%v), want the home page", loc, err)
			}
			h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1")))
			if err != nil || !strings.Contains(h1, l.name) {
				t.Errorf("home heading %q (%v) does not greet %q", h1, err, l.name)
			}
			menu, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
				`[...document.querySelectorAll('nav.mainnav a')].map(a => a.getAttribute('href'))`))
			// The assistance officer is refused /proposals (see permissions_proposal_test.go),
			// so the menu must not offer it; every other role works with proposals.
			wantProposals := l.username != "assistance"
			if err != nil || slices.Contains(menu, "/proposals") != wantProposals {
				t.Errorf("menu %v (%v): proposals entry shown=%v, want %v", menu, err, !wantProposals, wantProposals)
			}
			if admin := slices.Contains(menu, "/admin"); admin != (l.username == "admin") {
				t.Errorf("menu %v: administration entry shown=%v for %s", menu, admin, l.username)
			}
			saveShot(t, ctx, filepath.Join(shots, l.username+".png"))
			walkWorkbench(t, ctx, srv.base, shots, l.username)
			walkMainList(t, ctx, srv.base, shots, l.username)
			if l.username == "member" { // members mostly use phones
				err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
					chromedp.Navigate(srv.base+"/"), chromedp.WaitVisible(chromedp.CSS("main h1")))
				if err != nil {
					t.Errorf("phone view: %v", err)
				}
				saveShot(t, ctx, filepath.Join(shots, "member-phone.png"))
			}
		})
	}
}

func saveShot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", path, err)
		return
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Errorf("save screenshot: %v", err)
	}
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// walkWorkbench opens every count of the reader's 工作台 (on /), at desktop
// and phone widths: each opens its list without an error, and a queue's list
// says the total the tile counted. Screenshots are saved as <user>-<width>-tile-N.png.
func walkWorkbench(t *testing.T, ctx context.Context, base, shots, user string) {
	t.Helper()
	for _, w := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"desktop", 1280, 900, false}, {"phone", 390, 844, true}} {
		view := chromedp.EmulateViewport(w.width, w.height)
		if w.mobile {
			view = chromedp.EmulateViewport(w.width, w.height, chromedp.EmulateMobile, chromedp.EmulateScale(2))
		}
		if err := chromedp.Do(ctx, view, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
			t.Fatalf("%s %s home: %v", user, w.name, err)
		}
		tiles, err := chromedp.Run(ctx, chromedp.Evaluate[[][]string](
			`[...document.querySelectorAll('.workbench a.count')].map(a => [a.getAttribute('href'), a.querySelector('b').textContent.trim()])`))
		if err != nil {
			t.Fatal(err)
		}
		if len(tiles) == 0 && user != "admin" && user != "staff" && user != "assistance" {
			t.Errorf("%s: an empty workbench", user)
		}
		for i, tile := range tiles {
			if w.mobile && i >= 3 {
				break // the phone walks the first few; the desktop every one
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(base+tile[0]), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
				t.Errorf("%s %s: tile %s: %v", user, w.name, tile[0], err)
				continue
			}
			v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[document.querySelector(".errorbox") ? document.querySelector(".errorbox").textContent : "",
				(document.querySelector("main").textContent.match(/共 (\d+) 条/) || ["", ""])[1]]`))
			if err != nil {
				t.Fatal(err)
			}
			if v[0] != "" {
				t.Errorf("%s %s: tile %s opens an error: %s", user, w.name, tile[0], v[0])
			}
			if strings.Contains(tile[0], "tab=") && v[1] != tile[1] {
				t.Errorf("%s %s: tile %s counts %s, its list says %q", user, w.name, tile[0], tile[1], v[1])
			}
			saveShot(t, ctx, filepath.Join(shots, fmt.Sprintf("%s-%s-tile-%d.png", user, w.name, i+1)))
		}
	}
}
