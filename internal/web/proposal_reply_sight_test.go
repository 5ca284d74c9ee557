package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"lvzhi/internal/account"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// TestReplyDraftSightWeb: until the office delivers a unit's reply, its
// letter (答复函) opens for the office and the unit only. The proposer, a
// leader, the admin and another 分办 unit, who read the proposal's page
// without the reply, get not found for the letter's address (its id guessed),
// as does a member with no tie and another committee; after delivery the
// proposer reads the reply and opens the letter.
func TestReplyDraftSightWeb(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPropFixture(t, d)
		ctx := context.Background()
		u := f.W.Account(f.Committees[f.A.ID], account.NewUser{Username: "h_unit2", DisplayName: "测试unit2",
			Password: harnessPassword, Roles: []auth.Role{auth.RoleUnit}, UnitID: f.Unit2})
		f.Users["unit2"], f.Usernames["unit2"] = u.ID, u.Username
		id := f.seed("答复函保密的提案", proposal.Accepted, proposal.SeedSpec{Mode: proposal.Separate, Units: []int64{f.A.UnitID, f.Unit2}})
		svc, unit, ref := f.Server.Proposals, f.actor("unit"), proposal.Ref{ID: id}
		_, err := svc.LogContact(ctx, unit, ref, proposal.ContactInput{On: f.Server.propToday(), Method: proposal.ByFace, People: "王芳"})
		f.must(err)
		pdf := []byte("%PDF-1.4\n1 0 obj\n")
		_, err = svc.DraftReply(ctx, unit, ref, proposal.ReplyInput{ResultClass: "A", Body: "草稿正文", Signer: "王局长",
			Letter: &proposal.LetterFile{Name: "答复函.pdf", Data: pdf}})
		f.must(err)
		r := f.detail(id).Replies[0]
		href := fmt.Sprintf("/proposals/%d/attachments/%d", id, r.Letter.ID)
		check := func(stage string, delivered bool) {
			t.Helper()
			for _, who := range []string{"proposal_office", "unit"} {
				if resp := f.get(who, href); resp.StatusCode != http.StatusOK || f.text(resp) != string(pdf) {
					t.Errorf("%s: %s opens the letter: %d", stage, who, resp.StatusCode)
				}
			}
			for _, who := range []string{"member", "leader", "admin", "unit2"} {
				page := f.text(f.get(who, propURL(id)))
				if strings.Contains(page, "草稿正文") != delivered || strings.Contains(page, href) != delivered {
					t.Errorf("%s: %s's page shows the reply: %v, want %v", stage, who, !delivered, delivered)
				}
				if resp := f.get(who, href); (resp.StatusCode == http.StatusOK) != delivered ||
					!delivered && resp.StatusCode != http.StatusNotFound {
					t.Errorf("%s: %s opens the letter: %d, want it=%v", stage, who, resp.StatusCode, delivered)
				}
			}
			for _, who := range []string{"member2", "other_admin", "other_member"} {
				if resp := f.get(who, href); resp.StatusCode != http.StatusNotFound {
					t.Errorf("%s: %s opens the letter: %d", stage, who, resp.StatusCode)
				}
			}
		}
		check("drafted", false)
		_, err = svc.SubmitReply(ctx, unit, ref)
		f.must(err)
		check("under review", false)
		_, err = svc.Approve(ctx, f.actor("proposal_office"), ref, r.AssignmentID, "", "")
		f.must(err)
		check("delivered", true)
	})
}
