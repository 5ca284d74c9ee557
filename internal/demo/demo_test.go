package demo_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"lvzhi/internal/account"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/demo"
	"lvzhi/internal/duty"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
	"lvzhi/internal/secret"
)

func TestSeed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		box, err := secret.FromBase64(secret.NewKey())
		if err != nil {
			t.Fatal(err)
		}
		res, err := demo.Seed(ctx, d, box)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Seeded || len(res.Logins) != len(auth.AllRoles)+2 { // two members, two units
			t.Fatalf("seeded=%v, %d logins", res.Seeded, len(res.Logins))
		}
		svc := account.NewService(d)
		var staff *auth.Actor
		seen := map[auth.Role]bool{}
		for _, l := range res.Logins {
			_, a, err := svc.Login(ctx, l.Username, l.Password, "127.0.0.1", "test")
			if err != nil {
				t.Fatalf("login %s: %v", l.Username, err)
			}
			if !slices.Equal(a.Roles, []auth.Role{l.Role}) || a.CommitteeID != res.CommitteeID || a.Name != l.Name || l.Name == "" {
				t.Errorf("%s: actor %+v, login %+v", l.Username, a, l)
			}
			if (l.Role == auth.RoleMember) != (a.PersonID != 0) || (l.Role == auth.RoleUnit) != (a.UnitID != 0) {
				t.Errorf("%s: person %d unit %d", l.Username, a.PersonID, a.UnitID)
			}
			if _, _, err := svc.Login(ctx, l.Username, l.Password+"x", "127.0.0.2", "test"); err == nil {
				t.Errorf("%s: wrong password accepted", l.Username)
			}
			seen[l.Role] = true
			if l.Role == auth.RoleStaff {
				staff = a
			}
		}
		if len(seen) != len(auth.AllRoles) {
			t.Errorf("roles covered: %v", seen)
		}
		// The organisation service reads the seeded committee: the current term is
		// 第九届 with session 九届二次 in the present year and 九届一次 the year
		// before, ~300 members, sectors and units.
		if res.Year != demo.Year(civil.Today()) || res.Year < civil.Today().Year-1 {
			t.Errorf("demo year %d", res.Year)
		}
		o := org.NewService(d)
		o.Secret = box
		term, err := o.CurrentTerm(ctx, staff, res.CommitteeID)
		if err != nil || term.Name != "第九届" {
			t.Fatalf("current term %+v: %v", term, err)
		}
		sessions, err := o.Sessions(ctx, staff, res.CommitteeID, term.ID)
		if err != nil || !slices.ContainsFunc(sessions, func(s org.Session) bool { return s.Name == "九届二次" && s.Year == res.Year }) ||
			!slices.ContainsFunc(sessions, func(s org.Session) bool { return s.Name == "九届一次" && s.Year == res.Year-1 }) {
			t.Errorf("sessions %+v: %v", sessions, err)
		}
		page, err := o.ListMembers(ctx, staff, res.CommitteeID, org.MemberFilter{})
		if err != nil || page.Total != 300 || len(page.Members) != 50 {
			t.Fatalf("members: total %d, page %d: %v", page.Total, len(page.Members), err)
		}
		m := page.Members[0]
		if m.Name == "" || m.SectorName == "" || len(m.Groups) == 0 || !strings.Contains(m.IDMasked, "*") {
			t.Errorf("member as the service sees it: %+v", m)
		}
		sectors, err := o.Sectors(ctx, staff, res.CommitteeID)
		if err != nil || len(sectors) < 25 {
			t.Fatalf("sectors: %d, %v", len(sectors), err)
		}
		bySector, err := o.ListMembers(ctx, staff, res.CommitteeID, org.MemberFilter{SectorID: sectors[0].ID})
		if err != nil || bySector.Total == 0 || bySector.Total >= 300 {
			t.Errorf("members of %s: %d, %v", sectors[0].Name, bySector.Total, err)
		}
		checkProposals(t, d, res)
		checkDuty(t, d, res, staff)
		checkActivities(t, d, res, staff)
		// A second run keeps the data and reports the same logins.
		again, err := demo.Seed(ctx, d, box)
		if err != nil || again.Seeded || again.CommitteeID != res.CommitteeID || !slices.Equal(again.Logins, res.Logins) {
			t.Errorf("second seed: %+v, %v", again, err)
		}
	})
}

