package web

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// seedReportProposal drives one proposal of county A to CLOSED (class A, satisfied).
func (h *harness) seedReportProposal() {
	h.t.Helper()
	sd := proposal.NewSeeder(h.Server.Proposals, h.A.ID)
	_, err := sd.Drive(context.Background(), proposal.SeedSpec{FirstProposer: h.A.MembershipID, Target: proposal.Closed,
		Units: []int64{h.A.UnitID}, Content: proposal.Content{Kind: proposal.Individual, Theme: proposal.Economy,
			Title: "关于加快乡村振兴产业发展的建议", Matter: "关于乡村振兴的提案", Analysis: "现状。", Suggestions: "一是……"}})
	h.must(err)
}

// createReport creates county A's report of this year as staff and returns its id.
func (h *harness) createReport() int64 {
	h.t.Helper()
	resp := h.post("staff", "/reports", url.Values{"year": {strconv.Itoa(db.Now().Year())}})
	if resp.StatusCode != http.StatusSeeOther {
		h.t.Fatalf("create report: %d %s", resp.StatusCode, snippet(h.text(resp)))
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(resp.Header.Get("Location"), "/reports/"), 10, 64)
	h.must(err)
	return id
}

// TestReportPages: staff create a report, write prose, see live figures
// linking to their records, print and export it, finalise it; then the
// figures link to the frozen records and the report refuses edits.
func TestReportPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		h.seedReportProposal()
		id := h.createReport()
		path := fmt.Sprintf("/reports/%d", id)
		body := h.text(h.get("staff", path))
		year := strconv.Itoa(db.Now().Year())
		for _, want := range []string{"提高提案质量，推动办理落实", "提案所提事项已解决和正在解决的达1件，占总数的100%",
			"/figures/records?committee=" + strconv.FormatInt(h.A.ID, 10), "fig=proposals.solved", "year=" + year,
			"加强委员管理，激励担当履职", "/reports/" + strconv.FormatInt(id, 10) + "/finalise"} { // every area built: every section
			if !strings.Contains(body, want) && !strings.Contains(body, strings.ReplaceAll(want, "&", "&amp;")) {
				t.Errorf("report page lacks %q", want)
			}
		}
		// The figure link opens its records, as many as the figure says.
		rec := h.text(h.get("staff", "/figures/records?committee="+strconv.FormatInt(h.A.ID, 10)+"&subtree=0&year="+year+"&fig=proposals.solved"))
		if !strings.Contains(rec, "关于加快乡村振兴产业发展的建议") {
			t.Errorf("records page lacks the proposal:\n%s", snippet(rec))
		}
		// Prose.
		edit := h.text(h.get("staff", path+"/edit"))
		version := between(edit, `name="version" value="`, `"`)
		resp := h.post("staff", path+"/edit", url.Values{"version": {version}, "title": {"县政协常委会工作报告"},
			"preamble/before": {"过去一年，县政协围绕中心、服务大局。"}, "proposal/after": {"提案工作取得新成效。"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d %s", resp.StatusCode, snippet(h.text(resp)))
		}
		body = h.text(h.get("staff", path))
		for _, want := range []string{"县政协常委会工作报告", "过去一年，县政协围绕中心、服务大局。", "提案工作取得新成效。"} {
			if !strings.Contains(body, want) {
				t.Errorf("report page lacks %q", want)
			}
		}
		// A field error in Chinese, nothing written.
		resp = h.post("staff", path+"/edit", url.Values{"version": {"x"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(h.text(resp), "errorbox") {
			t.Errorf("bad version: %d", resp.StatusCode)
		}
		// The printable page: the report alone, with the A4 stylesheet.
		pr := h.text(h.get("staff", path+"/print"))
		if !strings.Contains(pr, "/static/report.css") || strings.Contains(pr, "mainnav") || !strings.Contains(pr, "提案工作取得新成效。") {
			t.Errorf("print page:\n%s", snippet(pr))
		}
		css := h.text(h.get("staff", "/static/report.css"))
		if !strings.Contains(css, "size: A4") || !strings.Contains(css, "@media print") {
			t.Error("print CSS")
		}
		// Exports.
		resp = h.get("staff", path+"/export.docx")
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "wordprocessingml") {
			t.Fatalf("docx: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if text := docxDocument(t, raw); !strings.Contains(text, "提案所提事项已解决和正在解决的达1件") {
			t.Errorf("docx text: %s", text)
		}
		resp = h.get("staff", path+"/export.xlsx")
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
			t.Errorf("xlsx: %d", resp.StatusCode)
		}
		// Finalise: frozen links, no more edits.
		body = h.text(h.get("leader", path))
		version = between(body, `name="version" value="`, `"`)
		resp = h.post("leader", path+"/finalise", url.Values{"version": {version}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("finalise: %d %s", resp.StatusCode, snippet(h.text(resp)))
		}
		body = h.text(h.get("member", path))
		frozenLink := path + "/records?fig=proposals.solved"
		if !strings.Contains(body, frozenLink) || strings.Contains(body, "/finalise") || strings.Contains(body, "/edit") {
			t.Errorf("final report page:\n%s", snippet(body))
		}
		if rec := h.text(h.get("member", frozenLink)); !strings.Contains(rec, "关于加快乡村振兴产业发展的建议") {
			t.Errorf("frozen records:\n%s", snippet(rec))
		}
		if resp := h.post("staff", path+"/edit", url.Values{"proposal/after": {"改"}}); resp.StatusCode != http.StatusConflict {
			t.Errorf("edit after finalising: %d", resp.StatusCode)
		}
	})
}

// between returns the text of s between the first from and the next to.
func between(s, from, to string) string {
	_, rest, _ := strings.Cut(s, from)
	v, _, _ := strings.Cut(rest, to)
	return v
}

// docxDocument returns the text of a .docx's word/document.xml.
func docxDocument(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			defer rc.Close()
			x, _ := io.ReadAll(rc)
			return string(x)
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

// TestReportPermissions: what each role must NOT do with reports.
func TestReportPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		id := h.createReport()
		p := fmt.Sprintf("/reports/%d", id)
		year := url.Values{"year": {strconv.Itoa(db.Now().Year() - 1)}}
		text := url.Values{"proposal/before": {"x"}}
		var cases []permCase
		// A draft: only staff and leaders of county A see or touch it.
		for _, role := range []string{"member", "proposal_office", "admin", "assistance", "unit", "other_admin", "other_member", "prefecture"} {
			want := http.StatusNotFound
			cases = append(cases, permCase{role, "GET", p, nil, want}, permCase{role, "GET", p + "/print", nil, want},
				permCase{role, "GET", p + "/export.docx", nil, want}, permCase{role, "GET", p + "/export.xlsx", nil, want},
				permCase{role, "POST", p + "/finalise", url.Values{"version": {"0"}}, want})
		}
		for _, role := range []string{"member", "proposal_office", "admin", "assistance", "unit"} {
			// Creating and editing need the role, whatever the report.
			cases = append(cases, permCase{role, "POST", "/reports", year, http.StatusForbidden},
				permCase{role, "POST", p + "/edit", text, http.StatusForbidden})
		}
		for _, role := range []string{"other_admin", "prefecture"} {
			// Staff of county B and of the prefecture edit their own committee's reports only.
			cases = append(cases, permCase{role, "POST", p + "/edit", text, http.StatusNotFound})
		}
		cases = append(cases, permCase{"unit", "GET", "/reports", nil, http.StatusForbidden},
			permCase{"anon", "GET", "/reports", nil, http.StatusSeeOther},
			permCase{"anon", "GET", p, nil, http.StatusSeeOther},
			permCase{"anon", "POST", p + "/finalise", url.Values{"version": {"0"}}, http.StatusUnauthorized},
			permCase{"leader", "POST", p + "/finalise", url.Values{"version": {"0"}}, http.StatusSeeOther})
		// Final: members and the other readers of A read it; nobody edits; others find nothing.
		for _, role := range []string{"member", "proposal_office", "admin", "assistance", "staff"} {
			cases = append(cases, permCase{role, "GET", p, nil, http.StatusOK})
		}
		for _, role := range []string{"unit", "other_admin", "other_member", "prefecture"} {
			cases = append(cases, permCase{role, "GET", p, nil, http.StatusNotFound},
				permCase{role, "GET", p + "/records?fig=proposals.solved", nil, http.StatusNotFound})
		}
		cases = append(cases, permCase{"staff", "POST", p + "/edit", text, http.StatusConflict},
			permCase{"leader", "POST", p + "/finalise", url.Values{"version": {"0"}}, http.StatusConflict},
			permCase{"member", "POST", p + "/edit", text, http.StatusForbidden})
		runPermCases(t, h, cases)
	})
}

