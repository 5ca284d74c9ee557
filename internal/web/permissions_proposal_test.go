package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/proposal"
)

// propPermFixture holds proposals of county A in the states the refusals need.
type propPermFixture struct {
	*propFixture
	Draft2    int64 // member2's draft: private to member2
	Submitted int64 // the member's, waiting for review
	Assigned  int64 // assigned to the unit
	OtherUnit int64 // assigned to Unit2 only
	Replied   int64 // the unit replied, waiting for the member's evaluation
}

func newPropPermFixture(t *testing.T, d *db.DB) *propPermFixture {
	t.Helper()
	f := &propPermFixture{propFixture: newPropFixture(t, d)}
	ctx := context.Background()
	sd := proposal.NewSeeder(f.Server.Proposals, f.A.ID)
	drive := func(first int64, title string, target proposal.State, units ...int64) int64 {
		p, err := sd.Drive(ctx, proposal.SeedSpec{FirstProposer: first, Target: target, Units: units,
			Content: proposal.Content{Kind: proposal.Individual, Theme: proposal.Society, Title: title,
				Matter: "案由", Analysis: "分析", Suggestions: "建议"}})
		f.must(err)
		return p.ID
	}
	f.Draft2 = drive(f.Member2, "李强的草稿", proposal.Draft)
	f.Submitted = drive(f.A.MembershipID, "待审查的提案", proposal.Submitted)
	f.Assigned = drive(f.A.MembershipID, "交办给教育局的提案", proposal.Assigned, f.A.UnitID)
	f.OtherUnit = drive(f.Member2, "交办给住建局的提案", proposal.Assigned, f.Unit2)
	f.Replied = drive(f.A.MembershipID, "已答复的提案", proposal.Replied, f.A.UnitID)
	return f
}

// v is a form with the proposal's current version (so a refusal is about who
// acts, never a stale form).
func (f *propPermFixture) v(id int64, kv ...string) url.Values {
	var version int
	f.must(f.DB.QueryRowContext(context.Background(), `SELECT version FROM proposals WHERE id = $1`, id).Scan(&version))
	form := url.Values{"version": {strconv.Itoa(version)}}
	for i := 0; i+1 < len(kv); i += 2 {
		form.Add(kv[i], kv[i+1])
	}
	return form
}

