package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// TestPhoneLeagueAndCharts (Chromium): on a phone the league table is a
// ranked list of one line per unit instead of a card per unit, and the
// figures page's charts show every label whole; on a desktop the table is
// back. Screenshots go to $LVZHI_SCREENSHOTS when set.
func TestPhoneLeagueAndCharts(t *testing.T) {
	ctx := browser(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if d.Engine != db.SQLite {
			t.Skip("the pages do not depend on the engine")
		}
		h := newHarness(t, d)
		c := h.Committees[h.A.ID]
		for _, n := range []string{"甲县财政局", "甲县卫生健康局", "甲县住房和城乡建设局", "甲县农业农村局"} {
			h.W.Unit(c, n)
		}
		sd := proposal.NewSeeder(h.Server.Proposals, h.A.ID)
		for i, class := range []string{"A", "B", "C", "A"} {
			_, err := sd.Drive(context.Background(), proposal.SeedSpec{FirstProposer: h.A.MembershipID, Target: proposal.Replied,
				Units: []int64{h.A.UnitID}, ResultClass: class, Content: proposal.Content{Kind: proposal.Individual,
					Theme: []proposal.Theme{proposal.Economy, proposal.Society, proposal.Ecology, proposal.Culture}[i],
					Title: fmt.Sprintf("关于第%d项工作的建议", i), Matter: "情况", Analysis: "分析", Suggestions: "建议"}})
			h.must(err)
		}
		h.browserLogin(ctx, "proposal_office")
		shot := func(name string) {
			if dir := os.Getenv("LVZHI_SCREENSHOTS"); dir != "" {
				b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				if err == nil {
					_ = os.WriteFile(filepath.Join(dir, name+".png"), b, 0o644)
				}
			}
		}
		for _, w := range []struct {
			name          string
			width, height int64
			phone         bool
		}{{"phone", 390, 844, true}, {"desktop", 1280, 900, false}} {
			err := chromedp.Do(ctx, chromedp.EmulateViewport(w.width, w.height),
				chromedp.Navigate(h.URL+"/units/league?year=0"), chromedp.WaitReady(chromedp.CSS("ol.league-short")))
			if err != nil {
				t.Fatal(err)
			}
			shot("league-" + w.name)
			v, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
				const table = document.querySelector("table.league"), items = [...document.querySelectorAll("ol.league-short li")];
				const shown = e => e.offsetParent !== null;
				return [shown(table) ? 1 : 0, items.filter(shown).length, Math.max(0, ...items.map(li => li.getBoundingClientRect().height)),
					document.querySelectorAll("table.league tbody tr").length];
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			table, items, tallest, rows := v[0] == 1, int(v[1]), v[2], int(v[3])
			if w.phone && (table || items != rows || tallest > 64) {
				t.Errorf("phone: table shown %v, %d of %d units listed, tallest line %.0fpx", table, items, rows, tallest)
			}
			if !w.phone && (!table || items != 0) {
				t.Errorf("desktop: table shown %v, short list items shown %d", table, items)
			}
			if rows < 5 {
				t.Errorf("league of %d units", rows)
			}
			// The charts: every theme and class name whole, inside its chart.
			err = chromedp.Do(ctx, chromedp.Navigate(h.URL+"/proposals/figures?subtree=0"),
				chromedp.WaitVisible(chromedp.CSS("#chart-classes svg")), chromedp.Sleep(1500e6))
			if err != nil {
				t.Fatal(err)
			}
			shot("figures-" + w.name)
			res, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`(() => {
				const d = JSON.parse(document.getElementById("figures-data").textContent);
				const out = {missing: [], outside: [], ellipsis: []};
				for (const [id, items] of [["chart-themes", d.themes || []], ["chart-classes", d.classes || []]]) {
					const box = document.getElementById(id).getBoundingClientRect();
					const texts = [...document.querySelectorAll("#" + id + " svg text")];
					const all = texts.map(t => t.textContent).join("").replace(/\s/g, "");
					for (const it of items) { if (!all.includes(it.name.replace(/\s/g, ""))) out.missing.push(id + ": " + it.name); }
					for (const t of texts) {
						const r = t.getBoundingClientRect();
						if (r.width && (r.left < box.left - 1 || r.right > box.right + 1)) out.outside.push(id + ": " + t.textContent);
						if (t.textContent.includes("…") || t.textContent.includes("...")) out.ellipsis.push(id + ": " + t.textContent);
					}
				}
				return out;
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"missing", "outside", "ellipsis"} {
				if l, _ := res[k].([]any); len(l) > 0 {
					t.Errorf("%s: chart labels %s: %v", w.name, k, l)
				}
			}
		}
		if t.Failed() {
			t.Log(strings.Repeat("-", 20), "set LVZHI_SCREENSHOTS to see the pages")
		}
	})
}
