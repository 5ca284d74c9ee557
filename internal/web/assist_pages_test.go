package web

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/i18n"
)

// TestAssistPages renders every 三送三帮 page in both languages for the
// roles that use them (no raw message keys, no failures), and walks an
// officer through confirming a match and verifying a record over HTTP.
func TestAssistPages(t *testing.T) {
	prefixes := map[string]bool{}
	for _, k := range i18n.Keys("zh") {
		p, _, _ := strings.Cut(k, ".")
		prefixes[p] = true
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		w := seedAssist(t, h)
		hh := fmt.Sprintf("/assist/households/%d", w.paired.ID)
		need := fmt.Sprintf("/assist/needs/%d", w.need.ID)
		rec := fmt.Sprintf("/assist/records/%d", w.record.ID)
		pages := map[string][]string{
			"assistance": {"/assist", "/assist/households", hh, "/assist/needs", need, "/assist/match", "/assist/records", rec,
				"/assist/records?unverified=1", "/assist/pledges", "/assist/import", "/assist?year=2020"},
			"leader":     {"/assist", "/assist/households", hh, "/assist/needs", need, "/assist/records", rec, "/assist/pledges"},
			"member":     {"/assist", "/assist/households", hh, "/assist/needs", need, "/assist/records", rec},
			"prefecture": {hh},
		}
		for role, ps := range pages {
			for _, lang := range []string{"zh", "en"} {
				h.get(role, "/lang/"+lang)
				for _, p := range ps {
					resp := h.get(role, p)
					body := h.text(resp)
					if resp.StatusCode != http.StatusOK {
						t.Errorf("%s/%s %s: %d %s", role, lang, p, resp.StatusCode, snippet(body))
						continue
					}
					text := html.UnescapeString(tagRe.ReplaceAllString(body, " "))
					for _, k := range keyLikeRe.FindAllString(text, -1) {
						if pre, _, _ := strings.Cut(k, "."); prefixes[pre] {
							t.Errorf("%s/%s %s: raw message key %q", role, lang, p, k)
						}
					}
				}
			}
			h.get(role, "/lang/zh")
		}
		if body := h.text(h.get("assistance", "/assist")); !strings.Contains(body, "捐资（送爱心）") || !strings.Contains(body, `id="assist-townships"`) ||
			!strings.Contains(body, "中安街道") {
			t.Error("dashboard lacks its figures or the township breakdown")
		}
		// The member sees the record form on their paired household, not the need form or the reveal.
		body := h.text(h.get("member", hh))
		if !strings.Contains(body, `id="record-form"`) || strings.Contains(body, `id="need-form"`) || strings.Contains(body, "/reveal") {
			t.Error("member's household page offers the wrong forms")
		}
		// An officer matches the unpaired household's new need to the member and verifies a record.
		resp := h.post("staff", fmt.Sprintf("/assist/households/%d/needs", w.unpaired.ID), url.Values{"kind": {"job"}, "description": {"外出务工"}, "urgency": {"3"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("need: %d %s", resp.StatusCode, snippet(h.text(resp)))
		}
		var nid int64
		if err := d.QueryRow(`SELECT id FROM assist_needs WHERE household_id = $1`, w.unpaired.ID).Scan(&nid); err != nil {
			t.Fatal(err)
		}
		resp = h.post("assistance", fmt.Sprintf("/assist/needs/%d/confirm", nid), url.Values{"membership_id": {fmt.Sprint(h.A.MembershipID)}, "version": {"1"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("confirm: %d %s", resp.StatusCode, snippet(h.text(resp)))
		}
		if resp := h.get("member", fmt.Sprintf("/assist/households/%d", w.unpaired.ID)); resp.StatusCode != http.StatusOK {
			t.Errorf("member after the match: %d", resp.StatusCode)
		}
		resp = h.post("assistance", rec+"/verify", url.Values{"version": {"1"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("verify: %d %s", resp.StatusCode, snippet(h.text(resp)))
		}
		if body := h.text(h.get("leader", rec)); !strings.Contains(body, "已核实") {
			t.Error("record not shown verified")
		}
		// A bad need form re-renders with the field's message in Chinese.
		resp = h.post("staff", hh+"/needs", url.Values{"kind": {"job"}, "description": {""}, "urgency": {"2"}})
		if body := h.text(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "此项必填") {
			t.Errorf("bad need: %d", resp.StatusCode)
		}
	})
}
