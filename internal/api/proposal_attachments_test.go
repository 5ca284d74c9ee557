package api

import (
	"bytes"
	"fmt"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// TestProposalAttachmentsAPI: the first proposer attaches files to a draft
// (multipart), every reader lists and downloads them, only the first proposer
// removes them and only before submission; readers who may not see the
// proposal get not found; bad uploads are refused naming the file and write
// nothing.
func TestProposalAttachmentsAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		proposalSetup(t, h)
		f := h.f
		member := f.MemberParty
		var p proposal.Proposal
		h.want(h.json(member, "POST", "/proposals", ProposalBody{Kind: "individual", Theme: "society", Title: "关于校车的建议",
			Matter: "案由", Analysis: "分析", Suggestions: "建议"}), 201).decode(t, &p)
		path := fmt.Sprintf("/proposals/%d/attachments", p.ID)
		content := []byte("%PDF-1.4 调研报告")

		// Who may not attach: anyone who cannot see the draft, and readers who are not its first proposer.
		for _, who := range []string{"unit", "other_staff", "proposal_office", "staff"} {
			if r := h.upload(h.actor(who), "POST", path, nil, "x.pdf", content); r.Status != 404 {
				t.Errorf("%s attached: %d %s", who, r.Status, r.Body)
			}
		}
		h.want(h.upload(f.MemberNonParty, "POST", path, nil, "x.pdf", content), 404)
		h.want(h.upload(nil, "POST", path, nil, "x.pdf", content), 401)
		// Bad uploads.
		e := h.want(h.json(member, "POST", path, map[string]any{"file": "x"}), 400).apiError(t)
		if !hasField(e, "file") {
			t.Fatalf("a JSON body: %+v", e)
		}
		e = h.want(h.upload(member, "POST", path, map[string]string{"note": "x"}, "", nil), 422).apiError(t)
		if !hasField(e, "file") {
			t.Fatalf("no file: %+v", e)
		}
		h.want(h.upload(member, "POST", path, map[string]string{"version": "x"}, "a.pdf", content), 422)
		h.want(h.upload(member, "POST", path, map[string]string{"version": "a\x00"}, "a.pdf", content), 400)
		h.want(h.upload(member, "POST", path, map[string]string{"version": fmt.Sprint(p.Version + 5)}, "a.pdf", content), 409)
		e = h.want(h.upload(member, "POST", path, nil, "big.pdf", make([]byte, proposal.MaxAttachment+1)), 413).apiError(t)
		if !hasField(e, "file") {
			t.Fatalf("too large: %+v", e)
		}
		if n := h.rows("proposal_attachments"); n != 0 {
			t.Fatalf("refused uploads stored: %d", n)
		}

		var att proposal.Attachment
		h.want(h.upload(member, "POST", path, map[string]string{"version": fmt.Sprint(p.Version)}, "调研报告.pdf", content), 201).decode(t, &att)
		if att.Name != "调研报告.pdf" || att.Size != int64(len(content)) {
			t.Fatalf("attachment %+v", att)
		}
		var second proposal.Attachment
		h.want(h.upload(member, "POST", path, nil, "附表.xlsx", []byte("PK")), 201).decode(t, &second)

		var list AttachmentList
		h.want(h.json(member, "GET", path, nil), 200).decode(t, &list)
		if len(list.Items) != 2 {
			t.Fatalf("list %+v", list)
		}
		r := h.do(member, "GET", fmt.Sprintf("%s/%d", path, att.ID), "")
		if r.Status != 200 || !bytes.Equal(r.Body, content) || r.Header.Get("Content-Type") != "application/octet-stream" ||
			r.Header.Get("Content-Disposition") == "" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("download: %d %v %q", r.Status, r.Header, r.Body)
		}
		for _, who := range []string{"unit", "other_staff"} {
			h.want(h.json(h.actor(who), "GET", path, nil), 404)
			h.want(h.json(h.actor(who), "GET", fmt.Sprintf("%s/%d", path, att.ID), nil), 404)
		}
		h.want(h.json(f.MemberNonParty, "GET", fmt.Sprintf("%s/%d", path, att.ID), nil), 404)
		h.want(h.json(member, "GET", fmt.Sprintf("%s/%d", path, att.ID+100), nil), 404)

		// Removal: the first proposer only.
		h.want(h.json(f.MemberNonParty, "DELETE", fmt.Sprintf("%s/%d", path, second.ID), nil), 404)
		h.want(h.json(member, "DELETE", fmt.Sprintf("%s/%d", path, second.ID), nil), 204)
		h.want(h.json(member, "GET", path, nil), 200).decode(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != att.ID {
			t.Fatalf("after removal %+v", list)
		}

		// After submission the office reads the files; nobody attaches or removes any more.
		h.want(h.json(member, "POST", fmt.Sprintf("/proposals/%d/submit", p.ID), ActionBody{}), 200)
		r = h.do(f.ProposalOffice, "GET", fmt.Sprintf("%s/%d", path, att.ID), "")
		if r.Status != 200 || !bytes.Equal(r.Body, content) {
			t.Fatalf("office download: %d", r.Status)
		}
		if r := h.upload(member, "POST", path, nil, "late.pdf", content); r.Status != 409 {
			t.Fatalf("attached after submission: %d %s", r.Status, r.Body)
		}
		if r := h.do(member, "DELETE", fmt.Sprintf("%s/%d", path, att.ID), ""); r.Status != 409 {
			t.Fatalf("removed after submission: %d %s", r.Status, r.Body)
		}
		if n := h.rows("proposal_attachments"); n != 1 {
			t.Fatalf("attachments %d", n)
		}
	})
}
