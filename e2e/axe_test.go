package e2e

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core (npm axe-core 4.14.1, MPL-2.0, testdata/axe.LICENSE).
//
//go:embed testdata/axe.min.js
var axeSource string

// axeViolation is one failed rule on one page, with a few of its nodes.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeRun runs axe-core over the current page for WCAG 2.0/2.1 A and AA.
// (DevTools evaluation is not bound by the page's Content-Security-Policy.)
func axeRun(ctx context.Context) ([]axeViolation, error) {
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axeSource+";true")); err != nil {
		return nil, fmt.Errorf("load axe: %w", err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
		.then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\s+/g, " "))}))))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, err
	}
	var vs []axeViolation
	return vs, json.Unmarshal([]byte(out), &vs)
}

// TestAccessibility runs axe-core in Chromium over every role's main pages
// (the home page and every entry of its menu) and a record page of each kind
// they link to, at desktop and phone width, over the staff's pages in English,
// and over forms in their error state (login with a wrong password, an empty
// proposal, an empty member and unit); it fails on any WCAG 2.1 A or AA
// violation, and on content lost with text at 200% or at the phone's width.
func TestAccessibility(t *testing.T) {
	exe := chromium(t)
	srv := startDemo(t)
	browserCtx := startBrowser(t, exe)
	type width struct {
		name string
		act  chromedp.Action[chromedp.Void]
	}
	widths := []width{{"desktop", chromedp.EmulateViewport(1280, 900)},
		{"phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2))}}
	failures := map[string][]string{} // rule → pages
	checked := 0
	check := func(t *testing.T, ctx context.Context, page string) {
		t.Helper()
		checked++
		vs, err := axeRun(ctx)
		if err != nil {
			t.Errorf("%s: axe: %v", page, err)
			return
		}
		for _, v := range vs {
			key := fmt.Sprintf("%s (%s): %s\n      %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n      "))
			if len(failures[key]) < 5 {
				failures[key] = append(failures[key], page)
			}
		}
	}
	// Anonymous: the login form, and in its error state.
	t.Run("anon", func(t *testing.T) {
		ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
		defer cancel()
		ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
		defer cancelT()
		for _, w := range widths {
			if err := chromedp.Do(ctx, w.act, chromedp.Navigate(srv.base+"/login"), chromedp.WaitVisible(chromedp.CSS("#username"))); err != nil {
				t.Fatal(err)
			}
			check(t, ctx, w.name+" /login")
			if w.name == "desktop" { // the audit itself works: a low-contrast text is caught
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const p = document.createElement("p"); p.id = "axe-probe";
					p.textContent = "low contrast"; p.style.color = "#bbb"; p.style.background = "#fff"; document.querySelector("main").append(p); return true })()`)); err != nil {
					t.Fatal(err)
				}
				vs, err := axeRun(ctx)
				if err != nil || !slices.ContainsFunc(vs, func(v axeViolation) bool { return v.ID == "color-contrast" }) {
					t.Fatalf("axe missed a planted contrast failure: %v %+v", err, vs)
				}
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("axe-probe").remove() || true`)); err != nil {
					t.Fatal(err)
				}
				if msg := reflowLoss(ctx, true); msg != "" {
					t.Errorf("/login with text at 200%%: %s", msg)
				}
				// The reflow check works: a line that cannot wrap is caught at 200%.
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const p = document.createElement("p"); p.id = "reflow-probe";
					p.textContent = "不能换行的一行字".repeat(12); p.style.whiteSpace = "nowrap"; p.style.fontSize = "1rem"; document.querySelector("main").append(p); return true })()`)); err != nil {
					t.Fatal(err)
				}
				if msg := reflowLoss(ctx, true); !strings.Contains(msg, "sideways") {
					t.Fatalf("the reflow check missed a line wider than the page: %q", msg)
				}
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { document.getElementById("reflow-probe").remove(); document.documentElement.style.fontSize = ""; return true })()`)); err != nil {
					t.Fatal(err)
				}
			}
			err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#username"), "nobody"),
				chromedp.SendKeys(chromedp.CSS("#password"), "wrong-password"), chromedp.Submit(chromedp.CSS("#password")),
				chromedp.WaitVisible(chromedp.CSS(".errorbox")))
			if err != nil {
				t.Fatalf("login error state: %v", err)
			}
			check(t, ctx, w.name+" /login (error)")
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.base+"/public/proposals"), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
				t.Fatal(err)
			}
			check(t, ctx, w.name+" /public/proposals")
		}
	})
	for _, l := range srv.logins {
		t.Run(l.username, func(t *testing.T) {
			ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
			defer cancel()
			ctx, cancelT := context.WithTimeout(ctx, 4*time.Minute)
			defer cancelT()
			err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900),
				chromedp.Navigate(srv.base+"/login"), chromedp.WaitVisible(chromedp.CSS("#username")),
				chromedp.SendKeys(chromedp.CSS("#username"), l.username), chromedp.SendKeys(chromedp.CSS("#password"), l.password),
				chromedp.Submit(chromedp.CSS("#password")), chromedp.WaitVisible(chromedp.CSS("header .me")))
			if err != nil {
				t.Fatalf("log in as %s: %v", l.username, err)
			}
			menu, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('nav.mainnav a')].map(a => a.getAttribute('href'))`))
			if err != nil {
				t.Fatal(err)
			}
			pages := append([]string{"/"}, menu...)
			titles := map[string]string{}
			if slices.Contains(menu, "/proposals") {
				pages = append(pages, "/proposals?tab=all")
			}
			for _, w := range widths {
				for _, p := range pages {
					if err := chromedp.Do(ctx, w.act, chromedp.Navigate(srv.base+p), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
						t.Errorf("%s: %v", p, err)
						continue
					}
					check(t, ctx, fmt.Sprintf("%s %s %s", l.username, w.name, p))
					reflow(t, ctx, fmt.Sprintf("%s %s %s", l.username, w.name, p), w.name == "desktop")
					if w.name == "desktop" { // every page has its own title
						title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`))
						if err != nil || strings.TrimSpace(title) == "" {
							t.Errorf("%s: title %q %v", p, title, err)
						}
						titles[p] = title
					}
				}
			}
			for p, title := range titles {
				if p != "/" && title == titles["/"] {
					t.Errorf("%s has the home page's title %q", p, title)
				}
			}
			// A record's page of each kind linked from the lists (a proposal, a member, a unit …).
			lists := pages
			if slices.Contains(menu, "/org") {
				lists = append(slices.Clone(pages), "/org/members", "/org/units")
			}
			details := detailLinks(t, ctx, srv.base, lists)
			for _, p := range details {
				for _, w := range widths {
					if err := chromedp.Do(ctx, w.act, chromedp.Navigate(srv.base+p), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
						t.Errorf("%s: %v", p, err)
						continue
					}
					check(t, ctx, fmt.Sprintf("%s %s %s", l.username, w.name, p))
					reflow(t, ctx, fmt.Sprintf("%s %s %s", l.username, w.name, p), w.name == "desktop")
				}
			}
			if l.username == "staff" { // the English pages
				if err := chromedp.Do(ctx, chromedp.Navigate(srv.base+"/lang/en"), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
					t.Fatal(err)
				}
				for _, p := range append(pages, details...) {
					if err := chromedp.Do(ctx, widths[0].act, chromedp.Navigate(srv.base+p), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
						t.Errorf("%s: %v", p, err)
						continue
					}
					if lang, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "en" {
						t.Errorf("en %s: <html lang=%q>", p, lang)
					}
					check(t, ctx, "staff en desktop "+p)
				}
				for _, form := range []struct{ path, field string }{{"/org/members/new", "#name"}, {"/org/units/new", "#name"}} {
					if err := formErrorState(ctx, srv.base+form.path, form.field); err != nil {
						t.Errorf("%s error state: %v", form.path, err)
						continue
					}
					check(t, ctx, "staff en desktop "+form.path+" (error)")
				}
				if err := chromedp.Do(ctx, chromedp.Navigate(srv.base+"/lang/zh"), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
					t.Fatal(err)
				}
			}
			if l.username == "member" { // a form in its error state: an empty proposal
				if err := chromedp.Do(ctx, widths[0].act); err != nil {
					t.Fatal(err)
				}
				if err := formErrorState(ctx, srv.base+"/proposals/new", "#title"); err != nil {
					t.Errorf("proposal form error state: %v", err)
				} else {
					check(t, ctx, "member desktop /proposals/new (error)")
				}
			}
		})
	}
	t.Logf("axe checked %d pages", checked)
	if checked < 60 {
		t.Errorf("only %d pages checked", checked)
	}
	if len(failures) > 0 {
		var b strings.Builder
		for rule, pages := range failures {
			fmt.Fprintf(&b, "\n  %s\n      on: %s", rule, strings.Join(pages, "; "))
		}
		t.Errorf("%d WCAG 2.1 A/AA violations:%s", len(failures), b.String())
	}
}

