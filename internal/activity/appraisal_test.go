package activity

import (
	"slices"
	"strings"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// columns lists a table's columns on either engine.
func (f *fx) columns(table string) []string {
	f.t.Helper()
	q := `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY column_name`
	if f.d.Engine == db.SQLite {
		q = `SELECT name FROM pragma_table_info($1) ORDER BY name`
	}
	cols, err := db.Column[string](f.ctx, f.d, q, table)
	f.must(err, "columns")
	return cols
}

// TestAppraisalBallot: staff draft and open an appraisal, members vote once
// each, another committee's member and staff cannot vote, results appear
// once closed, and the rectification is recorded.
func TestAppraisalBallot(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		unit := f.w.Unit(f.county, "县交通运输局").ID
		_, err := f.svc.AddAppraisal(f.ctx, f.members[0], f.county.ID, AppraisalInput{UnitID: unit, Year: 2026})
		wantCode(t, err, apperr.Forbidden)
		_, err = f.svc.AddAppraisal(f.ctx, f.staff, f.county.ID, AppraisalInput{UnitID: unit, Year: 2026, Dimensions: []string{"作风", "作风"}})
		wantCode(t, err, apperr.Invalid, "err.activity.bad_dimension")
		a, err := f.svc.AddAppraisal(f.ctx, f.staff, f.county.ID, AppraisalInput{UnitID: unit, Year: 2026})
		f.must(err, "add")
		all := map[string]string{"工作作风": "satisfied", "办事效率": "satisfied", "服务质量": "satisfied"}
		wantCode(t, f.svc.Vote(f.ctx, f.members[0], a.ID, all), apperr.Conflict, "err.activity.appraisal_state.drafted")
		_, err = f.svc.OpenVoting(f.ctx, f.staff, Ref{ID: a.ID})
		f.must(err, "open")
		wantCode(t, f.svc.Vote(f.ctx, f.members[0], a.ID, map[string]string{"工作作风": "great"}), apperr.Invalid)
		f.must(f.svc.Vote(f.ctx, f.members[0], a.ID, all), "vote 0")
		wantCode(t, f.svc.Vote(f.ctx, f.members[0], a.ID, all), apperr.Conflict, "err.activity.voted")
		f.must(f.svc.Vote(f.ctx, f.members[1], a.ID, map[string]string{"工作作风": "basic", "办事效率": "dissatisfied", "服务质量": "satisfied"}), "vote 1")
		wantCode(t, f.svc.Vote(f.ctx, f.staff, a.ID, all), apperr.Forbidden)
		wantCode(t, f.svc.Vote(f.ctx, f.otherMember, a.ID, all), apperr.NotFound)
		got, err := f.svc.Appraisal(f.ctx, f.members[2], a.ID)
		f.must(err, "member reads")
		if !got.CanVote || got.Results != nil {
			t.Fatalf("member sees %+v", got)
		}
		got, err = f.svc.Appraisal(f.ctx, f.staff, a.ID)
		f.must(err, "staff reads")
		if got.Voters != 2 || got.Results != nil {
			t.Fatalf("results shown while voting: %+v", got)
		}
		_, err = f.svc.CloseVoting(f.ctx, f.staff, Ref{ID: a.ID})
		f.must(err, "close")
		wantCode(t, f.svc.Vote(f.ctx, f.members[2], a.ID, all), apperr.Conflict, "err.activity.appraisal_state.closed")
		got, err = f.svc.Appraisal(f.ctx, f.leader, a.ID)
		f.must(err, "leader reads")
		if got.Results["工作作风"]["satisfied"] != 1 || got.Results["工作作风"]["basic"] != 1 || got.Results["办事效率"]["dissatisfied"] != 1 ||
			got.Results["服务质量"]["satisfied"] != 2 {
			t.Fatalf("results %+v", got.Results)
		}
		_, err = f.svc.Rectify(f.ctx, f.staff, Ref{ID: a.ID}, "", "")
		wantCode(t, err, apperr.Invalid, "err.activity.required")
		r, err := f.svc.Rectify(f.ctx, f.staff, Ref{ID: a.ID}, "一、简化审批流程；二、公开办事时限。", "2026-12-01")
		f.must(err, "rectify")
		if r.Rectification == "" || r.ReinspectedOn != "2026-12-01" {
			t.Fatalf("rectified %+v", r)
		}
		_, err = f.svc.Appraisal(f.ctx, f.otherStaff, a.ID)
		wantCode(t, err, apperr.NotFound)
	})
}

