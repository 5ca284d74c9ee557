package e2e

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// TestLedgerImportThenFigures: the proposal office downloads nothing but a
// filled ledger (提案办理台账) of 2018 — one row with a bad unit, refused with
// its row and column named — fixes it, imports it, sees the proposal's
// timeline marked as entered later, and opens the figures.
func TestLedgerImportThenFigures(t *testing.T) {
	exe := chromium(t)
	srv := startDemo(t)
	shots := screenshotDir(t)
	creds := map[string]login{}
	for _, l := range srv.logins {
		creds[l.username] = l
	}
	office, member, unit := creds["proposal"], creds["member"], creds["unit"]
	if office.username == "" || member.name == "" || unit.name == "" {
		t.Fatalf("demo logins missing:\n%s", srv.output())
	}
	dir := t.TempDir()
	write := func(name, unitName string) string {
		f := excelize.NewFile()
		defer f.Close()
		heads := []string{"提案编号", "案题", "第一提案人", "类别", "承办单位", "办理方式", "提交日期", "立案日期", "交办日期",
			"面商日期", "面商方式", "答复日期", "审核送达日期", "答复类别", "评价", "评价日期"}
		row := []string{"九届二次-901", "关于补录乡村公路养护的提案", member.name, "经济", unitName, "单办", "2018-03-12", "2018-03-20",
			"2018-03-26", "2018-04-10", "面谈", "2018-06-01", "2018-06-05", "A", "满意", "2018-06-12"}
		for i := range heads {
			c1, _ := excelize.CoordinatesToCellName(i+1, 1)
			c2, _ := excelize.CoordinatesToCellName(i+1, 2)
			_ = f.SetCellStr("Sheet1", c1, heads[i])
			_ = f.SetCellStr("Sheet1", c2, row[i])
		}
		var b bytes.Buffer
		if err := f.Write(&b); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad, good := write("bad.xlsx", "县不存在局"), write("good.xlsx", unit.name)

	ctx := startBrowser(t, exe)
	ctx, cancelT := context.WithTimeout(ctx, 6*time.Minute)
	defer cancelT()
	n := 0
	p := &proposalStep{t: t, ctx: ctx, base: srv.base, shots: shots, who: "office", n: &n}
	p.do("log in", chromedp.Navigate(srv.base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), office.username),
		chromedp.SendKeys(chromedp.CSS("#password"), office.password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("header .me")))
	p.do("ledger page", chromedp.Navigate(srv.base+"/proposals"), chromedp.WaitVisible(chromedp.CSS(`a[href="/proposals/ledger"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/proposals/ledger"]`)), chromedp.WaitVisible(chromedp.CSS("#file")))
	p.shot("ledger-page")
	p.do("upload a bad ledger", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{bad}),
		chromedp.Submit(chromedp.CSS("#file")), chromedp.WaitVisible(chromedp.CSS("#ledger-errors")))
	p.shot("ledger-errors")
	if txt := p.text(); !strings.Contains(txt, "承办单位") || !strings.Contains(txt, "没有名为“县不存在局”的承办单位") {
		t.Fatalf("the error table does not name the cell:\n%s", txt)
	}
	p.do("upload the fixed ledger", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{good}),
		chromedp.Submit(chromedp.CSS("#file")), chromedp.WaitVisible(chromedp.CSS(".flash")))
	p.shot("ledger-imported")
	if txt := p.text(); !strings.Contains(txt, "新录入 1 件") {
		t.Fatalf("the import did not enter the proposal:\n%s", txt)
	}
	p.do("find it", chromedp.Navigate(srv.base+"/proposals/all?q="+"关于补录乡村公路养护的提案"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const a = [...document.querySelectorAll('main a')].find(a => a.textContent.includes('关于补录乡村公路养护的提案')); return a ? a.getAttribute('href') : ''; })()`))
	if err != nil || href == "" {
		t.Fatalf("the imported proposal is not in the list: %v\n%s", err, p.text())
	}
	p.do("open it", chromedp.Navigate(srv.base+href), chromedp.WaitVisible(chromedp.CSS("#timeline")))
	p.shot("timeline")
	if txt := p.text(); !strings.Contains(txt, "补录：") || !strings.Contains(txt, "2018-06-05") {
		t.Fatalf("the timeline does not show the real dates marked as entered later:\n%s", txt)
	}
	p.do("figures", chromedp.Navigate(srv.base+"/proposals/figures"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	p.shot("figures")
	if txt := p.text(); !strings.Contains(txt, "按时") {
		t.Fatalf("the figures page:\n%s", txt)
	}
}