// formErrorState opens the form holding field, submits it empty, and waits
// for its error state (field errors or the error box).
func formErrorState(ctx context.Context, url, field string) error {
	err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(field)))
	if err == nil {
		_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const f = document.querySelector('`+field+`').form;
			f.querySelectorAll('input[required],select[required],textarea[required]').forEach(e => e.removeAttribute('required'));
			const b = f.querySelector('button[type=submit],button:not([type])'); b ? b.click() : f.submit(); return true })()`))
	}
	if err == nil {
		err = chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(".ferr, .errorbox")))
	}
	return err
}

// detailLinks visits the list pages and returns one record page of each
// kind they link to (/proposals/12 and /org/members/5, not both /proposals/12
// and /proposals/13).
func detailLinks(t *testing.T, ctx context.Context, base string, pages []string) []string {
	t.Helper()
	seen := map[string]bool{}
	var out []string
	for _, p := range pages {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+p), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('main a[href]')].map(a => a.getAttribute('href')).filter(h => /^\/[a-z\/]+\/[0-9]+$/.test(h))`))
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		for _, h := range links {
			kind := strings.TrimRight(h, "0123456789")
			if !seen[kind] {
				seen[kind] = true
				out = append(out, h)
			}
		}
	}
	return out
}

// reflow fails the test when the current page loses content with text at
// 200% (zoom, at desktop width) or at the phone's width: no page-wide
// sideways scrolling, no clipped text (WCAG 1.4.4, 1.4.10). Run it after the
// page's axe audit: it changes the page's text size.
func reflow(t *testing.T, ctx context.Context, page string, zoom bool) {
	t.Helper()
	if msg := reflowLoss(ctx, zoom); msg != "" {
		t.Errorf("%s (text 200%%: %v): %s", page, zoom, msg)
	}
}

