package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// mainList is the list each demo login works from (one per role, to keep the
// package fast). Not covered yet: the members (their /proposals has no filter
// form) and the assistance officer (no proposal list).
var mainList = map[string]string{
	"admin": "/proposals", "staff": "/proposals", "proposal": "/proposals", "leader": "/proposals",
	"unit": "/proposals", "unit2": "/proposals",
}

var totalRE = regexp.MustCompile(`共 (\d+) 条`)

// walkMainList opens the reader's main list at desktop and phone widths, takes
// its fullest tab, applies a filter through the filter form, follows the pager
// to page 2 (when the filtered list has one) and downloads the export through
// the browser's session: the file has as many rows as the page's filtered total.
// Screenshots: <user>-<width>-list-{filtered,page2}.png.
func walkMainList(t *testing.T, ctx context.Context, base, shots, user string) {
	t.Helper()
	list, ok := mainList[user]
	if !ok {
		return
	}
	for _, w := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"desktop", 1280, 900, false}, {"phone", 390, 844, true}} {
		view := chromedp.EmulateViewport(w.width, w.height)
		if w.mobile {
			view = chromedp.EmulateViewport(w.width, w.height, chromedp.EmulateMobile, chromedp.EmulateScale(2))
		}
		if err := chromedp.Do(ctx, view, chromedp.Navigate(base+list), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
			t.Fatalf("%s %s: open %s: %v", user, w.name, list, err)
		}
		// The fullest tab, then the first kind in the filter form.
		tab, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { let best = null, n = -1;
			for (const a of document.querySelectorAll("nav.tabs a")) { const c = +a.querySelector("b").textContent.replace(/\D/g, ""); if (c > n) { n = c; best = a; } }
			return best ? best.getAttribute("href") : ""; })()`))
		if err != nil {
			t.Fatalf("%s %s: tabs on %s: %v", user, w.name, list, err)
		}
		if tab != "" { // a member's list has no tabs
			if err := chromedp.Do(ctx, chromedp.Navigate(base+tab), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
				t.Fatalf("%s %s: tab %s: %v", user, w.name, tab, err)
			}
		}
		unfiltered := pageTotal(t, ctx)
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("main details").open = true;
				(() => { const f = document.querySelector("form.filters"), s = f.querySelector("#kind"); s.value = s.options[1].value;
				setTimeout(() => f.requestSubmit(), 0); return true; })()`)); err != nil {
			t.Fatalf("%s %s: choose a kind: %v", user, w.name, err)
		}
		var loc string
		for i := 0; i < 100 && !strings.Contains(loc, "kind="); i++ { // until the filtered page has loaded
			time.Sleep(100 * time.Millisecond)
			loc, _ = chromedp.Run(ctx, chromedp.Location())
		}
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
			t.Fatalf("%s %s: filter: %v", user, w.name, err)
		}
		if !strings.Contains(loc, "kind=") {
			t.Fatalf("%s %s: the filter form did not filter: %s", user, w.name, loc)
		}
		total := pageTotal(t, ctx)
		if total > unfiltered {
			t.Errorf("%s %s: filtered %d of %d", user, w.name, total, unfiltered)
		}
		saveShot(t, ctx, filepath.Join(shots, fmt.Sprintf("%s-%s-list-filtered.png", user, w.name)))
		next, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("nav.pager a[rel=next]") || {getAttribute: () => ""}).getAttribute("href")`))
		if err != nil {
			t.Fatal(err)
		}
		if next != "" {
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("nav.pager a[rel=next]")), chromedp.WaitVisible(chromedp.CSS("nav.pager a[rel=prev]"))); err != nil {
				t.Fatalf("%s %s: page 2: %v", user, w.name, err)
			}
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			if !strings.Contains(loc, "kind=") || !strings.Contains(loc, "page=2") {
				t.Errorf("%s %s: page 2 lost the filter: %s", user, w.name, loc)
			}
			if n := pageTotal(t, ctx); n != total {
				t.Errorf("%s %s: page 2 says %d in all, page 1 said %d", user, w.name, n, total)
			}
			saveShot(t, ctx, filepath.Join(shots, fmt.Sprintf("%s-%s-list-page2.png", user, w.name)))
		} else {
			t.Logf("%s %s: the filtered list (%d) fits one page", user, w.name, total)
		}
		// The export of what the page shows, downloaded with the browser's session.
		b64, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
			const a = document.querySelector('main a[href*="export"]');
			if (!a) return "";
			const r = await fetch(a.href, {credentials: "same-origin"});
			if (!r.ok) return "status " + r.status;
			const b = new Uint8Array(await r.arrayBuffer()); let s = "";
			for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
			return btoa(s); })()`, chromedp.EvalAwaitPromise))
		if err != nil || b64 == "" || strings.HasPrefix(b64, "status ") {
			t.Fatalf("%s %s: export: %q %v", user, w.name, b64, err)
		}
		data, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s %s: export is not a workbook: %v", user, w.name, err)
		}
		rows, err := x.GetRows(x.GetSheetName(0))
		_ = x.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got := len(rows) - 1; got != total { // one header row
			t.Errorf("%s %s: the export has %d rows, the filtered list says %d", user, w.name, got, total)
		}
	}
}

// pageTotal reads the list's "共 N 条".
func pageTotal(t *testing.T, ctx context.Context) int {
	t.Helper()
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	m := totalRE.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no total on the page")
	}
	var n int
	fmt.Sscan(m[1], &n)
	return n
}
