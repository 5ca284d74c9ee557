package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/account"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
)

// propFixture adds to the harness what the proposal pages need beyond it: a
// second member of county A with a login ("member2"), a second unit, and a
// proposal of county B.
type propFixture struct {
	*harness
	Member2    int64 // membership
	Unit2      int64
	ForeignID  int64 // a submitted proposal of county B
	ForeignTtl string
}

func newPropFixture(t *testing.T, d *db.DB) *propFixture {
	t.Helper()
	h := newHarness(t, d)
	f := &propFixture{harness: h}
	ctx := context.Background()
	a := h.Committees[h.A.ID]
	m := h.W.Member(a, org.MemberInput{Name: "甲委员李强", Gender: "male", Phone: "13800000001", TermID: h.A.TermID,
		SectorID: h.A.SectorID, Affiliation: "nonparty"})
	f.Member2 = m.ID
	u := h.W.Account(a, account.NewUser{Username: "h_member2", DisplayName: "测试member2",
		Password: harnessPassword, Roles: []auth.Role{auth.RoleMember}, PersonID: m.PersonID})
	h.Users["member2"], h.Usernames["member2"] = u.ID, u.Username
	f.Unit2 = h.W.Unit(a, "甲县住建局").ID
	f.ForeignTtl = "乙县的提案标题"
	p, err := h.Server.Proposals.Create(ctx, h.actor("other_member"), proposal.Content{Kind: proposal.Individual,
		Theme: proposal.Economy, Title: f.ForeignTtl, Matter: "案由", Analysis: "分析", Suggestions: "建议"})
	h.must(err)
	_, err = h.Server.Proposals.Submit(ctx, h.actor("other_member"), proposal.Ref{ID: p.ID})
	h.must(err)
	f.ForeignID = p.ID
	return f
}

// proposalForm is a complete individual proposal.
func proposalForm(title string) url.Values {
	return url.Values{"kind": {"individual"}, "theme": {"society"}, "title": {title},
		"matter": {"乡村学校缺少校车"}, "analysis": {"山区学生上学路远"}, "suggestions": {"开通校车线路"}, "publish_consent": {"1"}}
}

var propIDRe = regexp.MustCompile(`^/proposals/(\d+)\?done=`)

