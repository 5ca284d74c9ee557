package web

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// ledgerUpload posts a ledger file as role.
func ledgerUpload(h *harness, role string, file []byte) *http.Response {
	h.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "台账.xlsx")
	_, _ = fw.Write(file)
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, h.URL+"/proposals/ledger", &body)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return h.do(role, req)
}

// ledgerBook fills the downloaded template with rows (cells in template order).
func ledgerBook(t *testing.T, template []byte, rows [][]string) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(template))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sh := f.GetSheetList()[0]
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
			_ = f.SetCellStr(sh, cell, v)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestProposalLedgerPage: the office downloads the template, uploads a ledger
// with a bad cell (the error table names row and column, nothing is written),
// then a good one (the proposal is entered with its real dates and marked as
// entered later on its page), and exports it; other roles are refused.
func TestProposalLedgerPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		runPermCases(t, h, []permCase{
			{"member", http.MethodGet, "/proposals/ledger", nil, http.StatusForbidden},
			{"unit", http.MethodGet, "/proposals/ledger", nil, http.StatusForbidden},
			{"staff", http.MethodGet, "/proposals/ledger", nil, http.StatusForbidden},
			{"leader", http.MethodGet, "/proposals/ledger/template.xlsx", nil, http.StatusForbidden},
			{"admin", http.MethodPost, "/proposals/ledger", nil, http.StatusForbidden},
			{"member", http.MethodGet, "/proposals/ledger/export.xlsx?session_id=1", nil, http.StatusForbidden},
		})
		page := h.get("proposal_office", "/proposals/ledger")
		if body := h.text(page); page.StatusCode != 200 || !strings.Contains(body, "提案办理台账") || !strings.Contains(body, "甲九届二次") {
			t.Fatalf("page: %d %s", page.StatusCode, snippet(body))
		}
		tpl := h.get("proposal_office", "/proposals/ledger/template.xlsx")
		if tpl.StatusCode != 200 || !strings.Contains(tpl.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("template: %d %s", tpl.StatusCode, tpl.Header.Get("Content-Type"))
		}
		year := db.Now().Year()
		day := func(md string) string { return fmt.Sprintf("%d-%s", year, md) }
		row := []string{"九届二次-007", "关于改善乡村道路的提案", h.A.PersonName, "", "甲经济界", "经济", "", h.A.UnitName, "单办",
			day("01-05"), "", day("01-15"), day("01-20"), "", "", day("02-02"), "面谈", day("04-10"), day("04-13"), "A", "满意", day("04-16")}
		bad := append([]string(nil), row...)
		bad[7] = "县水务局"
		resp := ledgerUpload(h, "proposal_office", ledgerBook(t, []byte(h.text(tpl)), [][]string{bad}))
		body := h.text(resp)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="ledger-errors"`) ||
			!strings.Contains(body, "承办单位") || !strings.Contains(body, "没有名为“县水务局”的承办单位") || !strings.Contains(body, ">2<") {
			t.Fatalf("bad ledger: %d %s", resp.StatusCode, snippet(body))
		}
		var n int
		h.must(d.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM proposals`).Scan(&n))
		if n != 0 {
			t.Fatalf("%d proposals written by a refused ledger", n)
		}
		resp = ledgerUpload(h, "proposal_office", ledgerBook(t, []byte(h.text(tpl)), [][]string{row}))
		if body := h.text(resp); resp.StatusCode != 200 || !strings.Contains(body, "新录入 1 件") {
			t.Fatalf("good ledger: %d %s", resp.StatusCode, snippet(body))
		}
		var id int64
		var replied string
		h.must(d.QueryRowContext(t.Context(), `SELECT id, replied_on FROM proposals WHERE number = '九届二次-007'`).Scan(&id, &replied))
		if replied != day("04-13") {
			t.Errorf("replied on %s", replied)
		}
		detail := h.text(h.get("proposal_office", fmt.Sprintf("/proposals/%d", id)))
		if !strings.Contains(detail, "补录：测试proposal_office") {
			t.Errorf("the timeline does not mark the steps as entered later: %s", snippet(detail))
		}
		exp := h.get("proposal_office", fmt.Sprintf("/proposals/ledger/export.xlsx?session_id=%d", h.A.SessionID))
		if exp.StatusCode != 200 || !strings.Contains(exp.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("export: %d", exp.StatusCode)
		}
		x, err := excelize.OpenReader(bytes.NewReader([]byte(h.text(exp))))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows(x.GetSheetList()[0])
		if len(rows) != 2 || rows[1][0] != "九届二次-007" || rows[1][17] != day("04-10") {
			t.Errorf("exported %q", rows)
		}
		// Another committee's session is not found.
		if resp := h.get("proposal_office", fmt.Sprintf("/proposals/ledger/export.xlsx?session_id=%d", h.B.SessionID)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("foreign session export: %d", resp.StatusCode)
		}
	})
}
