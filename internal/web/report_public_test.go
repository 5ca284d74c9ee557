package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lvzhi/internal/assist"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
	"lvzhi/internal/secret"
)

// Personal data that must never appear on the public site.
var (
	idNumberRE = regexp.MustCompile(`[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]`)
	phoneRE    = regexp.MustCompile(`(?:^|\D)1[3-9]\d{9}(?:$|\D)`)
)

// TestPublicSiteLeaksNothing seeds personal data where staff and members
// write it — a member's ID number and phone, a proposal's text with a phone
// and an ID number, a finalised report whose prose names a person and gives
// a phone — then walks every public page and file without login (from the
// public lists, following every /public/ link, CSV and JSON) and scans each
// for ID numbers, phone numbers and the names of people who are not proposers.
func TestPublicSiteLeaksNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		box, err := secret.New(bytes.Repeat([]byte{7}, 32))
		if err != nil {
			t.Fatal(err)
		}
		h.Server.Org.Secret = box
		ctx := context.Background()
		idNumber := orgIDNumber("53032519860509004")
		m, err := h.Server.Org.CreateMember(ctx, auth.System(h.A.ID), h.A.ID, org.MemberInput{Name: "隐私李四", Gender: "female",
			IDNumber: idNumber, Phone: "13912345670", TermID: h.A.TermID, SectorID: h.A.SectorID, Affiliation: "nonparty"})
		if err != nil {
			t.Fatal(err)
		}
		sd := proposal.NewSeeder(h.Server.Proposals, h.A.ID)
		p, err := sd.Drive(ctx, proposal.SeedSpec{FirstProposer: m.ID, Target: proposal.Closed, Units: []int64{h.A.UnitID},
			Content: proposal.Content{Kind: proposal.Individual, Theme: proposal.Society, Title: "关于困难群众帮扶的建议",
				// Names typed in a proposal's own text are published as written (the
				// proposal area's redaction covers ID numbers, phones and e-mail, not names).
				Matter: "贫困户家属（身份证" + idNumber + "，电话13800001111）生活困难。", Analysis: "联系13700002222。",
				Suggestions: "一是……", PublishConsent: true}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Server.Proposals.Publish(ctx, sd.Office, proposal.Ref{ID: p.ID}); err != nil {
			t.Fatal(err)
		}
		id := h.createReport()
		resp := h.post("staff", fmt.Sprintf("/reports/%d/edit", id), url.Values{
			"preamble/before": {"感谢帮扶对象王二妹一家，联系人电话13600003333，身份证" + idNumber + "。"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("prose: %d", resp.StatusCode)
		}
		if resp := h.post("leader", fmt.Sprintf("/reports/%d/finalise", id), url.Values{"version": {"0"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("finalise: %d", resp.StatusCode)
		}
		// A household registered for 三送三帮, its members' names, ID numbers and phones.
		h.Server.Assist.Secret = box
		officer := h.actor("assistance")
		v, err := h.Server.Assist.CreateVillage(ctx, officer, "中安街道", "海坪社区", "")
		if err != nil {
			t.Fatal(err)
		}
		headID := orgIDNumber("53032519750303001")
		if _, err := h.Server.Assist.CreateHousehold(ctx, officer, assist.HouseholdInput{RegistryID: "H001", VillageID: v.ID,
			HeadName: "户主赵大", Attribute: "dibao", CauseMain: "illness", Status: "poor",
			Members: []assist.MemberInput{{Name: "户主赵大", Gender: "male", IDNumber: headID, Relation: "户主", Phone: "13500004444"},
				{Name: "赵小妹", Gender: "female", Relation: "之女"}}}); err != nil {
			t.Fatal(err)
		}
		// Household members; a member who proposed nothing published.
		names := []string{"王二妹", "户主赵大", "赵小妹", h.A.PersonName}
		// Crawl the public site as an anonymous visitor.
		seen := map[string]bool{}
		queue := []string{"/public/reports", "/public/proposals", "/public/proposals.csv", "/public/proposals.json"}
		hrefRE := regexp.MustCompile(`href="(/public/[^"]*)"`)
		for len(queue) > 0 {
			path := queue[0]
			queue = queue[1:]
			if seen[path] {
				continue
			}
			seen[path] = true
			resp := h.get("anon", strings.ReplaceAll(path, "&amp;", "&"))
			body := h.text(resp)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s: %d", path, resp.StatusCode)
				continue
			}
			if m := idNumberRE.FindString(body); m != "" {
				t.Errorf("%s shows an ID number %s", path, m)
			}
			if m := phoneRE.FindString(body); m != "" {
				t.Errorf("%s shows a phone number %s", path, strings.TrimSpace(m))
			}
			for _, n := range names {
				if strings.Contains(body, n) {
					t.Errorf("%s names %s", path, n)
				}
			}
			for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
				queue = append(queue, m[1])
			}
		}
		for _, want := range []string{fmt.Sprintf("/public/reports/%d", id), fmt.Sprintf("/public/reports/%d/figures.csv", id),
			fmt.Sprintf("/public/reports/%d/figures.json", id), fmt.Sprintf("/public/proposals/%d", p.ID)} {
			if !seen[want] {
				t.Errorf("the crawl did not reach %s (%d pages seen)", want, len(seen))
			}
		}
		// The figures are there: the report's frozen value and the proposal in the open data.
		if body := h.text(h.get("anon", fmt.Sprintf("/public/reports/%d/figures.json", id))); !strings.Contains(body, `"id": "proposals.registered"`) {
			t.Errorf("public figures JSON:\n%s", body)
		}
		if body := h.text(h.get("anon", "/public/proposals.csv")); !strings.Contains(body, "关于困难群众帮扶的建议") {
			t.Errorf("open data CSV:\n%s", body)
		}
		// A draft is not public.
		draft := h.post("staff", "/reports", url.Values{"year": {"2025"}})
		loc := draft.Header.Get("Location")
		if resp := h.get("anon", "/public"+loc); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a draft is public: %d", resp.StatusCode)
		}
	})
}