// created returns the id of the proposal a create or paper POST redirected to.
func (f *propFixture) created(resp *http.Response) int64 {
	f.t.Helper()
	if resp.StatusCode != http.StatusSeeOther {
		f.t.Fatalf("create: status %d\n%s", resp.StatusCode, snippet(f.text(resp)))
	}
	m := propIDRe.FindStringSubmatch(resp.Header.Get("Location"))
	if m == nil {
		f.t.Fatalf("create: location %q", resp.Header.Get("Location"))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// get reads a proposal as the system would (no permission filter).
func (f *propFixture) detail(id int64) *proposal.Detail {
	f.t.Helper()
	d, err := f.Server.Proposals.Get(context.Background(), f.actor("proposal_office"), id)
	if err != nil {
		// Drafts are visible to their first proposer only.
		d, err = f.Server.Proposals.Get(context.Background(), f.actor("member"), id)
	}
	if err != nil {
		f.t.Fatalf("get %d: %v", id, err)
	}
	return d
}

// act posts an action of a proposal's page with the current version and
// expects the redirect back to the page.
func (f *propFixture) act(role string, id int64, action string, form url.Values) {
	f.t.Helper()
	resp := f.actResp(role, id, action, form)
	if resp.StatusCode != http.StatusSeeOther {
		f.t.Fatalf("%s %s on %d: status %d\n%s", role, action, id, resp.StatusCode, snippet(propErrorText(f.text(resp))))
	}
}

func (f *propFixture) actResp(role string, id int64, action string, form url.Values) *http.Response {
	f.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("version") == "" {
		form.Set("version", strconv.Itoa(f.detail(id).Version))
	}
	return f.post(role, fmt.Sprintf("/proposals/%d/%s", id, action), form)
}

// errorText pulls the error boxes out of a page, for failure messages.
func propErrorText(body string) string {
	var out []string
	for _, m := range regexp.MustCompile(`(?s)class="(?:errorbox|ferr)"[^>]*>(.*?)</`).FindAllStringSubmatch(body, -1) {
		out = append(out, strings.TrimSpace(m[1]))
	}
	if len(out) == 0 {
		return body
	}
	return strings.Join(out, " | ")
}

func (f *propFixture) proposalCount() int {
	var n int
	f.must(f.DB.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM proposals`).Scan(&n))
	return n
}

func propWantStatus(t *testing.T, resp *http.Response, body string, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("status %d, want %d\n%s", resp.StatusCode, want, snippet(propErrorText(body)))
	}
}

func propWantIn(t *testing.T, body string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Fatalf("page lacks %q\n%s", s, snippet(body))
		}
	}
}

// TestProposalWalk walks one proposal from draft to closed through the pages,
// as each role would, checking what each page offers on the way.
func TestProposalWalk(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPropFixture(t, d)

		// The member's landing page shows their tasks.
		resp := f.get("member", "/proposals")
		body := f.text(resp)
		propWantStatus(t, resp, body, 200)
		propWantIn(t, body, "待我联名", "待我评价", "写提案")

		// Bad input: field errors next to the fields, nothing stored.
		bad := proposalForm("")
		bad.Set("theme", "sports")
		resp = f.post("member", "/proposals", bad)
		body = f.text(resp)
		propWantStatus(t, resp, body, http.StatusUnprocessableEntity)
		propWantIn(t, body, "必须填写", "乡村学校缺少校车") // the error, and what was typed is kept
		if n := f.proposalCount(); n != 1 {     // only county B's
			t.Fatalf("a refused draft was stored: %d proposals", n)
		}

		id := f.created(f.post("member", "/proposals", proposalForm("关于开通山区校车的建议")))
		body = f.text(f.get("member", propURL(id)))
		propWantIn(t, body, "关于开通山区校车的建议", "草稿", `action="/proposals/`+itoa(id)+`/submit"`, "办理过程")

		// Submit; the same form posted again is a conflict that says what happened.
		v := f.detail(id).Version
		f.act("member", id, "submit", url.Values{"version": {strconv.Itoa(v)}})
		resp = f.actResp("member", id, "submit", url.Values{"version": {strconv.Itoa(v)}})
		body = f.text(resp)
		propWantStatus(t, resp, body, http.StatusConflict)
		if st := f.detail(id).State; st != proposal.Submitted {
			t.Fatalf("state after double submit: %s", st)
		}
		if strings.Contains(body, `action="/proposals/`+itoa(id)+`/submit"`) {
			t.Fatal("a submitted proposal still offers submit")
		}

		// The office finds it in its review queue and registers and assigns it.
		body = f.text(f.get("proposal_office", "/proposals"))
		propWantIn(t, body, "关于开通山区校车的建议", "待审查")
		body = f.text(f.get("proposal_office", propURL(id)))
		propWantIn(t, body, "/register", "/return", "/decline", "不予立案理由")
		f.act("proposal_office", id, "register", nil)
		body = f.text(f.get("proposal_office", propURL(id)))
		propWantIn(t, body, "九届二次-001", "/assign", "交办后 3 个月")
		resp = f.actResp("proposal_office", id, "assign", url.Values{"mode": {"single"}})
		body = f.text(resp)
		propWantStatus(t, resp, body, http.StatusUnprocessableEntity)
		propWantIn(t, body, `id="act-assign" open`)
		f.act("proposal_office", id, "assign", url.Values{"mode": {"single"}, "units": {itoa(f.A.UnitID)}})

		// The unit: inbox, sign, contact, reply, submit.
		body = f.text(f.get("unit", "/proposals"))
		propWantIn(t, body, "关于开通山区校车的建议", "待签收")
		body = f.text(f.get("unit", propURL(id)))
		propWantIn(t, body, "/accept", "/ask_return")
		f.act("unit", id, "accept", nil)
		f.act("unit", id, "contact", url.Values{"on": {f.Server.propToday().String()}, "method": {"face"}, "people": {"王芳、局长"}})
		resp = f.actResp("unit", id, "draft_reply", url.Values{"result_class": {"A"}})
		body = f.text(resp)
		propWantStatus(t, resp, body, http.StatusUnprocessableEntity)
		f.act("unit", id, "draft_reply", url.Values{"result_class": {"A"}, "body": {"已开通两条校车线路。"}})
		// The member does not see the reply before the office delivers it.
		if strings.Contains(f.text(f.get("member", propURL(id))), "已开通两条校车线路") {
			t.Fatal("member sees an undelivered reply")
		}
		f.act("unit", id, "submit_reply", nil)

		// The office delivers; the member evaluates from their task list.
		body = f.text(f.get("proposal_office", propURL(id)))
		propWantIn(t, body, "/approve", "/send_back")
		asg := f.detail(id).Assignments[0].ID
		f.act("proposal_office", id, "approve", url.Values{"assignment": {itoa(asg)}})
		body = f.text(f.get("member", "/proposals"))
		propWantIn(t, body, "#act-evaluate")
		body = f.text(f.get("member", propURL(id)))
		propWantIn(t, body, "已开通两条校车线路", `id="act-evaluate"`)
		resp = f.actResp("member", id, "evaluate", url.Values{"overall": {"satisfied"}})
		body = f.text(resp)
		propWantStatus(t, resp, body, http.StatusUnprocessableEntity)
		f.act("member", id, "evaluate", url.Values{"overall": {"satisfied"}, "contact": {"visited"}, "attitude": {"satisfied"}, "addressed": {"targeted"}})
		dt := f.detail(id)
		if dt.State != proposal.Closed {
			t.Fatalf("state after evaluation: %s", dt.State)
		}
		body = f.text(f.get("member", propURL(id)))
		propWantIn(t, body, "已办结", "满意", "签收", "登记办前面商", "审核并送达答复")
		if strings.Contains(body, `id="act-evaluate"`) {
			t.Fatal("evaluated proposal still offers evaluate")
		}
		if len(dt.Events) < 8 {
			t.Fatalf("timeline has %d events", len(dt.Events))
		}

		// The member consented in the draft; the office publishes; the member may withdraw.
		propWantIn(t, f.text(f.get("proposal_office", propURL(id))), `/proposals/`+itoa(id)+`/publish"`)
		f.act("proposal_office", id, "publish", nil)
		if !f.detail(id).Published {
			t.Fatal("not published")
		}
		propWantIn(t, f.text(f.get("member", propURL(id))), "/public/proposals/"+itoa(id), "不同意公开")
		f.act("member", id, "publish_consent", url.Values{"consent": {"0"}})
		if dt := f.detail(id); dt.Published || dt.PublishConsent {
			t.Fatalf("consent withdrawn but published=%v consent=%v", dt.Published, dt.PublishConsent)
		}
	})
}

// TestProposalJointSigning: a joint draft invites a co-signer, who signs from
// the task list; the first proposer then submits.
func TestProposalJointSigning(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPropFixture(t, d)
		form := proposalForm("关于联名的建议")
		form.Set("kind", "joint")
		form["co_signers"] = []string{itoa(f.Member2)}
		id := f.created(f.post("member", "/proposals", form))
		body := f.text(f.get("member", propURL(id)))
		propWantIn(t, body, "/start_sign")
		if strings.Contains(body, `action="/proposals/`+itoa(id)+`/submit"`) {
			t.Fatal("a joint draft offers submit before signing")
		}
		f.act("member", id, "start_sign", nil)
		body = f.text(f.get("member2", "/proposals"))
		propWantIn(t, body, "关于联名的建议", `/proposals/`+itoa(id)+`/sign`)
		f.act("member2", id, "sign", nil)
		if strings.Contains(f.text(f.get("member2", "/proposals")), `/proposals/`+itoa(id)+`/sign`) {
			t.Fatal("signed proposal still waits for the signature")
		}
		body = f.text(f.get("member", propURL(id)))
		propWantIn(t, body, "已签名", `action="/proposals/`+itoa(id)+`/submit"`)
		f.act("member", id, "submit", nil)
		if st := f.detail(id).State; st != proposal.Submitted {
			t.Fatalf("state %s", st)
		}
	})
}

