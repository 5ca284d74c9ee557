package web

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath is the browser the page tests drive: $LVZHI_CHROMIUM, else
// /usr/bin/chromium (a fixed path, so Go's test cache notices when it is
// installed), else chromium on the PATH; "" when there is none.
func chromiumPath() string {
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
	return ""
}

// noBrowser is what a browser test says without Chromium.
const noBrowser = "Chromium is not installed (apt-get install -y chromium fonts-noto-cjk, or set LVZHI_CHROMIUM to the browser)"

// browser starts a headless Chromium for one test. Without one the test
// fails, saying why, since `go test ./...` shows nothing of a passing
// package, skips included; LVZHI_SKIP_BROWSER=1 skips it instead (TestMain
// then says so on stderr). The outcome depends on the files and variables
// chromiumPath reads, which Go's test cache watches, so installing Chromium
// reruns the tests.
func browser(t *testing.T) context.Context {
	t.Helper()
	exe := chromiumPath()
	if exe == "" {
		if os.Getenv("LVZHI_SKIP_BROWSER") != "" {
			skippedBrowserTests.Add(1)
			t.Skip(noBrowser + ": browser test skipped (LVZHI_SKIP_BROWSER is set)")
		}
		t.Fatal(noBrowser + "; set LVZHI_SKIP_BROWSER=1 to skip the browser tests")
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(exe),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// browserLogin logs role in through the login form (logging out whoever was in).
func (h *harness) browserLogin(ctx context.Context, role string) {
	h.t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`location.protocol.startsWith("http") ? fetch("/logout", {method: "POST"}).then(() => true) : true`,
		chromedp.EvalAwaitPromise)); err != nil {
		h.t.Fatalf("browser logout: %v", err)
	}
	err := chromedp.Do(ctx, chromedp.Navigate(h.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), h.Usernames[role]), chromedp.SendKeys(chromedp.CSS("#password"), harnessPassword),
		chromedp.Submit(chromedp.CSS("#password")), chromedp.WaitVisible(chromedp.CSS("header .me")))
	if err != nil {
		h.t.Fatalf("browser login as %s: %v", role, err)
	}
}

// skippedBrowserTests counts the browser tests skipped for want of Chromium.
var skippedBrowserTests atomic.Int32

func TestMain(m *testing.M) {
	code := m.Run()
	if n := skippedBrowserTests.Load(); n > 0 {
		fmt.Fprintf(os.Stderr, "lvzhi/internal/web: %d browser tests SKIPPED: %s\n", n, noBrowser)
	}
	os.Exit(code)
}

// TestBrowserTestsAreNotSilentlySkipped runs a browser test in a child
// process with no browser: it fails and says why, and with
// LVZHI_SKIP_BROWSER=1 it is skipped with a notice on stderr.
func TestBrowserTestsAreNotSilentlySkipped(t *testing.T) {
	if os.Getenv("LVZHI_BROWSER_CHILD") != "" {
		t.Skip("in the child")
	}
	run := func(extra ...string) (string, error) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAssignFormFollowsTheMode$", "-test.count=1")
		cmd.Env = append(os.Environ(), "LVZHI_BROWSER_CHILD=1", "LVZHI_CHROMIUM=/nonexistent/chromium")
		cmd.Env = append(cmd.Env, extra...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run("LVZHI_SKIP_BROWSER=")
	if err == nil || !strings.Contains(out, "Chromium is not installed") || !strings.Contains(out, "LVZHI_SKIP_BROWSER=1") {
		t.Errorf("without Chromium: err %v, output:\n%s", err, out)
	}
	out, err = run("LVZHI_SKIP_BROWSER=1")
	if err != nil || !strings.Contains(out, "browser tests SKIPPED: Chromium is not installed") {
		t.Errorf("skipping on request: err %v, output:\n%s", err, out)
	}
}
