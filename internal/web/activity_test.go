package web

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// actCreated returns the activity id a create redirect points to.
func actCreated(t *testing.T, resp *http.Response) int64 {
	t.Helper()
	m := regexp.MustCompile(`^/activities/(\d+)\?`).FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func wantStatus(t *testing.T, what string, resp *http.Response, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s: status %d, want %d (%s)", what, resp.StatusCode, want, resp.Header.Get("Location"))
	}
}

// TestActivityPages drives an activity through the web pages: staff create
// it, a member signs up and asks for leave, the leader approves it, staff
// start it and record attendance; the member's calendar and feed show it; the
// list exports; another committee sees nothing.
func TestActivityPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		today := civil.Today()
		day := today.AddDays(3).String()
		// Bad input is a field error in Chinese, nothing written.
		bad := h.post("staff", "/activities", url.Values{"kind": {"research"}, "title": {"调研"}, "starts_on": {"2026-02-30"}})
		wantStatus(t, "bad date", bad, http.StatusUnprocessableEntity)
		if body := h.text(bad); !strings.Contains(body, "日期不存在") && !strings.Contains(body, "ferr") {
			t.Fatalf("no field error: %s", snippet(body))
		}
		wantStatus(t, "member creates", h.post("member", "/activities", url.Values{"kind": {"research"}, "title": {"x"}, "starts_on": {day}}), http.StatusForbidden)
		id := actCreated(t, h.post("staff", "/activities", url.Values{"kind": {"research"}, "title": {"乡村振兴专题调研"},
			"starts_on": {day}, "starts_at": {"09:00"}, "ends_at": {"11:00"}, "place": {"富村镇"}, "capacity": {"10"}}))
		page := "/activities/" + strconv.FormatInt(id, 10)
		if body := h.text(h.get("member", page)); !strings.Contains(body, "乡村振兴专题调研") || !strings.Contains(body, `action="`+page+`/sign_up"`) {
			t.Fatalf("member page lacks the sign-up form: %s", snippet(body))
		}
		wantStatus(t, "sign up", h.post("member", page+"/sign_up", nil), http.StatusSeeOther)
		wantStatus(t, "leave without reason", h.post("member", page+"/request_leave", url.Values{"reason": {""}}), http.StatusUnprocessableEntity)
		wantStatus(t, "leave", h.post("member", page+"/request_leave", url.Values{"reason": {"出差"}}), http.StatusSeeOther)
		// The leader decides from the queue.
		queue := h.text(h.get("leader", "/activities/leaves"))
		m := regexp.MustCompile(`/activities/attendance/(\d+)/approve_leave`).FindStringSubmatch(queue)
		if m == nil {
			t.Fatalf("leave queue: %s", snippet(queue))
		}
		wantStatus(t, "member approves", h.post("member", "/activities/attendance/"+m[1]+"/approve_leave", url.Values{"from": {"leaves"}}), http.StatusForbidden)
		wantStatus(t, "approve", h.post("leader", "/activities/attendance/"+m[1]+"/approve_leave", url.Values{"from": {"leaves"}}), http.StatusSeeOther)
		// Staff start it and record attendance.
		v := h.versionOf(id)
		wantStatus(t, "open", h.post("staff", page+"/open", url.Values{"version": {strconv.Itoa(v)}}), http.StatusSeeOther)
		if body := h.text(h.get("staff", page)); !strings.Contains(body, `id="checkin-code"`) {
			t.Fatalf("staff page lacks the code: %s", snippet(body))
		}
		wantStatus(t, "mark", h.post("staff", page+"/mark", url.Values{"st_" + strconv.FormatInt(h.A.PersonID, 10): {"attended"}}), http.StatusSeeOther)
		det, err := h.Server.Activities.Get(context.Background(), h.actor("staff"), id)
		if err != nil || det.Count("attended") != 1 {
			t.Fatalf("after marking: %v %v", err, det.Counts)
		}
		// The member's calendar and feed.
		if body := h.text(h.get("member", "/activities/mine")); !strings.Contains(body, "乡村振兴专题调研") {
			t.Fatalf("calendar: %s", snippet(body))
		}
		feed := h.post("member", "/activities/mine/feed", nil)
		wantStatus(t, "feed token", feed, http.StatusSeeOther)
		loc, _ := url.Parse(feed.Header.Get("Location"))
		fu, _ := url.Parse(loc.Query().Get("feed"))
		ics := h.get("anon", fu.Path)
		if ics.StatusCode != http.StatusOK || !strings.HasPrefix(ics.Header.Get("Content-Type"), "text/calendar") ||
			!strings.Contains(h.text(ics), "SUMMARY:【调研】乡村振兴专题调研") {
			t.Fatalf("feed %s: %d %s %s", fu.Path, ics.StatusCode, ics.Header.Get("Content-Type"), snippet(h.text(ics)))
		}
		wantStatus(t, "bad feed token", h.get("anon", "/consult/feed/lvcal_nope.ics"), http.StatusNotFound)
		// The list and its export.
		year := day[:4]
		body := h.text(h.get("staff", "/activities?kind=research&year="+year))
		if !strings.Contains(body, "乡村振兴专题调研") {
			t.Fatalf("list: %s", snippet(body))
		}
		// The export keeps both filters (a query written into the template
		// arrived as one mangled parameter).
		if !strings.Contains(body, `href="/activities/export.xlsx?kind=research&amp;year=`+year+`"`) {
			t.Fatalf("the export link lost the filter: %s", snippet(body))
		}
		wantStatus(t, "export", h.get("leader", "/activities/export.xlsx"), http.StatusOK)
		wantStatus(t, "member export", h.get("member", "/activities/export.xlsx"), http.StatusForbidden)
		// Another committee and a unit see nothing.
		for _, role := range []string{"other_admin", "other_member", "unit"} {
			wantStatus(t, role+" page", h.get(role, page), http.StatusNotFound)
		}
		wantStatus(t, "consult", h.get("member", "/consult"), http.StatusOK)
	})
}

