package liaison_test

import (
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/liaison"
)

func TestBehind(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := setup(t, d)
		f := e.f
		mk := func(level liaison.Level, li, mb int64, from string, contacts ...string) *liaison.Link {
			l := e.link(liaison.LinkInput{Level: level, LiaisonID: li, MemberID: mb, StartsOn: from})
			for _, on := range contacts {
				e.contact(f.Staff, liaison.ContactInput{LinkID: l.ID, On: on, Method: liaison.MethodPhone})
			}
			return l
		}
		none := mk(liaison.LevelPartyNonparty, f.Party, f.NonParty, "2025-01-01")                     // 0 of 2: behind pace
		mk(liaison.LevelPartyNonparty, f.Party, f.NonParty2, "2025-01-01", "2025-03-01")              // 1 of 2: short, on pace
		done := mk(liaison.LevelHeadParty, f.Head, f.Party, "2025-01-01", "2025-02-01", "2025-05-01") // 2 of 2: not listed
		late := mk(liaison.LevelLeaderHead, f.Leader, f.Head, "2025-07-01")                           // starts mid-year: 1 expected, due 0.1
		c, err := e.svc.CreateCampaign(ctx, f.Staff, liaison.CampaignInput{Kind: liaison.KindLeaderMember, Name: "走访", StartsOn: "2025-03-01", EndsOn: "2025-08-31", MinVisits: 1})
		if err != nil {
			t.Fatal(err)
		}
		ts, err := e.svc.AddTargets(ctx, f.Staff, c.ID, f.Leader, []int64{f.NonParty2})
		if err != nil {
			t.Fatal(err)
		}
		q := liaison.BehindQuery{From: "2025-01-01", To: "2025-12-31", Today: "2025-07-15"}
		rep, err := e.svc.Behind(ctx, f.LeaderRole, q)
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string]liaison.BehindRow{}
		for _, r := range rep.Rows {
			byID[r.Kind+"/"+r.Liaison.Name+"/"+r.Member.Name] = r
		}
		if len(rep.Rows) != 4 {
			t.Fatalf("want 4 rows, got %+v", rep.Rows)
		}
		check := func(key string, expected, count int, due float64, behind bool) {
			t.Helper()
			r, ok := byID[key]
			if !ok {
				t.Fatalf("row %s missing from %+v", key, rep.Rows)
			}
			if r.Expected != expected || r.Count != count || r.Due != due || r.BehindPace != behind || r.Short != expected-count {
				t.Fatalf("%s: %+v", key, r)
			}
		}
		// 2025-07-15 is day 196 of 365: 2 × 196/365 = 1.07 contacts due.
		check("link/孙党员/周党外", 2, 0, 1.1, true)
		check("link/孙党员/吴党外", 2, 1, 1.1, false)
		// From 2025-07-01: 184 days → 1 expected, 15 days elapsed → 0.1 due.
		check("link/李成员/赵组长", 1, 0, 0.1, false)
		// The campaign: 1 visit over 184 days, 137 elapsed → 0.7 due (not yet a whole one).
		check("target/李成员/吴党外", 1, 0, 0.7, false)
		if rep.Rows[0].ID != none.ID {
			t.Fatalf("default sort puts the furthest behind first: %+v", rep.Rows[0])
		}
		if r := byID["link/李成员/赵组长"]; r.From != "2025-07-01" || r.ID != late.ID {
			t.Fatalf("window of a late link: %+v", r)
		}
		// Summary per liaising person: 孙党员 has 2 short, 1 behind.
		if s := rep.ByLiaison[0]; s.Liaison.Name != "孙党员" || s.Short != 2 || s.Behind != 1 {
			t.Fatalf("summary %+v", rep.ByLiaison)
		}
		// Only behind pace.
		q.OnlyBehind = true
		rep, _ = e.svc.Behind(ctx, f.Staff, q)
		if len(rep.Rows) != 1 || rep.Rows[0].ID != none.ID {
			t.Fatalf("only behind: %+v", rep.Rows)
		}
		// A contact outside the window does not count: from April, done has 1 of 2.
		rep, _ = e.svc.Behind(ctx, f.Staff, liaison.BehindQuery{From: "2025-04-01", To: "2025-12-31", Today: "2025-12-31", Sort: "short"})
		found := false
		for _, r := range rep.Rows {
			if r.ID == done.ID && r.Kind == "link" {
				found = r.Count == 1 && r.Expected == 2 && r.From == "2025-04-01"
			}
		}
		if !found {
			t.Fatalf("window not applied: %+v", rep.Rows)
		}
		// By year end everything short is behind.
		q = liaison.BehindQuery{From: "2025-01-01", To: "2025-12-31", Today: "2026-01-10", Sort: "member"}
		rep, _ = e.svc.Behind(ctx, f.Staff, q)
		if len(rep.Rows) != 4 || rep.Rows[0].Member.Name > rep.Rows[1].Member.Name {
			t.Fatalf("year end: %+v", rep.Rows)
		}
		for _, r := range rep.Rows {
			if !r.BehindPace || r.Due != float64(r.Expected) {
				t.Fatalf("year end row not behind: %+v", r)
			}
		}
		// One liaising person; and a member sees only their own rows whatever they ask.
		q.LiaisonID = f.PersonOf[f.Leader]
		rep, _ = e.svc.Behind(ctx, f.Staff, q)
		if len(rep.Rows) != 2 {
			t.Fatalf("one liaison: %+v", rep.Rows)
		}
		q.LiaisonID = 0
		rep, err = e.svc.Behind(ctx, f.MemberParty, q)
		if err != nil || len(rep.Rows) != 2 || rep.Rows[0].Liaison.Name != "孙党员" || rep.Rows[1].Liaison.Name != "孙党员" {
			t.Fatalf("member view %+v %v", rep, err)
		}
		// Visiting the target takes it off the list.
		e.contact(f.MemberLeader, liaison.ContactInput{TargetID: ts[0].ID, On: "2025-08-01", Method: liaison.MethodVisit})
		rep, _ = e.svc.Behind(ctx, f.Staff, q)
		if len(rep.Rows) != 3 {
			t.Fatalf("after visit: %+v", rep.Rows)
		}
		// Refusals and bad input.
		for _, a := range []*auth.Actor{f.Unit, f.ProposalOffice, f.Assistance} {
			_, err := e.svc.Behind(ctx, a, q)
			wantCode(t, err, apperr.Forbidden)
		}
		_, err = e.svc.Behind(ctx, f.StaffB, liaison.BehindQuery{CommitteeID: f.A})
		wantCode(t, err, apperr.NotFound)
		if rep, err := e.svc.Behind(ctx, f.PrefLeader, liaison.BehindQuery{CommitteeID: f.A, From: "2025-01-01", To: "2025-12-31", Today: "2025-12-31"}); err != nil || len(rep.Rows) != 3 {
			t.Fatalf("prefecture reads A: %v %v", rep, err)
		}
		_, err = e.svc.Behind(ctx, f.Staff, liaison.BehindQuery{From: "2025-12-31", To: "2025-01-01"})
		wantField(t, err, "to", "err.liaison.ends_before_starts")
		_, err = e.svc.Behind(ctx, f.Staff, liaison.BehindQuery{From: "x", To: "2025-01-01"})
		wantField(t, err, "from", "err.liaison.date_invalid")
	})
}