// TestReportDashboard: the charts' tables link each bar to its records, the
// charts of unregistered areas are named, and what each role must not see.
func TestReportDashboard(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		h.seedReportProposal()
		body := h.text(h.get("staff", "/reports/dashboard"))
		unit := "unit=" + strconv.FormatInt(h.A.UnitID, 10)
		for _, want := range []string{"提案办理进度", "各承办单位承办的提案", h.A.UnitName, unit, "fig=proposals.registered",
			`id="dash-data"`, "/static/report_dash.js", "各类履职活动", "各承办单位超期未办复的提案", "各类活动分月分布（热力图）",
			"各月委员出席活动人次", `"kind":"heatmap"`, `"row":"调研"`, "dash-heat", `<table class="heat">`, `<th scope="row">调研</th>`} {
			if !strings.Contains(body, want) && !strings.Contains(body, strings.ReplaceAll(want, "&", "&amp;")) {
				t.Errorf("dashboard lacks %q", want)
			}
		}
		link := between(body, `href="/figures/records?`, `"`)
		if !strings.Contains(link, "fig=") {
			t.Fatalf("no records link: %q", link)
		}
		runPermCases(t, h, []permCase{
			{"member", "GET", "/reports/dashboard", nil, http.StatusForbidden},
			{"unit", "GET", "/reports/dashboard", nil, http.StatusForbidden},
			{"other_admin", "GET", fmt.Sprintf("/reports/dashboard?committee=%d", h.A.ID), nil, http.StatusNotFound},
			{"prefecture", "GET", fmt.Sprintf("/reports/dashboard?committee=%d", h.A.ID), nil, http.StatusOK},
			{"anon", "GET", "/reports/dashboard", nil, http.StatusSeeOther},
		})
	})
}

