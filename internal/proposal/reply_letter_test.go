package proposal

import (
	"testing"
)

// pdfBytes is a minimal file SniffType takes for a PDF.
var pdfBytes = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

// exeBytes starts like a Windows program.
var exeBytes = append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), make([]byte, 64)...)

func TestReplyLetterSignerContact(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p := f.seed(Accepted)
		ref := Ref{ID: p.ID}
		if _, err := f.svc.LogContact(f.ctx, f.unitActors[0], ref, ContactInput{On: f.today, Method: ByFace, People: "张三"}); err != nil {
			t.Fatal(err)
		}
		letters := func() int {
			return f.count(`SELECT COUNT(*) FROM proposal_attachments WHERE proposal_id = $1 AND kind = 'reply_letter'`, p.ID)
		}
		// A program as the letter, a bad phone, a signer too long: refused, nothing written.
		for _, c := range []struct {
			in    ReplyInput
			field string
		}{
			{ReplyInput{ResultClass: "A", Body: "答复", Letter: &LetterFile{Name: "答复函.exe", Data: exeBytes}}, "letter"},
			{ReplyInput{ResultClass: "A", Body: "答复", Letter: &LetterFile{Name: "答复函.pdf"}}, "letter"},
			{ReplyInput{ResultClass: "A", Body: "答复", ContactPhone: "12345"}, "contact_phone"},
			{ReplyInput{ResultClass: "A", Body: "答复", ContactPhone: "0871-123"}, "contact_phone"},
			{ReplyInput{ResultClass: "A", Body: "答复", Signer: string(make([]rune, MaxReplyShort+1))}, "signer"},
		} {
			_, err := f.svc.DraftReply(f.ctx, f.unitActors[0], ref, c.in)
			wantField(t, err, c.field)
		}
		if n := f.count(`SELECT COUNT(*) FROM proposal_replies WHERE proposal_id = $1`, p.ID); n != 0 || letters() != 0 {
			t.Fatalf("a refused reply wrote %d replies, %d letters", n, letters())
		}
		// The letter is optional (the committee has no setting requiring it).
		if _, err := f.svc.DraftReply(f.ctx, f.unitActors[0], ref, ReplyInput{ResultClass: "A", Body: "初稿"}); err != nil {
			t.Fatal(err)
		}
		if r := f.get(p.ID).Replies[0]; r.Letter != nil || r.Signer != "" {
			t.Fatalf("reply without letter: %+v", r)
		}
		// With a letter, signer and contact; the phone is normalised as org does.
		in := ReplyInput{ResultClass: "A", Body: "二稿", Signer: "王局长", ContactName: "李四", ContactPhone: "０８７１－６５１２３４５６",
			Letter: &LetterFile{Name: "关于第12号提案的答复函.pdf", Data: pdfBytes}}
		if _, err := f.svc.DraftReply(f.ctx, f.unitActors[0], ref, in); err != nil {
			t.Fatal(err)
		}
		d := f.get(p.ID)
		r := d.Replies[0]
		if r.Signer != "王局长" || r.ContactName != "李四" || r.ContactPhone != "0871-65123456" || r.Letter == nil ||
			r.Letter.Name != "关于第12号提案的答复函.pdf" || r.Letter.ContentType != TypePDF || r.Letter.Size != int64(len(pdfBytes)) {
			t.Fatalf("reply %+v letter %+v", r, r.Letter)
		}
		// The letter is not one of the proposer's attachments, and the proposer cannot remove it.
		if len(d.Attachments) != 0 {
			t.Fatalf("letter listed with the proposal's files: %+v", d.Attachments)
		}
		// Redrafting without a letter keeps it; a new letter replaces it.
		if _, err := f.svc.DraftReply(f.ctx, f.unitActors[0], ref, ReplyInput{ResultClass: "A", Body: "三稿", Signer: "王局长"}); err != nil {
			t.Fatal(err)
		}
		if r2 := f.get(p.ID).Replies[0]; r2.Letter == nil || r2.Letter.ID != r.Letter.ID || r2.ContactPhone != "" {
			t.Fatalf("redraft: %+v", r2)
		}
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
		if _, err := f.svc.DraftReply(f.ctx, f.unitActors[0], ref, ReplyInput{ResultClass: "A", Body: "四稿", Signer: "王局长",
			Letter: &LetterFile{Name: "scan.png", Data: png}}); err != nil {
			t.Fatal(err)
		}
		r3 := f.get(p.ID).Replies[0]
		if r3.Letter == nil || r3.Letter.Name != "scan.png" || letters() != 1 {
			t.Fatalf("replaced letter: %+v, %d letters", r3.Letter, letters())
		}
		// A refused letter on a redraft leaves the reply as it was.
		_, err := f.svc.DraftReply(f.ctx, f.unitActors[0], ref, ReplyInput{ResultClass: "B", Body: "五稿",
			Letter: &LetterFile{Name: "x.exe", Data: exeBytes}})
		wantField(t, err, "letter")
		if r4 := f.get(p.ID).Replies[0]; r4.Body != "四稿" || r4.Letter.ID != r3.Letter.ID || letters() != 1 {
			t.Fatalf("refused redraft changed the reply: %+v", r4)
		}
		// The office sees all of it when approving, and can read the letter.
		if _, err := f.svc.SubmitReply(f.ctx, f.unitActors[0], ref); err != nil {
			t.Fatal(err)
		}
		od, err := f.svc.Get(f.ctx, f.office, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if or := od.Replies[0]; or.Signer != "王局长" || or.Letter == nil {
			t.Fatalf("office sees %+v", or)
		}
		att, data, err := f.svc.AttachmentContent(f.ctx, f.office, p.ID, r3.Letter.ID)
		if err != nil || att.Name != "scan.png" || string(data) != string(png) {
			t.Fatalf("letter content: %v %+v", err, att)
		}
		// Audited without the file's bytes.
		if n := f.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'proposal.draft_reply' AND after_json LIKE '%scan.png%'`); n != 1 {
			t.Fatalf("letter audited %d times", n)
		}
	})
}
