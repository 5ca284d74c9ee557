package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"lvzhi/internal/assist"
	"lvzhi/internal/civil"
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
		officer := h.actor("assistance")
		if _, err := h.Server.Assist.CreateCampaign(context.Background(), officer, assist.CampaignInput{Name: "百日会战", StartsOn: civil.Today(),
			EndsOn: civil.Today(), Categories: []string{"产业助推"}, Targets: []assist.Target{{Category: "产业助推", FigureID: "assist.industry_households", Target: 286}}}); err != nil {
			t.Fatal(err)
		}
		st, err := h.Server.Assist.CreateSite(context.Background(), officer, assist.SiteInput{Name: "示范点", OpenedOn: civil.Today()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Server.Assist.AddProject(context.Background(), officer, st.ID, assist.Project{Kind: "supermarket", Name: "爱心超市", Donors: 3, AmountFen: 100}); err != nil {
			t.Fatal(err)
		}
		hh := fmt.Sprintf("/assist/households/%d", w.paired.ID)
		need := fmt.Sprintf("/assist/needs/%d", w.need.ID)
		rec := fmt.Sprintf("/assist/records/%d", w.record.ID)
		pages := map[string][]string{
			"assistance": {"/assist", "/assist/households", hh, "/assist/needs", need, "/assist/match", "/assist/records", rec,
				"/assist/records?unverified=1", "/assist/pledges", "/assist/import", "/assist?year=2020", "/assist/bulletin", "/assist/bulletin?year=2026&quarter=1", "/assist/campaigns"},
			"leader":     {"/assist", "/assist/households", hh, "/assist/needs", need, "/assist/records", rec, "/assist/pledges", "/assist/bulletin"},
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
		// The member sets their offer; an officer suspends and resumes a pairing.
		if resp := h.post("member", "/assist/offer", url.Values{"kinds": {"study", "job"}, "townships": {"中安街道、墨红镇"}, "capacity": {"2"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("offer: %d %s", resp.StatusCode, snippet(h.text(resp)))
		}
		if body := h.text(h.get("member", "/assist")); !strings.Contains(body, `value="study" checked`) || !strings.Contains(body, "中安街道、墨红镇") {
			t.Error("the saved offer is not shown")
		}
		if resp := h.post("member", "/assist/offer", url.Values{"capacity": {"5000"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("capacity out of range: %d", resp.StatusCode)
		}
		var pid int64
		if err := d.QueryRow(`SELECT id FROM assist_pairings WHERE household_id = $1`, w.paired.ID).Scan(&pid); err != nil {
			t.Fatal(err)
		}
		if body := h.text(h.get("assistance", hh)); !strings.Contains(body, fmt.Sprintf("/assist/pairings/%d/step", pid)) {
			t.Error("no pairing actions for the officer")
		}
		if body := h.text(h.get("member", hh)); strings.Contains(body, "/assist/pairings/") {
			t.Error("pairing actions shown to the member")
		}
		if resp := h.post("member", fmt.Sprintf("/assist/pairings/%d/step", pid), url.Values{"action": {"end"}, "version": {"0"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("member ending a pairing: %d", resp.StatusCode)
		}
		if resp := h.post("assistance", fmt.Sprintf("/assist/pairings/%d/step", pid), url.Values{"action": {"suspend"}, "version": {"1"}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("suspend: %d %s", resp.StatusCode, snippet(h.text(resp)))
		}
		// Villages: added by officers, a repeated one is a field error.
		if resp := h.post("assistance", "/assist/villages", url.Values{"township": {"墨红镇"}, "name": {"補掌村"}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("village: %d %s", resp.StatusCode, snippet(h.text(resp)))
		}
		if resp := h.post("assistance", "/assist/villages", url.Values{"township": {"墨红镇"}, "name": {"補掌村"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("repeated village: %d", resp.StatusCode)
		}
		if resp := h.post("leader", "/assist/villages", url.Values{"township": {"x"}, "name": {"y"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("leader adding a village: %d", resp.StatusCode)
		}
		// A bad need form re-renders with the field's message in Chinese.
		resp = h.post("staff", hh+"/needs", url.Values{"kind": {"job"}, "description": {""}, "urgency": {"2"}})
		if body := h.text(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "此项必填") {
			t.Errorf("bad need: %d", resp.StatusCode)
		}
	})
}