// TestProposalReturnAndEdit: the office returns with a note the member sees
// on the edit form; a stale edit keeps what was typed.
func TestProposalReturnAndEdit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPropFixture(t, d)
		id := f.created(f.post("member", "/proposals", proposalForm("关于修改的建议")))
		f.act("member", id, "submit", nil)
		resp := f.actResp("proposal_office", id, "return", url.Values{"note": {""}})
		propWantStatus(t, resp, f.text(resp), http.StatusUnprocessableEntity)
		f.act("proposal_office", id, "return", url.Values{"note": {"请补充具体数据"}})
		body := f.text(f.get("member", "/proposals"))
		propWantIn(t, body, "退回修改", "关于修改的建议")
		body = f.text(f.get("member", propURL(id)+"/edit"))
		propWantIn(t, body, "请补充具体数据", "关于修改的建议")
		stale := proposalForm("改过的标题")
		stale.Set("version", "1")
		resp = f.post("member", propURL(id)+"/edit", stale)
		body = f.text(resp)
		propWantStatus(t, resp, body, http.StatusConflict)
		propWantIn(t, body, "改过的标题")
		if f.detail(id).Title != "关于修改的建议" {
			t.Fatal("stale edit changed the proposal")
		}
		fresh := proposalForm("改过的标题")
		fresh.Set("version", strconv.Itoa(f.detail(id).Version))
		if resp := f.post("member", propURL(id)+"/edit", fresh); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", resp.StatusCode, propErrorText(f.text(resp)))
		}
		f.act("member", id, "submit", nil)
		if dt := f.detail(id); dt.Title != "改过的标题" || dt.State != proposal.Submitted {
			t.Fatalf("after resubmission: %s %s", dt.Title, dt.State)
		}
	})
}

