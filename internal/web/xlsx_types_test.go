package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/activity"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/duty"
	"lvzhi/internal/proposal"
	"lvzhi/internal/sheet"
)

// TestXLSXExportTypes downloads every .xlsx route the web offers and reads
// each workbook back: one sheet named after its content, the heading row
// frozen with filters on, and every column's cells of one real type —
// dates are date cells, counts numbers, rates percentages; no "—" text.
func TestXLSXExportTypes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPropFixture(t, d)
		for _, title := range []string{"导出类型一", "导出类型二"} {
			id := f.created(f.post("member", "/proposals", proposalForm(title)))
			f.act("member", id, "submit", nil)
			if title == "导出类型二" { // the ledger lists registered proposals
				f.act("proposal_office", id, "register", nil)
			}
		}
		if _, err := f.Server.Activities.Create(context.Background(), f.actor("staff"), f.A.ID, activity.Input{Kind: activity.KindResearch,
			Title: "导出调研", StartsOn: civil.MustParse("2026-05-01")}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Server.Activities.EnterPast(context.Background(), f.actor("staff"), f.A.ID, activity.Input{Kind: activity.KindStudy,
			Title: "导出学习", StartsOn: civil.Today().AddDays(-1)}, []activity.PastRow{{PersonID: f.A.PersonID, Status: activity.Attended}}); err != nil {
			t.Fatal(err)
		}
		seedAssist(t, f.harness)
		if _, err := f.Server.Duty.CopyPreset(context.Background(), f.actor("staff"), f.A.ID, civil.Today().Year, duty.PresetTongcheng); err != nil {
			t.Fatal(err)
		}
		// One proposal entered with its past, for the ledger's export.
		year := db.Now().Year()
		day := func(md string) civil.Date { return civil.MustParse(fmt.Sprintf("%d-%s", year, md)) }
		if _, err := f.Server.Proposals.Backfill(t.Context(), f.actor("proposal_office"), proposal.History{
			Content: proposal.Content{Kind: proposal.Individual, Theme: proposal.Economy, Title: "台账导出", Matter: "案由",
				Analysis: "分析", Suggestions: "建议", SessionID: f.A.SessionID},
			FirstProposer: f.A.MembershipID, SubmittedOn: day("01-05"), Registered: &proposal.Registration{On: day("01-15")},
			Assigned: &proposal.HistoryAssignment{On: day("01-20"), Mode: proposal.Single, Units: []int64{f.A.UnitID}}}); err != nil {
			t.Fatal(err)
		}
		// route pattern → request and the kind (by heading) of columns that must hold values.
		type want struct {
			role, path string
			kinds      map[string]string // heading → "date", "number", "percent", "string"
			template   bool              // an import template: heading and frozen row only
			several    bool              // a workbook of several sheets (a report: figures, then records); the first is checked
		}
		cases := map[string]want{
			"GET /org/export/members.xlsx": {role: "leader", path: "/org/export/members.xlsx?status=all",
				kinds: map[string]string{"姓名": "string"}},
			"GET /org/export/units.xlsx": {role: "leader", path: "/org/export/units.xlsx",
				kinds: map[string]string{"单位名称": "string"}},
			"GET /org/templates/members.xlsx": {role: "staff", path: "/org/templates/members.xlsx", template: true},
			"GET /org/templates/units.xlsx":   {role: "staff", path: "/org/templates/units.xlsx", template: true},
			"GET /proposals/export.xlsx": {role: "proposal_office", path: "/proposals/export.xlsx",
				kinds: map[string]string{"提交日期": "date", "案由（标题）": "string"}},
			"GET /proposals/figures/export.xlsx": {role: "proposal_office", path: "/proposals/figures/export.xlsx?subtree=0",
				kinds: map[string]string{"数值": "number", "指标": "string", "比例": "percent"}},
			"GET /figures/export.xlsx": {role: "proposal_office", path: "/figures/export.xlsx?subtree=0",
				kinds: map[string]string{"数值": "number", "基数": "number", "比例": "percent"}},
			"GET /figures/records.xlsx": {role: "proposal_office", path: "/figures/records.xlsx?fig=proposals.received&subtree=0",
				kinds: map[string]string{"提交日期": "date", "案由": "string"}},
			"GET /proposals/figures/records.xlsx": {role: "proposal_office", path: "/proposals/figures/records.xlsx?fig=proposals.received&subtree=0",
				kinds: map[string]string{"提交日期": "date"}},
			"GET /activities/export.xlsx": {role: "staff", path: "/activities/export.xlsx",
				kinds: map[string]string{"名称": "string", "日期": "date", "应参加": "number"}},
			"GET /consult/attendance.xlsx": {role: "leader", path: "/consult/attendance.xlsx",
				kinds: map[string]string{"委员": "string", "应参加": "number", "出席率": "percent"}},
			"GET /duty/scores.xlsx": {role: "staff", path: "/duty/scores.xlsx",
				kinds: map[string]string{"名次": "number", "委员": "string", "总分": "number", "等次": "string"}},
			"GET /activities/import/template.xlsx": {role: "staff", path: "/activities/import/template.xlsx", template: true},
			"GET /units/league.xlsx": {role: "proposal_office", path: "/units/league.xlsx",
				kinds: map[string]string{"承办单位": "string"}},
			"GET /reports/{id}/export.xlsx": {role: "staff", path: fmt.Sprintf("/reports/%d/export.xlsx", f.createReport()),
				kinds: map[string]string{"数值": "number", "基数": "number", "指标": "string"}, several: true},
			"GET /proposals/ledger/template.xlsx": {role: "proposal_office", path: "/proposals/ledger/template.xlsx", template: true},
			"GET /proposals/ledger/export.xlsx": {role: "proposal_office", path: fmt.Sprintf("/proposals/ledger/export.xlsx?session_id=%d", f.A.SessionID),
				kinds: map[string]string{"提案编号*": "string", "案题*": "string", "提交日期*": "date"}},
			"GET /assist/households.xlsx": {role: "leader", path: "/assist/households.xlsx", kinds: map[string]string{}},
			"GET /assist/records.xlsx":    {role: "leader", path: "/assist/records.xlsx", kinds: map[string]string{}},
			"GET /assist/needs.xlsx":      {role: "leader", path: "/assist/needs.xlsx", kinds: map[string]string{"采集日期": "date"}},
			"GET /assist/breakdown.xlsx": {role: "leader", path: "/assist/breakdown.xlsx?by=kind",
				kinds: map[string]string{"帮扶类型": "string", "帮扶次数": "number", "帮扶资金（元）": "number"}},
			"GET /assist/bulletin.xlsx": {role: "leader", path: "/assist/bulletin.xlsx",
				kinds: map[string]string{"本季度": "number", "指标": "string"}},
			"GET /assist/import/template.xlsx":        {role: "assistance", path: "/assist/import/template.xlsx", template: true},
			"GET /assist/import/ledger-template.xlsx": {role: "assistance", path: "/assist/import/ledger-template.xlsx", template: true},
		}
		for _, p := range f.Server.patterns {
			if strings.HasSuffix(p, ".xlsx") {
				if _, ok := cases[p]; !ok {
					t.Errorf("%s: an .xlsx route this test does not download", p)
				}
			}
		}
		for pattern, c := range cases {
			resp := f.get(c.role, c.path)
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != sheet.ContentType {
				t.Errorf("%s: %d %s %s", pattern, resp.StatusCode, resp.Header.Get("Content-Type"), snippet(string(b)))
				continue
			}
			if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''") {
				t.Errorf("%s: disposition %q", pattern, cd)
			}
			x, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Errorf("%s: %v", pattern, err)
				continue
			}
			checkWorkbook(t, pattern, x, c.kinds, c.template, c.several)
			x.Close()
		}
		// The list's download is named with committee, list and day.
		resp := f.get("proposal_office", "/proposals/export.xlsx")
		f.text(resp)
		if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "UTF-8''"+attrEscapeForTest(f.A.Name+"-提案-")) {
			t.Errorf("proposal export name: %q", cd)
		}
	})
}

