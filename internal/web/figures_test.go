package web

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// TestFigureRecordsKeepTheFilter: what the user sees of a figure's records,
// end to end — the heading's total, every page reached through the pager's
// own links, and the .xlsx export — is the same set of records, for the
// filter of the page, and equals the figure's value on the figures pages.
func TestFigureRecordsKeepTheFilter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		sd := proposal.NewSeeder(h.Server.Proposals, h.A.ID)
		seed := func(n int, theme proposal.Theme) {
			for i := range n {
				_, err := sd.Drive(ctx, proposal.SeedSpec{FirstProposer: h.A.MembershipID, Target: proposal.Submitted,
					Content: proposal.Content{Kind: proposal.Individual, Theme: theme, Title: fmt.Sprintf("关于%s第%d项工作的建议", theme, i),
						Matter: "情况", Analysis: "分析", Suggestions: "建议"}})
				h.must(err)
			}
		}
		seed(53, proposal.Economy) // more than one page of 50
		seed(4, proposal.Society)
		for _, c := range []struct {
			query string
			want  int
		}{
			{"fig=proposals.received&subtree=0", 57},
			{"fig=proposals.received&subtree=0&theme=economy", 53},
			{"fig=proposals.received&subtree=0&theme=society", 4},
		} {
			seen := map[string]bool{}
			next, pages := "/figures/records?"+c.query, 0
			for next != "" {
				resp := h.get("proposal_office", next)
				body := h.text(resp)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("%s: %d %s", next, resp.StatusCode, snippet(body))
				}
				if pages == 0 && !strings.Contains(body, fmt.Sprintf("：%d件", c.want)) {
					t.Errorf("%s: heading does not say %d items", next, c.want)
				}
				for _, m := range regexp.MustCompile(`<a href="/proposals/(\d+)">`).FindAllStringSubmatch(body, -1) {
					if seen[m[1]] {
						t.Errorf("%s: proposal %s shown on two pages", c.query, m[1])
					}
					seen[m[1]] = true
				}
				next = ""
				if m := nextLink.FindStringSubmatch(body); m != nil {
					next = html.UnescapeString(m[1])
				}
				pages++
			}
			if len(seen) != c.want {
				t.Errorf("%s: %d records across %d pages, want %d", c.query, len(seen), pages, c.want)
			}
			if rows := xlsxRows(t, h, "/figures/records.xlsx?"+c.query); rows != c.want {
				t.Errorf("%s: export has %d rows, want %d", c.query, rows, c.want)
			}
		}
		// The same value on the all-figures page, with its definition, and in its export.
		body := h.text(h.get("proposal_office", "/figures?subtree=0&theme=society"))
		if !strings.Contains(body, "已提交的提案（有提交日期）") || !strings.Contains(body, `fig=proposals.received`) {
			t.Errorf("/figures lacks the received figure and its definition: %s", snippet(body))
		}
		if rows := xlsxRows(t, h, "/figures/export.xlsx?subtree=0"); rows < 30 {
			t.Errorf("/figures export has %d figures", rows)
		}
		// A period that is not whole years is refused for proposals, in words.
		resp := h.get("proposal_office", "/figures/records?fig=proposals.received&subtree=0&from=2026-01-01&to=2026-03-31")
		if b := h.text(resp); resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != http.StatusBadRequest {
			t.Errorf("quarter period: %d %s", resp.StatusCode, snippet(b))
		}
		// Members and units may not read the committee's figures; another county gets nothing.
		for _, role := range []string{"member", "unit", "other_admin"} {
			path := fmt.Sprintf("/figures/records?fig=proposals.received&subtree=0&committee=%d", h.A.ID)
			if resp := h.get(role, path); resp.StatusCode == http.StatusOK {
				t.Errorf("%s reads the records: %d", role, resp.StatusCode)
			}
		}
	})
}

// xlsxRows downloads an export and counts its data rows (after the heading row).
func xlsxRows(t *testing.T, h *harness, path string) int {
	t.Helper()
	resp := h.get("proposal_office", path)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", path, resp.StatusCode, snippet(string(b)))
	}
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return len(rows) - 1
}