// TestProposalDeclineAndPaper: staff enter a paper proposal; the office
// declines it with a reason the member sees, and converts it.
func TestProposalDeclineAndPaper(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPropFixture(t, d)
		resp := f.get("staff", "/proposals/paper")
		propWantStatus(t, resp, f.text(resp), 200)
		form := proposalForm("纸质提案")
		resp = f.post("staff", "/proposals/paper", form)
		body := f.text(resp)
		propWantStatus(t, resp, body, http.StatusUnprocessableEntity)
		propWantIn(t, body, "必须填写") // the first proposer is missing
		form.Set("first_proposer_id", itoa(f.A.MembershipID))
		id := f.created(f.post("staff", "/proposals/paper", form))
		if dt := f.detail(id); dt.State != proposal.Submitted || dt.EnteredBy != f.Users["staff"] {
			t.Fatalf("paper: %s entered by %d", dt.State, dt.EnteredBy)
		}
		f.act("proposal_office", id, "decline", url.Values{"reason": {"vague"}, "note": {"缺少具体建议"}})
		body = f.text(f.get("member", propURL(id)))
		propWantIn(t, body, "不予立案理由", "内容空泛、没有具体建议的", "缺少具体建议")
		f.act("proposal_office", id, "convert", url.Values{"target": {"sqmy"}})
		body = f.text(f.get("proposal_office", propURL(id)))
		propWantIn(t, body, "已转为社情民意")
		if strings.Contains(body, "/convert\"") {
			t.Fatal("converted proposal offers convert again")
		}
		// The proposal links to the 社情民意 item it became, and the item back to it.
		var item int64
		if err := f.DB.QueryRowContext(context.Background(), `SELECT id FROM sqmy_items WHERE proposal_id = $1`, id).Scan(&item); err != nil {
			t.Fatalf("no 社情民意 item of the converted proposal: %v", err)
		}
		propWantIn(t, body, fmt.Sprintf(`href="/consult/sqmy/%d"`, item), "查看该社情民意")
		if dt := f.detail(id); dt.SqmyID != item {
			t.Fatalf("detail names item %d, want %d", dt.SqmyID, item)
		}
		propWantIn(t, f.text(f.get("staff", fmt.Sprintf("/consult/sqmy/%d", item))), fmt.Sprintf(`/proposals/%d"`, id))
	})
}

// TestProposalExport: the list exports as .xlsx with the list's filter.
func TestProposalExport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPropFixture(t, d)
		for _, title := range []string{"导出一", "导出二"} {
			id := f.created(f.post("member", "/proposals", proposalForm(title)))
			f.act("member", id, "submit", nil)
		}
		resp := f.get("proposal_office", "/proposals/export.xlsx?tab=review")
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("export: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		x, err := excelize.OpenReader(bytes.NewReader([]byte(f.text(resp))))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := x.GetRows("提案")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[0][1] != "案由（标题）" || rows[1][2] != "待审查" {
			t.Fatalf("rows %v", rows)
		}
		if strings.Contains(fmt.Sprint(rows), "乙县") {
			t.Fatal("export leaks county B")
		}
	})
}

