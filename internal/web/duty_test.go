package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/account"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/duty"
	"lvzhi/internal/fixture"
	"lvzhi/internal/org"
)

// dutyWorld gives county A this year's Tongcheng rules, a second member
// (李明) with an adjustment, and returns that member's membership.
func dutyWorld(t *testing.T, h *harness) (int64, int) {
	t.Helper()
	ctx := context.Background()
	year := civil.Today().Year
	admin := fixture.Admin(h.Committees[h.A.ID])
	if _, err := h.Server.Duty.CopyPreset(ctx, admin, h.A.ID, year, duty.PresetTongcheng); err != nil {
		t.Fatal(err)
	}
	other := h.W.Member(h.Committees[h.A.ID], org.MemberInput{Name: "甲委员李明", TermID: h.A.TermID})
	for _, m := range []struct {
		id  int64
		pts int64
		why string
	}{{other.ID, 4250, "甲隐私理由"}, {h.A.MembershipID, 300, "参加县外调研"}} {
		if _, err := h.Server.Duty.Adjust(ctx, admin, h.A.ID, duty.AdjustInput{MembershipID: m.id,
			Date: civil.Date{Year: year, Month: 3, Day: 1}, Points: m.pts, Reason: m.why}); err != nil {
			t.Fatal(err)
		}
	}
	return other.ID, year
}

// TestDutyPermissions tries what each role must not do: a member never sees
// another member's record or the score table; the foreign county sees nothing.
func TestDutyPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		other, year := dutyWorld(t, h)
		mine := fmt.Sprintf("/duty/members/%d?year=%d", h.A.MembershipID, year)
		theirs := fmt.Sprintf("/duty/members/%d?year=%d", other, year)
		adjust := url.Values{"membership_id": {fmt.Sprint(other)}, "year": {fmt.Sprint(year)},
			"date": {fmt.Sprintf("%d-05-01", year)}, "points": {"1"}, "reason": {"补记"}}
		runPermCases(t, h, []permCase{
			{"anon", "GET", "/duty", nil, 303},
			{"unit", "GET", "/duty", nil, 403},
			{"proposal_office", "GET", "/duty/rules", nil, 403},
			{"member", "GET", theirs, nil, 404},
			{"member", "GET", "/duty/scores.xlsx", nil, 403},
			{"member", "POST", "/duty/adjustments", adjust, 403},
			{"member", "POST", "/duty/recompute", url.Values{"year": {fmt.Sprint(year)}}, 403},
			{"member", "POST", "/duty/rules/new", url.Values{"year": {"2030"}, "preset": {"minhang"}}, 403},
			{"leader", "POST", "/duty/adjustments", adjust, 403},
			{"other_admin", "GET", theirs, nil, 404},
			{"other_admin", "POST", "/duty/adjustments", adjust, 404},
			{"other_member", "GET", mine, nil, 404},
			{"member", "GET", "/duty", nil, 303},
			{"member", "GET", mine, nil, 200},
			{"leader", "GET", theirs, nil, 200},
			{"staff", "GET", "/duty", nil, 200},
			{"staff", "POST", "/duty/adjustments", adjust, 303},
		})
		// The member's own page never shows the other member's name or reasons.
		body := h.text(h.get("member", mine))
		for _, leak := range []string{"甲委员李明", "甲隐私理由"} {
			if strings.Contains(body, leak) {
				t.Errorf("member's own record shows %q", leak)
			}
		}
		if !strings.Contains(body, "人工调整") || !strings.Contains(body, ">3<") {
			t.Errorf("member's record lacks their entry: %s", snippet(body))
		}
	})
}

