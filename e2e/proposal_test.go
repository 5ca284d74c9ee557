package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// proposalStep is a browser of one user walking the proposal pages.
type proposalStep struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string
	who   string
	n     *int // shared screenshot counter, so files sort in story order
}

// shot saves a numbered screenshot named after the step.
func (p *proposalStep) shot(name string) {
	p.t.Helper()
	*p.n++
	saveShot(p.t, p.ctx, filepath.Join(p.shots, fmt.Sprintf("proposal-%02d-%s-%s.png", *p.n, p.who, name)))
}

// do runs browser actions, failing with a screenshot.
func (p *proposalStep) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	start := time.Now()
	defer func() { p.t.Logf("%s: %s (%s)", p.who, what, time.Since(start).Round(time.Millisecond)) }()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		saveShot(p.t, p.ctx, filepath.Join(p.shots, "proposal-failed-"+p.who+".png"))
		p.t.Fatalf("%s: %s: %v", p.who, what, err)
	}
}

// act clicks sel (a button that posts an action) and waits for the page the
// action redirects to (?done=<action>); a refusal shows the page's error.
func (p *proposalStep) act(action, sel string) {
	p.t.Helper()
	p.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		loc, _ := chromedp.Run(p.ctx, chromedp.Location())
		errText, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`(document.querySelector('.errorbox')||{}).innerText||''`))
		if strings.Contains(loc, "done="+action) {
			p.do("page after "+action, chromedp.WaitVisible(chromedp.CSS(".flash")))
			return
		}
		if errText != "" {
			saveShot(p.t, p.ctx, filepath.Join(p.shots, "proposal-failed-"+p.who+".png"))
			p.t.Fatalf("%s: %s refused: %s", p.who, action, errText)
		}
		time.Sleep(200 * time.Millisecond)
	}
	saveShot(p.t, p.ctx, filepath.Join(p.shots, "proposal-failed-"+p.who+".png"))
	p.t.Fatalf("%s: %s: no result page within 30 s", p.who, action)
}

// open opens an action's form (its <summary>).
func (p *proposalStep) open(id string) {
	p.t.Helper()
	p.do("open "+id, chromedp.Click(chromedp.CSS(`details[id^="`+id+`"] > summary`)),
		chromedp.WaitVisible(chromedp.CSS(`details[id^="`+id+`"] form`)))
}

// post clicks the submit button sel after marking the current page, so
// that waitText can tell the answer's page from the page that posted: both
// hold the same elements, and a screenshot or read taken mid-navigation
// reads the old page or hangs.
func (p *proposalStep) post(what, sel string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`window.lvzhiPosted = true`)); err != nil {
		p.t.Fatalf("%s: %s: mark the page: %v", p.who, what, err)
	}
	p.do(what, chromedp.Click(chromedp.CSS(sel)))
}

// waitText waits until a new, fully loaded page (see post) shows want in
// the element sel. Errors while the page changes are expected and retried.
func (p *proposalStep) waitText(what, sel, want string) string {
	p.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	js := fmt.Sprintf(`(!window.lvzhiPosted && document.readyState === 'complete') ? ((document.querySelector(%q)||{}).innerText||'') : ''`, sel)
	var s string
	for time.Now().Before(deadline) {
		if got, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](js)); err == nil {
			s = got
			if strings.Contains(s, want) {
				return s
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	saveShot(p.t, p.ctx, filepath.Join(p.shots, "proposal-failed-"+p.who+".png"))
	p.t.Fatalf("%s: %s: the new page never showed %q in %s:\n%s", p.who, what, want, sel, s)
	return s
}

// text returns the main element's text.
func (p *proposalStep) text() string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		p.t.Fatalf("%s: read page: %v", p.who, err)
	}
	return s
}

