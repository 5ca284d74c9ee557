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

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// TestReplyLetterForm: the unit's reply form takes the sealed reply letter
// (答复函), the signing leader and a contact. A program as the letter or a bad
// phone is refused on its field with nothing written; the accepted reply shows
// them in the reply section, to the office reviewing it too, and the letter
// opens inline.
func TestReplyLetterForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPropFixture(t, d)
		id := f.seed("答复函的提案", proposal.Accepted, proposal.SeedSpec{Units: []int64{f.A.UnitID}})
		f.act("unit", id, "contact", url.Values{"on": {f.Server.propToday().String()}, "method": {"face"}, "people": {"王芳、局长"}})
		page := f.text(f.get("unit", propURL(id)))
		propWantIn(t, page, `enctype="multipart/form-data"`, `id="draft_reply-letter"`, `name="signer"`, `name="contact_phone"`)
		post := func(fields map[string]string, letterName string, letter []byte) *http.Response {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			_ = mw.WriteField("version", fmt.Sprint(f.detail(id).Version))
			for k, v := range fields {
				_ = mw.WriteField(k, v)
			}
			fw, _ := mw.CreateFormFile("letter", letterName)
			_, _ = fw.Write(letter)
			_ = mw.Close()
			req, _ := http.NewRequest("POST", f.URL+propURL(id)+"/draft_reply", &buf)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			return f.do("unit", req)
		}
		ok := map[string]string{"result_class": "A", "body": "已开通两条校车线路。", "signer": "王局长", "contact_name": "李四", "contact_phone": "13812345678"}
		pdf := []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n")
		exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 100)...)
		letters := func() int {
			var n int
			if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM proposal_attachments WHERE proposal_id = $1`, id).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		resp := post(ok, "答复函.exe", exe)
		body := f.text(resp)
		propWantStatus(t, resp, body, http.StatusUnprocessableEntity)
		propWantIn(t, body, `id="act-draft_reply" open`, "只能上传 PDF、Word、Excel", "王局长")
		bad := map[string]string{}
		for k, v := range ok {
			bad[k] = v
		}
		bad["contact_phone"] = "123"
		resp = post(bad, "答复函.pdf", pdf)
		body = f.text(resp)
		propWantStatus(t, resp, body, http.StatusUnprocessableEntity)
		propWantIn(t, body, "电话号码无效")
		if dt := f.detail(id); len(dt.Replies) != 0 || letters() != 0 || dt.State != proposal.InHandling {
			t.Fatalf("a refused reply wrote something: %d replies, %d files, %s", len(dt.Replies), letters(), dt.State)
		}
		if resp := post(ok, "答复函.pdf", pdf); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("reply with letter: %d %s", resp.StatusCode, snippet(propErrorText(f.text(resp))))
		}
		r := f.detail(id).Replies[0]
		if r.Letter == nil || r.Letter.Name != "答复函.pdf" || r.Signer != "王局长" || r.ContactName != "李四" || r.ContactPhone != "13812345678" {
			t.Fatalf("stored reply %+v", r)
		}
		// Redrafting without choosing a file keeps the letter (urlencoded form too).
		f.act("unit", id, "draft_reply", url.Values{"result_class": {"A"}, "body": {"已开通两条校车线路。"}, "signer": {"王局长"},
			"contact_name": {"李四"}, "contact_phone": {"13812345678"}})
		if r2 := f.detail(id).Replies[0]; r2.Letter == nil || r2.Letter.ID != r.Letter.ID {
			t.Fatalf("redraft lost the letter: %+v", r2)
		}
		f.act("unit", id, "submit_reply", nil)
		href := fmt.Sprintf("/proposals/%d/attachments/%d", id, r.Letter.ID)
		for _, role := range []string{"unit", "proposal_office"} {
			page := f.text(f.get(role, propURL(id)))
			propWantIn(t, page, "答复函", href, "王局长", "李四", "13812345678")
		}
		if strings.Contains(f.text(f.get("member", propURL(id))), href) {
			t.Fatal("the proposer sees the undelivered reply's letter")
		}
		resp = f.get("proposal_office", href)
		body = f.text(resp)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "inline") || body != string(pdf) {
			t.Fatalf("letter served: %d %v", resp.StatusCode, resp.Header)
		}
		// The letter is not among the proposal's own files.
		if n := len(f.detail(id).Attachments); n != 0 {
			t.Fatalf("letter listed as a proposal file")
		}
	})
}
