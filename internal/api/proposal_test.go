package api

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// proposalSetup gives county A a session and the unit account a unit.
func proposalSetup(t *testing.T, h *harness) (unitID int64) {
	t.Helper()
	ctx := context.Background()
	year := civil.Today().Year
	var id int64
	err := h.d.QueryRowContext(ctx, `INSERT INTO plenary_sessions (committee_id, term_id, number, name, year, opens_on, closes_on, submit_from, submit_to)
		VALUES ($1, $2, 2, '九届二次', $3, $4, $5, $6, $7) RETURNING id`, h.f.A, h.f.TermA, year,
		fmt.Sprintf("%d-01-10", year), fmt.Sprintf("%d-01-13", year), fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-01-12", year)).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.d.QueryRowContext(ctx, `INSERT INTO units (committee_id, name, kind, created_at) VALUES ($1, '县教育局', 'government', $2) RETURNING id`,
		h.f.A, db.Now()).Scan(&unitID); err != nil {
		t.Fatal(err)
	}
	if _, err := h.d.ExecContext(ctx, `UPDATE users SET unit_id = $1 WHERE id = $2`, unitID, h.f.Unit.UserID); err != nil {
		t.Fatal(err)
	}
	h.f.Unit.UnitID = unitID
	return unitID
}

// TestProposalAPI walks a proposal from draft to closed through the API, with
// the refusals on the way.
func TestProposalAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		unit := proposalSetup(t, h)
		f := h.f
		member := f.MemberParty

		// Unreadable and invalid bodies.
		h.want(h.do(member, "POST", "/proposals", `{"titel":"x"}`), 400)
		e := h.want(h.json(member, "POST", "/proposals", map[string]any{"kind": "individual", "theme": "society"}), 422).apiError(t)
		if len(e.Fields) == 0 || e.Fields[0].Field != "title" {
			t.Fatalf("fields %+v", e.Fields)
		}
		h.want(h.json(f.Unit, "POST", "/proposals", map[string]any{"kind": "individual", "theme": "society", "title": "单位提案"}), 403)
		if n := h.rows("proposals"); n != 0 {
			t.Fatalf("refused drafts stored: %d", n)
		}

		var p proposal.Proposal
		h.want(h.json(member, "POST", "/proposals", ProposalBody{Kind: "individual", Theme: "society", Title: "关于校车的建议",
			Matter: "案由", Analysis: "分析", Suggestions: "建议"}), 201).decode(t, &p)
		path := fmt.Sprintf("/proposals/%d", p.ID)
		h.want(h.json(member, "POST", path+"/submit", ActionBody{Version: p.Version}), 200).decode(t, &p)
		// The same request again: the version is stale, the answer says so.
		if e := h.want(h.json(member, "POST", path+"/submit", ActionBody{Version: p.Version - 1}), 409).apiError(t); e.Code != "conflict" {
			t.Fatalf("stale submit: %+v", e)
		}

		// Who may not review.
		h.want(h.json(f.Unit, "POST", path+"/register", ActionBody{}), 404)
		h.want(h.json(member, "POST", path+"/register", ActionBody{}), 403)
		h.want(h.json(f.StaffB, "GET", path, nil), 404)
		h.want(h.json(f.StaffB, "POST", path+"/register", ActionBody{}), 404)

		h.want(h.json(f.ProposalOffice, "POST", path+"/register", ActionBody{}), 200).decode(t, &p)
		if p.Number == "" || p.State != proposal.Registered {
			t.Fatalf("registered: %+v", p)
		}
		e = h.want(h.json(f.ProposalOffice, "POST", path+"/assign", ActionBody{Mode: "single", Units: []int64{unit}, DueOn: "tomorrow"}), 422).apiError(t)
		if e.Fields[0].Field != "due_on" {
			t.Fatalf("assign fields %+v", e.Fields)
		}
		h.want(h.json(f.ProposalOffice, "POST", path+"/assign", ActionBody{Mode: "single", Units: []int64{unit}}), 200)

		today := civil.Today().String()
		h.want(h.json(f.Unit, "POST", path+"/accept", ActionBody{}), 200)
		h.want(h.json(f.Unit, "POST", path+"/contact", ActionBody{On: today, Method: "face", People: "孙党员、局长"}), 200)
		// The reply letter is checked by its bytes: a program is refused on the letter field, as is a bad phone; nothing is written.
		exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 100)...)
		for field, b := range map[string]ActionBody{
			"letter":        {ResultClass: "A", Body: "已解决", LetterName: "答复函.exe", Letter: exe},
			"contact_phone": {ResultClass: "A", Body: "已解决", ContactPhone: "12"},
		} {
			if e := h.want(h.json(f.Unit, "POST", path+"/draft_reply", b), 422).apiError(t); len(e.Fields) != 1 || e.Fields[0].Field != field {
				t.Fatalf("draft_reply with a bad %s: %+v", field, e)
			}
		}
		var before proposal.Detail
		h.want(h.json(f.Unit, "GET", path, nil), 200).decode(t, &before)
		if len(before.Replies) != 0 {
			t.Fatalf("a refused reply was stored: %+v", before.Replies)
		}
		pdf := []byte("%PDF-1.4\n1 0 obj\n")
		h.want(h.json(f.Unit, "POST", path+"/draft_reply", ActionBody{ResultClass: "A", Body: "已解决", Signer: "王局长", ContactName: "李四",
			ContactPhone: "0874-1234567", LetterName: "答复函.pdf", Letter: pdf}), 200)
		h.want(h.json(f.Unit, "POST", path+"/submit_reply", ActionBody{}), 200)

		var dt proposal.Detail
		h.want(h.json(f.ProposalOffice, "GET", path, nil), 200).decode(t, &dt)
		if len(dt.Assignments) != 1 || dt.Assignments[0].DueOn.IsZero() {
			t.Fatalf("detail %+v", dt.Assignments)
		}
		if r := dt.Replies[0]; r.Signer != "王局长" || r.ContactName != "李四" || r.ContactPhone != "0874-1234567" || r.Letter == nil ||
			r.Letter.Name != "答复函.pdf" || r.Letter.ContentType != proposal.TypePDF || r.Letter.Size != int64(len(pdf)) {
			t.Fatalf("the office's view of the reply: %+v", r)
		}
		if len(dt.Attachments) != 0 {
			t.Fatalf("the letter is listed among the proposal's files: %+v", dt.Attachments)
		}
		h.want(h.json(f.ProposalOffice, "POST", path+"/approve", ActionBody{AssignmentID: dt.Assignments[0].ID}), 200)

		ev := ActionBody{Overall: "satisfied", Contact: "visited", Attitude: "satisfied", Addressed: "targeted"}
		h.want(h.json(f.Unit, "POST", path+"/evaluate", ev), 403)
		h.want(h.json(f.ProposalOffice, "POST", path+"/evaluate", ev), 403)
		h.want(h.json(f.Staff, "POST", path+"/evaluate", ev), 403)
		h.want(h.json(f.MemberNonParty, "POST", path+"/evaluate", ev), 404)
		h.want(h.json(member, "POST", path+"/evaluate", ev), 200).decode(t, &p)
		if p.State != proposal.Closed {
			t.Fatalf("after evaluation %s", p.State)
		}

		// Dates travel as strings; the timeline and the reader's actions come along.
		r := h.want(h.json(member, "GET", path, nil), 200)
		if !strings.Contains(string(r.Body), `"submitted_on":"`+today+`"`) || !strings.Contains(string(r.Body), `"signing_deadline":""`) {
			t.Fatalf("dates: %s", r.Body)
		}
		r.decode(t, &dt)
		if len(dt.Events) < 8 || len(dt.Evaluations) != 1 {
			t.Fatalf("events %d evaluations %d", len(dt.Events), len(dt.Evaluations))
		}

		var page proposal.Page
		h.want(h.json(f.ProposalOffice, "GET", "/proposals?state=CLOSED&limit=10", nil), 200).decode(t, &page)
		if page.Total != 1 || page.Items[0].ID != p.ID {
			t.Fatalf("list %+v", page)
		}
		h.want(h.json(f.ProposalOffice, "GET", "/proposals?state=BOGUS", nil), 400)
		h.want(h.json(f.Unit, "GET", "/proposals?unit=x", nil), 400)
		h.want(h.json(f.StaffB, "GET", "/proposals", nil), 200).decode(t, &page)
		if page.Total != 0 {
			t.Fatalf("county B sees %d of A's", page.Total)
		}
		h.want(h.json(nil, "GET", "/proposals", nil), 401)
	})
}
