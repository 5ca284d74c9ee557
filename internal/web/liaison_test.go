package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/liaison"
	"lvzhi/internal/org"
)

// liaisonSeed adds a liaison chain to the harness: the harness member (of A)
// becomes a CPC member linked to a non-CPC member; A also gets a 党组成员.
type liaisonSeed struct {
	NonParty, PartyGroup, NonPartyB int64 // membership ids
	Link                            *liaison.Link
	Year                            int
}

func seedLiaison(t *testing.T, h *harness) *liaisonSeed {
	t.Helper()
	ctx := context.Background()
	now := db.Now()
	ls := &liaisonSeed{Year: now.Year()}
	mem := func(c seededCommittee, name, positions string, party bool) int64 {
		in := org.MemberInput{Name: name, TermID: c.TermID, Standing: true, Affiliation: "nonparty"}
		if positions != "" {
			in.Positions = []string{positions}
		}
		if party {
			in.Affiliation = "cpc" // a party member (is_party_member)
		}
		return h.W.Member(h.Committees[c.ID], in).ID
	}
	if _, err := h.DB.ExecContext(ctx, `UPDATE memberships SET is_party_member = TRUE WHERE id = $1`, h.A.MembershipID); err != nil {
		t.Fatal(err)
	}
	ls.NonParty = mem(h.A, "党外甲委员", "", false)
	ls.PartyGroup = mem(h.A, "党组乙成员", "party_secretary", true)
	ls.NonPartyB = mem(h.B, "乙县党外委员", "", false)
	l, err := h.Server.Liaison.CreateLink(ctx, h.actor("staff"), liaison.LinkInput{Level: liaison.LevelPartyNonparty,
		LiaisonID: h.A.MembershipID, MemberID: ls.NonParty, StartsOn: fmt.Sprintf("%d-01-01", ls.Year)})
	if err != nil {
		t.Fatal(err)
	}
	ls.Link = l
	return ls
}

// liaisonRows counts the rows of a table.
func liaisonRows(h *harness, table string) int {
	h.t.Helper()
	var n int
	if err := h.DB.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

func wantIn(t *testing.T, body string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Fatalf("page lacks %q:\n%s", s, snippet(body))
		}
	}
}

func TestLiaisonPagesPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ls := seedLiaison(t, h)
		link := fmt.Sprintf("/org/liaison/links/%d", ls.Link.ID)
		runPermCases(t, h, []permCase{
			{"anon", "GET", "/org/liaison", nil, http.StatusSeeOther},
			{"staff", "GET", "/org/liaison", nil, 200},
			{"leader", "GET", "/org/liaison", nil, 200},
			{"member", "GET", "/org/liaison", nil, 200},
			{"unit", "GET", "/org/liaison", nil, 403},
			{"proposal_office", "GET", "/org/liaison", nil, 403},
			{"assistance", "GET", "/org/liaison", nil, 403},
			{"staff", "GET", link, nil, 200},
			{"leader", "GET", link, nil, 200},
			{"member", "GET", link, nil, 200},
			{"prefecture", "GET", link, nil, 200},
			{"other_admin", "GET", link, nil, 404},
			{"other_member", "GET", link, nil, 404},
			{"unit", "GET", link, nil, 404},
			{"staff", "GET", "/org/liaison/links/new", nil, 200},
			{"leader", "GET", "/org/liaison/links/new", nil, 403},
			{"member", "GET", "/org/liaison/links/new", nil, 403},
			{"staff", "GET", "/org/liaison/behind", nil, 200},
			{"member", "GET", "/org/liaison/behind", nil, 200},
			{"unit", "GET", "/org/liaison/behind", nil, 403},
			{"staff", "GET", "/org/liaison/campaigns", nil, 200},
			{"unit", "GET", "/org/liaison/campaigns", nil, 403},
			{"staff", "GET", "/org/liaison/links/999999", nil, 404},
			{"staff", "GET", "/org/liaison/links/abc", nil, 404},
			// Writes: readers and members may not edit; a foreign admin cannot touch A's link.
			{"leader", "POST", link, url.Values{"version": {"1"}}, 403},
			{"member", "POST", link + "/delete", url.Values{"version": {"1"}}, 403},
			{"prefecture", "POST", link + "/delete", url.Values{"version": {"1"}}, 404}, // reads A, edits only its own
			{"other_admin", "POST", link + "/delete", url.Values{"version": {"1"}}, 404},
			{"other_admin", "POST", link + "/contacts", url.Values{"on": {"2025-01-02"}, "method": {"phone"}}, 404},
			{"other_member", "POST", link + "/contacts", url.Values{"on": {"2025-01-02"}, "method": {"phone"}}, 404},
			{"leader", "POST", link + "/contacts", url.Values{"on": {"2025-01-02"}, "method": {"phone"}}, 403},
			{"leader", "POST", "/org/liaison/campaigns", url.Values{"kind": {"other"}, "name": {"x"}}, 403},
			{"member", "POST", "/org/liaison/links", url.Values{"level": {"party_nonparty"}}, 403},
		})
		if n := liaisonRows(h, "liaison_links"); n != 1 {
			t.Fatalf("refused writes changed links: %d", n)
		}
		if n := liaisonRows(h, "liaison_contacts"); n != 0 {
			t.Fatalf("refused writes logged contacts: %d", n)
		}
		// Readers see no edit button; staff do.
		if body := h.text(h.get("leader", "/org/liaison")); strings.Contains(body, "/org/liaison/links/new") || !strings.Contains(body, "党外甲委员") {
			t.Fatalf("leader list:\n%s", snippet(body))
		}
		wantIn(t, h.text(h.get("staff", "/org/liaison")), "/org/liaison/links/new", "党外甲委员", h.A.PersonName)
		// The member's own page lists whom they keep in touch with.
		wantIn(t, h.text(h.get("member", "/org/liaison")), "我的联系对象", "党外甲委员", link+"#log")
	})
}

func TestLiaisonLinkForms(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ls := seedLiaison(t, h)
		start := fmt.Sprintf("%d-01-01", ls.Year)
		// The wrong level: a non-CPC member cannot be the liaison of a non-CPC member.
		bad := url.Values{"level": {"party_nonparty"}, "liaison_id": {fmt.Sprint(ls.NonParty)}, "member_id": {fmt.Sprint(h.A.MembershipID)},
			"starts_on": {start}, "per_year": {"2"}}
		resp := h.post("staff", "/org/liaison/links", bad)
		body := h.text(resp)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad link: %d\n%s", resp.StatusCode, snippet(body))
		}
		wantIn(t, body, "党外甲委员 不是中共党员委员", `class="ferr"`)
		// A foreign admin cannot use A's memberships: the field names them unknown.
		resp = h.post("other_admin", "/org/liaison/links", bad)
		if body := h.text(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "找不到该委员") {
			t.Fatalf("foreign create: %d\n%s", resp.StatusCode, snippet(body))
		}
		resp = h.post("staff", "/org/liaison/links", url.Values{"level": {"party_nonparty"}, "liaison_id": {"x"}})
		if body := h.text(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "选项无效，请重新选择") {
			t.Fatalf("non-number: %d\n%s", resp.StatusCode, snippet(body))
		}
		if n := liaisonRows(h, "liaison_links"); n != 1 {
			t.Fatalf("refused forms wrote links: %d", n)
		}
		// A good link: 党组书记 → ... is leader_head, needs a group head: use the member as a CPC member link instead.
		good := url.Values{"level": {"party_nonparty"}, "liaison_id": {fmt.Sprint(ls.PartyGroup)}, "member_id": {fmt.Sprint(ls.NonParty)},
			"starts_on": {start}, "per_year": {"3"}, "notes": {"每季度走访"}}
		resp = h.post("staff", "/org/liaison/links", good)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/org/liaison/links/") {
			t.Fatalf("create: %d %s\n%s", resp.StatusCode, resp.Header.Get("Location"), snippet(h.text(resp)))
		}
		loc := resp.Header.Get("Location")
		wantIn(t, h.text(h.get("staff", loc)), "党组乙成员", "每季度走访")
		// Update with a stale version is a conflict page.
		good.Set("version", "7")
		if resp := h.post("staff", loc, good); resp.StatusCode != http.StatusConflict {
			t.Fatalf("stale update: %d", resp.StatusCode)
		}
		good.Set("version", "1")
		good.Set("per_year", "4")
		if resp := h.post("staff", loc, good); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("update: %d\n%s", resp.StatusCode, snippet(h.text(resp)))
		}
		if resp := h.post("staff", loc+"/delete", url.Values{"version": {"2"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete: %d\n%s", resp.StatusCode, snippet(h.text(resp)))
		}
		if resp := h.get("staff", loc); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("deleted link still shown: %d", resp.StatusCode)
		}
	})
}

