package web

import (
	"bytes"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"lvzhi/internal/activity"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// idIn returns the first number re's group captures in body.
func idIn(t *testing.T, re, body string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s in %s", re, snippet(body))
	}
	return m[1]
}

// TestActivityPlanPages: staff draft a plan item (bad input is a field
// error), edit it while drafted, record the review and the approval, and
// start the activity that carries it out from the plan (the form comes
// filled and linked; the list filtered by the item shows it). A leader reads
// the plan without forms; a member and another committee cannot read or change it.
func TestActivityPlanPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		year := strconv.Itoa(civil.Today().Year)
		bad := h.post("staff", "/consult/plan", url.Values{"year": {year}, "month": {"3"}, "topic": {""}, "form": {"bimonthly"}})
		wantStatus(t, "bad plan item", bad, http.StatusUnprocessableEntity)
		if body := h.text(bad); !strings.Contains(body, "请填写此项") {
			t.Fatalf("no field error: %s", snippet(body))
		}
		wantStatus(t, "member drafts", h.post("member", "/consult/plan", url.Values{"year": {year}, "month": {"3"}, "topic": {"x"}, "form": {"bimonthly"}}), http.StatusForbidden)
		wantStatus(t, "leader drafts", h.post("leader", "/consult/plan", url.Values{"year": {year}, "month": {"3"}, "topic": {"x"}, "form": {"bimonthly"}}), http.StatusForbidden)
		wantStatus(t, "draft", h.post("staff", "/consult/plan", url.Values{"year": {year}, "month": {"3"}, "topic": {"关于城乡供水一体化的双月协商"},
			"form": {"bimonthly"}, "group_id": {strconv.FormatInt(h.A.GroupID, 10)}}), http.StatusSeeOther)
		page := h.text(h.get("staff", "/consult/plan?year="+year))
		id := idIn(t, `/consult/plan/(\d+)/edit`, page)
		if !strings.Contains(page, "关于城乡供水一体化的双月协商") || !strings.Contains(page, "草拟") {
			t.Fatalf("plan page: %s", snippet(page))
		}
		wantStatus(t, "edit form", h.get("staff", "/consult/plan/"+id+"/edit"), http.StatusOK)
		wantStatus(t, "member edit form", h.get("member", "/consult/plan/"+id+"/edit"), http.StatusForbidden)
		wantStatus(t, "edit", h.post("staff", "/consult/plan/"+id+"/edit", url.Values{"year": {year}, "month": {"4"}, "topic": {"关于城乡供水的双月协商"},
			"form": {"bimonthly"}, "version": {"1"}}), http.StatusSeeOther)
		wantStatus(t, "stale edit", h.post("staff", "/consult/plan/"+id+"/edit", url.Values{"year": {year}, "month": {"4"}, "topic": {"旧"},
			"form": {"bimonthly"}, "version": {"1"}}), http.StatusConflict)
		wantStatus(t, "leader reviews", h.post("leader", "/consult/plan/"+id+"/plan_review", nil), http.StatusForbidden)
		wantStatus(t, "review", h.post("staff", "/consult/plan/"+id+"/plan_review", url.Values{"version": {"2"}}), http.StatusSeeOther)
		wantStatus(t, "edit after review", h.post("staff", "/consult/plan/"+id+"/edit", url.Values{"year": {year}, "month": {"4"}, "topic": {"改"},
			"form": {"bimonthly"}}), http.StatusConflict)
		wantStatus(t, "approve", h.post("staff", "/consult/plan/"+id+"/plan_approve", nil), http.StatusSeeOther)
		wantStatus(t, "unknown step", h.post("staff", "/consult/plan/"+id+"/plan_burn", nil), http.StatusNotFound)
		lead := h.text(h.get("leader", "/consult/plan?year="+year))
		if !strings.Contains(lead, "关于城乡供水的双月协商") || !strings.Contains(lead, "党委已批准") || strings.Contains(lead, `method="post" action="/consult/plan"`) ||
			strings.Contains(lead, "/plan_") {
			t.Fatalf("leader's plan page: %s", snippet(lead))
		}
		for _, who := range []string{"member", "unit"} {
			wantStatus(t, who+" reads the plan", h.get(who, "/consult/plan"), http.StatusForbidden)
		}
		if body := h.text(h.get("other_admin", "/consult/plan?year="+year)); strings.Contains(body, "关于城乡供水的双月协商") {
			t.Fatal("another committee sees the plan")
		}
		wantStatus(t, "other committee edits", h.post("other_admin", "/consult/plan/"+id+"/edit", url.Values{"year": {year}, "month": {"4"},
			"topic": {"x"}, "form": {"bimonthly"}}), http.StatusNotFound)
		// Start the activity from the plan: the form comes filled and linked.
		form := h.text(h.get("staff", "/activities/new?plan="+id))
		if !strings.Contains(form, `value="关于城乡供水的双月协商"`) || !regexp.MustCompile(`<option value="`+id+`" selected>`).MatchString(form) {
			t.Fatalf("form from the plan: %s", snippet(form))
		}
		act := actCreated(t, h.post("staff", "/activities", url.Values{"kind": {"bimonthly"}, "title": {"双月协商会"},
			"starts_on": {civil.Today().AddDays(2).String()}, "plan_item_id": {id}}))
		list := h.text(h.get("staff", "/activities?plan="+id))
		if !strings.Contains(list, "/activities/"+strconv.FormatInt(act, 10)) {
			t.Fatalf("the list by plan item lacks the activity: %s", snippet(list))
		}
		if other := h.text(h.get("staff", "/activities?plan=999999")); strings.Contains(other, "双月协商会") {
			t.Fatal("the list by another plan item shows the activity")
		}
	})
}