// TestProposalAttachments: upload, size cap, download, removal.
func TestProposalAttachments(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPropFixture(t, d)
		id := f.created(f.post("member", "/proposals", proposalForm("带附件的提案")))
		upload := func(role, name string, data []byte) *http.Response {
			var buf bytes.Buffer
			fmt.Fprintf(&buf, "--B\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n%d\r\n", f.detail(id).Version)
			fmt.Fprintf(&buf, "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\nContent-Type: text/plain\r\n\r\n", name)
			buf.Write(data)
			buf.WriteString("\r\n--B--\r\n")
			req, _ := http.NewRequest("POST", f.URL+propURL(id)+"/attachments", &buf)
			req.Header.Set("Content-Type", "multipart/form-data; boundary=B")
			return f.do(role, req)
		}
		resp := upload("member", "数据.txt", []byte("一些数据"))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", resp.StatusCode, propErrorText(f.text(resp)))
		}
		resp = upload("member", "big.bin", bytes.Repeat([]byte("x"), proposal.MaxAttachment+1))
		body := f.text(resp)
		propWantStatus(t, resp, body, http.StatusRequestEntityTooLarge)
		propWantIn(t, body, "附件不能超过 10 MB")
		dt := f.detail(id)
		if len(dt.Attachments) != 1 {
			t.Fatalf("attachments %d", len(dt.Attachments))
		}
		aid := dt.Attachments[0].ID
		resp = f.get("member", fmt.Sprintf("%s/attachments/%d", propURL(id), aid))
		if resp.StatusCode != 200 || f.text(resp) != "一些数据" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("download: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
		if resp := upload("unit", "x.txt", []byte("x")); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("unit upload: %d", resp.StatusCode)
		}
		resp = f.post("member", fmt.Sprintf("%s/attachments/%d/delete", propURL(id), aid), url.Values{"version": {strconv.Itoa(f.detail(id).Version)}})
		if resp.StatusCode != http.StatusSeeOther || len(f.detail(id).Attachments) != 0 {
			t.Fatalf("remove: %d", resp.StatusCode)
		}
	})
}

// seed drives a proposal of the member to target through the service.
func (f *propFixture) seed(title string, target proposal.State, spec proposal.SeedSpec) int64 {
	f.t.Helper()
	spec.FirstProposer, spec.Target = f.A.MembershipID, target
	spec.Content = proposal.Content{Kind: proposal.Individual, Theme: proposal.Economy, Title: title,
		Matter: "案由", Analysis: "分析", Suggestions: "建议"}
	p, err := proposal.NewSeeder(f.Server.Proposals, f.A.ID).Drive(context.Background(), spec)
	f.must(err)
	return p.ID
}

// TestProposalJointHandling: 会办 with the unit as co-unit, which countersigns
// the lead unit's reply from its page once the reply is drafted.
func TestProposalJointHandling(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPropFixture(t, d)
		ctx := context.Background()
		id := f.seed("会办的提案", proposal.Registered, proposal.SeedSpec{})
		f.act("proposal_office", id, "assign", url.Values{"mode": {"joint"}, "lead_unit": {itoa(f.Unit2)},
			"units": {itoa(f.A.UnitID), itoa(f.Unit2)}})
		dt := f.detail(id)
		if len(dt.Assignments) != 2 || dt.Assignments[0].UnitID != f.Unit2 || dt.Assignments[0].Role != proposal.RoleLead {
			t.Fatalf("assignments %+v", dt.Assignments)
		}
		lead := &auth.Actor{Name: "住建局", CommitteeID: f.A.ID, Roles: []auth.Role{auth.RoleUnit}, UnitID: f.Unit2}
		svc := f.Server.Proposals
		f.act("unit", id, "accept", nil)
		if strings.Contains(f.text(f.get("unit", propURL(id))), `/countersign"`) {
			t.Fatal("countersign offered before the lead drafted its reply")
		}
		_, err := svc.Accept(ctx, lead, proposal.Ref{ID: id})
		f.must(err)
		_, err = svc.LogContact(ctx, lead, proposal.Ref{ID: id}, proposal.ContactInput{On: svc.Today(), Method: proposal.ByPhone, People: "王芳"})
		f.must(err)
		_, err = svc.DraftReply(ctx, lead, proposal.Ref{ID: id}, proposal.ReplyInput{ResultClass: "B", Body: "列入明年计划"})
		f.must(err)
		body := f.text(f.get("unit", propURL(id)))
		propWantIn(t, body, `/countersign"`, "列入明年计划")
		f.act("unit", id, "countersign", url.Values{"opinion": {"同意"}})
		_, err = svc.SubmitReply(ctx, lead, proposal.Ref{ID: id})
		f.must(err)
		if st := f.detail(id).State; st != proposal.ReplyReview {
			t.Fatalf("state %s", st)
		}
	})
}

