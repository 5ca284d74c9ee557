package web

import (
	"context"
	"os"
	"os/exec"
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

// browser starts a headless Chromium for one test, or skips the test (saying
// so; TestMain repeats it on stderr) when none is installed.
func browser(t *testing.T) context.Context {
	t.Helper()
	exe := chromiumPath()
	if exe == "" {
		skippedBrowserTests.Add(1)
		t.Skip("chromium is not installed (apt-get install -y chromium fonts-noto-cjk): browser test skipped")
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

// browserLogin logs role in through the login form.
func (h *harness) browserLogin(ctx context.Context, role string) {
	h.t.Helper()
	err := chromedp.Do(ctx, chromedp.Navigate(h.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), h.Usernames[role]), chromedp.SendKeys(chromedp.CSS("#password"), harnessPassword),
		chromedp.Submit(chromedp.CSS("#password")), chromedp.WaitVisible(chromedp.CSS("header .me")))
	if err != nil {
		h.t.Fatalf("browser login as %s: %v", role, err)
	}
}

// skippedBrowserTests counts the browser tests skipped for want of Chromium.
var skippedBrowserTests atomic.Int32
