package web

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/org"
	"lvzhi/internal/secret"
)

func orgIDNumber(first17 string) string { return first17 + string(org.IDCheckChar(first17)) }

// orgUpload posts a multipart import of file as role.
func orgUpload(h *harness, role, kind string, name string, file []byte) *http.Response {
	h.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("kind", kind)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(file)
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, h.URL+"/org/import", &body)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return h.do(role, req)
}

func orgBook(t *testing.T, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			_ = f.SetCellStr("Sheet1", cell, v)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestOrgWebFlows drives the org pages as staff: add a member through the form
// (with a refused, re-shown form first), reveal the ID number (audited), import
// a broken then a good workbook, refuse non-Excel and oversized uploads, export.
func TestOrgWebFlows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		box, err := secret.New(bytes.Repeat([]byte{9}, 32))
		if err != nil {
			t.Fatal(err)
		}
		h.Server.Org.Secret = box
		idA := orgIDNumber("53032519800101123")
		sector := fmt.Sprint(h.A.SectorID)

		// A refused form comes back with the field errors and without the ID number.
		bad := url.Values{"name": {""}, "gender": {"male"}, "id_number": {"530325198001011230"}, "phone": {"12345"}, "sector_id": {sector}, "affiliation": {"cpc"}}
		resp := h.post("staff", "/org/members", bad)
		body := h.text(resp)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "必须填写") || !strings.Contains(body, "电话号码无效") ||
			!strings.Contains(body, "校验位错误") || strings.Contains(body, "530325198001011230") {
			t.Fatalf("bad form: %d\n%s", resp.StatusCode, snippet(body))
		}
		good := url.Values{"name": {"张网页"}, "gender": {"male"}, "id_number": {idA}, "phone": {"13912345678"}, "sector_id": {sector},
			"affiliation": {"cpc"}, "positions": {"vice_chair"}, "standing": {"1"}, fmt.Sprintf("group_%d", h.A.GroupID): {"leader"}}
		resp = h.post("staff", "/org/members", good)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/org/members/") {
			t.Fatalf("create: %d %s\n%s", resp.StatusCode, loc, snippet(h.text(resp)))
		}
		body = h.text(h.get("staff", loc))
		masked := org.MaskIDNumber(idA)
		if !strings.Contains(body, "张网页") || !strings.Contains(body, masked) || strings.Contains(body, idA) || !strings.Contains(body, "副主席") {
			t.Fatalf("member page:\n%s", snippet(body))
		}
		if body := h.text(h.get("leader", "/org/members?q=张网页")); !strings.Contains(body, "张网页") || strings.Contains(body, idA) {
			t.Fatalf("list search:\n%s", snippet(body))
		}
		before := h.auditCount()
		resp = h.post("staff", loc+"/id-number", nil)
		if body := h.text(resp); resp.StatusCode != http.StatusOK || !strings.Contains(body, idA) {
			t.Fatalf("reveal: %d", resp.StatusCode)
		}
		if h.auditCount() != before+1 {
			t.Fatalf("reveal not audited: %d → %d", before, h.auditCount())
		}
		// Edit with a stale version: conflict, nothing changed.
		edit := url.Values{"name": {"张改名"}, "gender": {"male"}, "phone": {"13912345678"}, "sector_id": {sector}, "affiliation": {"cpc"}, "version": {"7"}}
		if resp := h.post("staff", loc, edit); resp.StatusCode != http.StatusConflict {
			t.Fatalf("stale edit: %d", resp.StatusCode)
		}
		edit.Set("version", "1")
		if resp := h.post("staff", loc, edit); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", resp.StatusCode, snippet(h.text(resp)))
		}

		// Import: every row error is listed by row and column; nothing is written.
		head := []string{"姓名*", "性别*", "公民身份号码*", "手机或电话*", "界别*", "政治面貌*"}
		sectorName := "甲经济界"
		broken := orgBook(t, [][]string{head,
			{"李一", "男", orgIDNumber("53032519700101111"), "13700000001", sectorName, "中共党员"},
			{"李二", "男", "123", "13700000002", "体育界", "中共党员"},
			{"李三", "男", orgIDNumber("53032519700101131"), "abc", sectorName, "共青团"}})
		before = h.auditCount()
		resp = orgUpload(h, "staff", "members", "委员.xlsx", broken)
		body = h.text(resp)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "导入失败") {
			t.Fatalf("broken import: %d\n%s", resp.StatusCode, snippet(body))
		}
		for _, want := range []string{"<td data-label=\"行号\">3</td>", "公民身份号码", "体育界", "<td data-label=\"行号\">4</td>", "政治面貌", "电话号码无效"} {
			if !strings.Contains(body, want) {
				t.Errorf("import errors lack %q", want)
			}
		}
		if h.auditCount() != before {
			t.Fatal("broken import wrote something")
		}
		resp = orgUpload(h, "staff", "members", "x.xlsx", []byte("not a spreadsheet"))
		if body := h.text(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "不是有效的Excel") {
			t.Fatalf("non-excel: %d", resp.StatusCode)
		}
		resp = orgUpload(h, "staff", "members", "big.xlsx", bytes.Repeat([]byte("x"), MaxUpload+1024))
		if body := h.text(resp); resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "MB") {
			t.Fatalf("oversized: %d\n%s", resp.StatusCode, snippet(body))
		}
		okBook := orgBook(t, [][]string{head, {"李一", "男", orgIDNumber("53032519700101111"), "13700000001", sectorName, "中共党员"}})
		resp = orgUpload(h, "staff", "members", "委员.xlsx", okBook)
		if body := h.text(resp); resp.StatusCode != http.StatusOK || !strings.Contains(body, "新增1") {
			t.Fatalf("good import: %d\n%s", resp.StatusCode, snippet(body))
		}
		units := orgBook(t, [][]string{{"单位名称*", "单位类别*"}, {"县财政局", "政府"}})
		if resp := orgUpload(h, "staff", "units", "u.xlsx", units); resp.StatusCode != http.StatusOK {
			t.Fatalf("unit import: %d", resp.StatusCode)
		}

		// Export: a real workbook with Chinese headings and masked ID numbers.
		resp = h.get("leader", "/org/export/members.xlsx?status=all")
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != orgXLSXType {
			t.Fatalf("export: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		x, err := excelize.OpenReader(bytes.NewReader([]byte(h.text(resp))))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows(x.GetSheetList()[0])
		x.Close()
		if len(rows) != 4 || rows[0][0] != "姓名" || strings.Contains(fmt.Sprint(rows), idA) {
			t.Fatalf("export rows: %v", rows)
		}
		resp = h.get("staff", "/org/templates/members.xlsx")
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "filename*=UTF-8''") {
			t.Fatalf("template: %d %v", resp.StatusCode, resp.Header)
		}
		// English interface.
		req := h.request(http.MethodGet, "/org/members?status=all", nil)
		req.AddCookie(&http.Cookie{Name: "lang", Value: "en"})
		if body := h.text(h.do("staff", req)); !strings.Contains(body, "Political affiliation") {
			t.Fatalf("english list:\n%s", snippet(body))
		}
	})
}
