package e2e

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestActivityJourney walks one activity through the pages of the real
// binary: staff announce a research visit, the member signs up and asks for
// leave, staff approve the leave, start the activity and record another
// member who came. Screenshots go to $LVZHI_SCREENSHOTS (activity-*.png).
func TestActivityJourney(t *testing.T) {
	exe := chromium(t)
	srv := startDemo(t)
	shots := screenshotDir(t)
	creds := map[string]login{}
	for _, l := range srv.logins {
		creds[l.username] = l
	}
	for _, u := range []string{"member", "staff"} {
		if _, ok := creds[u]; !ok {
			t.Fatalf("demo has no %s login:\n%s", u, srv.output())
		}
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
		l := creds[username]
		p.do("log in", view, chromedp.Navigate(srv.base+"/login"),
			chromedp.WaitVisible(chromedp.CSS("#username")),
			chromedp.SendKeys(chromedp.CSS("#username"), l.username),
			chromedp.SendKeys(chromedp.CSS("#password"), l.password),
			chromedp.Submit(chromedp.CSS("#password")),
			chromedp.WaitVisible(chromedp.CSS("header .me")))
		return p
	}
	shot := func(p *proposalStep, name string) {
		t.Helper()
		n++
		saveShot(t, p.ctx, filepath.Join(shots, "activity-"+string(rune('a'+n))+"-"+p.who+"-"+name+".png"))
	}
	const title = "农村供水保障专题调研"
	day := time.Now().AddDate(0, 0, 7).Format("2006-01-02")

	// 1. Staff announce a research visit by sign-up.
	staff := user("staff", false)
	staff.do("new activity", chromedp.Navigate(srv.base+"/activities/new"), chromedp.WaitVisible(chromedp.CSS("#title")),
		chromedp.SetValue(chromedp.CSS("#kind"), "research"),
		chromedp.SendKeys(chromedp.CSS("#title"), title),
		chromedp.SetValue(chromedp.CSS("#starts_on"), day),
		chromedp.SetValue(chromedp.CSS("#starts_at"), "09:00"),
		chromedp.SendKeys(chromedp.CSS("#place"), "各乡镇"),
		chromedp.SetValue(chromedp.CSS("#capacity"), "10"))
	shot(staff, "form")
	staff.act("ok_created", `main form button[type="submit"]`)
	loc, err := chromedp.Run(staff.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`/activities/(\d+)\?`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("after creating at %s", loc)
	}
	page := srv.base + "/activities/" + m[1]

	// 2. The member, on a phone, signs up and asks for leave.
	member := user("member", true)
	member.do("open", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`form[action$="/sign_up"] button`)))
	member.act("ok_sign_up", `form[action$="/sign_up"] button`)
	member.do("leave reason", chromedp.SendKeys(chromedp.CSS("#leave-reason"), "参加市里培训"))
	member.act("ok_request_leave", `form[action$="/request_leave"] button`)
	if s := member.text(); !strings.Contains(s, "请假待批") {
		t.Fatalf("member's status after asking for leave:\n%s", s)
	}
	shot(member, "leave-requested")

	// 3. Staff see the request in the queue and approve it on the activity's page.
	staff.do("leave queue", chromedp.Navigate(srv.base+"/activities/leaves"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if !strings.Contains(staff.text(), creds["member"].name) {
		t.Fatalf("the leave request is not in the staff's queue:\n%s", staff.text())
	}
	staff.do("open", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`tr[data-person="`+creds["member"].name+`"]`)))
	staff.act("ok_approve_leave", `tr[data-person="`+creds["member"].name+`"] form[action$="/approve_leave"] button`)

	// 4. Staff start the activity and record another member who came.
	staff.act("ok_open", `form[action$="/open"] button`)
	var walkin string
	staff.do("choose a member who came", chromedp.WaitVisible(chromedp.CSS("#walkin")))
	walkin, err = chromedp.Run(staff.ctx, chromedp.Evaluate[string](`(() => { const o = document.querySelector('#walkin option'); o.selected = true; return o.textContent.trim(); })()`))
	if err != nil || walkin == "" {
		t.Fatalf("no member to record: %v", err)
	}
	shot(staff, "mark")
	staff.act("ok_mark", `form[action$="/mark"] button[type="submit"]`)
	row, err := chromedp.Run(staff.ctx, chromedp.Text(chromedp.CSS(`#roll tr[data-person="`+walkin+`"]`)))
	if err != nil || !strings.Contains(row, "出席") {
		t.Fatalf("the recorded member's row: %q, %v", row, err)
	}
	mine, err := chromedp.Run(staff.ctx, chromedp.Text(chromedp.CSS(`#roll tr[data-person="`+creds["member"].name+`"]`)))
	if err != nil || !strings.Contains(mine, "已准假") {
		t.Fatalf("the member's row: %q, %v", mine, err)
	}
	shot(staff, "recorded")

	// 5. The member's calendar shows the approved leave.
	member.do("calendar", chromedp.Navigate(srv.base+"/activities/mine"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if s := member.text(); !strings.Contains(s, title) || !strings.Contains(s, "已准假") {
		t.Fatalf("member's calendar:\n%s", s)
	}
	shot(member, "calendar")
}
