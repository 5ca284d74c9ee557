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

// listWalk is one list a login works from, as the browser walk reads it.
type listWalk struct {
	path  string // the list
	field string // the filter form's select the walk sets (to its first choice)
	rows  string // the rows' table body (the first match)
}

// proposalRows is the proposal table of /proposals (the office's extension
// requests follow it in a second table).
const proposalRows = "main .tablewrap table tbody"

// mainLists are the lists each demo login works from (the row's last link
// names it: a need's row links its household first): every login that reads
// /proposals walks it (its fullest tab), the assistance officer the
// households and the needs of 三送三帮.
var mainLists = func() map[string][]listWalk {
	proposals := []listWalk{{"/proposals", "kind", proposalRows}}
	m := map[string][]listWalk{"assistance": {{"/assist/households", "township", "#households tbody"}, {"/assist/needs", "kind", "#needs tbody"}}}
	for _, u := range []string{"admin", "staff", "proposal", "leader", "unit", "unit2", "member", "member2"} {
		m[u] = proposals
	}
	return m
}()

var totalRE = regexp.MustCompile(`共 (\d+) 条`)

// walkMainList walks each of the reader's main lists (walkList) at desktop
// and phone widths. A login without a list in mainLists fails: every demo
// role works from one.
func walkMainList(t *testing.T, ctx context.Context, base, shots, user string) {
	t.Helper()
	lists, ok := mainLists[user]
	if !ok {
		t.Fatalf("%s: no main list to walk (add it to mainLists)", user)
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
		if err := chromedp.Do(ctx, view); err != nil {
			t.Fatal(err)
		}
		for i, l := range lists {
			walkList(t, ctx, base, fmt.Sprintf("%s-%s-list%d", user, w.name, i+1), shots, l)
		}
	}
}