// TestProposalJourney walks one proposal from draft to published result
// through the pages of the real binary: the member drafts and submits on a
// phone, the office registers and assigns, the unit signs, logs its contact
// and replies, the office delivers, the member evaluates, the office
// publishes, and the public page shows it without login. Screenshots of
// every step go to $LVZHI_SCREENSHOTS (proposal-NN-<who>-<step>.png).
func TestProposalJourney(t *testing.T) {
	exe := chromium(t)
	srv := startDemo(t)
	shots := screenshotDir(t)
	creds := map[string]login{}
	for _, l := range srv.logins {
		creds[l.username] = l
	}
	for _, u := range []string{"member", "proposal", "unit"} {
		if _, ok := creds[u]; !ok {
			t.Fatalf("demo has no %s login:\n%s", u, srv.output())
		}
	}
	browserCtx := startBrowser(t, exe)
	n := 0
	// user opens a browser context for a demo login ("" for an anonymous visitor).
	user := func(username string, phone bool) *proposalStep {
		ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		ctx, cancelT := context.WithTimeout(ctx, 8*time.Minute)
		t.Cleanup(cancelT)
		who := username
		if who == "" {
			who = "public"
		}
		p := &proposalStep{t: t, ctx: ctx, base: srv.base, shots: shots, who: who, n: &n}
		view := chromedp.EmulateViewport(1280, 900)
		if phone {
			view = chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2))
		}
		p.do("viewport", view)
		if username != "" {
			l := creds[username]
			p.do("log in", chromedp.Navigate(srv.base+"/login"),
				chromedp.WaitVisible(chromedp.CSS("#username")),
				chromedp.SendKeys(chromedp.CSS("#username"), l.username),
				chromedp.SendKeys(chromedp.CSS("#password"), l.password),
				chromedp.Submit(chromedp.CSS("#password")),
				chromedp.WaitVisible(chromedp.CSS("header .me")))
		}
		return p
	}
	const title = "关于开通山区学校校车线路的建议"

	// 1. The member drafts on a phone and submits.
	member := user("member", true)
	member.do("new proposal", chromedp.Navigate(srv.base+"/proposals"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	member.shot("tasks")
	member.do("draft", chromedp.Navigate(srv.base+"/proposals/new"),
		chromedp.WaitVisible(chromedp.CSS("#title")),
		chromedp.SetValue(chromedp.CSS("#theme"), "society"),
		chromedp.SendKeys(chromedp.CSS("#title"), title),
		chromedp.SendKeys(chromedp.CSS("#matter"), "山区学生上学路途远、无校车。"),
		chromedp.SendKeys(chromedp.CSS("#analysis"), "全县有十二所山区学校，学生步行单程超过一小时。"),
		chromedp.SendKeys(chromedp.CSS("#suggestions"), "一、开通校车线路；二、财政给予补贴。"),
		chromedp.Click(chromedp.CSS(`input[name="publish_consent"]`)))
	member.shot("draft-form")
	member.act("create", `main form button[type="submit"]`)
	loc, err := chromedp.Run(member.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`/proposals/(\d+)\?`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("after saving the draft at %s", loc)
	}
	page := srv.base + "/proposals/" + m[1]
	member.shot("draft-saved")
	member.act("submit", `#act-submit button`)
	member.shot("submitted")

	// 2. The office registers and assigns it to the demo unit (单办).
	office := user("proposal", false)
	office.do("open", chromedp.Navigate(srv.base+"/proposals?tab=review"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if !strings.Contains(office.text(), title) {
		t.Fatal("the submitted proposal is not in the office's review queue")
	}
	office.shot("review-queue")
	office.do("open proposal", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#act-register")))
	office.act("register", `#act-register button`)
	office.open("act-assign")
	office.do("choose the mode", chromedp.Click(chromedp.CSS(`#act-assign input[name="mode"][value="single"]`)))
	// 单办 offers one choice of unit (the co-units' boxes are hidden and disabled).
	ticked, err := chromedp.Run(office.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const s = document.querySelector('#act-assign select[name=lead_unit]');
			const o = [...s.options].find(o => o.textContent.trim() === %q); if (o) { s.value = o.value; } return !!o && !s.disabled; })()`, creds["unit"].name)))
	if err != nil || !ticked {
		t.Fatalf("unit %q not among the assignment choices", creds["unit"].name)
	}
	office.shot("assign-form")
	office.act("assign", `#act-assign button[type="submit"]`)
	office.shot("assigned")

	// 3. The unit signs for it, logs the contact, drafts and submits the reply.
	unit := user("unit", false)
	unit.do("inbox", chromedp.Navigate(srv.base+"/proposals"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if !strings.Contains(unit.text(), title) {
		t.Fatal("the assigned proposal is not in the unit's inbox")
	}
	unit.shot("inbox")
	unit.do("open proposal", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#act-accept")))
	unit.act("accept", `#act-accept button`)
	unit.open("act-contact")
	unit.do("contact", chromedp.SetValue(chromedp.CSS("#contact-method"), "face"),
		chromedp.SendKeys(chromedp.CSS("#contact-people"), creds["member"].name+"、教育体育局局长"))
	unit.act("contact", `#act-contact button[type="submit"]`)
	unit.open("act-draft_reply")
	unit.do("reply", chromedp.SetValue(chromedp.CSS("#draft_reply-class"), "A"),
		chromedp.SendKeys(chromedp.CSS("#draft_reply-body"), "已于今年秋季学期开通两条山区校车线路，财政按年补贴。"))
	unit.shot("reply-form")
	unit.act("draft_reply", `#act-draft_reply button[type="submit"]`)
	unit.act("submit_reply", `#act-submit_reply button`)
	unit.shot("reply-submitted")

	// 4. The office approves and delivers the reply.
	office.do("open proposal", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`details[id^="act-approve"]`)))
	office.open("act-approve")
	office.act("approve", `details[id^="act-approve"] button[type="submit"]`)
	office.shot("delivered")

	// 5. The member evaluates from the task list.
	member.do("tasks", chromedp.Navigate(srv.base+"/proposals"), chromedp.WaitVisible(chromedp.CSS("#to-evaluate")))
	if !strings.Contains(member.text(), title) {
		t.Fatal("the replied proposal is not waiting for the member's evaluation")
	}
	member.shot("to-evaluate")
	member.do("open proposal", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#act-evaluate")))
	member.open("act-evaluate")
	member.do("evaluate", chromedp.Click(chromedp.CSS(`input[name="overall"][value="satisfied"]`)),
		chromedp.Click(chromedp.CSS(`input[name="contact"][value="visited"]`)),
		chromedp.Click(chromedp.CSS(`input[name="attitude"][value="satisfied"]`)),
		chromedp.Click(chromedp.CSS(`input[name="addressed"][value="targeted"]`)))
	member.shot("evaluation-form")
	member.act("evaluate", `#act-evaluate button[type="submit"]`)
	member.shot("evaluated")
	if txt := member.text(); !strings.Contains(txt, "已办结") || !strings.Contains(txt, "办理过程") {
		t.Fatalf("after the evaluation the page does not show the closed proposal and its timeline:\n%s", txt)
	}

	// 6. The office publishes (the member consented in the draft); the public sees it.
	office.do("open proposal", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#act-publish")))
	office.act("publish", `#act-publish button`)
	office.shot("published")
	public := user("", true)
	public.do("public page", chromedp.Navigate(srv.base+"/public/proposals/"+m[1]), chromedp.WaitVisible(chromedp.CSS("main h1")))
	public.shot("public-page")
	if txt := public.text(); !strings.Contains(txt, title) || !strings.Contains(txt, "开通两条山区校车线路") {
		t.Fatalf("the public page lacks the proposal or its reply:\n%s", txt)
	}

	// 7. The figures: the charts draw under the strict CSP (their script is a
	// file, their data a JSON block), and a figure opens the records behind it.
	office.do("figures", chromedp.Navigate(srv.base+"/proposals/figures"),
		chromedp.WaitVisible(chromedp.CSS("#chart-themes svg")), chromedp.WaitVisible(chromedp.CSS("#chart-classes svg")))
	office.shot("figures")
	office.do("all figures", chromedp.Navigate(srv.base+"/figures"), chromedp.WaitVisible(chromedp.CSS(`a[href*="fig=proposals.received"]`)),
		chromedp.Click(`a[href*="fig=proposals.received"]`, chromedp.NodeVisible), chromedp.WaitVisible(chromedp.CSS("table.cards")))
	office.shot("figure-records")
	if txt := office.text(); !strings.Contains(txt, "收到提案：明细") || !strings.Contains(txt, "提案人") {
		t.Fatalf("the records page of proposals.received:\n%s", txt)
	}
}
