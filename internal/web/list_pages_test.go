package web

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/liaison"
	"lvzhi/internal/notify"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
)

// listPage is one list page of the web interface, with a filter applied: what
// its rows look like, who reads it, and how many rows the filter selects in
// the world seedLists builds. An area adds its list pages to listPages (one
// line each; seed what they need in seedLists).
type listPage struct {
	name  string
	path  string         // the list with its filter, as a person would submit the filter form
	roles []string       // every login that reads the list
	row   *regexp.Regexp // one match per row; group 1, if any, names the row
	want  func(h *harness, ls *listSeed) int
	// export: the page offers an export of the filtered list (the first .xlsx
	// link on its first page); its data rows must be the filtered rows.
	export bool
}

// listSeed is what seedLists built.
type listSeed struct {
	Sector       org.Sector // 55 members of A sit in it
	Members      int
	Units        int // units of A whose name has 局 (of the 4 units of A)
	Economy      int // economy proposals of A, assigned to A's unit
	Society      int // society proposals of A, submitted
	Notified     int // unread notifications of the member
	AuditMembers int // audit entries on memberships of A
	Links        int // liaison links of level party_nonparty in A
}

func fixed(n int) func(*harness, *listSeed) int { return func(*harness, *listSeed) int { return n } }

var (
	rowProposal = regexp.MustCompile(`<a href="/proposals/(\d+)">`)
	rowMember   = regexp.MustCompile(`<a href="/org/members/(\d+)">`)
	rowUnit     = regexp.MustCompile(`<a href="/org/units/(\d+)">`)
	rowLink     = regexp.MustCompile(`<a href="/org/liaison/links/(\d+)">`)
	rowNotice   = regexp.MustCompile(`action="/notifications/(\d+)/read"`)
	rowAudit    = regexp.MustCompile(`<td data-label="[^"]*">\d{4}-\d\d-\d\d \d\d:\d\d:\d\d</td>`)
	rowLeague   = regexp.MustCompile(`<td data-label="[^"]*"><b>([^<]+)</b>`)
	rowHit      = regexp.MustCompile(`class="t" href="/proposals/(\d+)"`)
)

// listPages is every list page with a filter. Page sizes: 50 (members,
// proposals, records, liaison, audit), 30 (notifications), 20 (search); the
// proposal lists take another with ?per= (the assist lists: assist_lists_test.go).
var listPages = []listPage{
	{"members", "/org/members?sector=%SECTOR%", []string{"admin", "staff", "proposal_office", "leader", "assistance"}, rowMember,
		func(h *harness, ls *listSeed) int { return ls.Members }, true},
	{"members of a county read from the prefecture", "/org/members?sector=%SECTOR%&c=%A%", []string{"prefecture"}, rowMember,
		func(h *harness, ls *listSeed) int { return ls.Members }, true},
	{"units", "/org/units?q=局", []string{"admin", "staff", "leader"}, rowUnit,
		func(h *harness, ls *listSeed) int { return ls.Units }, true},
	{"proposals, all tab", "/proposals?tab=all&theme=economy", []string{"proposal_office", "leader", "unit"}, rowProposal,
		func(h *harness, ls *listSeed) int { return ls.Economy }, true},
	{"proposals, filter without a tab", "/proposals/all?theme=economy", []string{"proposal_office", "staff", "leader"}, rowProposal,
		func(h *harness, ls *listSeed) int { return ls.Economy }, true},
	{"proposals, office's assign tab", "/proposals?tab=assign&theme=economy", []string{"proposal_office"}, rowProposal, fixed(0), true},
	{"proposals, office's review tab", "/proposals?tab=review&theme=society", []string{"proposal_office"}, rowProposal,
		func(h *harness, ls *listSeed) int { return ls.Society }, true},
	{"proposals, unit's to-accept tab", "/proposals?tab=to_accept&theme=economy", []string{"unit"}, rowProposal,
		func(h *harness, ls *listSeed) int { return ls.Economy }, true},
	{"member's own proposals", "/proposals", []string{"member"}, rowProposal,
		func(h *harness, ls *listSeed) int { return ls.Economy + ls.Society }, true},
	{"member's own proposals, filtered, in pages of 20", "/proposals?theme=economy&per=20", []string{"member"}, rowProposal,
		func(h *harness, ls *listSeed) int { return ls.Economy }, true},
	{"proposals, all tab in pages of 20", "/proposals?tab=all&theme=economy&per=20", []string{"unit", "proposal_office"}, rowProposal,
		func(h *harness, ls *listSeed) int { return ls.Economy }, true},
	{"unit portal", "/units/portal?year=%YEAR%", []string{"unit"}, rowProposal,
		func(h *harness, ls *listSeed) int { return ls.Economy }, false},
	{"notifications, unread", "/notifications?unread=1", []string{"member"}, rowNotice,
		func(h *harness, ls *listSeed) int { return ls.Notified }, false},
	{"audit log", "/admin/audit?entity=membership", []string{"admin"}, rowAudit,
		func(h *harness, ls *listSeed) int { return ls.AuditMembers }, false},
	{"league table, every year", "/units/league?year=0", []string{"proposal_office", "leader", "staff"}, rowLeague,
		func(h *harness, ls *listSeed) int { return ls.Units + 1 }, true},
	{"liaison links", "/org/liaison?level=party_nonparty", []string{"staff", "leader"}, rowLink,
		func(h *harness, ls *listSeed) int { return ls.Links }, false},
	{"figure records", "/figures/records?fig=proposals.received&subtree=0&theme=economy", []string{"proposal_office", "leader"}, rowProposal,
		func(h *harness, ls *listSeed) int { return ls.Economy }, true},
	{"figure records, proposal address", "/proposals/figures/records?fig=proposals.received&subtree=0&theme=society", []string{"proposal_office"}, rowProposal,
		func(h *harness, ls *listSeed) int { return ls.Society }, true},
	{"search", "/proposals/search?q=建议", []string{"proposal_office", "leader"}, rowHit,
		func(h *harness, ls *listSeed) int { return ls.Economy + ls.Society }, false},
}

