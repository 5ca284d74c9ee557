package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestSettingsTablesAlign: every row of the reasons and classes tables has
// one cell per heading, no internal code is shown, a reason is added without
// a code, and a row saves under its own code.
func TestSettingsTablesAlign(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		page := func() string {
			resp := h.get("proposal_office", "/proposals/settings")
			body := h.text(resp)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("settings: %d %s", resp.StatusCode, snippet(body))
			}
			return body
		}
		resp := h.post("proposal_office", "/proposals/settings/reasons", url.Values{"label_zh": {"不属于本级职责"}, "sort": {"12"}, "active": {"1"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add reason without a code: %d %s", resp.StatusCode, snippet(h.text(resp)))
		}
		body := page()
		if !strings.Contains(body, `value="不属于本级职责"`) {
			t.Fatal("the added reason is not listed")
		}
		tables := regexp.MustCompile(`(?s)<table class="cards">.*?</table>`).FindAllString(body, -1)
		if len(tables) < 2 {
			t.Fatalf("%d tables", len(tables))
		}
		codes := map[string]bool{}
		for _, tb := range tables[:2] {
			heads := len(regexp.MustCompile(`<th[ >]`).FindAllString(tb, -1))
			rows := regexp.MustCompile(`(?s)<tbody>.*</tbody>`).FindString(tb)
			trs := regexp.MustCompile(`(?s)<tr>(.*?)</tr>`).FindAllStringSubmatch(rows, -1)
			if len(trs) == 0 {
				t.Fatal("an empty settings table")
			}
			for _, tr := range trs {
				if n := len(regexp.MustCompile(`<td[ >]`).FindAllString(tr[1], -1)); n != heads {
					t.Errorf("a row of %d cells under %d headings: %s", n, heads, tr[1])
				}
				if strings.Contains(tr[1], "colspan") {
					t.Error("a row spans the table")
				}
				for _, m := range regexp.MustCompile(`name="code" value="([^"]+)"`).FindAllStringSubmatch(tr[1], -1) {
					codes[m[1]] = true
				}
			}
		}
		// A code is in the hidden inputs only, never shown.
		visible := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(body, "\n")
		for code := range codes {
			for _, line := range strings.Split(visible, "\n") {
				if strings.TrimSpace(line) == code {
					t.Errorf("internal code %q shown", code)
				}
			}
		}
		if strings.Contains(body, "代码") && strings.Contains(body, `name="code" maxlength`) {
			t.Error("the add forms ask for a code")
		}
	})
}