// TestActivitySchedulePages: staff add a recurring mechanism (bad input is a
// field error) and stop it; a leader reads without forms; a member cannot.
func TestActivitySchedulePages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		first := civil.Today().AddDays(30).String()
		form := url.Values{"kind": {"study"}, "title": {"理论学习"}, "every_n": {"2"}, "unit": {"week"}, "first_on": {first}, "lead_days": {"7"}}
		bad := url.Values{"kind": {"study"}, "title": {"理论学习"}, "every_n": {"0"}, "unit": {"year"}, "first_on": {first}}
		wantStatus(t, "bad schedule", h.post("staff", "/consult/schedules", bad), http.StatusUnprocessableEntity)
		wantStatus(t, "member adds", h.post("member", "/consult/schedules", form), http.StatusForbidden)
		wantStatus(t, "add", h.post("staff", "/consult/schedules", form), http.StatusSeeOther)
		page := h.text(h.get("leader", "/consult/schedules"))
		if !strings.Contains(page, "理论学习") || !strings.Contains(page, "每 2 周") || strings.Contains(page, "/stop") {
			t.Fatalf("leader's schedules page: %s", snippet(page))
		}
		id := idIn(t, `/consult/schedules/(\d+)/stop`, h.text(h.get("staff", "/consult/schedules")))
		wantStatus(t, "member reads", h.get("member", "/consult/schedules"), http.StatusForbidden)
		wantStatus(t, "leader stops", h.post("leader", "/consult/schedules/"+id+"/stop", nil), http.StatusForbidden)
		wantStatus(t, "other committee stops", h.post("other_admin", "/consult/schedules/"+id+"/stop", nil), http.StatusNotFound)
		wantStatus(t, "stop", h.post("staff", "/consult/schedules/"+id+"/stop", nil), http.StatusSeeOther)
		if body := h.text(h.get("staff", "/consult/schedules")); !strings.Contains(body, "已停止") {
			t.Fatalf("stopped schedule: %s", snippet(body))
		}
	})
}

