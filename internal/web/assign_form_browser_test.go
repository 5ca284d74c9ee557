package web

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// TestAssignFormFollowsTheMode (Chromium): the 交办 form shows one unit
// choice for 单办, the lead unit and the co-units for 会办, and the units
// alone for 分办; the parts of the other modes are hidden and not sent.
func TestAssignFormFollowsTheMode(t *testing.T) {
	ctx := browser(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if d.Engine != db.SQLite {
			t.Skip("the page does not depend on the engine")
		}
		f := newPropFixture(t, d)
		id := f.seed("交办表单的提案", proposal.Registered, proposal.SeedSpec{})
		f.browserLogin(ctx, "proposal_office")
		state := func() (lead, units bool, leadLabel string) {
			t.Helper()
			v, err := chromedp.Run(ctx, chromedp.Evaluate[[]any](`(() => {
				const lead = document.getElementById("assign-lead-part"), units = document.getElementById("assign-units-part");
				const label = [...document.querySelectorAll('label[for="assign-lead"] span')].filter(s => !s.hidden).map(s => s.textContent).join("");
				return [!lead.hidden && !document.getElementById("assign-lead").disabled,
					!units.hidden && [...units.querySelectorAll("input")].every(i => !i.disabled), label];
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			return v[0].(bool), v[1].(bool), v[2].(string)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/proposals/%d", f.URL, id)),
			chromedp.Click(chromedp.CSS("#act-assign > summary")),
			chromedp.WaitVisible(chromedp.CSS(`input[name="mode"][value="single"]`))); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			mode        string
			lead, units bool
			label       string
		}{
			{"single", true, false, "承办单位（单办只选一个）"},
			{"joint", true, true, "主办单位"},
			{"separate", false, true, ""},
			{"single", true, false, "承办单位（单办只选一个）"},
		} {
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="mode"][value=%q]`, c.mode)))); err != nil {
				t.Fatal(err)
			}
			lead, units, label := state()
			if lead != c.lead || units != c.units || (c.lead && label != c.label) {
				t.Errorf("%s: lead shown %v, units shown %v, label %q; want %v, %v, %q", c.mode, lead, units, label, c.lead, c.units, c.label)
			}
		}
		// 单办 sends the one unit chosen.
		if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#assign-lead"), fmt.Sprint(f.A.UnitID)),
			chromedp.Click(chromedp.CSS(`#act-assign button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`.flash, #act-assign .errorbox`))); err != nil {
			t.Fatal(err)
		}
		if msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("#act-assign .errorbox")||{}).textContent||""`)); msg != "" {
			t.Fatalf("assign refused: %s", msg)
		}
		dt := f.detail(id)
		if dt.State != proposal.Assigned || len(dt.Assignments) != 1 || dt.Assignments[0].UnitID != f.A.UnitID {
			t.Fatalf("after 单办: %s %+v", dt.State, dt.Assignments)
		}
	})
}