// TestProposalReturnRequest: the unit asks to return an assignment; the
// office finds it in its queue and reassigns it; the unit no longer sees it.
func TestProposalReturnRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPropFixture(t, d)
		id := f.seed("申退的提案", proposal.Assigned, proposal.SeedSpec{Units: []int64{f.A.UnitID}})
		resp := f.actResp("unit", id, "ask_return", url.Values{"reason": {""}})
		propWantStatus(t, resp, f.text(resp), http.StatusUnprocessableEntity)
		f.act("unit", id, "ask_return", url.Values{"reason": {"不属于本单位职责"}})
		body := f.text(f.get("proposal_office", "/proposals?tab=return_req"))
		propWantIn(t, body, "申退的提案")
		body = f.text(f.get("proposal_office", propURL(id)))
		propWantIn(t, body, "不属于本单位职责", "/confirm", "/reassign")
		asg := f.detail(id).Assignments[0].ID
		f.act("proposal_office", id, "reassign", url.Values{"assignment": {itoa(asg)}, "unit_id": {itoa(f.Unit2)}})
		if resp := f.get("unit", propURL(id)); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("the former unit still sees the proposal: %d", resp.StatusCode)
		}
		if dt := f.detail(id); dt.Assignments[0].UnitID != f.Unit2 || dt.State != proposal.Assigned {
			t.Fatalf("after reassigning: unit %d state %s", dt.Assignments[0].UnitID, dt.State)
		}
	})
}

// TestProposalLeaderAndFilters: a leader's landing lists the key proposals
// they supervise; the list filters narrow and the pager pages.
func TestProposalLeaderAndFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPropFixture(t, d)
		key := f.seed("重点督办的提案", proposal.Assigned, proposal.SeedSpec{Units: []int64{f.A.UnitID}, Key: []int64{f.Users["leader"]}})
		f.seed("普通的提案", proposal.Submitted, proposal.SeedSpec{})
		body := f.text(f.get("leader", "/proposals"))
		propWantIn(t, body, "重点督办的提案", "我督办的")
		if strings.Contains(body, "普通的提案") {
			t.Fatal("the supervised tab lists a proposal the leader does not supervise")
		}
		body = f.text(f.get("leader", propURL(key)))
		propWantIn(t, body, "/supervise", "测试leader")
		f.act("leader", key, "supervise", url.Values{"on": {f.Server.propToday().String()}, "kind": {"inspection"}, "note": {"实地察看"}})
		propWantIn(t, f.text(f.get("proposal_office", propURL(key))), "实地察看", "视察")

		body = f.text(f.get("proposal_office", "/proposals?tab=all&state=SUBMITTED"))
		propWantIn(t, body, "普通的提案")
		if strings.Contains(body, "重点督办的提案") {
			t.Fatal("the state filter lets other states through")
		}
		body = f.text(f.get("proposal_office", "/proposals?tab=all&theme=culture"))
		if strings.Contains(body, "普通的提案") || strings.Contains(body, "重点督办的提案") {
			t.Fatal("the theme filter lets other themes through")
		}
		body = f.text(f.get("proposal_office", "/proposals?tab=all&unit="+itoa(f.A.UnitID)))
		propWantIn(t, body, "重点督办的提案")
		for i := range propPerPage {
			f.seed(fmt.Sprintf("批量提案%02d", i), proposal.Submitted, proposal.SeedSpec{})
		}
		body = f.text(f.get("proposal_office", "/proposals?tab=review"))
		propWantIn(t, body, "page=2")
		body = f.text(f.get("proposal_office", "/proposals?tab=review&page=2"))
		propWantIn(t, body, "普通的提案") // the oldest, on the second page
	})
}