// TestDutyPages: the score table ranks and grades, the export is a real
// .xlsx with numbers, recompute reports agreement, a member appeals an entry
// and staff uphold it, the rules editor saves and reports bad fields.
func TestDutyPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		other, year := dutyWorld(t, h)
		body := h.text(h.get("staff", fmt.Sprintf("/duty?year=%d", year)))
		if !strings.Contains(body, "甲委员李明") || !strings.Contains(body, "42.5") || !strings.Contains(body, "不称职") {
			t.Fatalf("score table: %s", snippet(body))
		}
		resp := h.get("staff", fmt.Sprintf("/duty/scores.xlsx?year=%d", year))
		if resp.StatusCode != 200 {
			t.Fatalf("export: %d", resp.StatusCode)
		}
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body)
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows(x.GetSheetName(0))
		if len(rows) != 3 || rows[1][1] != "甲委员李明" || rows[1][0] != "1" {
			t.Fatalf("export rows %v", rows)
		}
		if typ, _ := x.GetCellType(x.GetSheetName(0), "A2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("rank exported as text")
		}
		body = h.text(h.post("staff", "/duty/recompute", url.Values{"year": {fmt.Sprint(year)}}))
		if !strings.Contains(body, "记分台账与原始记录一致") {
			t.Fatalf("recompute: %s", snippet(body))
		}

		// A member appeals an entry of their own; staff uphold it with 2 points.
		rec, err := h.Server.Duty.Record(context.Background(), h.actor("member"), h.A.ID, h.A.MembershipID, year)
		if err != nil || len(rec.Entries) != 1 {
			t.Fatalf("record: %v %+v", err, rec)
		}
		resp = h.post("member", "/duty/appeals", url.Values{"entry_id": {fmt.Sprint(rec.Entries[0].ID)},
			"membership_id": {fmt.Sprint(h.A.MembershipID)}, "year": {fmt.Sprint(year)}, "reason": {"调研共两次"}})
		if resp.StatusCode != 303 {
			t.Fatalf("appeal: %d %s", resp.StatusCode, snippet(h.text(resp)))
		}
		// Another member's entry cannot be appealed (not found).
		theirs, _ := h.Server.Duty.Record(context.Background(), h.actor("staff"), h.A.ID, other, year)
		resp = h.post("member", "/duty/appeals", url.Values{"entry_id": {fmt.Sprint(theirs.Entries[0].ID)}, "reason": {"x"}})
		if resp.StatusCode != 404 {
			t.Fatalf("appeal of another's entry: %d", resp.StatusCode)
		}
		as, _ := h.Server.Duty.Appeals(context.Background(), h.actor("staff"), h.A.ID, duty.AppealOpen)
		if len(as) != 1 {
			t.Fatalf("open appeals %d", len(as))
		}
		resp = h.post("staff", fmt.Sprintf("/duty/appeals/%d/decide", as[0].ID), url.Values{"action": {"uphold"},
			"note": {"属实"}, "points": {"2x"}, "version": {fmt.Sprint(as[0].Version)}})
		if resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != 400 {
			t.Fatalf("bad points: %d", resp.StatusCode)
		}
		resp = h.post("staff", fmt.Sprintf("/duty/appeals/%d/decide", as[0].ID), url.Values{"action": {"uphold"},
			"note": {"属实"}, "points": {"2"}, "version": {fmt.Sprint(as[0].Version)}})
		if resp.StatusCode != 303 {
			t.Fatalf("uphold: %d %s", resp.StatusCode, snippet(h.text(resp)))
		}
		body = h.text(h.get("member", fmt.Sprintf("/duty/members/%d?year=%d", h.A.MembershipID, year)))
		if !strings.Contains(body, "已支持") || !strings.Contains(body, ">5<") {
			t.Fatalf("record after uphold: %s", snippet(body))
		}

		// The rules editor: a bad cap is named; a good edit saves and rescores.
		rs, _ := h.Server.Duty.RuleSet(context.Background(), h.actor("staff"), h.A.ID, year)
		form := url.Values{"year": {fmt.Sprint(year)}, "version": {fmt.Sprint(rs.Version)}, "base_score": {"10"},
			"max_score": {"100"}, "band_excellent": {"90"}, "band_good": {"80"}, "band_competent": {"60"},
			"exit_absences": {"3"}, "exit_incompetent": {"2"},
			"categories[0].code": {"adjustment"}, "categories[0].cap": {"abc"}}
		resp = h.post("staff", "/duty/rules", form)
		body = h.text(resp)
		if resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != 400 || !strings.Contains(body, `data-for="categories[0].cap"`) {
			t.Fatalf("bad cap: %d %s", resp.StatusCode, snippet(body))
		}
		form.Set("categories[0].cap", "0")
		if resp = h.post("staff", "/duty/rules", form); resp.StatusCode != 303 {
			t.Fatalf("save rules: %d %s", resp.StatusCode, snippet(h.text(resp)))
		}
		y, _ := h.Server.Duty.Scores(context.Background(), h.actor("staff"), h.A.ID, year)
		if y.Scores[0].Total != 1000+4250 {
			t.Errorf("after the base score of 10: %d", y.Scores[0].Total)
		}
		// Next year's rules: copied from a preset, then refused twice; this year's stay.
		next := url.Values{"year": {fmt.Sprint(year + 1)}, "preset": {duty.PresetMinhang}}
		if resp := h.post("staff", "/duty/rules/new", next); resp.StatusCode != 303 {
			t.Fatalf("copy preset: %d %s", resp.StatusCode, snippet(h.text(resp)))
		}
		if resp := h.post("staff", "/duty/rules/new", next); resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != 400 {
			t.Fatalf("second copy: %d", resp.StatusCode)
		}
		body = h.text(h.get("staff", fmt.Sprintf("/duty/rules?year=%d", year+1)))
		if !strings.Contains(body, "闵行") || !strings.Contains(body, `name="rules[0].points"`) {
			t.Fatalf("rules page: %s", snippet(body))
		}
		if y2, _ := h.Server.Duty.Scores(context.Background(), h.actor("staff"), h.A.ID, year); y2.Scores[0].Total != y.Scores[0].Total {
			t.Errorf("next year's rules changed this year's scores")
		}
	})
}