// seedLists fills county A so that the filtered lists run over more than one page.
func seedLists(t *testing.T, h *harness) *listSeed {
	ctx := context.Background()
	c := h.Committees[h.A.ID]
	ls := &listSeed{Members: 55, Economy: 53, Society: 4, Notified: 33}
	ls.Sector = h.W.Sector(c, "甲科技界", 2)
	var members []int64
	for i := range ls.Members {
		members = append(members, h.W.Member(c, org.MemberInput{Name: fmt.Sprintf("科技委员%02d", i), SectorID: ls.Sector.ID}).ID)
	}
	for _, n := range []string{"甲县财政局", "甲县卫健局", "甲县住建办"} {
		h.W.Unit(c, n)
	}
	ls.Units = 3 // the harness's 甲县教育局 and two of these
	// Every seeded member is the harness member's liaison contact (a party member).
	h.must(execSQL(ctx, h.DB, `UPDATE memberships SET is_party_member = TRUE WHERE id = $1`, h.A.MembershipID))
	for _, m := range members {
		_, err := h.Server.Liaison.CreateLink(ctx, h.actor("staff"), liaison.LinkInput{Level: liaison.LevelPartyNonparty,
			LiaisonID: h.A.MembershipID, MemberID: m, StartsOn: fmt.Sprintf("%d-01-01", db.Now().Year())})
		h.must(err)
		ls.Links++
	}
	sd := proposal.NewSeeder(h.Server.Proposals, h.A.ID)
	drive := func(n int, theme proposal.Theme, target proposal.State) {
		for i := range n {
			spec := proposal.SeedSpec{FirstProposer: h.A.MembershipID, Target: target,
				Content: proposal.Content{Kind: proposal.Individual, Theme: theme, Title: fmt.Sprintf("关于%s第%d项工作的建议", theme, i),
					Matter: "情况", Analysis: "分析", Suggestions: "建议"}}
			if target == proposal.Assigned {
				spec.Units = []int64{h.A.UnitID}
			}
			_, err := sd.Drive(ctx, spec)
			h.must(err)
		}
	}
	drive(ls.Economy, proposal.Economy, proposal.Assigned)
	drive(ls.Society, proposal.Society, proposal.Submitted)
	// Notifications: the member's unread ones and a few read.
	h.must(h.DB.Tx(ctx, func(tx *sql.Tx) error {
		for i := range ls.Notified + 4 {
			if err := notify.Send(ctx, tx, h.A.ID, []int64{h.Users["member"]}, "test", "notify.title", nil, fmt.Sprintf("/proposals?n=%d", i)); err != nil {
				return err
			}
		}
		return nil
	}))
	// Notifications sent by the proposal workflow count too: mark all read but ls.Notified.
	h.must(execSQL(ctx, h.DB, `UPDATE notifications SET read_at = created_at WHERE user_id = $1 AND id NOT IN
		(SELECT id FROM notifications WHERE user_id = $1 AND kind = 'test' ORDER BY id LIMIT $2)`, h.Users["member"], ls.Notified))
	h.must(h.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE committee_id = $1 AND entity = 'membership'`, h.A.ID).Scan(&ls.AuditMembers))
	return ls
}

func execSQL(ctx context.Context, d *db.DB, q string, args ...any) error {
	_, err := d.ExecContext(ctx, q, args...)
	return err
}

// TestListPagesKeepTheFilter: for every list page and every login that reads
// it, the rows reached by following the page's own pager links to the last
// page, and the rows of the page's own export link, are the filtered rows.
func TestListPagesKeepTheFilter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ls := seedLists(t, h)
		for _, lp := range listPages {
			path := lp.path
			for k, v := range map[string]string{"%SECTOR%": fmt.Sprint(ls.Sector.ID), "%A%": fmt.Sprint(h.A.ID), "%YEAR%": fmt.Sprint(db.Now().Year())} {
				path = regexp.MustCompile(regexp.QuoteMeta(k)).ReplaceAllString(path, v)
			}
			want := lp.want(h, ls)
			for _, role := range lp.roles {
				t.Run(lp.name+"/"+role, func(t *testing.T) {
					rows, export := walkList(t, h, role, path, lp.row)
					if rows != want {
						t.Errorf("%s as %s: %d rows across the pages, want %d", path, role, rows, want)
					}
					if !lp.export {
						return
					}
					if export == "" {
						t.Fatalf("%s as %s: no export link", path, role)
					}
					if n := exportRows(t, h, role, export); n != want {
						t.Errorf("%s as %s: export %s has %d rows, want %d", path, role, export, n, want)
					}
				})
			}
		}
	})
}

var (
	nextLink   = regexp.MustCompile(`<a rel="next" href="([^"]*)"`)
	exportLink = regexp.MustCompile(`href="([^"]*\.xlsx[^"]*)"`)
)

