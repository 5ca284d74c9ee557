package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestAssistImportForms posts the two 三送三帮 import forms: a file that is
// not a workbook comes back as the form with its error and writes nothing; a
// member may not import; a template downloads as an officer only.
func TestAssistImportForms(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		upload := func(role, path string, file []byte) *http.Response {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			fw, _ := mw.CreateFormFile("file", "台账.xlsx")
			_, _ = fw.Write(file)
			_ = mw.Close()
			req, err := http.NewRequest(http.MethodPost, h.URL+path, &body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", mw.FormDataContentType())
			return h.do(role, req)
		}
		count := func(table string) int {
			var n int
			if err := d.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		households, records := count("assist_households"), count("assist_records")
		for _, path := range []string{"/assist/import", "/assist/import/ledger"} {
			resp := upload("assistance", path, []byte("not a workbook"))
			body := h.text(resp)
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `class="errsummary"`) && !strings.Contains(body, "errorbox") {
				t.Errorf("%s with a broken file: %d\n%s", path, resp.StatusCode, snippet(body))
			}
			if resp := upload("member", path, []byte("not a workbook")); resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s as a member: %d", path, resp.StatusCode)
			}
		}
		if count("assist_households") != households || count("assist_records") != records {
			t.Error("a refused import wrote rows")
		}
		for _, path := range []string{"/assist/import/template.xlsx", "/assist/import/ledger-template.xlsx"} {
			if resp := h.get("assistance", path); resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
				t.Errorf("%s: %d %q", path, resp.StatusCode, resp.Header.Get("Content-Disposition"))
			}
			if resp := h.get("member", path); resp.StatusCode == http.StatusOK {
				t.Errorf("%s as a member: 200", path)
			}
		}
	})
}