func TestLiaisonContactsAndBehind(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ls := seedLiaison(t, h)
		link := fmt.Sprintf("/org/liaison/links/%d", ls.Link.ID)
		// Before any contact the link is listed on the behind page.
		wantIn(t, h.text(h.get("staff", "/org/liaison/behind")), "党外甲委员", h.A.PersonName)
		// A future date is refused next to the field, in the member's language.
		resp := h.post("member", link+"/contacts", url.Values{"on": {"2999-01-01"}, "method": {"phone"}})
		if body := h.text(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "联系日期不能晚于今天") {
			t.Fatalf("future contact: %d\n%s", resp.StatusCode, snippet(body))
		}
		req := h.request("POST", link+"/contacts", url.Values{"on": {"2999-01-01"}, "method": {"fax"}})
		req.AddCookie(&http.Cookie{Name: "lang", Value: "en"})
		if body := h.text(h.do("member", req)); !strings.Contains(body, "The date cannot be after today") || !strings.Contains(body, "Choose a method") {
			t.Fatalf("english errors:\n%s", snippet(body))
		}
		if n := liaisonRows(h, "liaison_contacts"); n != 0 {
			t.Fatalf("refused contact written: %d", n)
		}
		today := db.Now().Format("2006-01-02")
		resp = h.post("member", link+"/contacts", url.Values{"on": {today}, "method": {"meeting"}, "notes": {"谈企业用工"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("log contact: %d\n%s", resp.StatusCode, snippet(h.text(resp)))
		}
		wantIn(t, h.text(h.get("leader", link)), "谈企业用工", "面谈")
		var audits int
		d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE entity = 'liaison_contact'`).Scan(&audits)
		if audits != 1 {
			t.Fatalf("contact not audited: %d", audits)
		}
		// Behind page in English, sortable.
		req = h.request("GET", "/org/liaison/behind?sort=last", nil)
		req.AddCookie(&http.Cookie{Name: "lang", Value: "en"})
		resp = h.do("staff", req)
		if body := h.text(resp); resp.StatusCode != 200 || !strings.Contains(body, "Contact progress") {
			t.Fatalf("behind en: %d\n%s", resp.StatusCode, snippet(body))
		}
		resp = h.get("staff", "/org/liaison/behind?from=2025-12-31&to=2025-01-01")
		if body := h.text(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "结束日期不能早于开始日期") {
			t.Fatalf("bad window: %d\n%s", resp.StatusCode, snippet(body))
		}
	})
}

func TestLiaisonCampaignPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ls := seedLiaison(t, h)
		y := ls.Year
		resp := h.post("staff", "/org/liaison/campaigns", url.Values{"kind": {"secretary_standing"}, "name": {""},
			"starts_on": {fmt.Sprintf("%d-01-01", y)}, "ends_on": {fmt.Sprintf("%d-12-31", y)}, "min_visits": {"1"}})
		if body := h.text(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "必须填写") {
			t.Fatalf("nameless campaign: %d\n%s", resp.StatusCode, snippet(body))
		}
		resp = h.post("staff", "/org/liaison/campaigns", url.Values{"kind": {"secretary_standing"}, "name": {"书记走访常委"},
			"starts_on": {fmt.Sprintf("%d-01-01", y)}, "ends_on": {fmt.Sprintf("%d-12-31", y)}, "min_visits": {"1"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("create campaign: %d\n%s", resp.StatusCode, snippet(h.text(resp)))
		}
		camp := resp.Header.Get("Location")
		// The visitor must be the Party secretary.
		resp = h.post("staff", camp+"/targets", url.Values{"visitor_id": {fmt.Sprint(h.A.MembershipID)}, "target_ids": {fmt.Sprint(ls.NonParty)}})
		if body := h.text(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "不是党组书记") {
			t.Fatalf("wrong visitor: %d\n%s", resp.StatusCode, snippet(body))
		}
		resp = h.post("other_admin", camp+"/targets", url.Values{"visitor_id": {fmt.Sprint(ls.PartyGroup)}, "target_ids": {fmt.Sprint(ls.NonParty)}})
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("foreign add targets: %d", resp.StatusCode)
		}
		resp = h.post("staff", camp+"/targets", url.Values{"visitor_id": {fmt.Sprint(ls.PartyGroup)}, "target_ids": {fmt.Sprint(ls.NonParty)}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add targets: %d\n%s", resp.StatusCode, snippet(h.text(resp)))
		}
		body := h.text(h.get("leader", camp))
		wantIn(t, body, "书记走访常委", "党外甲委员", "0 / 1")
		if strings.Contains(body, "/targets\"") {
			t.Fatal("leader sees the add-targets form")
		}
		if resp := h.get("other_admin", camp); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("foreign campaign: %d", resp.StatusCode)
		}
		var tid int64
		d.QueryRowContext(context.Background(), `SELECT id FROM liaison_targets`).Scan(&tid)
		target := fmt.Sprintf("/org/liaison/targets/%d", tid)
		resp = h.post("staff", target+"/visits", url.Values{"on": {fmt.Sprintf("%d-01-01", y-1)}, "method": {"visit"}})
		if body := h.text(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "日期不在联系期间内") {
			t.Fatalf("visit outside campaign: %d\n%s", resp.StatusCode, snippet(body))
		}
		if resp := h.post("member", target+"/visits", url.Values{"on": {fmt.Sprintf("%d-01-01", y)}, "method": {"visit"}}); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("member visits another's target: %d", resp.StatusCode)
		}
		// Every page renders in both languages.
		for _, p := range []string{"/org/liaison", "/org/liaison/links/new", fmt.Sprintf("/org/liaison/links/%d", ls.Link.ID),
			"/org/liaison/behind", "/org/liaison/campaigns", camp, target} {
			for _, lang := range []string{"zh", "en"} {
				req := h.request("GET", p, nil)
				req.AddCookie(&http.Cookie{Name: "lang", Value: lang})
				resp := h.do("staff", req)
				body := h.text(resp)
				if resp.StatusCode != 200 || strings.Contains(body, "liaison.") {
					t.Fatalf("%s in %s: %d (untranslated key?)\n%s", p, lang, resp.StatusCode, snippet(body))
				}
			}
		}
		for _, lang := range []string{"zh", "en"} {
			req := h.request("GET", "/org/liaison", nil)
			req.AddCookie(&http.Cookie{Name: "lang", Value: lang})
			if body := h.text(h.do("member", req)); strings.Contains(body, "liaison.") {
				t.Fatalf("member page in %s has an untranslated key", lang)
			}
		}
	})
}