// TestActivityRecordPages: 社情民意 submitted by a member and adopted by staff,
// an output with an instruction and a follow-up closed.
func TestActivityRecordPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		wantStatus(t, "sqmy submit", h.post("member", "/consult/sqmy", url.Values{"title": {"关于农村饮水安全的社情民意"}, "content": {"群众反映……"}}), http.StatusSeeOther)
		list := h.text(h.get("staff", "/consult/sqmy"))
		m := regexp.MustCompile(`/consult/sqmy/(\d+)`).FindStringSubmatch(list)
		if m == nil {
			t.Fatalf("sqmy list: %s", snippet(list))
		}
		item := "/consult/sqmy/" + m[1]
		wantStatus(t, "member adopts", h.post("member", item+"/sqmy_adopt", url.Values{"level": {"city"}, "adopted_on": {"2026-03-01"}}), http.StatusForbidden)
		wantStatus(t, "bad level", h.post("staff", item+"/sqmy_adopt", url.Values{"level": {"galaxy"}, "adopted_on": {"2026-03-01"}}), http.StatusUnprocessableEntity)
		wantStatus(t, "adopt", h.post("staff", item+"/sqmy_adopt", url.Values{"level": {"city"}, "adopted_on": {"2026-03-01"}, "bulletin_issue": {"第3期"}}), http.StatusSeeOther)
		wantStatus(t, "instruct", h.post("staff", item+"/instruct", url.Values{"leader": {"市委副书记"}, "given_on": {"2026-03-05"}, "content": {"请研究"}}), http.StatusSeeOther)
		if body := h.text(h.get("member", item)); !strings.Contains(body, "市委副书记") || !strings.Contains(body, "已采用") {
			t.Fatalf("member's item: %s", snippet(body))
		}
		wantStatus(t, "other member's item", h.get("other_member", item), http.StatusNotFound)
		// Outputs.
		out := h.post("staff", "/consult/outputs", url.Values{"kind": {"research_report"}, "title": {"关于乡村振兴的调研报告"}, "dated_on": {"2026-04-01"},
			"sent_to": {"县委"}, "to_party": {"1"}})
		wantStatus(t, "output", out, http.StatusSeeOther)
		op := strings.TrimSuffix(out.Header.Get("Location"), "?done=1")
		wantStatus(t, "instruct output", h.post("staff", op+"/instruct", url.Values{"leader": {"县委书记"}, "given_on": {"2026-04-05"}}), http.StatusSeeOther)
		wantStatus(t, "followup", h.post("staff", op+"/followup", url.Values{"matter": {"落实产业扶持资金"}, "due_on": {"2026-06-30"}}), http.StatusSeeOther)
		body := h.text(h.get("leader", op))
		fm := regexp.MustCompile(`/consult/followups/(\d+)/close`).FindStringSubmatch(body)
		if fm != nil {
			t.Fatalf("a leader sees the close form: %s", snippet(body))
		}
		body = h.text(h.get("staff", op))
		fm = regexp.MustCompile(`/consult/followups/(\d+)/close`).FindStringSubmatch(body)
		if fm == nil || !strings.Contains(body, "县委书记") {
			t.Fatalf("output page: %s", snippet(body))
		}
		wantStatus(t, "close without feedback", h.post("staff", "/consult/followups/"+fm[1]+"/close", url.Values{"output": {lastElem(op)}}), http.StatusUnprocessableEntity)
		wantStatus(t, "close", h.post("staff", "/consult/followups/"+fm[1]+"/close", url.Values{"feedback": {"已落实"}}), http.StatusSeeOther)
		wantStatus(t, "member outputs", h.get("member", "/consult/outputs"), http.StatusForbidden)
	})
}