// TestActivityGuestsPage: staff record an invited leader and unit on the
// activity's page; a member sees them and cannot add or remove any.
func TestActivityGuestsPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		id := actCreated(t, h.post("staff", "/activities", url.Values{"kind": {"inspection"}, "title": {"教育工作视察"},
			"starts_on": {civil.Today().AddDays(5).String()}}))
		page := "/activities/" + strconv.FormatInt(id, 10)
		wantStatus(t, "member adds", h.post("member", page+"/guests", url.Values{"kind": {"leader"}, "name": {"冒名"}}), http.StatusForbidden)
		wantStatus(t, "no name", h.post("staff", page+"/guests", url.Values{"kind": {"leader"}, "name": {""}}), http.StatusUnprocessableEntity)
		wantStatus(t, "leader", h.post("staff", page+"/guests", url.Values{"kind": {"leader"}, "name": {"李明"}, "post": {"副县长"}}), http.StatusSeeOther)
		wantStatus(t, "unit", h.post("staff", page+"/guests", url.Values{"kind": {"unit"}, "unit_id": {strconv.FormatInt(h.A.UnitID, 10)}}), http.StatusSeeOther)
		body := h.text(h.get("member", page))
		if !strings.Contains(body, "李明") || !strings.Contains(body, "副县长") || !strings.Contains(body, h.A.UnitName) || strings.Contains(body, "guest_remove") {
			t.Fatalf("member's page: %s", snippet(body))
		}
		gid := idIn(t, `name="guest" value="(\d+)"`, h.text(h.get("staff", page)))
		wantStatus(t, "member removes", h.post("member", page+"/guest_remove", url.Values{"guest": {gid}}), http.StatusForbidden)
		wantStatus(t, "remove", h.post("staff", page+"/guest_remove", url.Values{"guest": {gid}}), http.StatusSeeOther)
		if body := h.text(h.get("staff", page)); strings.Contains(body, "李明") {
			t.Fatal("the removed leader is still shown")
		}
	})
}

// TestActivityOutputFilesPage: staff upload the report (a PDF) to an output;
// a program is refused with the form again; the leader opens the PDF inline;
// a member cannot upload or open it; staff remove it.
func TestActivityOutputFilesPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		created := h.post("staff", "/consult/outputs", url.Values{"kind": {"research_report"}, "title": {"关于教育的调研报告"}, "dated_on": {civil.Today().String()}})
		id := idIn(t, `^/consult/outputs/(\d+)`, created.Header.Get("Location"))
		page := "/consult/outputs/" + id
		upload := func(role, name string, content []byte) *http.Response {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			fw, _ := mw.CreateFormFile("file", name)
			fw.Write(content)
			mw.Close()
			req := h.request(http.MethodPost, page+"/files", nil)
			req.Body = io.NopCloser(&body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			return h.do(role, req)
		}
		pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
		exe := upload("staff", "setup.exe", append([]byte("MZ\x90\x00"), make([]byte, 64)...))
		if body := h.text(exe); exe.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "只接受") {
			t.Fatalf("a program: %d %s", exe.StatusCode, snippet(body))
		}
		wantStatus(t, "member uploads", upload("member", "a.pdf", pdf), http.StatusForbidden)
		wantStatus(t, "upload", upload("staff", "调研报告.pdf", pdf), http.StatusSeeOther)
		fid := idIn(t, page+`/files/(\d+)"`, h.text(h.get("leader", page)))
		got := h.get("leader", page+"/files/"+fid)
		if got.StatusCode != http.StatusOK || got.Header.Get("Content-Type") != "application/pdf" || h.text(got) != string(pdf) ||
			got.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("download: %d %v", got.StatusCode, got.Header)
		}
		wantStatus(t, "member opens", h.get("member", page+"/files/"+fid), http.StatusForbidden)
		wantStatus(t, "other committee opens", h.get("other_admin", page+"/files/"+fid), http.StatusNotFound)
		wantStatus(t, "member removes", h.post("member", page+"/files/"+fid+"/remove", nil), http.StatusForbidden)
		wantStatus(t, "remove", h.post("staff", page+"/files/"+fid+"/remove", nil), http.StatusSeeOther)
		wantStatus(t, "removed", h.get("leader", page+"/files/"+fid), http.StatusNotFound)
	})
}

// TestSqmyMergePage: staff merge a member's item into another from the
// item's page; the merged one points to it; a member cannot merge.
func TestSqmyMergePage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		for _, title := range []string{"关于饮水安全的社情民意一", "关于饮水安全的社情民意二"} {
			wantStatus(t, "submit", h.post("member", "/consult/sqmy", url.Values{"title": {title}, "content": {"内容"}}), http.StatusSeeOther)
		}
		list := h.text(h.get("staff", "/consult/sqmy"))
		ids := regexp.MustCompile(`/consult/sqmy/(\d+)"`).FindAllStringSubmatch(list, -1)
		if len(ids) < 2 {
			t.Fatalf("list: %s", snippet(list))
		}
		into, from := ids[0][1], ids[1][1]
		if body := h.text(h.get("staff", "/consult/sqmy/"+into)); !strings.Contains(body, `name="from" value="`+from+`"`) {
			t.Fatalf("no merge form: %s", snippet(body))
		}
		wantStatus(t, "member merges", h.post("member", "/consult/sqmy/"+into+"/sqmy_merge", url.Values{"from": {from}}), http.StatusForbidden)
		wantStatus(t, "merge nothing", h.post("staff", "/consult/sqmy/"+into+"/sqmy_merge", nil), http.StatusUnprocessableEntity)
		wantStatus(t, "merge", h.post("staff", "/consult/sqmy/"+into+"/sqmy_merge", url.Values{"from": {from}}), http.StatusSeeOther)
		if body := h.text(h.get("member", "/consult/sqmy/"+from)); !strings.Contains(body, `id="merged-into"`) {
			t.Fatalf("the merged item does not say so: %s", snippet(body))
		}
		if body := h.text(h.get("staff", "/consult/sqmy/"+into)); !strings.Contains(body, `id="merged"`) {
			t.Fatalf("the target does not list the merged item: %s", snippet(body))
		}
	})
}