// TestProposalPermissions: for every role, the proposal pages and actions it
// must be refused. Each refusal leaves the audit log (so every record) as it
// was, and a 403/404 never shows county B's names.
func TestProposalPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPropPermFixture(t, d)
		P := func(id int64, rest string) string { return fmt.Sprintf("/proposals/%d%s", id, rest) }
		evaluate := func(id int64) url.Values {
			return f.v(id, "overall", "satisfied", "contact", "visited", "attitude", "satisfied", "addressed", "targeted")
		}
		asg := func(id int64) string {
			var a int64
			f.must(f.DB.QueryRowContext(context.Background(), `SELECT id FROM proposal_assignments WHERE proposal_id = $1`, id).Scan(&a))
			return itoa(a)
		}
		cases := []permCase{
			// Anonymous visitors log in first.
			{"anon", "GET", "/proposals", nil, http.StatusSeeOther},
			{"anon", "GET", P(f.Submitted, ""), nil, http.StatusSeeOther},
			{"anon", "POST", P(f.Submitted, "/register"), f.v(f.Submitted), http.StatusUnauthorized},
			{"anon", "GET", "/proposals/export.xlsx", nil, http.StatusSeeOther},

			// A member: never the office's steps, never another's draft, never a unit's steps.
			{"member", "GET", P(f.Draft2, ""), nil, http.StatusNotFound},
			{"member", "POST", P(f.Draft2, "/submit"), f.v(f.Draft2), http.StatusNotFound},
			{"member", "GET", P(f.OtherUnit, ""), nil, http.StatusNotFound},
			{"member", "POST", P(f.Submitted, "/register"), f.v(f.Submitted), http.StatusForbidden},
			{"member", "POST", P(f.Submitted, "/return"), f.v(f.Submitted, "note", "x"), http.StatusForbidden},
			{"member", "POST", P(f.Assigned, "/accept"), f.v(f.Assigned), http.StatusForbidden},
			{"member", "POST", P(f.Replied, "/close"), f.v(f.Replied), http.StatusForbidden},
			{"member", "POST", P(f.Replied, "/publish"), f.v(f.Replied), http.StatusForbidden},
			{"unit", "POST", P(f.Replied, "/publish_consent"), f.v(f.Replied, "consent", "1"), http.StatusForbidden},
			{"proposal_office", "POST", P(f.Replied, "/publish_consent"), f.v(f.Replied, "consent", "1"), http.StatusForbidden},
			{"member", "GET", "/proposals/paper", nil, http.StatusForbidden},
			{"member", "POST", "/proposals/paper", proposalForm("代录"), http.StatusForbidden},
			{"member", "POST", P(f.Submitted, "/no_such_action"), f.v(f.Submitted), http.StatusNotFound},
			{"member2", "POST", P(f.Replied, "/evaluate"), evaluate(f.Replied), http.StatusNotFound},

			// A unit: only its own assignments; never evaluates, registers or drafts.
			{"unit", "GET", P(f.OtherUnit, ""), nil, http.StatusNotFound},
			{"unit", "POST", P(f.OtherUnit, "/accept"), f.v(f.OtherUnit), http.StatusNotFound},
			{"unit", "GET", P(f.Submitted, ""), nil, http.StatusNotFound},
			{"unit", "GET", P(f.Draft2, ""), nil, http.StatusNotFound},
			{"unit", "POST", P(f.Replied, "/evaluate"), evaluate(f.Replied), http.StatusForbidden},
			{"unit", "POST", P(f.Assigned, "/reassign"), f.v(f.Assigned, "assignment", asg(f.Assigned), "unit_id", itoa(f.Unit2)), http.StatusForbidden},
			{"unit", "POST", P(f.Assigned, "/extend"), f.v(f.Assigned, "assignment", asg(f.Assigned), "due_on", "2099-01-01"), http.StatusForbidden},
			{"unit", "GET", "/proposals/new", nil, http.StatusForbidden},
			{"unit", "POST", "/proposals", proposalForm("单位提案"), http.StatusForbidden},

			// Staff and the office read and enter, but never evaluate for a member.
			{"staff", "POST", P(f.Replied, "/evaluate"), evaluate(f.Replied), http.StatusForbidden},
			{"staff", "POST", P(f.Submitted, "/register"), f.v(f.Submitted), http.StatusForbidden},
			{"staff", "GET", P(f.Draft2, ""), nil, http.StatusNotFound},
			{"proposal_office", "POST", P(f.Replied, "/evaluate"), evaluate(f.Replied), http.StatusForbidden},
			{"proposal_office", "GET", P(f.Draft2, ""), nil, http.StatusNotFound},
			{"proposal_office", "POST", P(f.Assigned, "/accept"), f.v(f.Assigned), http.StatusForbidden},
			{"proposal_office", "POST", "/proposals", proposalForm("提案委起草"), http.StatusForbidden},

			// Leaders read and supervise key proposals only; assistance officers have no part.
			{"leader", "POST", P(f.Submitted, "/register"), f.v(f.Submitted), http.StatusForbidden},
			{"leader", "POST", P(f.Replied, "/evaluate"), evaluate(f.Replied), http.StatusForbidden},
			{"leader", "GET", "/proposals/paper", nil, http.StatusForbidden},
			{"assistance", "GET", "/proposals", nil, http.StatusForbidden},
			{"assistance", "GET", P(f.Submitted, ""), nil, http.StatusNotFound},
			{"assistance", "POST", P(f.Submitted, "/register"), f.v(f.Submitted), http.StatusNotFound},

			// Another county sees nothing of county A, and county A nothing of it.
			{"other_admin", "GET", P(f.Submitted, ""), nil, http.StatusNotFound},
			{"other_admin", "POST", P(f.Submitted, "/register"), f.v(f.Submitted), http.StatusNotFound},
			{"other_admin", "POST", P(f.Replied, "/close"), f.v(f.Replied), http.StatusNotFound},
			{"other_member", "GET", P(f.Replied, ""), nil, http.StatusNotFound},
			{"other_member", "POST", P(f.Replied, "/evaluate"), evaluate(f.Replied), http.StatusNotFound},
			{"member", "GET", P(f.ForeignID, ""), nil, http.StatusNotFound},
			{"proposal_office", "GET", P(f.ForeignID, ""), nil, http.StatusNotFound},
			{"proposal_office", "POST", P(f.ForeignID, "/register"), f.v(f.ForeignID), http.StatusNotFound},
			{"unit", "GET", P(f.ForeignID, ""), nil, http.StatusNotFound},

			// The prefecture reads its subtree and changes nothing in it.
			{"prefecture", "GET", P(f.Submitted, ""), nil, http.StatusOK},
			{"prefecture", "POST", P(f.Submitted, "/register"), f.v(f.Submitted), http.StatusForbidden},

			// What each may do, after the refusals above.
			{"member", "GET", P(f.Replied, ""), nil, http.StatusOK},
			{"unit", "GET", P(f.Assigned, ""), nil, http.StatusOK},
			{"leader", "GET", P(f.Submitted, ""), nil, http.StatusOK},
			{"proposal_office", "POST", P(f.Submitted, "/register"), f.v(f.Submitted), http.StatusSeeOther},
			{"unit", "POST", P(f.Assigned, "/accept"), f.v(f.Assigned), http.StatusSeeOther},
			{"member", "POST", P(f.Replied, "/evaluate"), evaluate(f.Replied), http.StatusSeeOther},
		}
		runPermCases(t, f.harness, cases)
	})
}
