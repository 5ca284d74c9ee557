package activity

import (
	"database/sql"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
)

// TestSqmyAndPlanTables states the two small workflows exhaustively.
func TestSqmyAndPlanTables(t *testing.T) {
	want := map[SqmyState]map[Action]SqmyState{
		SqmySubmitted: {SqmyEdit: SqmyEdited, SqmyAdopt: SqmyAdopted, SqmyDecline: SqmyNotAdopted, SqmyMerge: SqmyEdited},
		SqmyEdited:    {SqmyEdit: SqmyEdited, SqmyAdopt: SqmyAdopted, SqmyDecline: SqmyNotAdopted, SqmyMerge: SqmyEdited},
		SqmyAdopted:   {SqmyAdopt: SqmyAdopted},
	}
	for _, st := range SqmyStates {
		for _, a := range []Action{SqmyEdit, SqmyAdopt, SqmyDecline} {
			got, ok := SqmyTable[st][a]
			w, wok := want[st][a]
			if ok != wok || got != w {
				t.Errorf("sqmy %s × %s = %q %v, want %q %v", st, a, got, ok, w, wok)
			}
		}
	}
	for _, st := range []PlanState{PlanDrafted, PlanReviewed, PlanApproved} {
		for _, a := range []Action{PlanEdit, PlanReview, PlanApprove} {
			got, ok := PlanTable[st][a]
			wok := (st == PlanDrafted && a != PlanApprove) || (st == PlanReviewed && a == PlanApprove)
			if ok != wok || (ok && (got == st) != (a == PlanEdit)) {
				t.Errorf("plan %s × %s = %q %v", st, a, got, ok)
			}
		}
	}
}

// TestSqmyFlow: a member submits their own (never on another's behalf), sees
// only their own; staff adopt at a level; a declined and converted proposal
// becomes an item once, linked to it (TestConvertMakesSqmy checks the item).
func TestSqmyFlow(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		mine, err := f.svc.SubmitSqmy(f.ctx, f.members[0], f.county.ID, SqmyInput{Title: "关于饮水的社情民意", PersonID: f.people[1],
			SubmittedOn: civil.MustParse("2020-01-01"), Past: true})
		f.must(err, "member submits")
		if mine.PersonID != f.people[0] || mine.SubmittedOn != f.today || mine.EnteredLater {
			t.Fatalf("a member's item is their own, today: %+v", mine)
		}
		other, err := f.svc.SubmitSqmy(f.ctx, f.staff, f.county.ID, SqmyInput{Title: "关于交通的社情民意", GroupID: f.group,
			SubmittedOn: civil.MustParse("2026-03-01"), Past: true})
		f.must(err, "staff enter")
		if !other.EnteredLater {
			t.Fatalf("staff's past item not marked: %+v", other)
		}
		_, err = f.svc.SubmitSqmy(f.ctx, f.staff, f.county.ID, SqmyInput{Title: "未来", PersonID: f.people[1], SubmittedOn: civil.MustParse("2027-01-01")})
		wantCode(t, err, apperr.Invalid, "err.activity.past_in_future")
		items, total, err := f.svc.SqmyList(f.ctx, f.members[0], SqmyFilter{CommitteeID: f.county.ID})
		f.must(err, "list")
		if total != 1 || items[0].ID != mine.ID {
			t.Fatalf("member lists %d items", total)
		}
		_, err = f.svc.SqmyItem(f.ctx, f.members[0], other.ID)
		wantCode(t, err, apperr.NotFound)
		_, err = f.svc.ChangeSqmy(f.ctx, f.members[0], Ref{ID: mine.ID}, SqmyChange{Action: SqmyAdopt, Level: "city", AdoptedOn: f.today})
		wantCode(t, err, apperr.Forbidden)
		_, err = f.svc.ChangeSqmy(f.ctx, f.staff, Ref{ID: mine.ID}, SqmyChange{Action: SqmyDecline})
		f.must(err, "decline")
		_, err = f.svc.ChangeSqmy(f.ctx, f.staff, Ref{ID: mine.ID}, SqmyChange{Action: SqmyAdopt, Level: "city", AdoptedOn: f.today})
		wantCode(t, err, apperr.Conflict, "err.activity.sqmy_state.not_adopted")

		// A proposal declined and converted to 社情民意.
		term, err := f.w.Org.CurrentTerm(f.ctx, f.staff, f.county.ID)
		f.must(err, "term")
		f.w.Session(f.county, org.SessionInput{TermID: term.ID, Number: 2, Name: "九届二次", Year: 2026,
			OpensOn: "2026-02-26", ClosesOn: "2026-03-01", SubmitFrom: "2026-02-01", SubmitTo: "2026-03-01"})
		psvc := proposal.NewService(f.d)
		psvc.Today = func() civil.Date { return civil.MustParse("2026-03-01") }
		var mid int64
		f.must(f.d.QueryRowContext(f.ctx, `SELECT id FROM memberships WHERE person_id = $1`, f.people[2]).Scan(&mid), "membership")
		sd := proposal.NewSeeder(psvc, f.county.ID)
		p, err := sd.Drive(f.ctx, proposal.SeedSpec{Content: proposal.Content{Kind: proposal.Individual, Theme: proposal.Society,
			Title: "关于农村公路养护的建议", Matter: "案由", Analysis: "分析", Suggestions: "建议"}, FirstProposer: mid,
			Target: proposal.NotRegistered, ConvertTo: proposal.ToSQMY})
		f.must(err, "seed proposal")
		_, err = f.svc.ConvertProposal(f.ctx, f.members[0], p.ID)
		wantCode(t, err, apperr.Forbidden)
		// The conversion made the item (convertHook); converting again is refused.
		_, err = f.svc.ConvertProposal(f.ctx, f.staff, p.ID)
		wantCode(t, err, apperr.Conflict, "err.activity.already_converted")
		_, err = f.svc.ConvertProposal(f.ctx, f.otherStaff, p.ID)
		wantCode(t, err, apperr.NotFound)
		// The proposal names the item it became (the lookup this package registers).
		var item int64
		f.must(f.d.QueryRowContext(f.ctx, `SELECT id FROM sqmy_items WHERE proposal_id = $1`, p.ID).Scan(&item), "item")
		dt, err := psvc.Get(f.ctx, f.staff, p.ID)
		f.must(err, "proposal detail")
		if dt.SqmyID != item {
			t.Fatalf("proposal names 社情民意 item %d, want %d", dt.SqmyID, item)
		}
		// The link is given only to readers of the item: its author (the
		// first proposer) and staff, not another member or committee.
		for _, c := range []struct {
			who   string
			actor *auth.Actor
			want  int64
		}{{"author", f.members[2], item}, {"staff", f.staff, item}, {"another member", f.members[0], 0}, {"other committee", f.otherStaff, 0}} {
			var got int64
			f.must(f.d.ReadTx(f.ctx, func(tx *sql.Tx) (err error) {
				got, err = sqmyOfProposal(f.ctx, tx, c.actor, f.county.ID, p.ID)
				return err
			}), "lookup")
			if got != c.want {
				t.Errorf("%s: the proposal links to item %d, want %d", c.who, got, c.want)
			}
		}
	})
}