func attrEscapeForTest(s string) string {
	d := sheet.Disposition(s)
	return d[strings.Index(d, "UTF-8''")+len("UTF-8''"):]
}

// checkWorkbook holds one downloaded workbook to the export rules.
func checkWorkbook(t *testing.T, name string, x *excelize.File, kinds map[string]string, template, several bool) {
	t.Helper()
	sheets := x.GetSheetList()
	if !template && ((len(sheets) != 1 && !several) || sheets[0] == "Sheet1") {
		t.Errorf("%s: sheets %v, want one named after its content", name, sheets)
		return
	}
	sh := sheets[0]
	panes, err := x.GetPanes(sh)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("%s: heading not frozen: %+v %v", name, panes, err)
	}
	if template {
		return
	}
	filtered := false
	for _, dn := range x.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" && strings.Contains(dn.RefersTo, "$A$1") {
			filtered = true
		}
	}
	if !filtered {
		t.Errorf("%s: no auto-filter on the heading", name)
	}
	rows, err := x.GetRows(sh)
	if err != nil || len(rows) < 2 {
		t.Errorf("%s: rows %d %v", name, len(rows), err)
		return
	}
	heads := rows[0]
	for col, head := range heads {
		seen := map[string]int{}
		for r := 2; r <= len(rows); r++ {
			cell, _ := excelize.CoordinatesToCellName(col+1, r)
			k, v := cellKind(t, x, sh, cell)
			if k == "" {
				continue
			}
			if v == "—" {
				t.Errorf("%s %s: %q is text standing in for an empty value", name, cell, v)
			}
			seen[k]++
		}
		if len(seen) > 1 {
			t.Errorf("%s column %q: mixed cell types %v", name, head, seen)
		}
		if want, ok := kinds[head]; ok && seen[want] == 0 {
			t.Errorf("%s column %q: want %s cells, got %v", name, head, want, seen)
		}
		switch {
		case strings.Contains(head, "比例") && len(seen) > 0 && seen["percent"] == 0:
			t.Errorf("%s column %q: a rate column without percentage cells: %v", name, head, seen)
		case strings.Contains(head, "日期") && len(seen) > 0 && seen["date"] == 0:
			t.Errorf("%s column %q: a date column without date cells: %v", name, head, seen)
		}
	}
	for h := range kinds {
		found := false
		for _, x := range heads {
			found = found || x == h
		}
		if !found {
			t.Errorf("%s: no column %q in %v", name, h, heads)
		}
	}
}

// cellKind is what a cell holds: "" (empty), "string", "number", "date" or "percent".
func cellKind(t *testing.T, x *excelize.File, sh, cell string) (string, string) {
	v, err := x.GetCellValue(sh, cell)
	if err != nil {
		t.Fatal(err)
	}
	if v == "" {
		return "", v
	}
	ct, err := x.GetCellType(sh, cell)
	if err != nil {
		t.Fatal(err)
	}
	switch ct {
	case excelize.CellTypeSharedString, excelize.CellTypeInlineString:
		return "string", v
	case excelize.CellTypeUnset, excelize.CellTypeNumber:
	default:
		return "other", v
	}
	sid, err := x.GetCellStyle(sh, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := x.GetStyle(sid)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case st.CustomNumFmt != nil && *st.CustomNumFmt == sheet.DateFormat:
		return "date", v
	case st.CustomNumFmt != nil && strings.HasSuffix(*st.CustomNumFmt, "%"):
		return "percent", v
	}
	return "number", v
}
