package web

import (
	"archive/zip"
	"bytes"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// TestAttachmentTypes: attachments are accepted by their bytes (PDF, office
// documents, images, text), anything else is refused with the reason on the
// file field; PDFs and images are shown inline with their own type, the rest
// downloaded, always with nosniff.
func TestAttachmentTypes(t *testing.T) {
	zipOf := func(names ...string) []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for _, n := range names {
			w, _ := zw.Create(n)
			_, _ = w.Write([]byte("<x/>"))
		}
		_ = zw.Close()
		return b.Bytes()
	}
	var pngData bytes.Buffer
	_ = png.Encode(&pngData, image.NewRGBA(image.Rect(0, 0, 2, 2)))
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPropFixture(t, d)
		id := f.created(f.post("member", "/proposals", proposalForm("附件类型的提案")))
		upload := func(name, claimed string, data []byte) *http.Response {
			var buf bytes.Buffer
			fmt.Fprintf(&buf, "--B\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n%d\r\n", f.detail(id).Version)
			fmt.Fprintf(&buf, "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\nContent-Type: %s\r\n\r\n", name, claimed)
			buf.Write(data)
			buf.WriteString("\r\n--B--\r\n")
			req, _ := http.NewRequest("POST", f.URL+propURL(id)+"/attachments", &buf)
			req.Header.Set("Content-Type", "multipart/form-data; boundary=B")
			return f.do("member", req)
		}
		// Refused, whatever they claim to be.
		for _, c := range []struct {
			name, claimed string
			data          []byte
		}{
			{"setup.exe", "application/octet-stream", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 100)...)},
			{"报告.pdf", "application/pdf", append([]byte("MZ\x90\x00"), make([]byte, 100)...)},
			{"page.html", "text/plain", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")},
			{"archive.zip", "application/zip", zipOf("a.txt", "b.txt")},
		} {
			resp := upload(c.name, c.claimed, c.data)
			body := f.text(resp)
			propWantStatus(t, resp, body, http.StatusUnprocessableEntity)
			propWantIn(t, body, "只能上传 PDF、Word、Excel")
		}
		if n := len(f.detail(id).Attachments); n != 0 {
			t.Fatalf("refused files stored: %d", n)
		}
		// Accepted; shown inline or downloaded.
		for _, c := range []struct {
			name, wantType, wantDisp string
			data                     []byte
		}{
			{"调研报告.pdf", "application/pdf", "inline", []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n")},
			{"现场.png", "image/png", "inline", pngData.Bytes()},
			{"建议.docx", "application/octet-stream", "attachment", zipOf("[Content_Types].xml", "word/document.xml")},
			{"数据.xlsx", "application/octet-stream", "attachment", zipOf("[Content_Types].xml", "xl/workbook.xml")},
			{"旧文档.doc", "application/octet-stream", "attachment", ole},
			{"说明.txt", "application/octet-stream", "attachment", []byte("一些说明")},
		} {
			if resp := upload(c.name, "application/octet-stream", c.data); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("%s: %d %s", c.name, resp.StatusCode, propErrorText(f.text(resp)))
			}
			atts := f.detail(id).Attachments
			aid := atts[len(atts)-1].ID
			resp := f.get("member", fmt.Sprintf("%s/attachments/%d", propURL(id), aid))
			body := f.text(resp)
			if resp.StatusCode != 200 || body != string(c.data) {
				t.Fatalf("%s: %d", c.name, resp.StatusCode)
			}
			h := resp.Header
			if h.Get("Content-Type") != c.wantType || !strings.HasPrefix(h.Get("Content-Disposition"), c.wantDisp+";") ||
				h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s: served as %q, %q, %q", c.name, h.Get("Content-Type"), h.Get("Content-Disposition"), h.Get("X-Content-Type-Options"))
			}
		}
	})
}

// TestReplyWaitsForContactSaysWhy: a unit that accepted a proposal sees why
// it cannot draft the reply yet (面商 first); once the consultation is
// recorded the note is gone and the reply form is there.
func TestReplyWaitsForContactSaysWhy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPropFixture(t, d)
		id := f.seed("先面商的提案", proposal.Accepted, proposal.SeedSpec{Units: []int64{f.A.UnitID}})
		body := f.text(f.get("unit", propURL(id)))
		if !strings.Contains(body, `id="reply-after-contact"`) || !strings.Contains(body, "须先与提案人办前面商") {
			t.Fatalf("no reason why the reply cannot be drafted: %s", snippet(body))
		}
		if strings.Contains(body, `id="draft_reply-body"`) {
			t.Fatal("reply form offered before the consultation")
		}
		f.act("unit", id, "contact", url.Values{"on": {f.Server.propToday().String()}, "method": {"face"}, "people": {"王芳、局长"}})
		body = f.text(f.get("unit", propURL(id)))
		if strings.Contains(body, `id="reply-after-contact"`) || !strings.Contains(body, `id="draft_reply-body"`) {
			t.Fatalf("after the consultation: note or form wrong: %s", snippet(body))
		}
		if b := f.text(f.get("member", propURL(id))); strings.Contains(b, `id="reply-after-contact"`) {
			t.Fatal("the proposer is told the unit's step")
		}
	})
}
