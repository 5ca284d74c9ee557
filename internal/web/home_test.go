package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
)

var (
	tileRE  = regexp.MustCompile(`<a class="count( warn)?" href="([^"]*)"><b>([^<]+)</b><span>([^<]+)</span></a>`)
	totalRE = regexp.MustCompile(`共 (\d+) 条`)
)

// TestWorkbenchCountsOpenTheirLists: each role's 工作台 shows what waits for
// it, and every count opens a list of exactly that many.
func TestWorkbenchCountsOpenTheirLists(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ls := seedLists(t, h)
		ctx := context.Background()
		sd := proposal.NewSeeder(h.Server.Proposals, h.A.ID)
		content := func(title string) proposal.Content {
			return proposal.Content{Kind: proposal.Individual, Theme: proposal.Society, Title: title, Matter: "情况", Analysis: "分析", Suggestions: "建议"}
		}
		// The harness member: invited to co-sign one proposal, one reply to evaluate.
		other := h.W.Member(h.Committees[h.A.ID], org.MemberInput{Name: "联名发起人"})
		c := content("请联名的提案")
		c.Kind, c.CoSigners = proposal.Joint, []int64{h.A.MembershipID}
		_, err := sd.Drive(ctx, proposal.SeedSpec{FirstProposer: other.ID, Target: proposal.Signing, Content: c})
		h.must(err)
		_, err = sd.Drive(ctx, proposal.SeedSpec{FirstProposer: h.A.MembershipID, Target: proposal.Replied, Units: []int64{h.A.UnitID}, Content: content("待评价的提案")})
		h.must(err)

		// The activity area: a member with a leave request waiting, a plan item running late, a 社情民意 item to handle.
		seedActivityTiles(t, h)

		want := map[string]map[string]int{ // role → tile link → count (checked where given)
			"member":          {"/proposals#to-sign": 1, "/proposals#to-evaluate": 1, "/activities/mine": 1},
			"proposal_office": {"/proposals?tab=review": ls.Society, "/proposals?tab=assign": 0},
			"unit":            {"/proposals?tab=to_accept": ls.Economy},
			"leader":          {"/proposals?tab=supervised": 0, "/activities/leaves": 1},
			"staff":           {"/activities/leaves": 1, "/consult/plan?late=1&year=" + strconv.Itoa(civil.Today().Year): 1, "/consult/sqmy?state=submitted": 1},
		}
		for role, counts := range want {
			body := h.text(h.get(role, "/"))
			tiles := tileRE.FindAllStringSubmatch(body, -1)
			for _, m := range tiles {
				t.Logf("%s: %s %s → %s", role, m[4], m[3], html.UnescapeString(m[2]))
			}
			if len(tiles) == 0 {
				t.Errorf("%s: no workbench: %s", role, snippet(body))
				continue
			}
			seen := map[string]bool{}
			for _, m := range tiles {
				href, shown := html.UnescapeString(m[2]), strings.ReplaceAll(m[3], ",", "")
				seen[href] = true
				n, numeric := strconv.Atoi(shown)
				if w, ok := counts[href]; ok && n != w {
					t.Errorf("%s: tile %s (%s) shows %s, want %d", role, m[4], href, shown, w)
				}
				if numeric != nil {
					continue // a rate: its records are checked with its count figure
				}
				if got := listed(t, h, role, href); got != n {
					t.Errorf("%s: tile %s shows %d, its list %s has %d", role, m[4], n, href, got)
				}
			}
			for href := range counts {
				if !seen[href] {
					t.Errorf("%s: no tile for %s", role, href)
				}
			}
		}
		// The leader's key figures open their records.
		if body := h.text(h.get("leader", "/")); !strings.Contains(body, "/figures/records?") {
			t.Errorf("leader: no key figures: %s", snippet(body))
		}
		// Nobody else gets another role's queues.
		if body := h.text(h.get("member", "/")); strings.Contains(body, "tab=review") || strings.Contains(body, "tab=to_accept") {
			t.Error("member sees the office's or the units' queues")
		}
	})
}

// listed is the number of items the list at href shows for role: a queue's
// total, a figure's records heading, or the tasks under a member page's heading.
func listed(t *testing.T, h *harness, role, href string) int {
	t.Helper()
	path, anchor, _ := strings.Cut(href, "#")
	body := h.text(h.get(role, path))
	switch {
	case anchor != "":
		sec := regexp.MustCompile(`(?s)<h2 id="` + anchor + `">.*?<span class="tag">(\d+)</span></h2>(.*?)(<h2|</section>)`).FindStringSubmatch(body)
		if sec == nil {
			t.Fatalf("%s: no section %s", path, anchor)
		}
		n, _ := strconv.Atoi(sec[1])
		if tasks := strings.Count(sec[2], `<div class="task">`); tasks != n {
			t.Errorf("%s#%s: heading says %d, %d tasks listed", path, anchor, n, tasks)
		}
		return n
	case strings.HasPrefix(path, "/figures/records"):
		m := regexp.MustCompile(`：([\d,]+)件`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no heading: %s", path, snippet(body))
		}
		n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
		return n
	}
	m := totalRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("%s as %s: no total: %s", path, role, snippet(body))
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// seedActivityTiles gives the harness member one coming activity with a leave
// request waiting, the committee one approved plan item due yesterday that
// was never carried out (late), and one 社情民意 item submitted.
func seedActivityTiles(t *testing.T, h *harness) {
	t.Helper()
	today := civil.Today()
	id := actCreated(t, h.post("staff", "/activities", url.Values{"kind": {"research"}, "title": {"工作台调研"}, "starts_on": {today.AddDays(3).String()}}))
	page := "/activities/" + strconv.FormatInt(id, 10)
	wantStatus(t, "sign up", h.post("member", page+"/sign_up", nil), http.StatusSeeOther)
	wantStatus(t, "leave", h.post("member", page+"/request_leave", url.Values{"reason": {"出差"}}), http.StatusSeeOther)
	wantStatus(t, "plan", h.post("staff", "/consult/plan", url.Values{"year": {strconv.Itoa(today.Year)}, "month": {"1"},
		"topic": {"工作台协商"}, "form": {"bimonthly"}}), http.StatusSeeOther)
	_, err := h.DB.ExecContext(context.Background(), `UPDATE activity_plan_items SET state = 'approved', due_on = $1`, today.AddDays(-1).String())
	h.must(err)
	wantStatus(t, "sqmy", h.post("member", "/consult/sqmy", url.Values{"title": {"工作台社情民意"}}), http.StatusSeeOther)
}