// lastElem is the last element of a page address.
func lastElem(p string) string { return p[strings.LastIndex(p, "/")+1:] }

// versionOf is an activity's current version.
func (h *harness) versionOf(id int64) int {
	h.t.Helper()
	var v int
	h.must(h.DB.QueryRowContext(context.Background(), `SELECT version FROM activities WHERE id = $1`, id).Scan(&v))
	return v
}

// TestAppraisalPages: staff draft and open an appraisal, the member votes once
// through the form, results appear once closed, another committee sees nothing.
func TestAppraisalPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		unit := strconv.FormatInt(h.A.UnitID, 10)
		wantStatus(t, "member drafts", h.post("member", "/consult/appraisals", url.Values{"unit_id": {unit}, "year": {"2026"}}), http.StatusForbidden)
		wantStatus(t, "bad unit", h.post("staff", "/consult/appraisals", url.Values{"unit_id": {"999999"}, "year": {"2026"}}), http.StatusUnprocessableEntity)
		resp := h.post("staff", "/consult/appraisals", url.Values{"unit_id": {unit}, "year": {"2026"}, "dimensions": {"工作作风、办事效率"}})
		wantStatus(t, "draft", resp, http.StatusSeeOther)
		page := strings.TrimSuffix(resp.Header.Get("Location"), "?done=1")
		wantStatus(t, "open", h.post("staff", page+"/open", nil), http.StatusSeeOther)
		if body := h.text(h.get("member", page)); !strings.Contains(body, `name="r_工作作风"`) {
			t.Fatalf("member's page lacks the ballot: %s", snippet(body))
		}
		wantStatus(t, "incomplete vote", h.post("member", page+"/vote", url.Values{"r_工作作风": {"satisfied"}}), http.StatusUnprocessableEntity)
		wantStatus(t, "vote", h.post("member", page+"/vote", url.Values{"r_工作作风": {"satisfied"}, "r_办事效率": {"basic"}}), http.StatusSeeOther)
		wantStatus(t, "vote again", h.post("member", page+"/vote", url.Values{"r_工作作风": {"satisfied"}, "r_办事效率": {"basic"}}), http.StatusConflict)
		wantStatus(t, "other member", h.get("other_member", page), http.StatusNotFound)
		wantStatus(t, "close", h.post("staff", page+"/close", nil), http.StatusSeeOther)
		if body := h.text(h.get("leader", page)); !strings.Contains(body, "评议结果") || !strings.Contains(body, "基本满意") {
			t.Fatalf("results: %s", snippet(body))
		}
		wantStatus(t, "rectify", h.post("staff", page+"/rectify", url.Values{"rectification": {"简化审批流程"}, "reinspected_on": {"2026-12-01"}}), http.StatusSeeOther)
	})
}

// TestActivityImportPage uploads a ledger with a mistake (the page lists it by
// row, nothing written) and then a good one.
func TestActivityImportPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		wantStatus(t, "member", h.get("member", "/activities/import"), http.StatusForbidden)
		wantStatus(t, "template", h.get("staff", "/activities/import/template.xlsx"), http.StatusOK)
		upload := func(rows [][]string) *http.Response {
			t.Helper()
			x := excelize.NewFile()
			for i, r := range rows {
				cell, _ := excelize.CoordinatesToCellName(1, i+1)
				vals := make([]any, len(r))
				for j, v := range r {
					vals[j] = v
				}
				if err := x.SetSheetRow("Sheet1", cell, &vals); err != nil {
					t.Fatal(err)
				}
			}
			var file bytes.Buffer
			if _, err := x.WriteTo(&file); err != nil {
				t.Fatal(err)
			}
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			fw, _ := mw.CreateFormFile("file", "台账.xlsx")
			fw.Write(file.Bytes())
			mw.Close()
			req := h.request(http.MethodPost, "/activities/import", nil)
			req.Body = io.NopCloser(&body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			return h.do("staff", req)
		}
		head := []string{"日期", "类别", "活动名称", "地点", "出席委员", "请假委员", "缺席委员"}
		bad := upload([][]string{head, {"2025-03-05", "调研", "产业调研", "", "查无此人", "", ""}})
		if body := h.text(bad); bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "第 2 行") || !strings.Contains(body, "查无此人") {
			t.Fatalf("bad ledger: %d %s", bad.StatusCode, snippet(body))
		}
		good := upload([][]string{head, {"2025-03-05", "调研", "产业调研", "", h.A.PersonName, "", ""}})
		if body := h.text(good); good.StatusCode != http.StatusOK || !strings.Contains(body, "已导入 1 次活动、1 条出席记录") {
			t.Fatalf("good ledger: %d %s", good.StatusCode, snippet(body))
		}
	})
}