// dutyUpload posts a past year's score sheet as role.
func dutyUpload(h *harness, role string, year int, file []byte) *http.Response {
	h.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("year", fmt.Sprint(year))
	fw, _ := mw.CreateFormFile("file", "往年考核.xlsx")
	_, _ = fw.Write(file)
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, h.URL+"/duty/import", &body)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return h.do(role, req)
}

// TestDutyImportPage: a bad sheet lists each row's problem and writes
// nothing; a good one is imported and shows in the member's history.
func TestDutyImportPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		year := civil.Today().Year - 1
		bad := orgBook(t, [][]string{{"姓名", "得分", "等次"}, {h.A.PersonName, "八十", "良好"}, {"查无此人", "70", "称职"}})
		if resp := dutyUpload(h, "member", year, bad); resp.StatusCode != 403 {
			t.Fatalf("member upload: %d", resp.StatusCode)
		}
		resp := dutyUpload(h, "staff", year, bad)
		body := h.text(resp)
		if resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != 400 || !strings.Contains(body, "第2行") || !strings.Contains(body, "第3行") {
			t.Fatalf("bad sheet: %d %s", resp.StatusCode, snippet(body))
		}
		good := orgBook(t, [][]string{{"姓名", "得分", "等次"}, {h.A.PersonName, "82.5", "良好"}})
		if resp := dutyUpload(h, "staff", year, good); resp.StatusCode != 303 {
			t.Fatalf("good sheet: %d %s", resp.StatusCode, snippet(h.text(resp)))
		}
		body = h.text(h.get("member", fmt.Sprintf("/duty/members/%d?year=%d", h.A.MembershipID, year)))
		if !strings.Contains(body, "82.5") || !strings.Contains(body, "导入") {
			t.Fatalf("history lacks the imported year: %s", snippet(body))
		}
	})
}

// TestDutyReportPage: a standing member writes their annual duty report on
// their record; another member may not post it.
func TestDutyReportPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		year := civil.Today().Year
		m := h.W.Member(h.Committees[h.A.ID], org.MemberInput{Name: "甲常委钱七", TermID: h.A.TermID, Standing: true})
		u := h.W.Account(h.Committees[h.A.ID], account.NewUser{Username: "h_standing", DisplayName: "钱七", Password: harnessPassword,
			Roles: []auth.Role{auth.RoleMember}, PersonID: m.PersonID})
		h.Users["standing"], h.Usernames["standing"] = u.ID, u.Username
		path := fmt.Sprintf("/duty/members/%d/report", m.ID)
		form := url.Values{"year": {fmt.Sprint(year)}, "version": {"0"}, "body": {"一年来，我认真履职。"}}
		if resp := h.post("member", path, form); resp.StatusCode != 404 {
			t.Fatalf("another member posts the report: %d", resp.StatusCode)
		}
		if resp := h.post("staff", path, form); resp.StatusCode != 403 {
			t.Fatalf("staff post the report: %d", resp.StatusCode)
		}
		if body := h.text(h.get("standing", fmt.Sprintf("/duty/members/%d?year=%d", m.ID, year))); !strings.Contains(body, `name="body"`) {
			t.Fatalf("the standing member's record has no report form: %s", snippet(body))
		}
		if resp := h.post("standing", path, form); resp.StatusCode != 303 {
			t.Fatalf("report: %d %s", resp.StatusCode, snippet(h.text(resp)))
		}
		body := h.text(h.get("staff", fmt.Sprintf("/duty/members/%d?year=%d", m.ID, year)))
		if !strings.Contains(body, "一年来，我认真履职。") || strings.Contains(body, `name="body"`) {
			t.Fatalf("staff view of the report: %s", snippet(body))
		}
	})
}
