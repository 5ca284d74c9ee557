package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestAssistJourney walks 三送三帮 through the real binary in Chromium: the
// assistance officer records a household's need and confirms a match with
// the demo member, the member records the assistance on their phone, and the
// officer verifies it, which starts the need. Screenshots go to
// $LVZHI_SCREENSHOTS (assist-NN-<who>-<step>.png).
func TestAssistJourney(t *testing.T) {
	exe := chromium(t)
	srv := startDemo(t)
	shots := screenshotDir(t)
	creds := map[string]login{}
	for _, l := range srv.logins {
		creds[l.username] = l
	}
	browserCtx := startBrowser(t, exe)
	n := 0
	user := func(username string, phone bool) *proposalStep {
		ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		ctx, cancelT := context.WithTimeout(ctx, 6*time.Minute)
		t.Cleanup(cancelT)
		p := &proposalStep{t: t, ctx: ctx, base: srv.base, shots: shots, who: username, n: &n}
		view := chromedp.EmulateViewport(1280, 900)
		if phone {
			view = chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2))
		}
		l, ok := creds[username]
		if !ok {
			t.Fatalf("demo has no %s login:\n%s", username, srv.output())
		}
		p.do("log in", view, chromedp.Navigate(srv.base+"/login"),
			chromedp.WaitVisible(chromedp.CSS("#username")),
			chromedp.SendKeys(chromedp.CSS("#username"), l.username),
			chromedp.SendKeys(chromedp.CSS("#password"), l.password),
			chromedp.Submit(chromedp.CSS("#password")),
			chromedp.WaitVisible(chromedp.CSS("header .me")))
		return p
	}
	shot := func(p *proposalStep, name string) {
		n++
		saveShot(t, p.ctx, filepath.Join(shots, fmt.Sprintf("assist-%02d-%s-%s.png", n, p.who, name)))
	}
	// clickJS clicks the first element matching sel whose text contains text.
	clickJS := func(p *proposalStep, sel, text string) {
		t.Helper()
		ok, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const e = [...document.querySelectorAll(%q)]
			.find(e => e.textContent.includes(%q)); if (e) { e.click(); } return !!e; })()`, sel, text)))
		if err != nil || !ok {
			saveShot(t, p.ctx, filepath.Join(shots, "assist-failed-"+p.who+".png"))
			t.Fatalf("%s: no %s with %q (%v)", p.who, sel, text, err)
		}
	}
	const registry = "5303250040004" // the demo's fourth household, not yet paired
	const need = "家中两名劳动力希望到县城务工"

	// 1. The officer records the household's need.
	officer := user("assistance", false)
	officer.do("find the household", chromedp.Navigate(srv.base+"/assist/households?q="+registry), chromedp.WaitVisible(chromedp.CSS("#households")))
	shot(officer, "households")
	clickJS(officer, "#households a", registry)
	officer.do("need form", chromedp.WaitVisible(chromedp.CSS("#need-form")),
		chromedp.SetValue(chromedp.CSS("#kind"), "job"),
		chromedp.SendKeys(chromedp.CSS("#description"), need),
		chromedp.SetValue(chromedp.CSS("#urgency"), "3"))
	shot(officer, "need-form")
	officer.post("save need", "#need-form button[type=submit]")
	officer.waitText("need saved", "#hh-needs", need)
	// 2. … and confirms the match with the demo member (choosing them over the suggestions).
	clickJS(officer, "#hh-needs a", need)
	officer.do("need page", chromedp.WaitVisible(chromedp.CSS("#match-other")))
	shot(officer, "suggestions")
	chosen, err := chromedp.Run(officer.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const s = document.querySelector('#membership_id');
		const o = [...s.options].find(o => o.textContent.trim() === %q); if (o) { s.value = o.value; } return !!o; })()`, creds["member"].name)))
	if err != nil || !chosen {
		t.Fatalf("the demo member %q is not among the members to match", creds["member"].name)
	}
	officer.post("confirm", "#match-other button[type=submit]")
	officer.waitText("need matched", "#need-state", "已匹配")
	shot(officer, "matched")

	// 3. The member finds the household among theirs and records the assistance on a phone.
	member := user("member", true)
	member.do("my households", chromedp.Navigate(srv.base+"/assist"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	shot(member, "mine")
	clickJS(member, "main li a", registry)
	member.do("record form", chromedp.WaitVisible(chromedp.CSS("#record-form")),
		chromedp.SetValue(chromedp.CSS("#rkind"), "job"),
		chromedp.SendKeys(chromedp.CSS("#r-jobs"), "2"),
		chromedp.SendKeys(chromedp.CSS("#r-description"), "联系县城扶贫车间安排两个岗位"))
	if _, err := chromedp.Run(member.ctx, chromedp.Evaluate[bool](`(() => { const s = document.querySelector('#need_id');
		s.value = s.options[s.options.length - 1].value; return true; })()`)); err != nil {
		t.Fatal(err)
	}
	shot(member, "record-form")
	member.post("save record", "#record-form button[type=submit]")
	member.waitText("record awaiting verification", "#hh-records", "待核实")
	shot(member, "recorded")

	// 4. The officer verifies it; the need is then being helped.
	officer.do("household", chromedp.Navigate(srv.base+"/assist/households?q="+registry), chromedp.WaitVisible(chromedp.CSS("#households")))
	clickJS(officer, "#households a", registry)
	officer.do("records", chromedp.WaitVisible(chromedp.CSS("#hh-records")))
	clickJS(officer, "#hh-records a", "") // the newest record comes first
	officer.do("record page", chromedp.WaitVisible(chromedp.CSS("#record-verified")))
	officer.post("verify", `form[action$="/verify"] button[type=submit]`)
	officer.waitText("record verified", "#record-verified", "已核实")
	shot(officer, "verified")
	officer.do("need", chromedp.Navigate(srv.base+"/assist/needs?state=IN_PROGRESS"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if !strings.Contains(officer.text(), need) {
		t.Fatal("the need did not move to 帮扶中 after the verified assistance")
	}
}