// walkList opens the list (its fullest tab, if it has tabs), applies a filter
// through the filter form, and reads every page by following the pager's
// next links to the last page; when the filtered list fits one page, it asks
// for a smaller page (?per=) so that the pager is followed too. The rows seen
// across the pages (each once) and the data rows of the page's export,
// downloaded with the browser's session, must both be the filtered total the
// page states. Screenshots: <shot>-{filtered,page2}.png.
func walkList(t *testing.T, ctx context.Context, base, shot, shots string, l listWalk) {
	t.Helper()
	where := shot + " " + l.path
	open := func(u string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
			t.Fatalf("%s: open %s: %v", where, u, err)
		}
	}
	open(base + l.path)
	tab, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { let best = null, n = -1;
		for (const a of document.querySelectorAll("nav.tabs a")) { const c = +a.querySelector("b").textContent.replace(/\D/g, ""); if (c > n) { n = c; best = a; } }
		return best ? best.getAttribute("href") : ""; })()`))
	if err != nil {
		t.Fatalf("%s: tabs: %v", where, err)
	}
	if tab != "" { // a member's list and the assist lists have no tabs
		open(base + tab)
	}
	unfiltered := pageTotal(t, ctx)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const d = document.querySelector("main details"); if (d) d.open = true;
		const f = document.querySelector("form.filters"), s = f.querySelector("#%s"); s.value = s.options[1].value;
		setTimeout(() => f.requestSubmit(), 0); return true; })()`, l.field))); err != nil {
		t.Fatalf("%s: choose a %s: %v", where, l.field, err)
	}
	loc := waitLocation(ctx, l.field+"=")
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
		t.Fatalf("%s: filter: %v", where, err)
	}
	if !strings.Contains(loc, l.field+"=") {
		t.Fatalf("%s: the filter form did not filter: %s", where, loc)
	}
	total := pageTotal(t, ctx)
	if total > unfiltered || total == 0 {
		t.Errorf("%s: filtered %d of %d", where, total, unfiltered)
	}
	if next, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector("nav.pager a[rel=next]")`)); !next && total > 1 {
		// Pages of half the list: the walk follows the pager whatever the data.
		open(loc + fmt.Sprintf("&per=%d", (total+1)/2))
		if n := pageTotal(t, ctx); n != total {
			t.Errorf("%s: in smaller pages %d in all, before %d", where, n, total)
		}
	}
	saveShot(t, ctx, filepath.Join(shots, shot+"-filtered.png"))
	export := exportRows(t, ctx, where)
	seen, rows, pages := map[string]bool{}, 0, 0
	for page := 1; ; page++ {
		pages = page
		ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(`[...((document.querySelector(%q) || {rows: []}).rows)].map(r => {
			const a = [...r.querySelectorAll("a[href]")].pop(); return a ? a.getAttribute("href") : r.textContent; })`, l.rows)))
		if err != nil {
			t.Fatalf("%s: rows of page %d: %v", where, page, err)
		}
		for _, id := range ids {
			if seen[id] {
				t.Errorf("%s: %s on two pages", where, id)
			}
			seen[id] = true
		}
		rows += len(ids)
		if page == 2 {
			saveShot(t, ctx, filepath.Join(shots, shot+"-page2.png"))
		}
		next, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector("nav.pager a[rel=next]")`))
		if err != nil {
			t.Fatal(err)
		}
		if !next {
			if page == 1 {
				t.Logf("%s: the filtered list (%d) fits one page", where, total)
			}
			break
		}
		if page > 30 {
			t.Fatalf("%s: more than 30 pages", where)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("nav.pager a[rel=next]"))); err != nil {
			t.Fatalf("%s: page %d: %v", where, page+1, err)
		}
		loc := waitLocation(ctx, fmt.Sprintf("page=%d", page+1))
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
			t.Fatalf("%s: page %d: %v", where, page+1, err)
		}
		if !strings.Contains(loc, l.field+"=") || !strings.Contains(loc, fmt.Sprintf("page=%d", page+1)) {
			t.Fatalf("%s: page %d lost the filter: %s", where, page+1, loc)
		}
		if n := pageTotal(t, ctx); n != total {
			t.Errorf("%s: page %d says %d in all, page 1 said %d", where, page+1, n, total)
		}
	}
	if rows != total {
		t.Errorf("%s: %d rows across the pages, the filtered list says %d", where, rows, total)
	}
	if export != total {
		t.Errorf("%s: the export has %d rows, the filtered list says %d", where, export, total)
	}
	t.Logf("%s: %d of %d rows, in %d pages, exported %d", where, total, unfiltered, pages, export)
}

// waitLocation waits (up to 10 s) until the page's address contains part and returns it.
func waitLocation(ctx context.Context, part string) string {
	var loc string
	for i := 0; i < 100 && !strings.Contains(loc, part); i++ {
		time.Sleep(100 * time.Millisecond)
		loc, _ = chromedp.Run(ctx, chromedp.Location())
	}
	return loc
}

// exportRows downloads the page's export (the 导出Excel link) with the
// browser's session and counts its data rows.
func exportRows(t *testing.T, ctx context.Context, where string) int {
	t.Helper()
	b64, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const a = [...document.querySelectorAll("main a[href]")].find(a => a.getAttribute("href").includes(".xlsx") && a.textContent.includes("导出"));
		if (!a) return "";
		const r = await fetch(a.href, {credentials: "same-origin"});
		if (!r.ok) return "status " + r.status;
		const b = new Uint8Array(await r.arrayBuffer()); let s = "";
		for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
		return btoa(s); })()`, chromedp.EvalAwaitPromise))
	if err != nil || b64 == "" || strings.HasPrefix(b64, "status ") {
		t.Fatalf("%s: export: %q %v", where, b64, err)
	}
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: export is not a workbook: %v", where, err)
	}
	rows, err := x.GetRows(x.GetSheetName(0))
	_ = x.Close()
	if err != nil {
		t.Fatal(err)
	}
	return len(rows) - 1 // one header row
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