// TestProposalExtensionKeyExcellent: a unit asks for more time and the office
// grants it from its queue; the office marks key and excellent proposals.
func TestProposalExtensionKeyExcellent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPropFixture(t, d)
		id := f.seed("要延期的提案", proposal.Accepted, proposal.SeedSpec{Units: []int64{f.A.UnitID}})
		due := f.detail(id).Assignments[0].DueOn
		resp := f.actResp("unit", id, "ask_extend", url.Values{"due_on": {due.AddMonths(12).String()}, "reason": {"需要预算"}})
		propWantStatus(t, resp, f.text(resp), http.StatusUnprocessableEntity) // beyond six months
		f.act("unit", id, "ask_extend", url.Values{"due_on": {due.AddDays(30).String()}, "reason": {"需要预算"}})
		propWantIn(t, f.text(f.get("proposal_office", "/proposals")), "延期申请", "需要预算")
		asg := itoa(f.detail(id).Assignments[0].ID)
		f.act("proposal_office", id, "extend", url.Values{"assignment": {asg}, "due_on": {due.AddDays(30).String()}})
		if got := f.detail(id).Assignments[0].DueOn; got != due.AddDays(30) {
			t.Fatalf("due %s, want %s", got, due.AddDays(30))
		}

		f.act("proposal_office", id, "mark_key", url.Values{"key": {"1"}, "leaders": {itoa(f.Users["leader"])}})
		if dt := f.detail(id); !dt.Key || len(dt.Supervisors) != 1 {
			t.Fatalf("key %v supervisors %v", dt.Key, dt.Supervisors)
		}
		resp = f.actResp("proposal_office", id, "mark_key", url.Values{"key": {"1"}})
		propWantStatus(t, resp, f.text(resp), http.StatusUnprocessableEntity) // a key proposal needs a leader

		closed := f.seed("优秀的提案", proposal.Closed, proposal.SeedSpec{Units: []int64{f.A.UnitID}})
		f.act("proposal_office", closed, "excellent", url.Values{"excellent": {"1"}})
		if !f.detail(closed).Excellent {
			t.Fatal("not excellent")
		}
		propWantIn(t, f.text(f.get("member", propURL(closed))), "优秀提案")
	})
}

// TestProposalLateCoSignerEvaluates: after the first proposer's 不满意 starts
// round 2, the co-signer who has not evaluated still finds the task and the
// form for round 1's reply, and evaluates once; the first proposer is offered
// nothing more.
func TestProposalLateCoSignerEvaluates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPropFixture(t, d)
		sd := proposal.NewSeeder(f.Server.Proposals, f.A.ID)
		sd.Office = f.actor("proposal_office")
		p, err := sd.Drive(context.Background(), proposal.SeedSpec{Content: proposal.Content{Kind: proposal.Joint, Theme: proposal.Society,
			Title: "关于联名评价的建议", Matter: "案由", Analysis: "分析", Suggestions: "建议", CoSigners: []int64{f.Member2}},
			FirstProposer: f.A.MembershipID, Target: proposal.Replied, Units: []int64{f.A.UnitID}})
		if err != nil {
			t.Fatal(err)
		}
		f.act("member", p.ID, "evaluate", url.Values{"overall": {"dissatisfied"}, "contact": {"not_visited"}, "attitude": {"basic"},
			"addressed": {"not"}, "comment": {"没有解决"}})
		if st := f.detail(p.ID).State; st != proposal.Rehandling {
			t.Fatalf("after 不满意: %s", st)
		}
		if strings.Contains(f.text(f.get("member", propURL(p.ID))), `id="act-evaluate"`) {
			t.Fatal("the signer who evaluated is offered evaluate again")
		}
		propWantIn(t, f.text(f.get("member2", "/proposals")), "关于联名评价的建议", "#act-evaluate")
		propWantIn(t, f.text(f.get("member2", propURL(p.ID))), `id="act-evaluate"`, "评价第 1 轮答复")
		f.act("member2", p.ID, "evaluate", url.Values{"overall": {"satisfied"}, "contact": {"visited"}, "attitude": {"satisfied"}, "addressed": {"targeted"}})
		if strings.Contains(f.text(f.get("member2", propURL(p.ID))), `id="act-evaluate"`) {
			t.Fatal("evaluated round 1 twice is offered")
		}
		if dt := f.detail(p.ID); dt.State != proposal.Rehandling || len(dt.Evaluations) != 2 || dt.Evaluations[1].Round != 1 {
			t.Fatalf("after the co-signer's evaluation: %s %+v", dt.State, dt.Evaluations)
		}
	})
}
