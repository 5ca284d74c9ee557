package api

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// TestProposalReplyDraftSightAPI: until the office delivers a unit's reply,
// the proposal's detail carries its body and letter (答复函) to the office and
// the unit only. The proposer, a leader, the admin and another 分办 unit read
// the proposal without the reply, and the letter's download (its id guessed)
// is not found; a member with no tie is refused the proposal itself. After
// delivery the proposer reads both.
func TestProposalReplyDraftSightAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		unit := proposalSetup(t, h)
		f := h.f
		ctx := context.Background()
		var unit2 int64
		if err := d.QueryRowContext(ctx, `INSERT INTO units (committee_id, name, kind, created_at) VALUES ($1, '县住建局', 'government', $2) RETURNING id`,
			f.A, db.Now()).Scan(&unit2); err != nil {
			t.Fatal(err)
		}
		other := h.newActor(f.A, "住建局", auth.RoleUnit)
		if _, err := d.ExecContext(ctx, `UPDATE users SET unit_id = $1 WHERE id = $2`, unit2, other.UserID); err != nil {
			t.Fatal(err)
		}
		var p proposal.Proposal
		h.want(h.json(f.MemberParty, "POST", "/proposals", ProposalBody{Kind: "individual", Theme: "society", Title: "关于校车的建议",
			Matter: "案由", Analysis: "分析", Suggestions: "建议"}), 201).decode(t, &p)
		path := fmt.Sprintf("/proposals/%d", p.ID)
		h.want(h.json(f.MemberParty, "POST", path+"/submit", ActionBody{Version: p.Version}), 200)
		h.want(h.json(f.ProposalOffice, "POST", path+"/register", ActionBody{}), 200)
		h.want(h.json(f.ProposalOffice, "POST", path+"/assign", ActionBody{Mode: "separate", Units: []int64{unit, unit2}}), 200)
		h.want(h.json(f.Unit, "POST", path+"/accept", ActionBody{}), 200)
		h.want(h.json(other, "POST", path+"/accept", ActionBody{}), 200)
		h.want(h.json(f.Unit, "POST", path+"/contact", ActionBody{On: civil.Today().String(), Method: "face", People: "孙党员、局长"}), 200)
		h.want(h.json(f.Unit, "POST", path+"/draft_reply", ActionBody{ResultClass: "A", Body: "草稿正文", Signer: "王局长",
			LetterName: "答复函.pdf", Letter: []byte("%PDF-1.4\n1 0 obj\n")}), 200)
		var dt proposal.Detail
		h.want(h.json(f.ProposalOffice, "GET", path, nil), 200).decode(t, &dt)
		if len(dt.Replies) != 1 || dt.Replies[0].Letter == nil {
			t.Fatalf("the office reads %+v", dt.Replies)
		}
		asg, letter := dt.Replies[0].AssignmentID, fmt.Sprintf("%s/attachments/%d", path, dt.Replies[0].Letter.ID)
		check := func(stage string, delivered bool) {
			t.Helper()
			for _, who := range []*auth.Actor{f.ProposalOffice, f.Unit} {
				if r := h.json(who, "GET", path, nil); !strings.Contains(string(r.Body), "草稿正文") {
					t.Errorf("%s: %s does not read the reply", stage, who.Name)
				}
				if r := h.do(who, "GET", letter, ""); r.Status != 200 {
					t.Errorf("%s: %s downloads the letter: %d", stage, who.Name, r.Status)
				}
			}
			for _, who := range []*auth.Actor{f.MemberParty, f.LeaderRole, f.Admin, other} {
				r := h.want(h.json(who, "GET", path, nil), 200)
				if strings.Contains(string(r.Body), "草稿正文") != delivered || strings.Contains(string(r.Body), "王局长") != delivered {
					t.Errorf("%s: %s reads the reply: %v, want %v", stage, who.Name, !delivered, delivered)
				}
				if r := h.do(who, "GET", letter, ""); (r.Status == 200) != delivered || !delivered && r.Status != 404 {
					t.Errorf("%s: %s downloads the letter: %d, want it=%v", stage, who.Name, r.Status, delivered)
				}
			}
			h.want(h.json(f.MemberNonParty, "GET", path, nil), 404)
			h.want(h.json(f.MemberNonParty, "GET", letter, nil), 404)
			h.want(h.json(f.StaffB, "GET", letter, nil), 404)
		}
		check("drafted", false)
		h.want(h.json(f.Unit, "POST", path+"/submit_reply", ActionBody{}), 200)
		check("under review", false)
		h.want(h.json(f.ProposalOffice, "POST", path+"/approve", ActionBody{AssignmentID: asg}), 200)
		check("delivered", true)
	})
}
