package e2e

import (
	"context"
	"fmt"
	"lvzhi/internal/civil"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestReportDashboardClick opens the report dashboard of the demo's year as
// staff, clicks a bar of a chart (a real mouse click on the canvas) and
// checks the browser lands on the records behind that bar, as many as the
// bar's value; then it writes the year's annual report and opens the records
// of a figure the report cites. Screenshots go to $LVZHI_SCREENSHOTS.
func TestReportDashboardClick(t *testing.T) {
	exe := chromium(t)
	srv := startDemo(t)
	shots := screenshotDir(t)
	var staff login
	for _, l := range srv.logins {
		if l.username == "staff" {
			staff = l
		}
	}
	if staff.username == "" {
		t.Fatalf("demo has no staff login:\n%s", srv.output())
	}
	ctx := startBrowser(t, exe)
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	defer cancelT()
	fail := func(what string, err error) {
		t.Helper()
		saveShot(t, ctx, filepath.Join(shots, "report-failed.png"))
		t.Fatalf("%s: %v", what, err)
	}
	// The demo lives in the present: the year before the current one is complete.
	year := civil.Today().Year - 1
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(srv.base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), staff.username),
		chromedp.SendKeys(chromedp.CSS("#password"), staff.password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("header .me")),
		chromedp.Navigate(srv.base+fmt.Sprintf("/reports/dashboard?year=%d", year)),
		chromedp.WaitVisible(chromedp.CSS("#chart-proposal_progress canvas")),
	); err != nil {
		fail("open the dashboard", err)
	}
	time.Sleep(500 * time.Millisecond) // the bars' entry animation
	saveShot(t, ctx, filepath.Join(shots, "report-dashboard.png"))
	// The second bar (立案): its position on the page, from the chart's own
	// coordinate system; its value and link from the page's data.
	type bar struct {
		X, Y  float64
		Value float64
		Link  string
	}
	b, err := chromedp.Run(ctx, chromedp.Evaluate[bar](`(() => {
		const el = document.getElementById("chart-proposal_progress");
		const ch = echarts.getInstanceByDom(el);
		const data = JSON.parse(document.getElementById("dash-data").textContent).charts.find(c => c.id === "proposal_progress").bars[1];
		const [x, top] = ch.convertToPixel({seriesIndex: 0}, [1, data.value]);
		const [, bottom] = ch.convertToPixel({seriesIndex: 0}, [1, 0]);
		const r = el.getBoundingClientRect();
		return {X: r.left + x, Y: r.top + (top + bottom) / 2, Value: data.value, Link: data.link};
	})()`))
	if err != nil {
		fail("locate a bar", err)
	}
	if b.Value < 1 || !strings.Contains(b.Link, "fig=proposals.registered") {
		t.Fatalf("bar %+v: want the registered proposals of %d", b, year)
	}
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(b.X, b.Y)); err != nil {
		fail("click the bar", err)
	}
	var loc string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if loc, _ = chromedp.Run(ctx, chromedp.Location()); strings.Contains(loc, "/figures/records") {
			break
		}
	}
	if !strings.HasSuffix(loc, b.Link) {
		fail("land on the records", fmt.Errorf("at %s, want %s", loc, b.Link))
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
		fail("wait for the records page", err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		fail("read the records page", err)
	}
	if want := fmt.Sprintf("%d", int64(b.Value)); !strings.Contains(text, want) {
		t.Errorf("records page does not state %s records:\n%s", want, text[:min(len(text), 400)])
	}
	saveShot(t, ctx, filepath.Join(shots, "report-records.png"))
	heatMapClick(t, ctx, srv.base, year, shots)
	// The annual report of that year: create it, read it, open a cited figure.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.base+"/reports"),
		chromedp.WaitVisible(chromedp.CSS("#year")),
		chromedp.SetValue(chromedp.CSS("#year"), fmt.Sprint(year)),
		chromedp.Submit(chromedp.CSS("#year")),
		chromedp.WaitVisible(chromedp.CSS("article.report .cites a")),
	); err != nil {
		fail("create the report", err)
	}
	saveShot(t, ctx, filepath.Join(shots, "report-annual.png"))
	report, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("article.report")))
	if err != nil || !strings.Contains(report, "提案所提事项已解决和正在解决的达") {
		t.Errorf("report text (%v):\n%s", err, report)
	}
}

// heatMapClick clicks a cell of the dashboard's heat map (activities by kind
// and month), one that holds activities if any does (the demo's past year may
// hold none), and checks the browser lands on the
// records behind that cell, as many as it says.
func heatMapClick(t *testing.T, ctx context.Context, base string, year int, shots string) {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+fmt.Sprintf("/reports/dashboard?year=%d", year)),
		chromedp.WaitVisible(chromedp.CSS("#chart-activity_heat canvas")),
		chromedp.ScrollIntoView(chromedp.CSS("#chart-activity_heat")),
	); err != nil {
		saveShot(t, ctx, filepath.Join(shots, "report-heat-failed.png"))
		t.Fatalf("open the heat map: %v", err)
	}
	time.Sleep(500 * time.Millisecond)
	saveShot(t, ctx, filepath.Join(shots, "report-heatmap.png"))
	type cell struct {
		X, Y  float64
		Value float64
		Link  string
	}
	c, err := chromedp.Run(ctx, chromedp.Evaluate[cell](`(() => {
		const el = document.getElementById("chart-activity_heat");
		const ch = echarts.getInstanceByDom(el);
		const chart = JSON.parse(document.getElementById("dash-data").textContent).charts.find(c => c.id === "activity_heat");
		const cols = [], rows = [];
		chart.bars.forEach(b => { if (!cols.includes(b.col)) cols.push(b.col); if (!rows.includes(b.row)) rows.push(b.row); });
		const b = chart.bars.find(b => b.value > 0) || chart.bars[0];
		const [x, y] = ch.convertToPixel({seriesIndex: 0}, [cols.indexOf(b.col), rows.indexOf(b.row)]);
		const r = el.getBoundingClientRect();
		return {X: r.left + x, Y: r.top + y, Value: b.value, Link: b.link};
	})()`))
	if err != nil || !strings.Contains(c.Link, "fig=activities.") {
		t.Fatalf("no heat map cell (%v): %+v", err, c)
	}
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(c.X, c.Y)); err != nil {
		t.Fatalf("click the cell: %v", err)
	}
	var loc string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if loc, _ = chromedp.Run(ctx, chromedp.Location()); strings.Contains(loc, "/figures/records") {
			break
		}
	}
	if !strings.HasSuffix(loc, c.Link) {
		saveShot(t, ctx, filepath.Join(shots, "report-heat-failed.png"))
		t.Fatalf("after clicking the cell at %s, want %s", loc, c.Link)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil || !strings.Contains(text, fmt.Sprintf("%d", int64(c.Value))) {
		t.Errorf("the cell's records page does not state %d records (%v)", int64(c.Value), err)
	}
}