// TestBallotAnonymous proves there is no path from a ballot to its voter: the
// counts have no voter, time or per-ballot row; the voted markers have no
// rating or time; and the audit log says who voted, never how.
func TestBallotAnonymous(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		if got := f.columns("activity_ballot_tallies"); !slices.Equal(got, []string{"appraisal_id", "committee_id", "dimension", "rating", "votes"}) {
			t.Fatalf("tally columns %v: a ballot table must not hold a voter, a time or an id per ballot", got)
		}
		if got := f.columns("activity_ballot_voted"); !slices.Equal(got, []string{"appraisal_id", "committee_id", "person_id"}) {
			t.Fatalf("voted-marker columns %v: it must not hold a rating or a time", got)
		}
		unit := f.w.Unit(f.county, "县水务局").ID
		a, err := f.svc.AddAppraisal(f.ctx, f.staff, f.county.ID, AppraisalInput{UnitID: unit, Year: 2026, Dimensions: []string{"作风"}})
		f.must(err, "add")
		var tallies int
		f.must(f.d.QueryRowContext(f.ctx, `SELECT COUNT(*) FROM activity_ballot_tallies WHERE appraisal_id = $1`, a.ID).Scan(&tallies), "count")
		_, err = f.svc.OpenVoting(f.ctx, f.staff, Ref{ID: a.ID})
		f.must(err, "open")
		for i, r := range []string{"dissatisfied", "basic", "satisfied"} {
			f.must(f.svc.Vote(f.ctx, f.members[i], a.ID, map[string]string{"作风": r}), "vote")
		}
		// Voting adds no row to the counts (so their order tells nothing).
		var after int
		f.must(f.d.QueryRowContext(f.ctx, `SELECT COUNT(*) FROM activity_ballot_tallies WHERE appraisal_id = $1`, a.ID).Scan(&after), "count")
		if after != tallies || tallies != len(Ratings) {
			t.Fatalf("tally rows %d before, %d after voting", tallies, after)
		}
		// No audit entry of the vote names a rating.
		rows, err := f.d.QueryContext(f.ctx, `SELECT action, COALESCE(before_json, ''), COALESCE(after_json, '') FROM audit_log WHERE entity = 'activity_appraisal' AND entity_id = $1`, a.ID)
		f.must(err, "audit")
		defer rows.Close()
		votes := 0
		for rows.Next() {
			var action, before, after string
			f.must(rows.Scan(&action, &before, &after), "scan")
			if action == "activity.vote" {
				votes++
			}
			for _, r := range Ratings {
				if strings.Contains(before+after, r) {
					t.Errorf("audit entry %s names a rating: %s %s", action, before, after)
				}
			}
		}
		if votes != 3 {
			t.Fatalf("%d vote entries in the audit log, want 3 (who voted is recorded)", votes)
		}
	})
}

// TestFollowupReminders: the daily scan reminds each overdue open item once,
// to staff and the responsible unit, and never a closed or not yet due one.
func TestFollowupReminders(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		unit := f.w.Unit(f.county, "县水务局")
		unitUser := f.w.User(f.county, "waterunit", []auth.Role{auth.RoleUnit}, 0, unit.ID)
		out, err := f.svc.CreateOutput(f.ctx, f.staff, f.county.ID, OutputInput{Kind: OutResearchReport, Title: "报告", DatedOn: civil.MustParse("2026-01-05")})
		f.must(err, "output")
		add := func(due string, unitID int64) *Followup {
			x, err := f.svc.AddFollowup(f.ctx, f.staff, FollowupInput{OutputID: out.ID, Matter: "事项" + due, UnitID: unitID, DueOn: civil.MustParse(due)})
			f.must(err, "followup")
			return x
		}
		overdue := add("2026-05-31", unit.ID)
		closed := add("2026-05-01", 0)
		add("2026-07-31", unit.ID) // not yet due
		_, err = f.svc.CloseFollowup(f.ctx, f.staff, Ref{ID: closed.ID}, "已办")
		f.must(err, "close")
		n, err := f.svc.ScanFollowups(f.ctx, f.today)
		f.must(err, "scan")
		if n != 1 {
			t.Fatalf("reminded %d, want 1", n)
		}
		if n, err := f.svc.ScanFollowups(f.ctx, f.today); err != nil || n != 0 {
			t.Fatalf("second scan reminded %d (%v), want 0", n, err)
		}
		got := map[int64]int{}
		rows, err := f.d.QueryContext(f.ctx, `SELECT user_id, COUNT(*) FROM notifications WHERE kind = 'activity.followup_overdue' GROUP BY user_id`)
		f.must(err, "notifications")
		defer rows.Close()
		for rows.Next() {
			var u int64
			var c int
			f.must(rows.Scan(&u, &c), "scan")
			got[u] = c
		}
		if got[f.staff.UserID] != 1 || got[unitUser.UserID] != 1 || got[f.leader.UserID] != 0 || len(got) != 2 {
			t.Fatalf("notified %v (staff %d, unit %d)", got, f.staff.UserID, unitUser.UserID)
		}
		// The reminder does not make an open page stale.
		_, err = f.svc.CloseFollowup(f.ctx, f.staff, Ref{ID: overdue.ID, Version: overdue.Version}, "已办结")
		f.must(err, "close after reminder")
	})
}
