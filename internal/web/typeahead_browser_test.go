package web

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
)

// TestTypeAheadPickers (Chromium): the long choices — co-signers, the 交办
// units and the lead unit — get a search box; typing part of a name leaves
// only what matches (and what is already ticked), and a select with one match
// left takes it.
func TestTypeAheadPickers(t *testing.T) {
	ctx := browser(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if d.Engine != db.SQLite {
			t.Skip("the pages do not depend on the engine")
		}
		f := newPropFixture(t, d)
		c := f.Committees[f.A.ID]
		for _, n := range []string{"张建国", "张建华", "李秀英", "王德明"} {
			f.W.Member(c, org.MemberInput{Name: n})
		}
		for _, n := range []string{"甲县财政局", "甲县卫生健康局", "甲县水务局"} {
			f.W.Unit(c, n)
		}
		visible := func(sel string) []string {
			t.Helper()
			v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(`[...document.querySelectorAll(%q)].filter(e => !e.hidden && e.offsetParent !== null).map(e => e.textContent.trim())`, sel)))
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		// Co-signers, as a member writing a proposal.
		f.browserLogin(ctx, "member")
		if err := chromedp.Do(ctx, chromedp.Navigate(f.URL+"/proposals/new"), chromedp.Click(chromedp.CSS("details:has(#co-signer-picks) > summary")),
			chromedp.WaitVisible(chromedp.CSS("#co-signer-picks")), chromedp.SendKeys(chromedp.CSS("input.pick-filter"), "张建")); err != nil {
			t.Fatal(err)
		}
		if got := visible("#co-signer-picks label"); len(got) != 2 {
			t.Errorf("co-signers matching 张建: %v", got)
		}
		// The 交办 form, as the office: the units' boxes and the lead select.
		id := f.seed("交办选择单位的提案", proposal.Registered, proposal.SeedSpec{})
		f.browserLogin(ctx, "proposal_office")
		if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/proposals/%d", f.URL, id)), chromedp.Click(chromedp.CSS("#act-assign > summary")),
			chromedp.Click(chromedp.CSS(`input[name="mode"][value="joint"]`)),
			chromedp.SendKeys(chromedp.CSS(`#assign-units-part input.pick-filter`), "卫生")); err != nil {
			t.Fatal(err)
		}
		if got := visible("#assign-unit-picks label"); len(got) != 1 || got[0] != "甲县卫生健康局" {
			t.Errorf("units matching 卫生: %v", got)
		}
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#assign-lead-part input.pick-filter`), "水务")); err != nil {
			t.Fatal(err)
		}
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const s = document.getElementById("assign-lead"); return s.options[s.selectedIndex].textContent; })()`))
		if err != nil || v != "甲县水务局" {
			t.Errorf("the one lead unit matching 水务 not chosen: %q %v", v, err)
		}
	})
}