// TestActivityFiguresAndRatesPages: the area's figures by kind open records
// filtered the same way; the rates per member show the harness member's held
// activities and open their records; the export is a workbook; a member and
// a unit cannot read either page.
func TestActivityFiguresAndRatesPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		staff := h.actor("staff")
		ctx := t.Context()
		day := civil.Today().AddDays(-3)
		for _, k := range []activity.Kind{activity.KindResearch, activity.KindResearch, activity.KindInspection} {
			in := activity.Input{Kind: k, Title: "统计" + string(k), StartsOn: day, GroupID: h.A.GroupID}
			_, err := h.Server.Activities.EnterPast(ctx, staff, h.A.ID, in, []activity.PastRow{{PersonID: h.A.PersonID, Status: activity.Attended}})
			h.must(err)
		}
		year := strconv.Itoa(day.Year)
		page := h.text(h.get("leader", "/consult/figures?year="+year+"&act_kind=research"))
		m := regexp.MustCompile(`href="([^"]+)" data-fig="activities.held">(\d+)<`).FindStringSubmatch(page)
		if m == nil || m[2] != "2" {
			t.Fatalf("figures by kind: %v %s", m, snippet(page))
		}
		recs := h.text(h.get("leader", html.UnescapeString(m[1])))
		if !strings.Contains(recs, "统计research") || strings.Contains(recs, "统计inspection") {
			t.Fatalf("records by kind: %s", snippet(recs))
		}
		rates := h.text(h.get("leader", "/consult/attendance?year="+year))
		if !strings.Contains(rates, h.A.PersonName) || !strings.Contains(rates, "100.0%") {
			t.Fatalf("rates: %s", snippet(rates))
		}
		link := html.UnescapeString(idIn(t, `<a href="([^"]+)">3</a>`, rates))
		if body := h.text(h.get("leader", link)); strings.Count(body, "统计research") != 2 || strings.Count(body, "统计inspection") != 1 {
			t.Fatalf("a member's records: %s", snippet(body))
		}
		if want := `href="/consult/attendance?by=group&amp;committee=` + strconv.FormatInt(h.A.ID, 10) + `&amp;subtree=0&amp;year=` + year + `"`; !strings.Contains(rates, want) {
			t.Fatalf("the by-group link lost the year (want %s): %s", want, regexp.MustCompile(`href="/consult/attendance[^"]*"`).FindAllString(rates, -1))
		}
		if grp := h.text(h.get("leader", "/consult/attendance?by=group&year="+year)); !strings.Contains(grp, "甲经济工作组") {
			t.Fatalf("rates by group: %s", snippet(grp))
		}
		// A past year outside the usual choices stays the chosen one.
		if old := h.text(h.get("leader", "/consult/attendance?year=2018")); !strings.Contains(old, `<option value="2018" selected>`) {
			t.Fatalf("year 2018 not kept: %s", snippet(old))
		}
		for _, who := range []string{"member", "unit"} {
			wantStatus(t, who+" figures", h.get(who, "/consult/figures"), http.StatusForbidden)
			wantStatus(t, who+" rates", h.get(who, "/consult/attendance"), http.StatusForbidden)
			wantStatus(t, who+" rates export", h.get(who, "/consult/attendance.xlsx"), http.StatusForbidden)
		}
		wantStatus(t, "bad kind", h.get("leader", "/consult/figures?act_kind=party"), http.StatusUnprocessableEntity)
	})
}
