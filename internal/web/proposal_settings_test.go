package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestProposalSettings: the proposal office sets the committee's deadlines,
// reason and class lists and calendar through the page; bad input is shown
// on the form and changes nothing; other roles are refused.
func TestProposalSettings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		scalar := func(q string, args ...any) string {
			t.Helper()
			var v string
			h.must(d.QueryRowContext(context.Background(), q, args...).Scan(&v))
			return v
		}
		runPermCases(t, h, []permCase{
			{"member", http.MethodGet, "/proposals/settings", nil, http.StatusForbidden},
			{"unit", http.MethodGet, "/proposals/settings", nil, http.StatusForbidden},
			{"leader", http.MethodGet, "/proposals/settings", nil, http.StatusForbidden},
			{"staff", http.MethodPost, "/proposals/settings", url.Values{"deadline_months": {"2"}}, http.StatusForbidden},
			{"member", http.MethodPost, "/proposals/settings/reasons", url.Values{"code": {"x"}, "label_zh": {"x"}}, http.StatusForbidden},
			{"unit", http.MethodPost, "/proposals/settings/classes", url.Values{"code": {"D"}, "label_zh": {"x"}}, http.StatusForbidden},
			{"leader", http.MethodPost, "/proposals/settings/calendar", url.Values{"day": {"2026-10-01"}, "kind": {"holiday"}}, http.StatusForbidden},
			{"member", http.MethodPost, "/proposals/settings/calendar/china", nil, http.StatusForbidden},
		})
		resp := h.get("proposal_office", "/proposals/settings")
		if body := h.text(resp); resp.StatusCode != 200 || !strings.Contains(body, "内容空泛") || !strings.Contains(body, "已解决或基本解决") {
			t.Fatalf("settings page: %d %s", resp.StatusCode, snippet(body))
		}
		if !strings.Contains(h.text(h.get("proposal_office", "/proposals/all")), `href="/proposals/settings"`) {
			t.Error("the list page does not link the settings")
		}
		form := url.Values{"deadline_months": {"2"}, "max_months": {"5"}, "contact_workdays": {"10"}, "evaluation_workdays": {"15"},
			"return_workdays": {"5"}, "signing_workdays": {"3"}, "remind_workdays": {"4"}, "rehandle_months": {"2"}, "version": {"0"}}
		// Invalid: shown on the form, nothing saved.
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("max_months", "1")
		bad.Set("contact_workdays", "十")
		resp = h.post("proposal_office", "/proposals/settings", bad)
		if body := h.text(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "请填写数字") || !strings.Contains(body, `name="max_months" inputmode="numeric" size="4" value="1"`) {
			t.Fatalf("bad settings: %d %s", resp.StatusCode, snippet(body))
		}
		if n := scalar(`SELECT COUNT(*) FROM proposal_settings`); n != "0" {
			t.Fatalf("bad settings saved (%s rows)", n)
		}
		resp = h.post("proposal_office", "/proposals/settings", form)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/proposals/settings?done=settings" {
			t.Fatalf("save settings: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if v := scalar(`SELECT deadline_months || '/' || return_workdays || '/' || rehandle_months FROM proposal_settings WHERE committee_id = $1`, h.A.ID); v != "2/5/2" {
			t.Fatalf("saved %s", v)
		}
		// A second save from the same (stale) form is a conflict.
		if resp = h.post("proposal_office", "/proposals/settings", form); resp.StatusCode != http.StatusConflict {
			t.Fatalf("stale settings form: %d", resp.StatusCode)
		}
		// Lists and calendar.
		saved := func(resp *http.Response) {
			t.Helper()
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("%s: %d %s", resp.Request.URL.Path, resp.StatusCode, snippet(h.text(resp)))
			}
		}
		saved(h.post("proposal_office", "/proposals/settings/reasons", url.Values{"code": {"scope"}, "label_zh": {"不属于本级工作范围"}, "sort": {"11"}, "active": {"1"}}))
		saved(h.post("proposal_office", "/proposals/settings/classes", url.Values{"code": {"D"}, "label_zh": {"已列入规划"}, "solved": {"1"}, "sort": {"4"}, "active": {"1"}}))
		saved(h.post("proposal_office", "/proposals/settings/calendar", url.Values{"day": {"2026-10-08"}, "kind": {"holiday"}, "name": {"国庆"}}))
		if v := scalar(`SELECT label_zh FROM decline_reasons WHERE committee_id = $1 AND code = 'scope'`, h.A.ID); v != "不属于本级工作范围" {
			t.Errorf("reason %q", v)
		}
		if v := scalar(`SELECT COUNT(*) FROM result_classes WHERE committee_id = $1 AND code = 'D' AND solved`, h.A.ID); v != "1" {
			t.Errorf("class D saved %s times", v)
		}
		if v := scalar(`SELECT kind FROM calendar_days WHERE committee_id = $1 AND day = '2026-10-08'`, h.A.ID); v != "holiday" {
			t.Errorf("calendar day %q", v)
		}
		resp = h.post("proposal_office", "/proposals/settings/calendar", url.Values{"day": {"8 Oct"}, "kind": {"holiday"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("bad date: %d", resp.StatusCode)
		}
		if resp = h.post("admin", "/proposals/settings/calendar/china", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("china holidays: %d", resp.StatusCode)
		}
		if n := scalar(`SELECT COUNT(*) FROM calendar_days WHERE committee_id = $1`, h.A.ID); n == "1" {
			t.Error("no national holidays imported")
		}
		// The other committee is untouched.
		if n := scalar(`SELECT COUNT(*) FROM calendar_days WHERE committee_id = $1`, h.B.ID); n != "0" {
			t.Errorf("county B's calendar changed (%s days)", n)
		}
	})
}