// checkProposals asserts the demo session's proposals: every state present,
// about 214 registered, mostly class A or B, and work for the member and unit logins.
func checkProposals(t *testing.T, d *db.DB, res *demo.Result) {
	t.Helper()
	ctx := context.Background()
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := d.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM proposals WHERE committee_id = $1`, res.CommitteeID); n != res.Proposals || n < 230 {
		t.Errorf("proposals = %d, reported %d", n, res.Proposals)
	}
	for _, st := range proposal.ProposalStates {
		if n := count(`SELECT count(*) FROM proposals WHERE state = $1`, string(st)); n == 0 {
			t.Errorf("no demo proposal in state %s", st)
		}
	}
	current := `(SELECT id FROM plenary_sessions WHERE committee_id = $1 AND year = $2)`
	registered := count(`SELECT count(*) FROM proposals WHERE seq > 0 AND session_id = `+current, res.CommitteeID, res.Year)
	if registered < 205 || registered > 225 {
		t.Errorf("registered proposals of the present session = %d, want about 214", registered)
	}
	// The year before is complete: every proposal decided, none still at work.
	past := `(SELECT id FROM plenary_sessions WHERE committee_id = $1 AND year = $2)`
	if n := count(`SELECT count(*) FROM proposals WHERE session_id = `+past, res.CommitteeID, res.Year-1); n < 60 {
		t.Errorf("the year before has %d proposals", n)
	}
	if n := count(`SELECT count(*) FROM proposals WHERE session_id = `+past+` AND state NOT IN ('CLOSED','MERGED','NOT_REGISTERED','WITHDRAWN')`,
		res.CommitteeID, res.Year-1); n != 0 {
		t.Errorf("the year before has %d proposals still open", n)
	}
	// Something to do now: overdue work, and the second member's open invitation.
	if n := count(`SELECT count(*) FROM proposal_signers s JOIN memberships m ON m.id = s.membership_id
		JOIN users u ON u.username = 'member2' AND u.person_id = m.person_id
		JOIN proposals p ON p.id = s.proposal_id AND p.state = 'SIGNING' WHERE s.status = 'invited'`); n == 0 {
		t.Error("the second member login has no invitation to co-sign")
	}
	if n := count(`SELECT count(*) FROM proposal_assignments a JOIN users u ON u.username = 'unit2' AND u.unit_id = a.unit_id`); n == 0 {
		t.Error("the second unit login has no assignment")
	}
	if n := count(`SELECT count(*) FROM proposals p JOIN users u ON u.username = 'member'
		JOIN memberships m ON m.id = p.first_proposer_id AND m.person_id = u.person_id`); n < 4 {
		t.Errorf("the member login has %d proposals of its own", n)
	}
	if n := count(`SELECT count(DISTINCT a.state) FROM proposal_assignments a JOIN users u ON u.username = 'unit' AND u.unit_id = a.unit_id`); n < 5 {
		t.Errorf("the unit login's assignments are in only %d states", n)
	}
}

// checkDuty asserts the demo's year of duty scores: 2018's rules, scored
// members with grades, the adjustments and appeals, and a ledger that agrees
// with the records.
func checkDuty(t *testing.T, d *db.DB, res *demo.Result, staff *auth.Actor) {
	t.Helper()
	ctx := context.Background()
	svc := duty.NewService(d)
	y, err := svc.Scores(ctx, staff, res.CommitteeID, 2018)
	if err != nil || y.Rules == nil || len(y.Scores) < 250 {
		t.Fatalf("demo scores: %v", err)
	}
	scored := 0
	for _, s := range y.Scores {
		if s.Total != 0 {
			scored++
		}
	}
	if scored < 100 || res.DutyAdjustments < 20 {
		t.Errorf("demo: %d members scored, %d adjustments", scored, res.DutyAdjustments)
	}
	as, err := svc.Appeals(ctx, staff, res.CommitteeID, "")
	if err != nil || len(as) != 3 {
		t.Errorf("demo appeals: %d, %v", len(as), err)
	}
	rep, err := svc.Recompute(ctx, &auth.Actor{CommitteeID: res.CommitteeID, Roles: []auth.Role{auth.RoleStaff}}, res.CommitteeID, 2018, false)
	if err != nil || rep.Differs() {
		t.Errorf("demo ledger differs: %v %+v", err, rep)
	}
}