// TestReportRollUpPage: the prefecture reads its counties side by side, each
// cell opening its records; a county cannot read the prefecture.
func TestReportRollUpPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		h.seedReportProposal()
		body := h.text(h.get("prefecture", "/reports/rollup"))
		for _, want := range []string{h.A.Name, h.B.Name, "合计", "fig=proposals.registered",
			"committee=" + strconv.FormatInt(h.A.ID, 10)} {
			if !strings.Contains(body, want) && !strings.Contains(body, strings.ReplaceAll(want, "&", "&amp;")) {
				t.Errorf("roll-up lacks %q", want)
			}
		}
		runPermCases(t, h, []permCase{
			{"staff", "GET", fmt.Sprintf("/reports/rollup?committee=%d", h.Pref.ID), nil, http.StatusNotFound},
			{"other_admin", "GET", fmt.Sprintf("/reports/rollup?committee=%d", h.A.ID), nil, http.StatusNotFound},
			{"member", "GET", "/reports/rollup", nil, http.StatusForbidden},
			{"prefecture", "GET", "/reports/rollup?level=county", nil, http.StatusOK},
			{"prefecture", "GET", "/reports/rollup?level=village", nil, http.StatusUnprocessableEntity},
		})
	})
}

// TestReportBulletinPages: the proposal summary and the 三送三帮 bulletin
// render, print and export; members and other counties must not read them.
func TestReportBulletinPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		h.seedReportProposal()
		year := strconv.Itoa(db.Now().Year())
		body := h.text(h.get("staff", "/reports/bulletins?kind=proposal_summary&year="+year))
		for _, want := range []string{"年度提案办理情况汇报", "提案所提事项已解决和正在解决的达1件", "fig=proposals.solved", "bulletins.docx"} {
			if !strings.Contains(body, want) {
				t.Errorf("summary lacks %q", want)
			}
		}
		body = h.text(h.get("staff", "/reports/bulletins?kind=assist_quarter&year="+year+"&quarter=2"))
		if !strings.Contains(body, "第2季度") {
			t.Errorf("bulletin:\n%s", snippet(body))
		}
		resp := h.get("staff", "/reports/bulletins.docx?kind=proposal_summary&year="+year)
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(docxDocument(t, raw), "提案所提事项已解决和正在解决的达1件") {
			t.Errorf("summary docx: %d", resp.StatusCode)
		}
		runPermCases(t, h, []permCase{
			{"member", "GET", "/reports/bulletins", nil, http.StatusForbidden},
			{"other_admin", "GET", fmt.Sprintf("/reports/bulletins?committee=%d", h.A.ID), nil, http.StatusNotFound},
			{"staff", "GET", "/reports/bulletins?kind=assist_quarter&quarter=5", nil, http.StatusUnprocessableEntity},
			{"staff", "GET", "/reports/bulletins?kind=nosuch", nil, http.StatusNotFound},
		})
	})
}