// walkList reads the list at path and every page after it through the
// pager's next links, and returns the rows seen and the first page's export
// link (resolved, "" when none). A row named on two pages fails the test.
func walkList(t *testing.T, h *harness, role, path string, row *regexp.Regexp) (int, string) {
	t.Helper()
	base, _ := url.Parse(h.URL)
	cur := base.ResolveReference(mustURL(t, path))
	seen, rows, export := map[string]bool{}, 0, ""
	for pages := 0; cur != nil; pages++ {
		if pages > 20 {
			t.Fatalf("%s: more than 20 pages", path)
		}
		resp := h.get(role, cur.RequestURI())
		body := h.text(resp)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s as %s: %d %s", cur.RequestURI(), role, resp.StatusCode, snippet(body))
		}
		if pages == 0 {
			if m := exportLink.FindStringSubmatch(body); m != nil {
				export = cur.ResolveReference(mustURL(t, html.UnescapeString(m[1]))).RequestURI()
			}
		}
		onPage := map[string]bool{}
		for _, m := range row.FindAllStringSubmatch(body, -1) {
			if len(m) < 2 {
				rows++
				continue
			}
			if onPage[m[1]] {
				continue // a row may link its record twice
			}
			onPage[m[1]] = true
			if seen[m[1]] {
				t.Errorf("%s: row %s on two pages", path, m[1])
			}
			seen[m[1]] = true
			rows++
		}
		var next *url.URL
		if m := nextLink.FindStringSubmatch(body); m != nil {
			next = cur.ResolveReference(mustURL(t, html.UnescapeString(m[1])))
		}
		cur = next
	}
	return rows, export
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// exportRows downloads an export as role and counts its data rows (after the heading row).
func exportRows(t *testing.T, h *harness, role, path string) int {
	t.Helper()
	resp := h.get(role, path)
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