// reflowLoss reports content lost on the current page: with zoom, the text is
// first set to 200% (the root font size, which the stylesheet's rem sizes
// follow). Lost is sideways scrolling of the whole page, or an element that
// hides text it cannot fit (overflow hidden or clip, and wider content).
// Tables in their own scrolling wrapper (.tablewrap) are not lost: they scroll.
func reflowLoss(ctx context.Context, zoom bool) string {
	js := `(() => {
		if (` + fmt.Sprint(zoom) + `) document.documentElement.style.fontSize = "200%";
		const out = [];
		const doc = document.documentElement;
		if (doc.scrollWidth > window.innerWidth + 1) {
			const wide = [...document.querySelectorAll("body *")].filter(e => {
				const r = e.getBoundingClientRect();
				return r.right > window.innerWidth + 1 && !e.closest(".tablewrap");
			}).slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : "") + " " + Math.round(e.getBoundingClientRect().right) + "px");
			out.push("page scrolls sideways (" + doc.scrollWidth + " > " + window.innerWidth + "): " + wide.join(", "));
		}
		for (const e of document.querySelectorAll("body *")) {
			const cs = getComputedStyle(e);
			// (.sr is text for screen readers only, visually hidden on purpose)
			if ((cs.overflowX === "hidden" || cs.overflowX === "clip") && e.clientWidth > 1 && !e.closest(".sr") &&
				e.scrollWidth > e.clientWidth + 1 && e.textContent.trim() !== "") {
				out.push("clipped: " + e.tagName.toLowerCase() + (e.className ? "." + e.className : "") + " " + e.scrollWidth + " > " + e.clientWidth);
				if (out.length > 4) break;
			}
		}
		return out.join("; ");
	})()`
	msg, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		return err.Error()
	}
	return msg
}
