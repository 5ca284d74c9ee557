package web

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestAssistEvidence uploads a photo to a record as the member who gave it
// (shown inline as an image, sandboxed), refuses a web page named .png and a
// file over the cap with the record page and its error, refuses other
// members and committees, and removes the file as an officer.
func TestAssistEvidence(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		w := seedAssist(t, h)
		upload := func(role, path, name string, file []byte) *http.Response {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			fw, _ := mw.CreateFormFile("file", name)
			_, _ = fw.Write(file)
			_ = mw.Close()
			req, err := http.NewRequest(http.MethodPost, h.URL+path, &body)
			h.must(err)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			return h.do(role, req)
		}
		png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)
		rec := fmt.Sprintf("/assist/records/%d", w.record.ID)
		if r := upload("member", rec+"/files", "现场.png", png); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("member uploads: %d %s", r.StatusCode, snippet(h.text(r)))
		}
		page := h.text(h.get("member", rec))
		m := regexp.MustCompile(`href="(` + rec + `/files/\d+)">现场.png`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("the file is not listed:\n%s", snippet(page))
		}
		resp := h.get("leader", m[1])
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !bytes.Equal(b, png) ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "inline") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("download: %d %v", resp.StatusCode, resp.Header)
		}
		r := upload("member", rec+"/files", "假.png", []byte("<html><body>hi</body></html>"))
		if body := h.text(r); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "ferr") {
			t.Errorf("a web page named .png: %d", r.StatusCode)
		}
		r = upload("member", rec+"/files", "大.png", append(png, make([]byte, 10<<20)...))
		if body := h.text(r); r.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "10 MB") {
			t.Errorf("over the cap: %d\n%s", r.StatusCode, snippet(body))
		}
		frec := fmt.Sprintf("/assist/records/%d", w.foreignRecord.ID)
		for _, c := range []struct {
			role, path string
			want       int
		}{{"other_member", rec + "/files", 404}, {"assistance", frec + "/files", 404}, {"leader", rec + "/files", 403}, {"unit", rec + "/files", 404}} {
			if r := upload(c.role, c.path, "x.png", png); r.StatusCode != c.want {
				t.Errorf("%s uploads to %s: %d, want %d", c.role, c.path, r.StatusCode, c.want)
			}
		}
		if r := h.get("other_admin", m[1]); r.StatusCode != http.StatusNotFound {
			t.Errorf("another county reads the file: %d", r.StatusCode)
		}
		if r := h.post("assistance", m[1]+"/delete", nil); r.StatusCode != http.StatusSeeOther {
			t.Errorf("officer removes: %d", r.StatusCode)
		}
		if r := h.get("leader", m[1]); r.StatusCode != http.StatusNotFound {
			t.Errorf("removed file: %d", r.StatusCode)
		}
	})
}
